"""Data-subject requests: every plan of a person found by the index, disclosed, and erased."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import stat
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import integrationsplan as ip
from integrationsplan.cli import main
from integrationsplan.reports.disclosure import disclosure_document, disclosure_json, disclosure_text
from integrationsplan.services import ManualClock
from integrationsplan.storage.keys import KeyFileProvider
from integrationsplan.testing.examples import example_plan

DAY = dt.date(2023, 3, 15)
EISLINGEN, STUTTGART = "08117019", "08111000"
THREE_YEARS = ip.RetentionPolicy(3, "Dienstanweisung Aktenführung Eislingen 2024, Nr. 7")


def _person(person_id: str) -> ip.Person:
    return attrs.evolve(example_plan().person, id=person_id)


def _create(app: ip.App, plan_id: str, person_id: str, ags: str = EISLINGEN) -> None:
    create = ip.CreatePlan(_person(person_id), ags, DAY, DAY, "eis-im-01")
    app.plans.create_plan(plan_id, create, author="eis-im-01", effective_on=DAY, reason="Erstgespräch")


def _counselled(app: ip.App, plan_id: str) -> None:
    contact = ip.CounsellingContact(
        at=dt.datetime(2023, 4, 18, 8, 15, tzinfo=dt.UTC),
        mode=ip.ContactMode.OFFICE_HOURS,
        duration_minutes=45,
        topics=(ip.GoalArea.HOUSING,),
    )
    consent = ip.Consent(
        id="k-1",
        purpose="Vermittlung in Ausbildung und Arbeit",
        recipients=("Jobcenter Landkreis Göppingen",),
        data_categories=(ip.DataCategory.IDENTITY, ip.DataCategory.QUALIFICATIONS),
        text_version="Einwilligung IM 2024-01",
        text_language="ara",
        given_on=DAY,
        recorded_by="eis-im-01",
    )
    changes: list[ip.Change] = [ip.RecordCounsellingContact(contact), ip.GiveConsent(consent)]
    changes += [ip.AddGoal(goal) for goal in example_plan().goals]
    app.plans.revise(plan_id, changes, base=1, author="eis-im-01", effective_on=DAY, reason="Zielvereinbarung")


@settings(max_examples=min(25, settings().max_examples))
@given(st.lists(st.tuples(st.sampled_from(["p-1", "p-2", "p-3"]), st.sampled_from([EISLINGEN, STUTTGART]))))
def test_the_person_index_finds_exactly_the_plans_of_a_person(plans: list[tuple[str, str]]) -> None:
    with ip.App(autoload=False) as app:
        for number, (person_id, ags) in enumerate(plans):
            _create(app, f"ip-{number:03d}", person_id, ags)
        for person_id in ("p-1", "p-2", "p-3", "p-4"):
            expected = [f"ip-{n:03d}" for n, (p, _) in enumerate(plans) if p == person_id]
            assert app.subjects.plans_of(person_id) == expected
            assert expected == sorted(
                state.plan_id for state in app.plans.states() if state.plan.person.id == person_id
            )


def test_a_disclosure_holds_everything_about_the_person_and_nothing_else(app: ip.App, clock: ManualClock) -> None:
    _create(app, "ip-1", "p-1")
    _counselled(app, "ip-1")
    _create(app, "ip-2", "p-1", STUTTGART)  # a second plan after a move
    _create(app, "ip-other", "p-2")
    reader = ip.App(store=app.store, clock=clock, autoload=False, actor="eis-im-01")
    reader.plans.state("ip-1")  # a read before the request, to be disclosed
    subjects = ip.DataSubjectService(reader.plans, lambda ags: THREE_YEARS)
    disclosure = subjects.disclose("p-1", on=dt.date(2024, 1, 10), actor="eis-dsb")
    assert [plan.plan_id for plan in disclosure.plans] == ["ip-1", "ip-2"]
    first = disclosure.plans[0]
    assert first.state == app.plans.state("ip-1")
    assert first.history == app.plans.history("ip-1")
    assert first.records == tuple(record for _, record in app.plans.records("ip-1"))
    assert [entry.operation for entry in first.accesses] == ["read_state"]
    assert first.retention == THREE_YEARS
    prepared = (disclosure.person_id, disclosure.prepared_on, disclosure.prepared_by)
    assert prepared == ("p-1", dt.date(2024, 1, 10), "eis-dsb")
    # the request's own reads are logged too, under the reader's purpose
    logged = {entry.operation for entry in reader.plans.accesses("ip-2")}
    assert logged == {"read_state", "read_history", "read_records"}


def test_the_json_document_is_complete_and_reads_back(app: ip.App) -> None:
    _create(app, "ip-1", "p-1")
    _counselled(app, "ip-1")
    disclosure = app.subjects.disclose("p-1", on=DAY, actor="eis-dsb")
    document = json.loads(disclosure_json(disclosure))
    assert document == json.loads(json.dumps(disclosure_document(disclosure)))
    assert (document["type"], document["schema_version"], document["person_id"]) == (
        "integrationsplan.disclosure",
        1,
        "p-1",
    )
    [plan] = document["plans"]
    assert ip.structure(plan["state"], ip.PlanState) == app.plans.state("ip-1")
    assert [ip.structure(r, ip.Revision) for r in plan["revisions"]] == list(app.plans.history("ip-1"))
    assert [r["kind"] for r in plan["records"]] == ["contact"]
    assert plan["retention"] == {"years_after_closure": None, "basis": ip.rules.NO_RETENTION_PERIOD.basis}


def test_the_text_is_german_names_every_field_and_states_the_rights(app: ip.App) -> None:
    _create(app, "ip-1", "p-1")
    _counselled(app, "ip-1")
    person = app.plans.state("ip-1").plan.person
    text = disclosure_text(app.subjects.disclose("p-1", on=dt.date(2024, 1, 10), actor="eis-dsb"))
    assert text.startswith("Auskunft nach Art. 15 DSGVO")
    assert "erstellt am: 10.01.2024" in text
    assert "Zu Ihnen ist ein Integrationsplan gespeichert." in text
    assert person.name.family_name is not None
    assert person.name.family_name in text
    assert person.phone is not None
    assert person.phone in text
    assert "Geburtsdatum: 1991" in text  # a partial date as it was written
    assert "Revision 2: erfasst am" in text
    assert "Anlass: Zielvereinbarung" in text
    assert "Beratungskontakt:" in text
    assert "18.04.2023, 10:15" in text
    assert "Änderungen: Beratungskontakt erfasst" in text or "Änderungen: Ziel vereinbart" in text
    assert "Status: in Arbeit" in text  # a goal's status by its label
    assert "Geschlecht: weiblich" in text
    assert "k-1: Vermittlung in Ausbildung und Arbeit — Empfänger: Jobcenter Landkreis Göppingen" in text
    assert "Keine Löschfrist festgelegt" in text
    assert "Art. 77 DSGVO" in text
    for goal in example_plan().goals:
        assert goal.statement in text
    assert "2023-03-15" not in text  # German dates everywhere
    # No stored code reaches the letter: enum values and change tags read as labels.
    for code in ("add_goal", "record_counselling_contact", "office_hours", "not_assessed", "female", "refugee"):
        assert code not in text, code


def test_a_person_without_plans_gets_an_answer_too(app: ip.App) -> None:
    disclosure = app.subjects.disclose("p-unknown", on=DAY, actor="eis-dsb")
    assert disclosure.plans == ()
    assert "keine personenbezogenen Daten gespeichert" in disclosure_text(disclosure)


def test_erasing_a_person_erases_every_plan_of_theirs_only(app: ip.App) -> None:
    _create(app, "ip-1", "p-1")
    _counselled(app, "ip-1")
    _create(app, "ip-2", "p-1", STUTTGART)
    _create(app, "ip-other", "p-2")
    erasure = app.subjects.erase("p-1", actor="eis-dsb")
    assert erasure.erased == (("ip-1", 2), ("ip-2", 1))
    assert erasure.revisions == 3
    assert app.subjects.plans_of("p-1") == []
    assert app.plans.plans() == ["ip-other"]
    assert app.store.records(municipality_ags=EISLINGEN) == []
    assert app.subjects.erase("p-1", actor="eis-dsb").erased == ()  # again: nothing left


def test_erasing_a_person_on_an_encrypted_store_destroys_the_keys(tmp_path: Path) -> None:
    (tmp_path / "keys").mkdir(mode=0o700)
    url = f"sqlite:///{tmp_path}/plans.db?keys=keyfile://{tmp_path}/keys"
    with ip.App(store=url, autoload=False) as app:
        _create(app, "ip-1", "p-1")
        _create(app, "ip-2", "p-1")
        _create(app, "ip-3", "p-2")
    shutil.copy(tmp_path / "plans.db", tmp_path / "backup.db")
    clock = ManualClock(dt.datetime(2024, 2, 1, 12, tzinfo=dt.UTC))
    with ip.App(store=url, autoload=False, clock=clock) as app:
        app.subjects.erase("p-1", actor="eis-dsb", legal_basis="Art. 17 Abs. 1 lit. b DSGVO")
    backup = f"sqlite:///{tmp_path}/backup.db?keys=keyfile://{tmp_path}/keys"
    with ip.App(store=backup, autoload=False) as restored:
        assert restored.subjects.plans_of("p-1") == ["ip-1", "ip-2"]  # the index is in clear ...
        with pytest.raises(ip.KeyUnavailableError):
            restored.subjects.disclose("p-1", on=DAY, actor="eis-dsb")  # ... the content is gone
        assert restored.plans.state("ip-3").plan.person.id == "p-2"
    with KeyFileProvider(tmp_path / "keys") as keys:
        records = keys.erasures()
    assert [(r.legal_basis, r.actor) for r in records] == [("Art. 17 Abs. 1 lit. b DSGVO", "eis-dsb")] * 2
    assert sorted(r.plan_digest for r in records) == sorted(keys.digest(p) for p in ("ip-1", "ip-2"))


@pytest.mark.parametrize("bad", ["", "Haddad Amira", "x" * 65, 42, None])
def test_a_malformed_person_id_is_refused_without_echoing_it(bad: object) -> None:
    with ip.App(autoload=False) as app:
        for call in (
            lambda: app.subjects.plans_of(bad),  # type: ignore[arg-type]
            lambda: app.subjects.disclose(bad, on=DAY, actor="eis-dsb"),  # type: ignore[arg-type]
            lambda: app.subjects.erase(bad, actor="eis-dsb"),  # type: ignore[arg-type]
        ):
            with pytest.raises(ip.ValidationError) as raised:
                call()
            assert "$.person_id" in str(raised.value)
            assert "Haddad" not in str(raised.value)


# -- the command line ----------------------------------------------------------------------------


def _cli(store: str, *argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--store", store, "--today", "2024-01-10", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_person_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = f"sqlite:///{tmp_path}/plans.db"
    with ip.App(store=store, autoload=False) as app:
        _create(app, "ip-1", "p-1")
        _counselled(app, "ip-1")
        _create(app, "ip-2", "p-2")
    assert _cli(store, "person", "plans", "p-1", capsys=capsys)[1] == "ip-1\n"
    code, _, err = _cli(store, "person", "export", "p-1", capsys=capsys)
    assert code == 2
    assert "--actor" in err
    code, out, _ = _cli(store, "--actor", "eis-dsb", "person", "export", "p-1", capsys=capsys)
    assert code == 0
    assert out.startswith("Auskunft nach Art. 15 DSGVO")
    code, out, _ = _cli(store, "--actor", "eis-dsb", "person", "export", "p-1", "--json", capsys=capsys)
    assert json.loads(out)["plans"][0]["plan_id"] == "ip-1"
    code, out, _ = _cli(
        store, "--actor", "eis-dsb", "person", "export", "p-1", "--output-dir", str(tmp_path), capsys=capsys
    )
    assert code == 0
    for suffix in ("txt", "json"):
        written = tmp_path / f"auskunft-p-1.{suffix}"
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert json.loads((tmp_path / "auskunft-p-1.json").read_text(encoding="utf-8"))["person_id"] == "p-1"
    code, _, err = _cli(
        store, "--actor", "eis-dsb", "person", "export", "p-1", "--output-dir", str(tmp_path), capsys=capsys
    )
    assert code == 2
    assert "never overwrites" in err
    with ip.App(store=store, autoload=False) as app:  # the export's reads are logged for its purpose
        assert {e.purpose for e in app.plans.accesses("ip-1")} == {"data_subject_request"}
    code, _, err = _cli(store, "person", "erase", "p-1", "--author", "eis-dsb", capsys=capsys)
    assert code == 2
    assert "--yes" in err
    code, out, _ = _cli(store, "person", "erase", "p-1", "--yes", "--author", "eis-dsb", "--json", capsys=capsys)
    assert json.loads(out) == {"person_id": "p-1", "erased": [{"plan_id": "ip-1", "revisions": 2}]}
    assert _cli(store, "person", "plans", "p-1", capsys=capsys)[1] == ""
    assert _cli(store, "person", "plans", "p-2", capsys=capsys)[1] == "ip-2\n"


def test_a_disclosure_shows_no_personal_value_in_its_repr(app: ip.App) -> None:
    _create(app, "ip-1", "p-1")
    _counselled(app, "ip-1")
    disclosure = app.subjects.disclose("p-1", on=DAY, actor="eis-dsb")
    person = example_plan().person
    secrets = [person.name.family_name, person.name.latin_family_name, person.phone, example_plan().goals[0].statement]
    for shown in (repr(disclosure), str(disclosure), repr(app.subjects.erase("p-1", actor="eis-dsb"))):
        for secret in secrets:
            assert secret is not None
            assert secret not in shown
