"""Encryption at rest with per-plan keys, and erasure as key destruction."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import integrationsplan as ip
from integrationsplan.services import ManualClock
from integrationsplan.storage.encrypted import EncryptedStore, encrypted
from integrationsplan.storage.keys import KeyFileProvider
from integrationsplan.testing.examples import example_plan
from integrationsplan.testing.storage import StoreContract, appointment_state_machine, store_state_machine

DAY = dt.date(2023, 3, 15)


def _today() -> dt.date:
    return DAY


class TestEncryptedMemoryStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[ip.PlanStore]:
        with encrypted(ip.MemoryStore(), KeyFileProvider(tmp_path), today=_today) as store:
            yield store


class TestEncryptedSQLiteStore(StoreContract):
    persistent = True

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[ip.PlanStore]:
        keys = tmp_path / "keys"
        keys.mkdir()
        with ip.App(autoload=False).open_store(f"sqlite:///{tmp_path}/plans.db?keys=keyfile://{keys}") as store:
            yield store

    @pytest.fixture
    def reopen(self, tmp_path: Path) -> Callable[[ip.PlanStore], ip.PlanStore]:
        def again(store: ip.PlanStore) -> ip.PlanStore:
            store.close()
            return ip.App(autoload=False).open_store(f"sqlite:///{tmp_path}/plans.db?keys=keyfile://{tmp_path}/keys")

        return again


def _encrypted_memory() -> ip.PlanStore:
    return encrypted(ip.MemoryStore(), KeyFileProvider(tempfile.mkdtemp(prefix="ip-keys-")), today=_today)


TestEncryptedStoreMachine = store_state_machine(_encrypted_memory).TestCase
TestEncryptedAppointmentMachine = appointment_state_machine(_encrypted_memory).TestCase
TestEncryptedAppointmentMachine.settings = settings(
    max_examples=min(15, settings().max_examples),
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestEncryptedStoreMachine.settings = settings(
    max_examples=min(20, settings().max_examples),
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "keys").mkdir()
    return tmp_path


def _url(folder: Path, name: str = "plans.db") -> str:
    return f"sqlite:///{folder}/{name}?keys=keyfile://{folder}/keys"


def _drawn_up(app: ip.App, plan_id: str = "ip-1") -> ip.PlanState:
    plan = example_plan()
    create = ip.CreatePlan(plan.person, plan.municipality_ags, DAY, DAY, "eis-im-01")
    app.plans.create_plan(plan_id, create, author="eis-im-01", effective_on=DAY, reason="Erstgespräch")
    contact = ip.CounsellingContact(
        dt.datetime(2023, 3, 16, 9, tzinfo=dt.UTC), ip.ContactMode.PHONE, 20, (ip.GoalArea.LANGUAGE,)
    )
    changes: list[ip.Change] = [ip.AddGoal(plan.goals[0]), ip.RecordCounsellingContact(contact)]
    return app.plans.revise(plan_id, changes, base=1, author="eis-im-01", effective_on=DAY, reason="Ziele")


def test_nothing_personal_is_in_the_database_file(folder: Path) -> None:
    with ip.App(store=_url(folder), autoload=False) as app:
        state = _drawn_up(app)
        assert app.plans.verify_plans().ok
        assert app.plans.state("ip-1") == state
        assert len(app.store.records("ip-1")) == 1
    person = example_plan().person
    family = str(person.name.family_name)
    raw = (folder / "plans.db").read_bytes()
    for secret in (family, str(person.name.given_names), example_plan().goals[0].statement[:20]):
        assert secret.encode() not in raw
    assert b"08117019" in raw  # the index columns stay in clear: municipality, ids, status, days
    keys = (folder / "keys" / "keys.db").read_bytes()
    assert family.encode() not in keys


def test_a_store_opened_without_its_keys_says_so(folder: Path) -> None:
    with ip.App(store=_url(folder), autoload=False) as app:
        _drawn_up(app)
    with ip.App(store=f"sqlite:///{folder}/plans.db", autoload=False) as app:
        with pytest.raises(ip.ConfigurationError, match="encrypted: open its store with keys="):
            app.plans.state("ip-1")
        with pytest.raises(ip.ConfigurationError, match="encrypted"):
            app.plans.history("ip-1")


def test_a_changed_or_moved_ciphertext_is_detected_and_named(folder: Path) -> None:
    with ip.App(store=_url(folder), autoload=False) as app:
        _drawn_up(app)
        _drawn_up(app, "ip-2")
    db = sqlite3.connect(folder / "plans.db")
    db.execute("DROP TRIGGER revisions_are_never_updated")
    [(document,)] = db.execute("SELECT document FROM revisions WHERE plan_id = 'ip-1' AND number = 2").fetchall()
    changed = bytearray(document)
    changed[40] ^= 0x01  # flip one bit (setting a byte could leave it as it was: 1 in 256 nonces)
    db.execute("UPDATE revisions SET document = ? WHERE plan_id = 'ip-1' AND number = 2", (bytes(changed),))
    db.execute("UPDATE revisions SET document = (SELECT document FROM revisions WHERE plan_id = 'ip-1'"
               " AND number = 1) WHERE plan_id = 'ip-2' AND number = 1")  # fmt: skip
    db.commit()
    db.close()
    with ip.App(store=_url(folder), autoload=False) as app:
        with pytest.raises(ip.IntegrityError, match="revision 2") as raised:
            app.plans.history("ip-1")
        assert "does not authenticate" in str(raised.value)
        with pytest.raises(ip.IntegrityError, match="does not authenticate"):
            app.plans.history("ip-2")  # a ciphertext of another plan does not open here
        verification = app.plans.verify_plans()
        assert not verification.ok
        assert {finding.plan_id for finding in verification.findings} == {"ip-1", "ip-2"}


def test_erasure_destroys_the_key_so_an_older_backup_cannot_be_read(folder: Path) -> None:
    with ip.App(store=_url(folder), autoload=False) as app:
        _drawn_up(app)
        _drawn_up(app, "ip-kept")
    shutil.copy(folder / "plans.db", folder / "backup.db")  # a backup taken before the erasure
    clock = ManualClock(dt.datetime(2023, 3, 15, 12, tzinfo=dt.UTC))
    with ip.App(store=_url(folder), autoload=False, clock=clock) as app:
        assert app.plans.erase("ip-1", legal_basis="Art. 17 DSGVO", actor="eis-im-01") == 2
    with ip.App(store=_url(folder, "backup.db"), autoload=False) as restored:
        with pytest.raises(ip.KeyUnavailableError, match="erased on 2023-03-15"):
            restored.plans.state("ip-1")
        with pytest.raises(ip.KeyUnavailableError):
            restored.plans.history("ip-1")
        assert restored.plans.state("ip-kept").revision == 2  # the other plans read as before
    with KeyFileProvider(folder / "keys") as keys:
        [record] = keys.erasures()
        assert record.plan_digest == keys.digest("ip-1")
        assert (record.erased_on, record.legal_basis, record.actor) == (DAY, "Art. 17 DSGVO", "eis-im-01")
    assert b"ip-1\x00" not in (folder / "keys" / "keys.db").read_bytes()
    assert "ip-1" not in repr(record)


def test_an_unknown_plan_is_not_erased_and_leaves_no_record(folder: Path) -> None:
    with ip.App(store=_url(folder), autoload=False) as app, pytest.raises(ip.UnknownPlanError):
        app.plans.erase("nope")
    with KeyFileProvider(folder / "keys") as keys:
        assert keys.erasures() == []


def test_a_plain_store_moves_into_an_encrypted_one(folder: Path) -> None:
    plain = f"sqlite:///{folder}/plain.db"
    with ip.App(store=plain, autoload=False) as app:
        _drawn_up(app)
    summary = ip.App(autoload=False).copy_store(plain, _url(folder))
    assert (summary.imported, summary.unchanged) == (1, 0)
    with ip.App(store=_url(folder), autoload=False) as app, ip.App(store=plain, autoload=False) as original:
        assert app.plans.verify_plans().ok
        assert app.plans.state("ip-1") == original.plans.state("ip-1")
    assert str(example_plan().person.name.family_name).encode() not in (folder / "plans.db").read_bytes()


def test_key_provider_urls_are_checked(folder: Path) -> None:
    app = ip.App(autoload=False)
    with pytest.raises(ip.ConfigurationError, match="no key provider for 'vault'"):
        app.open_store(f"sqlite:///{folder}/p.db?keys=vault://x")
    with pytest.raises(ip.ConfigurationError, match="does not exist"):
        app.open_store(f"sqlite:///{folder}/p.db?keys=keyfile:///no/such/folder")
    (folder / "keys" / "master.key").write_text("not base64!")
    with pytest.raises(ip.ConfigurationError, match="master key"):
        app.open_store(_url(folder))


def test_the_wrong_master_key_cannot_open_the_data_keys(folder: Path) -> None:
    with ip.App(store=_url(folder), autoload=False) as app:
        _drawn_up(app)
    (folder / "keys" / "master.key").unlink()  # a new master key is made: the old data keys do not open
    with (
        ip.App(store=_url(folder), autoload=False) as app,
        pytest.raises(ip.KeyUnavailableError, match="does not open with this master key"),
    ):
        app.plans.state("ip-1")


def test_the_encrypted_store_is_a_plan_store_with_batches() -> None:
    with _encrypted_memory() as store:
        assert isinstance(store, EncryptedStore)
        assert isinstance(store, ip.PlanStore)
        assert isinstance(store, ip.storage.BatchAppend)


# -- sealed exports ------------------------------------------------------------------------------


def _export(app: ip.App, **options: object) -> bytes:
    out = io.BytesIO()
    app.transfer.export(out, **options)  # type: ignore[arg-type]
    return out.getvalue()


def test_an_export_of_an_encrypted_store_is_sealed_and_reads_back_with_the_keys(folder: Path) -> None:
    with ip.App(store=_url(folder), autoload=False) as app:
        _drawn_up(app)
        _drawn_up(app, "ip-2")
        exported = _export(app)
        states = {plan_id: app.plans.state(plan_id) for plan_id in ("ip-1", "ip-2")}
    family_name = example_plan().person.name.latin_family_name
    assert family_name is not None
    assert family_name.encode() not in exported
    assert b'"reason":"Ziele"' not in exported
    first = json.loads(exported.splitlines()[0])
    assert sorted(first) == ["number", "plan_id", "sealed"]
    assert (first["plan_id"], first["number"]) == ("ip-1", 2)
    with ip.App(store=_url(folder, "copy.db"), autoload=False) as copy:  # another store, the same keys
        summary = copy.transfer.import_lines(io.BytesIO(exported))
        assert (summary.imported, summary.unchanged) == (2, 0)
        assert copy.plans.verify_plans().ok
        assert {plan_id: copy.plans.state(plan_id) for plan_id in ("ip-1", "ip-2")} == states
    with ip.App(store=f"sqlite:///{folder}/plain.db", autoload=False) as plain:
        with pytest.raises(ip.ConfigurationError, match="sealed"):
            plain.transfer.import_lines(io.BytesIO(exported))
        assert plain.plans.plans() == []


def test_after_an_erasure_an_earlier_export_of_the_plan_cannot_be_read(folder: Path) -> None:
    with ip.App(store=_url(folder), autoload=False) as app:
        _drawn_up(app)
        _drawn_up(app, "ip-kept")
        exported = _export(app)
        app.plans.erase("ip-1", actor="eis-dsb")
    with ip.App(store=_url(folder, "restored.db"), autoload=False) as restored:
        with pytest.raises(ip.KeyUnavailableError, match="erased"):
            restored.transfer.import_lines(io.BytesIO(exported))
        kept = [line for line in exported.splitlines() if b'"ip-kept"' in line]
        assert restored.transfer.import_lines(kept).imported == 1


def test_a_changed_or_moved_sealed_line_is_refused(folder: Path) -> None:
    with ip.App(store=_url(folder), autoload=False) as app:
        _drawn_up(app)
        _drawn_up(app, "ip-2")
        line = json.loads(_export(app, plan_ids=["ip-1"]))
    sealed = bytearray(base64.b64decode(line["sealed"]))
    sealed[-1] ^= 1
    changed = {**line, "sealed": base64.b64encode(bytes(sealed)).decode()}
    moved = {**line, "plan_id": "ip-2"}
    shortened = {**line, "number": 1}
    with ip.App(store=_url(folder, "copy.db"), autoload=False) as copy:
        for bad in (changed, moved, shortened):
            with pytest.raises(ip.IntegrityError, match="does not authenticate"):
                copy.transfer.import_lines([json.dumps(bad).encode()])
        with pytest.raises(ip.ValidationError, match=r"\$\.sealed"):
            copy.transfer.import_lines([json.dumps({**line, "sealed": "not base64!"}).encode()])
        assert copy.plans.plans() == []


def test_a_plaintext_export_of_an_encrypted_store_is_a_choice(folder: Path) -> None:
    with ip.App(store=_url(folder), autoload=False) as app:
        _drawn_up(app)
        plaintext = _export(app, sealed=False)
    assert b'"reason":"Ziele"' in plaintext
    with ip.App(store=f"sqlite:///{folder}/plain.db", autoload=False) as plain:
        assert plain.transfer.import_lines([plaintext]).imported == 1
        with pytest.raises(ip.ConfigurationError, match="encrypted store"):
            _export(plain, sealed=True)
