"""Registers the library's strategies with Hypothesis, so ``st.from_type(ip.Person)`` is valid.

Hypothesis finds this through the entry point ``hypothesis`` of the distribution and calls
[`_hypothesis_setup_hook`][integrationsplan.testing.hypothesis._hypothesis_setup_hook]
when it starts. Without it, ``from_type`` builds a ``Person`` from its annotations alone:
any string as an id, any tuple of strings as nationalities — values the validators
refuse, so a user's test fails at the first example. With it, ``from_type`` uses the
strategies of [`integrationsplan.testing.strategies`][integrationsplan.testing.strategies],
which produce only valid values (and ``st.builds`` of a class with a domain field
finds the right strategy for that field too).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import strategies as st

import integrationsplan as ip
from integrationsplan import domain
from integrationsplan.testing import strategies as ips

__all__ = ["TYPE_STRATEGIES", "register_type_strategies"]


def _final_state(history: tuple[ip.Revision, ...]) -> ip.PlanState:
    state = domain.replay(history)
    assert state is not None  # noqa: S101 - a generated history has at least one revision
    return state


#: The strategy for each public domain type that ``st.from_type`` should use.
TYPE_STRATEGIES: Mapping[type[Any], st.SearchStrategy[Any]] = {
    ip.Absence: ips.absences(),
    ip.Allocation: ips.allocations(),
    ip.Appointment: ips.appointments(),
    ip.Cancellation: ips.cancellations(),
    ip.Consent: ips.consents(),
    ip.CounsellingContact: ips.counselling_contacts(),
    ip.Development: ips.developments(),
    ip.EligibilityRecord: ips.eligibility_records(),
    ip.Goal: ips.goals(),
    ip.IntegrationManager: ips.integration_managers(),
    ip.IntegrationPlan: ips.integration_plans(),
    ip.LanguageEvidence: ips.language_evidence(),
    ip.LanguageSkill: ips.language_skills(),
    ip.Location: ips.locations(),
    ip.Measure: ips.measures(),
    ip.Municipality: ips.municipalities(),
    ip.OfficeClosure: ips.office_closures(),
    ip.OfficeHours: ips.office_hours(),
    ip.OtherSkill: ips.other_skills(),
    ip.Override: ips.overrides(),
    ip.PartialDate: ips.partial_dates(),
    ip.Person: ips.persons(),
    ip.PersonName: ips.person_names(),
    ip.Place: ips.places(),
    ip.PlanState: ips.plan_histories(max_revisions=6).map(_final_state),
    ip.Recognition: ips.recognitions(),
    ip.ResidenceStatus: ips.residence_statuses(),
    ip.Responsible: ips.responsibles(),
    ip.Revision: ips.plan_histories(max_revisions=6).flatmap(st.sampled_from),
    ip.Schooling: ips.schoolings(),
    ip.SupportPolicy: ips.support_policies(),
    ip.Timetable: ips.timetables(),
    ip.VocationalQualification: ips.vocational_qualifications(),
    ip.WeeklySlot: ips.weekly_slots(),
    ip.WorkExperience: ips.work_experiences(),
    ip.WorkingHours: ips.working_hours(),
}


def register_type_strategies() -> None:
    """Make ``st.from_type`` use the library's strategies for its public types (idempotent)."""
    for cls, strategy in TYPE_STRATEGIES.items():
        st.register_type_strategy(cls, strategy)


def _hypothesis_setup_hook() -> None:
    """Called by Hypothesis through the ``hypothesis`` entry point of this distribution."""
    register_type_strategies()
