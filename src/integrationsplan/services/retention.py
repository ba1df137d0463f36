"""Retention as a use case: which plans are due for erasure, and erasing them on purpose.

``due(today)`` streams over every plan's head once and asks each municipality's policy
([`retention_due`][integrationsplan.rules.retention.retention_due]); nothing is changed.
``apply(today, actor=...)`` erases exactly the plans ``due`` lists — on an encrypted store
by destroying their keys — and names the policy's basis as the legal basis of each
erasure record. A dry run is the default everywhere (the command line needs ``--apply``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import attrs

from integrationsplan.errors import UnknownPlanError
from integrationsplan.rules.retention import RetentionDue, RetentionPolicy, retention_due
from integrationsplan.services.plans import PlanService

__all__ = ["ErasedPlan", "RetentionService"]

_log = logging.getLogger(__name__)


@attrs.frozen
class ErasedPlan:
    """A plan erased for retention: what was due, and how many revisions were erased."""

    due: RetentionDue
    revisions: int


class RetentionService:
    """Plans due under their municipality's retention policy, listed or erased."""

    def __init__(self, plans: PlanService, policy_of: Callable[[str], RetentionPolicy]) -> None:
        self.plans = plans
        self.policy_of = policy_of

    def due(self, today: dt.date, *, municipality_ags: str | None = None) -> list[RetentionDue]:
        """Every closed plan whose retention period has passed on ``today``, in plan id order."""
        policies: dict[str, RetentionPolicy] = {}
        found = []
        for state in self.plans.states(municipality_ags=municipality_ags):
            ags = state.plan.municipality_ags
            if ags not in policies:
                policies[ags] = self.policy_of(ags)
            due = retention_due(state, policies[ags], today)
            if due is not None:
                found.append(due)
        return found

    def apply(self, today: dt.date, *, actor: str, municipality_ags: str | None = None) -> list[ErasedPlan]:
        """Erase every plan ``due`` lists; each erasure names the policy's basis and ``actor``.

        A plan erased meanwhile by someone else is skipped. Returns what was erased.
        """
        erased = []
        for due in self.due(today, municipality_ags=municipality_ags):
            try:
                count = self.plans.erase(due.plan_id, legal_basis=f"retention: {due.basis}", actor=actor)
            except UnknownPlanError:
                continue
            _log.info("erased plan %s for retention (due on %s)", due.plan_id, due.due_on.isoformat())
            erased.append(ErasedPlan(due, count))
        return erased
