"""Caseloads (Fallzahlen): who holds which case since when, and how many cases per post.

There is no official caseload ratio for Integrationsmanagement; about 128 refugees per
full-time post can be derived from the 2017 funding, so that is the default of
``DEFAULT_CASES_PER_FTE``, and every function takes the ratio as a parameter.
Everything here is pure: histories and states in, values out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import attrs

from integrationsplan.domain import IntegrationManager, PlanState, PlanStatus, Revision, state_as_of
from integrationsplan.errors import ConfigurationError, FieldError, ValidationError

__all__ = [
    "DEFAULT_CASES_PER_FTE",
    "Assignment",
    "Caseload",
    "assignments",
    "caseloads",
    "caseloads_of_counts",
    "distribute",
]

#: Cases per full-time post derived from the 2017 funding; not an official ratio.
DEFAULT_CASES_PER_FTE = 128.0


@attrs.frozen
class Assignment:
    """A manager held a case from ``starts_on`` to ``ends_on`` (inclusive; ``None``: still).

    ``manager_id`` is ``None`` for a stretch without a manager.
    """

    plan_id: str
    manager_id: str | None
    starts_on: dt.date
    ends_on: dt.date | None = None


def assignments(history: Sequence[Revision]) -> tuple[Assignment, ...]:
    """Who held the case when, in effective time, as known now (corrections count).

    A correction that moves a hand-over to an earlier day moves it here too, because
    each day's manager comes from the state as of that day.
    """
    if not history:
        return ()
    plan_id = history[0].plan_id
    days = sorted({revision.effective_on for revision in history})
    periods: list[Assignment] = []
    for day in days:
        state = state_as_of(history, day)
        if state is None:
            continue
        manager = state.plan.manager_id
        if periods and periods[-1].manager_id == manager:
            continue
        if periods:
            periods[-1] = attrs.evolve(periods[-1], ends_on=day - dt.timedelta(days=1))
        periods.append(Assignment(plan_id, manager, day))
    return tuple(periods)


@attrs.frozen
class Caseload:
    """The open cases of one manager, against the post's share and the ratio.

    ``full_time_share`` is ``None`` for a manager id not among the staff (cases held by
    someone who left, or an unassigned case with ``manager_id`` ``None``); then the per-post
    figures are ``None`` too. ``utilisation`` is ``cases_per_fte / ratio`` (1.0 = at the ratio).
    """

    manager_id: str | None
    cases: int
    full_time_share: float | None
    cases_per_fte: float | None
    ratio: float
    utilisation: float | None

    @property
    def over_ratio(self) -> bool:
        """True if the post holds more cases than the ratio allows."""
        return self.utilisation is not None and self.utilisation > 1.0


def caseloads(
    states: Iterable[PlanState],
    staff: Iterable[IntegrationManager] = (),
    *,
    cases_per_fte: float = DEFAULT_CASES_PER_FTE,
) -> tuple[Caseload, ...]:
    """Open (active or paused) cases per manager, staff without cases included.

    Sorted by manager id, with unassigned cases (``manager_id`` ``None``) last.
    """
    counts: Counter[str | None] = Counter(
        state.plan.manager_id for state in states if state.status is not PlanStatus.CLOSED
    )
    return caseloads_of_counts(counts, staff, cases_per_fte=cases_per_fte)


def caseloads_of_counts(
    counts: Mapping[str | None, int],
    staff: Iterable[IntegrationManager] = (),
    *,
    cases_per_fte: float = DEFAULT_CASES_PER_FTE,
) -> tuple[Caseload, ...]:
    """``caseloads`` from the number of open cases per manager, for callers that only count."""
    _check_ratio(cases_per_fte)
    shares = {manager.staff_id: manager.full_time_share for manager in staff}
    result = []
    for manager_id in sorted({*counts, *shares}, key=lambda key: (key is None, key or "")):
        cases = counts.get(manager_id, 0)
        share = shares.get(manager_id) if manager_id is not None else None
        per_fte = None if share is None else cases / share
        utilisation = None if per_fte is None else per_fte / cases_per_fte
        result.append(Caseload(manager_id, cases, share, per_fte, cases_per_fte, utilisation))
    return tuple(result)


def distribute(plan_ids: Sequence[str], successors: Sequence[Caseload]) -> dict[str, str]:
    """Hand ``plan_ids`` to ``successors`` so that their load per post stays even.

    Each plan, in order, goes to the successor with the fewest cases per full-time post
    after taking it (ties: the order given). Successors without a known share count as
    full-time. Deterministic, so a repeated or resumed hand-over gives the same answer.
    """
    if not successors:
        raise ValidationError("hand-over", [FieldError("$.successors", "a hand-over needs at least one successor")])
    load = {caseload.manager_id: caseload.cases for caseload in successors}
    share = {caseload.manager_id: caseload.full_time_share or 1.0 for caseload in successors}
    order = [caseload.manager_id for caseload in successors]
    handed: dict[str, str] = {}
    for plan_id in plan_ids:
        chosen = min(order, key=lambda manager: ((load[manager] + 1) / share[manager], order.index(manager)))
        assert chosen is not None  # noqa: S101 - successors are staff ids
        load[chosen] += 1
        handed[plan_id] = chosen
    return handed


def _check_ratio(cases_per_fte: float) -> None:
    if isinstance(cases_per_fte, bool) or not isinstance(cases_per_fte, int | float) or not cases_per_fte > 0:
        raise ConfigurationError(f"cases_per_fte must be a positive number, not {cases_per_fte!r}")
