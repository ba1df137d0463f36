"""Eligibility as a use case: decide with the municipality's rules, and put it on the record.

The rules are pure ([`integrationsplan.rules.eligibility`][integrationsplan.rules.eligibility]);
what a caller should not have to assemble is the case: the municipality's rule set, its
support policy and the person's support period under it. For a person with a plan,
[`decide`][integrationsplan.EligibilityService.decide] also writes the decision (and a
manual override, with who and why) into the plan's history, so what was decided, when
and by whom can be shown years later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from integrationsplan.domain import Override, Person, PlanState, RecordEligibilityDecision, Stage
from integrationsplan.rules import Decision, EligibilityCase, SupportAnchor, support_period, support_period_of
from integrationsplan.services.directory import Directory
from integrationsplan.services.plans import PlanService

__all__ = ["EligibilityService"]


class EligibilityService:
    """Eligibility decisions with each municipality's rules and support policy."""

    def __init__(self, plans: PlanService | Callable[[], PlanService], directory: Directory) -> None:
        """``plans`` may be a function giving the plan service, so a check opens no store."""
        self._plans = plans
        self.directory = directory

    @property
    def plans(self) -> PlanService:
        """The plan service decisions are recorded with."""
        if not isinstance(self._plans, PlanService):
            self._plans = self._plans()
        return self._plans

    def check(self, person: Person, municipality_ags: str, on: dt.date, stage: Stage = Stage.ENTRY) -> Decision:
        """Decide for a person without a plan (a first contact): nothing is written.

        Under a policy anchored at the allocation, the support period runs from the
        person's allocation to follow-up housing, so a period already used up in another
        counselling shows.
        """
        policy = self.directory.support_policy(municipality_ags)
        support = None
        if policy.anchor is SupportAnchor.ALLOCATION and person.allocation is not None:
            support = support_period(policy, person.allocation.allocated_on, on=on)
        case = EligibilityCase(person, municipality_ags, on, support)
        return self.directory.eligibility_rules(municipality_ags).decide(case, stage)

    def decide(
        self,
        plan_id: str,
        *,
        on: dt.date,
        base: int,
        author: str,
        reason: str,
        stage: Stage = Stage.ONGOING,
        override: Override | None = None,
    ) -> tuple[Decision, PlanState]:
        """Decide for the person of a plan on ``on`` and record it as a revision effective that day.

        ``override`` replaces the computed outcome (its reasons stay on the record).
        ``base`` is the revision the decision was based on, as for every write.
        """
        state = self.plans.state(plan_id)
        ags = state.plan.municipality_ags
        support = support_period_of(state, self.directory.support_policy(ags), on)
        case = EligibilityCase(state.plan.person, ags, on, support)
        decision = self.directory.eligibility_rules(ags).decide(case, stage)
        if override is not None:
            decision = decision.overridden(override)
        after = self.plans.revise(
            plan_id,
            RecordEligibilityDecision(decision.record()),
            base=base,
            author=author,
            effective_on=on,
            reason=reason,
        )
        return decision, after
