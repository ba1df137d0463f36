"""Every domain value survives dumps/loads unchanged, as the same canonical bytes."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import integrationsplan as ip
import integrationsplan.domain as ip_domain
import integrationsplan.serialization as ip_serialization
from integrationsplan.serialization import DOCUMENT_TYPES
from integrationsplan.testing import strategies as ips
from integrationsplan.testing.examples import example_plan


def _final_state(history: tuple[ip.Revision, ...]) -> ip.PlanState:
    state = ip_domain.replay(history)
    assert state is not None
    return state


STRATEGIES: dict[type[Any], st.SearchStrategy[Any]] = {
    ip_domain.Closure: st.builds(
        ip_domain.Closure, closed_on=ips.dates(), reason=st.sampled_from(list(ip.ClosureReason))
    ),
    ip.CounsellingContact: ips.counselling_contacts(),
    ip.EligibilityRecord: ips.eligibility_records(),
    ip_domain.GoalStatusRecord: ips.goal_status_records(),
    ip.PlanState: ips.plan_histories(max_revisions=6).map(_final_state),
    ip.Revision: ips.plan_histories(max_revisions=6).flatmap(st.sampled_from),
    ip_domain.SupportExtension: st.builds(
        ip_domain.SupportExtension, granted_on=ips.dates(), months=st.integers(1, 24), reason=ips.texts(100)
    ),
    ip_domain.SupportPause: st.builds(
        ip_domain.SupportPause, started_on=ips.dates(max_value=dt.date(2030, 1, 1)), reason=ips.texts(50)
    ),
    ip.Allocation: ips.allocations(),
    ip.Appointment: ips.appointments(),
    ip.Development: ips.developments(),
    ip.Goal: ips.goals(),
    ip.IntegrationManager: ips.integration_managers(),
    ip.IntegrationPlan: ips.integration_plans(),
    ip.LanguageEvidence: ips.language_evidence(),
    ip.LanguageSkill: ips.language_skills(),
    ip.Measure: ips.measures(),
    ip.Municipality: ips.municipalities(),
    ip.OtherSkill: ips.other_skills(),
    ip.PartialDate: ips.partial_dates(),
    ip.Person: ips.persons(),
    ip.PersonName: ips.person_names(),
    ip.Recognition: ips.recognitions(),
    ip.ResidenceStatus: ips.residence_statuses(),
    ip.Responsible: ips.responsibles(),
    ip.Schooling: ips.schoolings(),
    ip.VocationalQualification: ips.vocational_qualifications(),
    ip.WorkExperience: ips.work_experiences(),
}


def test_every_document_type_has_a_strategy() -> None:
    assert set(STRATEGIES) == set(DOCUMENT_TYPES)


def _stdlib_canonical(document: Any) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _name(cls: type[Any]) -> str:
    return cls.__name__


@pytest.mark.parametrize("cls", list(STRATEGIES), ids=_name)
@given(data=st.data())
def test_round_trip_is_lossless_and_canonical(cls: type[Any], data: st.DataObject) -> None:
    value = data.draw(STRATEGIES[cls])
    document = ip.dumps(value)

    loaded = ip.loads(document, cls)
    assert loaded == value
    assert type(loaded) is cls
    # The same value always gives the same bytes: also after a round trip ...
    assert ip.dumps(loaded) == document
    # ... and the bytes are canonical by an independent encoder's standard.
    parsed = json.loads(document)
    assert _stdlib_canonical(parsed) == document
    assert parsed["schema_version"] == ip_serialization.SCHEMA_VERSION
    assert parsed["type"] == DOCUMENT_TYPES[cls]
    # The trusted reader gives the same value for a document this library wrote.
    assert ip.loads(document, cls, trusted=True) == value
    assert ip.structure(ip.unstructure(value), cls) == value


@settings(
    max_examples=min(60, settings().max_examples)
)  # generating whole plans is the cost; the round trip above checks 150 more
@given(ips.integration_plans())
def test_equal_plans_give_equal_bytes(plan: ip.IntegrationPlan) -> None:
    copy = ip.structure(json.loads(json.dumps(ip.unstructure(plan))), ip.IntegrationPlan)
    assert copy == plan
    assert copy is not plan
    assert ip.dumps(copy) == ip.dumps(plan)


def test_an_int_share_and_a_float_share_give_the_same_bytes() -> None:
    whole = ip.IntegrationManager(staff_id="s1", name="N", municipality_ags="08117019", full_time_share=1)
    point = ip.IntegrationManager(staff_id="s1", name="N", municipality_ags="08117019", full_time_share=1.0)
    assert whole == point
    assert ip.dumps(whole) == ip.dumps(point)


def test_example_plan_document_is_about_three_kilobytes() -> None:
    plan = example_plan()
    assert len(plan.competencies) == 4
    assert len(plan.goals) == 7
    assert sum(len(goal.measures) for goal in plan.goals) == 10
    assert 2_500 <= len(ip.dumps(plan)) <= 5_000
