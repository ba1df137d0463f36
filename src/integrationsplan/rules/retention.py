"""Retention: when a closed plan is due for erasure, under a municipality's own policy.

No statute fixes how long a municipality keeps the integration plan of a counselling
relationship that has ended; the funding rules (VwV Integrationsmanagement) ask for
records for the audit of the funds, and a town's records-management rules
(*Aktenplan*, *Aufbewahrungsfristen*) decide the rest. So the library pretends no period:
the default policy keeps plans until a town configures one
([`NO_RETENTION_PERIOD`][integrationsplan.rules.retention.NO_RETENTION_PERIOD]), and a
town's plugin answers the hook ``integrationsplan_retention_policy`` with its own period
and the basis it rests on, which every erasure record then names.

A plan is due when it is closed and the period after its closure day has passed, counted
in calendar years (a plan closed on 29 February is due on 28 February, or 1 March … as
``relativedelta`` counts: the last day of the month).
"""

from __future__ import annotations

import datetime as dt

import attrs
from dateutil.relativedelta import relativedelta

from integrationsplan.domain import PlanState
from integrationsplan.domain._validators import integer, optional, text

__all__ = ["NO_RETENTION_PERIOD", "RetentionDue", "RetentionPolicy", "retention_due"]


@attrs.frozen
class RetentionPolicy:
    """How many years after its closure a plan is kept, and on what basis.

    ``years_after_closure`` ``None`` keeps closed plans until the policy changes.
    ``basis`` names the rule the period rests on (a town's service instruction, a
    records-management rule): it is shown with every plan listed as due and written into
    every erasure record, so it must say where the period comes from.
    """

    years_after_closure: int | None = attrs.field(validator=optional(integer(0, 100)))
    basis: str = attrs.field(validator=text(200))


#: The default: no period is known, so nothing is ever due.
NO_RETENTION_PERIOD = RetentionPolicy(None, "no retention period configured (keep until a policy says otherwise)")


@attrs.frozen
class RetentionDue:
    """A plan that is due for erasure, with the reason (ids, dates and codes only)."""

    plan_id: str
    municipality_ags: str
    closed_on: dt.date
    due_on: dt.date
    basis: str

    @property
    def reason(self) -> str:
        """``closed on 2020-05-04, kept 3 years until 2023-05-04 (basis: ...)``."""
        return f"closed on {self.closed_on.isoformat()}, kept until {self.due_on.isoformat()} (basis: {self.basis})"


def retention_due(state: PlanState, policy: RetentionPolicy, today: dt.date) -> RetentionDue | None:
    """The plan's due erasure on ``today`` under ``policy``, or ``None`` if it is kept."""
    closure = state.closure
    if closure is None or policy.years_after_closure is None:
        return None
    due_on = closure.closed_on + relativedelta(years=policy.years_after_closure)
    if due_on > today:
        return None
    return RetentionDue(state.plan_id, state.plan.municipality_ags, closure.closed_on, due_on, policy.basis)
