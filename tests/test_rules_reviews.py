"""The work list: most urgent first, only open things of open plans."""

from __future__ import annotations

import datetime as dt

from hypothesis import given

import integrationsplan as ip
import integrationsplan.domain as ip_domain
import integrationsplan.rules as ip_rules
import integrationsplan.services as ip_services
from integrationsplan.testing import strategies as ips
from integrationsplan.testing.examples import example_plan


def _example_state() -> ip.PlanState:
    plan = example_plan()
    service = ip.PlanService(clock=ip_services.ManualClock(dt.datetime(2023, 3, 15, tzinfo=dt.UTC)))
    day = dt.date(2023, 3, 15)
    service.create_plan(
        plan.id, ip.CreatePlan(plan.person, plan.municipality_ags, day, day), author="m", effective_on=day, reason="r"
    )
    changes = [ip.AddGoal(goal) for goal in plan.goals]
    return service.revise(plan.id, changes, base=1, author="m", effective_on=day, reason="Zielvereinbarung")


def test_work_list_of_the_example_in_may_2023() -> None:
    items = ip_rules.work_list([_example_state()], dt.date(2023, 5, 31))
    summary = [(item.kind, item.ref, item.due_on.isoformat()) for item in items]
    assert summary == [
        (ip_rules.WorkKind.OVERDUE, "m-doctor", "2023-04-30"),
        (ip_rules.WorkKind.OVERDUE, "m-jobcenter", "2023-05-15"),
        (ip_rules.WorkKind.DUE_TODAY, "m-iq", "2023-05-31"),
        (ip_rules.WorkKind.DUE_SOON, "m-cv", "2023-06-01"),
    ]
    assert items[0].text_de == "Maßnahme m-doctor: überfällig seit 30.04.2023"
    assert items[0].text_en == "measure m-doctor: overdue since 30 Apr 2023"
    assert items[0].text("tr") == "Önlem m-doctor: 30 Nis 2023 tarihinden beri gecikmiş"


def test_support_ending_and_review_due() -> None:
    state = _example_state()
    items = ip_rules.work_list([state], dt.date(2025, 1, 20))
    kinds = [(item.kind, item.subject) for item in items]
    assert (ip_rules.WorkKind.SUPPORT_ENDING, "support") in kinds
    assert (ip_rules.WorkKind.REVIEW_DUE, "review") in kinds
    assert ip_rules.review_due_on(state) == dt.date(2023, 9, 15)
    ended = ip_rules.work_list([state], dt.date(2025, 3, 15))
    assert any(item.subject == "support" and item.kind is ip_rules.WorkKind.OVERDUE for item in ended)
    by_policy = ip_rules.work_list([state], dt.date(2025, 1, 20), policy=lambda _: ip.VWV_2023)
    assert not any(item.subject == "support" for item in by_policy)


@given(ips.plan_histories(max_revisions=8), ips.dates())
def test_work_list_is_sorted_and_holds_only_open_work(history: tuple[ip.Revision, ...], on: dt.date) -> None:
    state = ip_domain.replay(history)
    assert state is not None
    items = ip_rules.work_list([state], on)
    assert [item.sort_key for item in items] == sorted(item.sort_key for item in items)
    if state.status is ip.PlanStatus.CLOSED:
        assert items == ()
    open_goals = {goal.id for goal in state.plan.goals if goal.status.is_open}
    running = {
        m.id
        for goal in state.plan.goals
        if goal.id in open_goals
        for m in goal.measures
        if m.status in (ip.MeasureStatus.PLANNED, ip.MeasureStatus.IN_PROGRESS)
    }
    for item in items:
        if item.subject == "goal":
            assert item.ref in open_goals
        if item.subject == "measure":
            assert item.ref in running
        if item.kind is ip_rules.WorkKind.OVERDUE:
            assert item.due_on < on
        if item.kind is ip_rules.WorkKind.DUE_SOON:
            assert on < item.due_on <= on + dt.timedelta(days=7)
