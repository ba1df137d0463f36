"""The pseudonymised export: pseudonyms stable within one export, nothing that names anyone."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import attrs
import pytest

import integrationsplan as ip
from integrationsplan.cli import main
from integrationsplan.testing.examples import example_plan

DAY = dt.date(2024, 3, 12)
MARKED_NAME = "Zq-Pseudo-Marker"


def _store(app: ip.App) -> None:
    plan = example_plan()
    name = attrs.evolve(plan.person.name, family_name=MARKED_NAME)
    for number in range(5):
        nationality = "SYR" if number < 4 else "ERI"  # Eritrea: one person only, folded
        person = attrs.evolve(
            plan.person,
            id=f"p-{number if number != 3 else 0}",  # plans 0 and 3 belong to the same person
            name=name,
            phone="+49 7161 555 0199",
            nationalities=(nationality,),
        )
        create = ip.CreatePlan(person, plan.municipality_ags, DAY, DAY, "eis-im-01")
        app.plans.create_plan(f"ip-secret-{number}", create, author="eis-im-01", effective_on=DAY, reason="r")
        contact = ip.CounsellingContact(
            dt.datetime(2024, 3, 13, 9, tzinfo=dt.UTC), ip.ContactMode.PHONE, 20, (ip.GoalArea.LANGUAGE,)
        )
        goal = attrs.evolve(plan.goals[0], agreed_on=DAY, target_date=None, measures=())
        changes: list[ip.Change] = [ip.AddGoal(goal), ip.RecordCounsellingContact(contact)]
        app.plans.revise(f"ip-secret-{number}", changes, base=1, author="eis-im-01", effective_on=DAY, reason="r")


def _rows(app: ip.App, **options: object) -> list[dict[str, object]]:
    out = io.BytesIO()
    count = app.export_pseudonymised(out, **options)  # type: ignore[arg-type]
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert count == len(rows)
    return rows


def test_rows_hold_no_names_ids_contact_data_or_exact_dates(store_url: str) -> None:
    with ip.App(store=store_url, autoload=False) as app:
        _store(app)
        out = io.BytesIO()
        app.export_pseudonymised(out)
    text = out.getvalue().decode()
    for secret in (MARKED_NAME, "ip-secret", "p-0", "555 0199", "eis-im-01", "2024-03-12", "2024-03-13"):
        assert secret not in text
    row = json.loads(text.splitlines()[0])
    assert row["drawn_up"] == "2024-03"
    assert row["contacts"] == {"phone": 1}
    assert row["goals"][0]["agreed"].count("-") == 1
    assert row["birth_years"] is None or row["birth_years"].count("-") == 1


def test_pseudonyms_are_stable_within_an_export_and_unrelated_between_two() -> None:
    with ip.App(autoload=False) as app:
        _store(app)
        first, second = _rows(app), _rows(app)
        keyed = _rows(app, key=b"k" * 32), _rows(app, key=b"k" * 32)
    assert len({row["plan"] for row in first}) == 5
    assert first[0]["person"] == first[3]["person"]  # the same person's two plans are linked
    assert len({row["person"] for row in first}) == 4
    assert not {row["plan"] for row in first} & {row["plan"] for row in second}
    assert keyed[0] == keyed[1]  # with a key of the caller's, deliveries link on purpose


def test_rare_nationalities_are_folded() -> None:
    with ip.App(autoload=False) as app:
        _store(app)
        rows = _rows(app)
        assert sorted(str(row["nationality"]) for row in rows) == ["SYR"] * 4 + ["other"]
        assert {row["nationality"] for row in _rows(app, threshold=1)} == {"SYR", "ERI"}
        with pytest.raises(ip.ConfigurationError, match="threshold"):
            _rows(app, threshold=0)


def test_the_command_line_writes_the_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = f"sqlite:///{tmp_path}/plans.db"
    with ip.App(store=store, autoload=False) as app:
        _store(app)
    target = tmp_path / "research.jsonl"
    assert main(["--store", store, "export", "--pseudonymised", "--municipality", "08117019", "-o", str(target)]) == 0
    assert len(target.read_text().splitlines()) == 5
    assert MARKED_NAME not in target.read_text()
    assert target.stat().st_mode & 0o077 == 0
    assert main(["--store", store, "export", "--pseudonymised", "ip-secret-1"]) == 2
    assert "name no plan ids" in capsys.readouterr().err
