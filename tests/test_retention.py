"""Retention: closed plans due under their municipality's own policy, listed, then erased on purpose."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import integrationsplan as ip
from integrationsplan.cli import main
from integrationsplan.rules import NO_RETENTION_PERIOD, retention_due
from integrationsplan.services import ManualClock
from integrationsplan.testing import strategies as ips
from integrationsplan.testing.examples import example_plan

DAY = dt.date(2020, 3, 2)
THREE_YEARS = ip.RetentionPolicy(3, "Dienstanweisung Aktenführung Eislingen 2024, Nr. 7")


def _closed_state(closed_on: dt.date) -> ip.PlanState:
    app = ip.App(autoload=False)
    plan = example_plan()
    create = ip.CreatePlan(plan.person, plan.municipality_ags, DAY, DAY, "eis-im-01")
    app.plans.create_plan("ip-1", create, author="a", effective_on=DAY, reason="r")
    close = ip.ClosePlan(ip.ClosureReason.GOALS_REACHED)
    return app.plans.revise("ip-1", close, base=1, author="a", effective_on=closed_on, reason="Abschluss")


@given(
    closed_after=st.integers(0, 3_000),
    years=st.none() | st.integers(0, 10),
    today=ips.dates(dt.date(2020, 1, 1), dt.date(2040, 12, 31)),
)
def test_a_plan_is_due_exactly_when_its_period_after_closure_has_passed(
    closed_after: int, years: int | None, today: dt.date
) -> None:
    closed_on = DAY + dt.timedelta(days=closed_after)
    state = _closed_state(closed_on)
    policy = ip.RetentionPolicy(years, "test")
    due = retention_due(state, policy, today)
    if years is None:
        assert due is None
        return
    try:
        boundary = closed_on.replace(year=closed_on.year + years)
    except ValueError:  # 29 February: the period ends on the 28th, as relativedelta counts
        boundary = dt.date(closed_on.year + years, 2, 28)
    assert (due is not None) == (today >= boundary)
    if due is not None:
        assert (due.closed_on, due.due_on, due.plan_id) == (closed_on, boundary, "ip-1")
        assert due.reason == f"closed on {closed_on.isoformat()}, kept until {boundary.isoformat()} (basis: test)"


def test_an_open_plan_and_the_default_policy_never_make_a_plan_due() -> None:
    state = _closed_state(DAY)
    assert retention_due(state, NO_RETENTION_PERIOD, dt.date(2199, 12, 31)) is None
    open_plan = attrs.evolve(state, closure=None)
    assert retention_due(open_plan, THREE_YEARS, dt.date(2199, 12, 31)) is None
    with pytest.raises(ip.ValidationError, match="years_after_closure"):
        ip.RetentionPolicy(-1, "x")
    with pytest.raises(ip.ValidationError, match="basis"):
        ip.RetentionPolicy(3, "")


class Eislingen:
    @ip.hookimpl
    def integrationsplan_retention_policy(self, municipality_ags: str) -> ip.RetentionPolicy | None:
        return THREE_YEARS if municipality_ags == "08117019" else None


def _plans(app: ip.App) -> None:
    plan = example_plan()
    for plan_id, ags, closed_on in (
        ("ip-old", "08117019", dt.date(2020, 6, 30)),
        ("ip-recent", "08117019", dt.date(2023, 6, 30)),
        ("ip-open", "08117019", None),
        ("ip-stuttgart", "08111000", dt.date(2020, 12, 31)),  # Stuttgart configured no period
    ):
        allocation = plan.person.allocation
        assert allocation is not None
        person = attrs.evolve(plan.person, allocation=attrs.evolve(allocation, municipality_ags=ags))
        create = ip.CreatePlan(person, ags, DAY, DAY, "eis-im-01")
        app.plans.create_plan(plan_id, create, author="a", effective_on=DAY, reason="r")
        if closed_on is not None:
            close = ip.ClosePlan(ip.ClosureReason.MOVED_AWAY)
            app.plans.revise(plan_id, close, base=1, author="a", effective_on=closed_on, reason="Umzug")


def test_due_plans_are_listed_with_their_reason_and_erased_only_when_applied(store_url: str) -> None:
    clock = ManualClock(dt.datetime(2024, 1, 15, 9, tzinfo=dt.UTC))
    with ip.App([Eislingen()], store=store_url, clock=clock, autoload=False) as app:
        _plans(app)
        today = dt.date(2024, 1, 15)
        due = app.retention.due(today)
        assert [d.plan_id for d in due] == ["ip-old"]
        assert due[0].reason == (
            "closed on 2020-06-30, kept until 2023-06-30 (basis: Dienstanweisung Aktenführung Eislingen 2024, Nr. 7)"
        )
        assert app.store.plans() == ["ip-old", "ip-open", "ip-recent", "ip-stuttgart"]  # listing changed nothing
        erased = app.retention.apply(today, actor="eis-im-01")
        assert [(e.due.plan_id, e.revisions) for e in erased] == [("ip-old", 2)]
        assert app.store.plans() == ["ip-open", "ip-recent", "ip-stuttgart"]
        assert app.retention.apply(today, actor="eis-im-01") == []  # running it again erases nothing more


def test_the_command_line_runs_dry_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = f"sqlite:///{tmp_path}/plans.db?keys=keyfile://{tmp_path}"
    with ip.App(store=store, autoload=False) as app:
        _plans(app)
    common = ["--store", store, "--today", "2199-01-01", "--json"]
    assert main([*common, "retention"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["erased"] == []
    assert listed["due"] == []  # without a town's policy nothing is ever due
    assert main([*common, "retention", "--apply"]) == 2
    assert "--author" in capsys.readouterr().err
    assert main([*common, "retention", "--apply", "--author", "eis-im-01"]) == 0
    assert json.loads(capsys.readouterr().out) == {"due": [], "erased": []}
