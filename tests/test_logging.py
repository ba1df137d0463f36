"""The library logs what an operator needs (plugins, migrations, verification, erasure) and nothing personal."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import sqlite3
from pathlib import Path

import attrs
import pytest

import integrationsplan as ip
from integrationsplan.services import ManualClock
from integrationsplan.testing.examples import example_plan

DAY = dt.date(2023, 3, 15)
MARKERS = ("Zeynep-Marker", "Yilmaz-Marker", "+49 171 5550987", "Ziel-Marker", "Notiz-Marker")


def _marked_plan() -> ip.IntegrationPlan:
    plan = example_plan()
    person = attrs.evolve(
        plan.person,
        id="p-log",
        name=ip.PersonName(family_name=MARKERS[1], given_names=MARKERS[0]),
        phone=MARKERS[2],
    )
    goals = (attrs.evolve(plan.goals[0], statement=MARKERS[3]),)
    return attrs.evolve(plan, person=person, goals=goals)


def test_every_log_line_holds_ids_and_codes_only(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="integrationsplan")
    shutil.copyfile(Path(__file__).parent / "data" / "schema-2.db", tmp_path / "old.db")
    (tmp_path / "keys").mkdir()
    plan = _marked_plan()
    clock = ManualClock(dt.datetime(2023, 3, 15, 9, tzinfo=dt.UTC))
    for url in (f"sqlite:///{tmp_path}/old.db", f"sqlite:///{tmp_path}/plans.db?keys=keyfile://{tmp_path}/keys"):
        with ip.App(store=url, clock=clock, actor="eis-im-01") as app:  # entry-point plugins load too
            create = ip.CreatePlan(plan.person, plan.municipality_ags, DAY, DAY, "eis-im-01")
            app.plans.create_plan("ip-log", create, author="eis-im-01", effective_on=DAY, reason=MARKERS[4])
            app.plans.revise(
                "ip-log", ip.AddGoal(plan.goals[0]), base=1, author="eis-im-01", effective_on=DAY, reason="r"
            )
            app.plans.state("ip-log")
            app.appointments.book(
                "t-log",
                municipality_ags=plan.municipality_ags,
                manager_id="eis-im-01",
                start=dt.datetime(2023, 3, 20, 9, tzinfo=dt.UTC),
                end=dt.datetime(2023, 3, 20, 10, tzinfo=dt.UTC),
                place=ip.Place(ip.PlaceKind.PHONE),
                booked_by="eis-im-01",
                plan_id="ip-log",
                note=MARKERS[4],
            )
            app.subjects.disclose(plan.person.id, on=DAY, actor="eis-dsb")
            app.plans.verify_plans()
            app.subjects.erase(plan.person.id, actor="eis-dsb")
    db = sqlite3.connect(tmp_path / "old.db")  # a tampered plan: verification reports it
    db.execute("DROP TRIGGER revisions_are_never_updated")
    db.execute("UPDATE revisions SET document = replace(document, 'ip-1', 'ip-1') || ' '")
    db.commit()
    db.close()
    with ip.App(store=f"sqlite:///{tmp_path}/old.db", autoload=False) as app:
        assert not app.plans.verify_plans().ok
    messages = [record.getMessage() for record in caplog.records]
    assert any("migrating store" in message for message in messages)
    assert any("loaded plugin" in message for message in messages)
    assert any("verification of plan" in message for message in messages)
    assert any("erased plan ip-log" in message for message in messages)
    assert any("appended revision 2 of plan ip-log" in message for message in messages)
    for record in caplog.records:
        shown = record.getMessage() + repr(record.args)
        for marker in MARKERS:
            assert marker not in shown, (record.name, shown)
