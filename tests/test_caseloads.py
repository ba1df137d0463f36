"""Caseloads: assignment history, figures per post, hand-overs and work lists per manager."""

from __future__ import annotations

import datetime as dt
import itertools

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import integrationsplan as ip
import integrationsplan.domain as ip_domain
import integrationsplan.rules as ip_rules
import integrationsplan.services as ip_services
from integrationsplan.testing import strategies as ips
from integrationsplan.testing.examples import example_plan

DAY = dt.date(2023, 3, 15)


def _service() -> ip.PlanService:
    return ip.PlanService(ip.MemoryStore(), clock=ip_services.ManualClock(dt.datetime(2023, 3, 15, 9, tzinfo=dt.UTC)))


def _open(service: ip.PlanService, plan_id: str, manager_id: str | None, *, goals: bool = False) -> ip.PlanState:
    plan = example_plan()
    person = attrs.evolve(plan.person, id=f"p-{plan_id}")
    create = ip.CreatePlan(person, plan.municipality_ags, DAY, DAY, manager_id)
    state = service.create_plan(plan_id, create, author="eis-im-01", effective_on=DAY, reason="Erstgespräch")
    if goals:
        changes = [ip.AddGoal(goal) for goal in plan.goals]
        state = service.revise(plan_id, changes, base=1, author="eis-im-01", effective_on=DAY, reason="Ziele")
    return state


STAFF = (
    ip.IntegrationManager("eis-im-01", "Renate Völlinger", "08117019", 1.0),
    ip.IntegrationManager("eis-im-02", "Güney Timur", "08117019", 0.5),
    ip.IntegrationManager("eis-im-03", "Vertretung", "08117019", 1.0),
)


def test_assignments_follow_hand_overs_and_corrections() -> None:
    service = _service()
    _open(service, "ip-1", "eis-im-01")
    june, july = dt.date(2023, 6, 1), dt.date(2023, 7, 1)
    service.revise("ip-1", ip.AssignManager("eis-im-02"), base=1, author="a", effective_on=july, reason="Urlaub")
    caseload = ip_services.CaseloadService(service, STAFF)
    assert caseload.assignments("ip-1") == (
        ip_rules.Assignment("ip-1", "eis-im-01", DAY, dt.date(2023, 6, 30)),
        ip_rules.Assignment("ip-1", "eis-im-02", july),
    )
    # the hand-over really happened in June: a correction moves it, nothing is rewritten
    service.correct("ip-1", ip.AssignManager("eis-im-02"), corrects=2, base=2, author="a", effective_on=june,
                    reason="früher")  # fmt: skip
    assert caseload.assignments("ip-1") == (
        ip_rules.Assignment("ip-1", "eis-im-01", DAY, dt.date(2023, 5, 31)),
        ip_rules.Assignment("ip-1", "eis-im-02", june),
    )
    assert len(service.history("ip-1")) == 3


@given(ips.plan_histories(max_revisions=10), st.data())
def test_assignments_name_the_manager_of_every_day(history: tuple[ip.Revision, ...], data: st.DataObject) -> None:
    periods = ip_rules.assignments(history)
    first = min(revision.effective_on for revision in history)
    assert periods[0].starts_on == first
    assert periods[-1].ends_on is None
    for before, after in itertools.pairwise(periods):
        assert before.ends_on == after.starts_on - dt.timedelta(days=1)
        assert before.manager_id != after.manager_id
    day = data.draw(ips.dates(min_value=first, max_value=first + dt.timedelta(days=3_000)))
    holding = [p for p in periods if p.starts_on <= day and (p.ends_on is None or day <= p.ends_on)]
    state = ip_domain.state_as_of(history, day)
    assert state is not None
    assert [p.manager_id for p in holding] == [state.plan.manager_id]


def test_caseloads_per_post_against_the_ratio() -> None:
    service = _service()
    for number in range(3):
        _open(service, f"ip-a{number}", "eis-im-01")
    for number in range(2):
        _open(service, f"ip-b{number}", "eis-im-02")
    _open(service, "ip-gone", "eis-im-99")
    _open(service, "ip-none", None)
    closed = _open(service, "ip-closed", "eis-im-01")
    service.revise("ip-closed", ip.ClosePlan(ip.ClosureReason.MOVED_AWAY), base=closed.revision, author="a",
                   effective_on=DAY, reason="Umzug")  # fmt: skip
    loads = {c.manager_id: c for c in ip_services.CaseloadService(service, STAFF, cases_per_fte=4).caseloads()}
    assert list(loads) == ["eis-im-01", "eis-im-02", "eis-im-03", "eis-im-99", None]
    assert (loads["eis-im-01"].cases, loads["eis-im-01"].cases_per_fte) == (3, 3.0)
    assert (loads["eis-im-02"].cases, loads["eis-im-02"].cases_per_fte) == (2, 4.0)
    assert loads["eis-im-02"].utilisation == 1.0
    assert not loads["eis-im-02"].over_ratio
    assert loads["eis-im-03"].cases == 0
    assert loads["eis-im-99"].full_time_share is None
    assert loads["eis-im-99"].utilisation is None
    assert loads[None].cases == 1


