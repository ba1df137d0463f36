"""Caseloads over a store: assignment history, caseload figures, hand-overs, work lists.

The pure rules live in [`integrationsplan.rules.caseloads`][integrationsplan.rules.caseloads];
this module reads the plans a [`PlanService`][integrationsplan.PlanService] holds and,
for a hand-over, writes one ``AssignManager`` revision per plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

import attrs

from integrationsplan.domain import Appointment, AssignManager, IntegrationManager, PlanState, PlanStatus
from integrationsplan.errors import (
    ConcurrentRevisionError,
    FieldError,
    PlanRuleViolation,
    ValidationError,
)
from integrationsplan.rules.caseloads import (
    DEFAULT_CASES_PER_FTE,
    Assignment,
    Caseload,
    assignments,
    caseloads,
    distribute,
)
from integrationsplan.rules.reviews import WorkItem, work_list
from integrationsplan.rules.support import TWO_YEAR, SupportPolicy
from integrationsplan.services.plans import PlanEdit, PlanService

__all__ = ["CaseloadService", "Handover"]

_OPEN = (PlanStatus.ACTIVE, PlanStatus.PAUSED)


@attrs.frozen
class Handover:
    """The outcome of a hand-over: which plans went to whom, and which were refused.

    ``refused`` maps a plan id to the error's class name (a conflict with a concurrent
    writer, a closed plan ...); running the same hand-over again picks those up, because
    plans already handed over no longer belong to the leaving manager.
    """

    from_manager_id: str
    moved: dict[str, str]
    refused: dict[str, str]

    @property
    def complete(self) -> bool:
        return not self.refused


class CaseloadService:
    """Caseload questions about the plans of one store.

    ``staff`` are the integration managers (with their share of a full-time post) the
    per-post figures are computed for; ``policy`` is the support policy, or a function
    choosing it per plan, for work lists.
    """

    def __init__(
        self,
        plans: PlanService,
        staff: Iterable[IntegrationManager] = (),
        *,
        cases_per_fte: float = DEFAULT_CASES_PER_FTE,
        policy: SupportPolicy | Callable[[PlanState], SupportPolicy] = TWO_YEAR,
        missed: Callable[[str, dt.date], Iterable[Appointment]] | None = None,
    ) -> None:
        self.plans = plans
        self.staff = tuple(staff)
        self.cases_per_fte = cases_per_fte
        self.policy = policy
        self.missed = missed
        caseloads((), self.staff, cases_per_fte=cases_per_fte)  # checks the ratio now, not at first use

    def assignments(self, plan_id: str) -> tuple[Assignment, ...]:
        """Who held the case when (effective dates, corrections included)."""
        return assignments(self.plans.history(plan_id))

    def open_states(self, *, manager_id: str | None = None, municipality_ags: str | None = None) -> list[PlanState]:
        """The current states of the open (active or paused) plans, filtered."""
        ids = [
            plan_id
            for status in _OPEN
            for plan_id in self.plans.plans(
                municipality_ags=municipality_ags, status=status.value, manager_id=manager_id
            )
        ]
        return [self.plans.state(plan_id) for plan_id in sorted(ids)]

    def caseloads(self, *, municipality_ags: str | None = None) -> tuple[Caseload, ...]:
        """Open cases per manager and per full-time post, against the ratio."""
        staff = [m for m in self.staff if municipality_ags is None or m.municipality_ags == municipality_ags]
        states = self.open_states(municipality_ags=municipality_ags)
        return caseloads(states, staff, cases_per_fte=self.cases_per_fte)

    def work_list(self, manager_id: str, on: dt.date) -> tuple[WorkItem, ...]:
        """The work list on ``on`` over the open cases of one manager, most urgent first.

        With an appointment service (an app over a store that holds appointments), the
        manager's missed appointments still to follow up are on it too.
        """
        missed = () if self.missed is None else tuple(self.missed(manager_id, on))
        return work_list(self.open_states(manager_id=manager_id), on, policy=self.policy, missed=missed)

    def hand_over(
        self,
        from_manager_id: str,
        to_manager_ids: Sequence[str],
        *,
        effective_on: dt.date,
        author: str,
        reason: str,
    ) -> Handover:
        """Hand every open case of a leaving manager to the successors, evenly per post.

        One ``AssignManager`` revision per plan, effective on ``effective_on``, all written
        in one atomic batch (``PlanService.revise_many``). If that is refused — a
        concurrent writer, a plan that refuses the change — the plans are moved one by
        one instead: a refused plan is reported in ``refused`` and the others still move;
        call it again to finish.
        """
        successors = list(dict.fromkeys(to_manager_ids))
        if not successors or from_manager_id in successors:
            message = "name at least one successor other than the leaving manager"
            raise ValidationError("hand-over", [FieldError("$.to_manager_ids", message)])
        loads = {c.manager_id: c for c in self.caseloads()}
        shares = {m.staff_id: m.full_time_share for m in self.staff}
        current = [loads.get(s) or Caseload(s, 0, shares.get(s), None, self.cases_per_fte, None) for s in successors]
        states = self.open_states(manager_id=from_manager_id)
        plan = distribute([state.plan_id for state in states], current)
        edits = [
            PlanEdit(state.plan_id, (AssignManager(plan[state.plan_id]),), state.revision, effective_on)
            for state in states
        ]
        try:  # the usual case: every plan moves in one atomic write
            self.plans.revise_many(edits, author=author, reason=reason)
        except (ConcurrentRevisionError, PlanRuleViolation, ValidationError):
            pass  # someone else wrote meanwhile, or a plan refuses: plan by plan, to say which
        else:
            return Handover(from_manager_id, {edit.plan_id: plan[edit.plan_id] for edit in edits}, {})
        moved: dict[str, str] = {}
        refused: dict[str, str] = {}
        for edit in edits:
            try:
                self.plans.revise(
                    edit.plan_id, edit.changes, base=edit.base, author=author, effective_on=effective_on, reason=reason
                )
            except (ConcurrentRevisionError, PlanRuleViolation, ValidationError) as error:
                refused[edit.plan_id] = type(error).__name__
            else:
                moved[edit.plan_id] = plan[edit.plan_id]
        return Handover(from_manager_id, moved, refused)
