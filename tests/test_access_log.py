"""Who read what: reads by a named actor are logged in the store, append-only, ids and codes only."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

import integrationsplan as ip
from integrationsplan.cli import main
from integrationsplan.services import ManualClock
from integrationsplan.testing.examples import example_plan

DAY = dt.date(2023, 3, 15)
NOW = dt.datetime(2023, 3, 20, 10, 30, tzinfo=dt.UTC)


def _drawn_up(app: ip.App) -> None:
    plan = example_plan()
    create = ip.CreatePlan(plan.person, plan.municipality_ags, DAY, DAY, "eis-im-01")
    app.plans.create_plan("ip-1", create, author="eis-im-01", effective_on=DAY, reason="Erstgespräch")


class Audit:
    def __init__(self) -> None:
        self.entries: list[ip.storage.AccessEntry] = []

    @ip.hookimpl
    def integrationsplan_plan_accessed(self, entry: ip.storage.AccessEntry) -> None:
        self.entries.append(entry)


def test_every_read_by_a_named_actor_is_logged_and_the_log_survives_erasure(store_url: str) -> None:
    audit = Audit()
    clock = ManualClock(NOW)
    with ip.App([audit], store=store_url, clock=clock, autoload=False, actor="eis-im-01") as app:
        _drawn_up(app)
        assert app.plans.accesses("ip-1") == []  # writing is not reading
        app.plans.show("ip-1", on=DAY)
        app.plans.history("ip-1")
        app.plans.diff("ip-1", 0, 1)
        entries = app.plans.accesses("ip-1")
        assert [(e.actor, e.purpose, e.plan_id, e.operation) for e in entries] == [
            ("eis-im-01", "counselling", "ip-1", "read_state"),
            ("eis-im-01", "counselling", "ip-1", "read_history"),
            ("eis-im-01", "counselling", "ip-1", "read_history"),
        ]
        assert {e.at for e in entries} == {NOW}
        assert {e.municipality_ags for e in entries} == {"08117019"}
        assert audit.entries == entries
        app.plans.erase("ip-1")
        assert app.plans.accesses("ip-1") == entries  # who read an erased plan is still known
        assert app.plans.accesses() == entries


def test_without_an_actor_nothing_is_logged_and_a_bad_actor_is_refused(store_url: str) -> None:
    with ip.App(store=store_url, autoload=False) as app:
        _drawn_up(app)
        app.plans.show("ip-1", on=DAY)
        assert app.plans.accesses() == []
    with pytest.raises(ip.ConfigurationError, match="actor must be a staff id") as raised:
        ip.PlanService(actor="Amal Haddad")
    assert "Haddad" not in str(raised.value)


def test_the_sqlite_access_log_is_append_only(tmp_path: Path) -> None:
    with ip.App(store=f"sqlite:///{tmp_path}/plans.db", autoload=False, actor="eis-im-01") as app:
        _drawn_up(app)
        app.plans.state("ip-1")
    db = sqlite3.connect(tmp_path / "plans.db")
    for statement in ("UPDATE access_log SET actor = 'someone-else'", "DELETE FROM access_log"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute(statement)
    assert db.execute("SELECT actor, operation FROM access_log").fetchall() == [("eis-im-01", "read_state")]
    db.close()


def test_the_command_line_names_the_actor_and_shows_the_audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = f"sqlite:///{tmp_path}/plans.db"
    with ip.App(store=store, autoload=False) as app:
        _drawn_up(app)
    assert (
        main(["--store", store, "--actor", "eis-im-02", "--purpose", "data_subject_request", "plan", "show", "ip-1"])
        == 0
    )
    monkeypatch.setenv("INTEGRATIONSPLAN_ACTOR", "eis-im-03")
    assert main(["--store", store, "plan", "history", "ip-1"]) == 0
    capsys.readouterr()
    assert main(["--store", store, "--json", "audit", "ip-1"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["actor"], r["purpose"], r["operation"]) for r in rows] == [
        ("eis-im-02", "data_subject_request", "read_state"),
        ("eis-im-03", "counselling", "read_history"),
    ]


def test_reading_one_plans_records_is_logged_and_a_bulk_read_is_not() -> None:
    with ip.App(autoload=False, actor="eis-im-01", clock=ManualClock(NOW)) as app:
        _drawn_up(app)
        app.plans.records("ip-1")
        app.plans.records(kind=ip.RecordKind.CONTACT)  # across plans: statistics, not one person's file
        assert [e.operation for e in app.plans.accesses()] == ["read_records"]