@pytest.mark.parametrize("ratio", [0, -1, float("nan"), "128", True])
def test_a_bad_ratio_is_a_configuration_error(ratio: object) -> None:
    with pytest.raises(ip.ConfigurationError, match="cases_per_fte"):
        ip_services.CaseloadService(_service(), STAFF, cases_per_fte=ratio)  # type: ignore[arg-type]


@given(
    st.lists(ips.identifiers(), unique=True, max_size=40),
    st.lists(st.tuples(st.integers(0, 30), st.sampled_from([0.25, 0.5, 0.75, 1.0])), min_size=1, max_size=5),
)
def test_distribute_keeps_the_load_per_post_even(plans: list[str], loads: list[tuple[int, float]]) -> None:
    successors = [ip_rules.Caseload(f"m{n}", cases, share, None, 128.0, None) for n, (cases, share) in enumerate(loads)]
    handed = ip_rules.distribute(plans, successors)
    assert set(handed) == set(plans)
    assert set(handed.values()) <= {s.manager_id for s in successors}
    final = {s.manager_id: s.cases for s in successors}
    for manager in handed.values():
        final[manager] += 1
    share = {s.manager_id: s.full_time_share or 1.0 for s in successors}
    # whoever got a plan was, at that moment, no fuller per post than anyone else would have been
    for manager in set(handed.values()):
        for other, cases in final.items():
            assert final[manager] / share[manager] <= (cases + 1) / share[other] + 1e-9


def test_hand_over_moves_every_open_case_and_can_be_resumed() -> None:
    service = _service()
    for number in range(5):
        _open(service, f"ip-{number}", "eis-im-01")
    _open(service, "ip-other", "eis-im-03")
    late = _open(service, "ip-late", "eis-im-01")
    later = dt.date(2023, 9, 1)
    service.revise("ip-late", ip.AssignManager("eis-im-01"), base=late.revision, author="a", effective_on=later,
                   reason="bestätigt")  # fmt: skip
    caseload = ip_services.CaseloadService(service, STAFF)
    leaving = dt.date(2023, 8, 1)
    handover = caseload.hand_over(
        "eis-im-01", ["eis-im-02", "eis-im-03"], effective_on=leaving, author="eis-lead", reason="Stellenwechsel"
    )
    assert sorted(handover.moved) == [f"ip-{n}" for n in range(5)]
    assert handover.refused == {"ip-late": "PlanRuleViolation"}  # an update cannot be backdated
    assert not handover.complete
    # eis-im-02 has half a post: it gets about a third of the cases, eis-im-03 the rest
    assert sorted(handover.moved.values()).count("eis-im-02") == 2
    assert caseload.assignments("ip-0")[-1] == ip_rules.Assignment("ip-0", handover.moved["ip-0"], leaving)
    again = caseload.hand_over("eis-im-01", ["eis-im-03"], effective_on=later, author="eis-lead", reason="Rest")
    assert again.moved == {"ip-late": "eis-im-03"}
    assert again.complete
    assert service.plans(manager_id="eis-im-01") == []


@pytest.mark.parametrize("successors", [[], ["eis-im-01"]])
def test_a_hand_over_needs_a_real_successor(successors: list[str]) -> None:
    with pytest.raises(ip.ValidationError, match="to_manager_ids"):
        ip_services.CaseloadService(_service(), STAFF).hand_over(
            "eis-im-01", successors, effective_on=DAY, author="a", reason="r"
        )


def test_work_list_of_one_manager_holds_only_their_cases() -> None:
    service = _service()
    _open(service, "ip-mine", "eis-im-01", goals=True)
    _open(service, "ip-theirs", "eis-im-02", goals=True)
    items = ip_services.CaseloadService(service, STAFF).work_list("eis-im-01", dt.date(2023, 5, 31))
    assert items
    assert {item.plan_id for item in items} == {"ip-mine"}
    assert [item.sort_key for item in items] == sorted(item.sort_key for item in items)
