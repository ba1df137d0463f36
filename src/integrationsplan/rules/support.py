"""The support period (Begleitungszeitraum) as a versioned policy.

Two policies ship: ``two-year``, the rule of the municipal page this project starts
from (two years of individual support from the start of support), and ``vwv-2023``,
the VwV Integrationsmanagement of 6 June 2023 (at most three years from the allocation
to follow-up housing, a fourth year only with a recorded justification). Anchor,
duration, extension limit and whether pauses suspend the clock are parameters, so a
municipality can define its own.

Periods are counted as German law counts them (§§ 187 Abs. 2, 188 Abs. 2 and 3 BGB):
a period of N months that begins on a day ends with the day before the day of the same
number N months later; where that month has no such day (a start on 29 February or on
the 31st), it ends with the last day of that month. So 2023-03-01 + 24 months ends on
2025-02-28, 2024-02-29 + 24 months on 2026-02-28, 2024-01-31 + 1 month on 2024-02-29.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence

import attrs
from dateutil.relativedelta import relativedelta

from integrationsplan.domain import PlanState, SupportExtension, SupportPause
from integrationsplan.domain._validators import boolean, integer, member_of, text

__all__ = [
    "POLICIES",
    "TWO_YEAR",
    "VWV_2023",
    "SupportAnchor",
    "SupportPeriod",
    "SupportPolicy",
    "last_day_of_months",
    "support_period",
    "support_period_of",
]


class SupportAnchor(enum.Enum):
    """The day the support clock starts on."""

    SUPPORT_START = "support_start"
    """The start of individual support recorded in the plan."""
    ALLOCATION = "allocation"
    """The allocation to follow-up housing (Zuweisung in die Anschlussunterbringung)."""


@attrs.frozen
class SupportPolicy:
    """How long support lasts, from when, and how far it can be extended.

    ``name`` and ``version`` identify the policy in decisions and reports. The 2023 VwV
    start anchor (allocation) is the most plausible reading, not a confirmed one; a
    municipality that reads it otherwise defines its own policy.
    """

    name: str = attrs.field(validator=text(50))
    version: str = attrs.field(validator=text(50))
    anchor: SupportAnchor = attrs.field(validator=member_of(SupportAnchor))
    months: int = attrs.field(validator=integer(1, 120))
    max_extension_months: int = attrs.field(default=0, validator=integer(0, 120))
    extension_needs_justification: bool = attrs.field(default=True, validator=boolean)
    pauses_suspend: bool = attrs.field(default=False, validator=boolean)
    basis: str = attrs.field(kw_only=True, validator=text(300))


TWO_YEAR = SupportPolicy(
    name="two-year",
    version="1",
    anchor=SupportAnchor.SUPPORT_START,
    months=24,
    basis="Stadt Eislingen/Fils: Integrationsmanagement (two years of individual support)",
)
"""Two years from the start of support, no extension: the default."""

VWV_2023 = SupportPolicy(
    name="vwv-2023",
    version="2023-06-06",
    anchor=SupportAnchor.ALLOCATION,
    months=36,
    max_extension_months=12,
    extension_needs_justification=True,
    basis="VwV Integrationsmanagement vom 6. Juni 2023",
)
"""At most three years from allocation, a fourth year only with a justification."""

#: The shipped policies by name.
POLICIES = {policy.name: policy for policy in (TWO_YEAR, VWV_2023)}


def last_day_of_months(start: dt.date, months: int) -> dt.date:
    """The last day of a period of ``months`` months beginning on ``start`` (§ 188 BGB)."""
    after = start + relativedelta(months=months)
    if after.day != start.day:  # no day of that number in the last month: its last day
        return after
    return after - dt.timedelta(days=1)


@attrs.frozen
class SupportPeriod:
    """A person's support period under a policy: start, last day, extensions, pauses."""

    policy: SupportPolicy
    start: dt.date
    last_day: dt.date
    extended_months: int
    paused_days: int

    def is_active(self, on: dt.date) -> bool:
        """True on every day from ``start`` to ``last_day``."""
        return self.start <= on <= self.last_day

    def days_remaining(self, on: dt.date) -> int:
        """Days of support left after ``on`` (0 once it has ended)."""
        return max(0, (self.last_day - max(on, self.start - dt.timedelta(days=1))).days)

    @property
    def extension_months_left(self) -> int:
        """How many months the policy still allows to extend by."""
        return max(0, self.policy.max_extension_months - self.extended_months)

    def can_extend(self, months: int = 1) -> bool:
        """Whether an extension by ``months`` stays within the policy's limit."""
        return 0 < months <= self.extension_months_left


def support_period(
    policy: SupportPolicy,
    start: dt.date,
    *,
    extensions: Sequence[SupportExtension] = (),
    pauses: Sequence[SupportPause] = (),
    on: dt.date | None = None,
) -> SupportPeriod:
    """The support period from ``start`` (the policy's anchor day) under ``policy``.

    Extensions add months up to the policy's limit (months beyond it do not count).
    When the policy lets pauses suspend the clock, each pause that began before the
    period ended adds its days; a pause still running counts up to ``on`` (or not at
    all without ``on``).
    """
    extended = min(sum(extension.months for extension in extensions), policy.max_extension_months)
    last = last_day_of_months(start, policy.months + extended)
    paused = 0
    if policy.pauses_suspend:
        for pause in sorted(pauses, key=lambda pause: pause.started_on):
            if pause.started_on > last:
                break
            end = pause.ended_on if pause.ended_on is not None else on
            if end is None or end <= pause.started_on:
                continue
            days = (end - pause.started_on).days
            paused += days
            last += dt.timedelta(days=days)
    return SupportPeriod(policy=policy, start=start, last_day=last, extended_months=extended, paused_days=paused)


def support_period_of(state: PlanState, policy: SupportPolicy, on: dt.date | None = None) -> SupportPeriod | None:
    """The support period of a plan; ``None`` if the policy's anchor is not known.

    Under an allocation-anchored policy the anchor is the person's allocation date.
    """
    if policy.anchor is SupportAnchor.ALLOCATION:
        allocation = state.plan.person.allocation
        if allocation is None:
            return None
        start = allocation.allocated_on
    else:
        start = state.support_starts_on
    return support_period(policy, start, extensions=state.extensions, pauses=state.pauses, on=on)
