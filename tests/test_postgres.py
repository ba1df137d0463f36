"""The PostgreSQL store on a real, throwaway server: the contract, separation, privileges."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import random
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import orjson
import psycopg
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine

import integrationsplan as ip
from integrationsplan.cli import main
from integrationsplan.storage import postgres as backend
from integrationsplan.storage.postgres import PostgresStore
from integrationsplan.testing.examples import example_plan
from integrationsplan.testing.postgres import ROLE_OF_BOTH_TOWNS, PostgresDatabase
from integrationsplan.testing.storage import StoreContract, appointment_state_machine, store_state_machine


class TestPostgresStore(StoreContract):
    persistent = True

    @pytest.fixture
    def store(self, postgres: PostgresDatabase) -> Iterator[ip.PlanStore]:
        postgres.reset()
        with ip.App(autoload=False).open_store(postgres.url(ROLE_OF_BOTH_TOWNS)) as store:
            yield store

    @pytest.fixture
    def reopen(self, postgres: PostgresDatabase) -> Callable[[ip.PlanStore], ip.PlanStore]:
        def again(store: ip.PlanStore) -> ip.PlanStore:
            store.close()
            return PostgresStore.from_url(postgres.url(ROLE_OF_BOTH_TOWNS, pool_size="2"))

        return again


@pytest.fixture
def postgres_machine(postgres: PostgresDatabase) -> type[RuleBasedStateMachine]:
    def make() -> ip.PlanStore:
        postgres.reset()
        return PostgresStore.from_url(postgres.url(ROLE_OF_BOTH_TOWNS, pool_size="1"))

    def reopen(store: ip.PlanStore) -> ip.PlanStore:
        store.close()
        return PostgresStore.from_url(postgres.url(ROLE_OF_BOTH_TOWNS, pool_size="1"))

    return store_state_machine(make, reopen)


def test_the_store_agrees_with_the_reference(postgres_machine: type[RuleBasedStateMachine]) -> None:
    test_case = postgres_machine.TestCase
    test_case.settings = settings(
        max_examples=min(15, settings().max_examples),
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    test_case().runTest()


def test_appointments_agree_with_the_reference_and_never_overlap(postgres: PostgresDatabase) -> None:
    def make() -> ip.PlanStore:
        postgres.reset()
        return PostgresStore.from_url(postgres.url(ROLE_OF_BOTH_TOWNS, pool_size="1"))

    test_case = appointment_state_machine(make).TestCase
    test_case.settings = settings(
        max_examples=min(15, settings().max_examples),
        stateful_step_count=20,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    test_case().runTest()


# -- one database, each town sealed off -----------------------------------------------------

EISLINGEN, STUTTGART = "08117019", "08111000"
DAY = dt.date(2023, 3, 15)


def _create(app: ip.App, plan_id: str, ags: str = EISLINGEN) -> None:
    person = example_plan().person
    app.plans.create_plan(
        plan_id, ip.CreatePlan(person, ags, DAY, DAY, "eis-im-01"), author="a", effective_on=DAY, reason="Erstgespräch"
    )


@pytest.fixture
def towns(postgres: PostgresDatabase) -> Iterator[tuple[ip.App, ip.App]]:
    """Eislingen and Stuttgart, each through its own role, with a plan each (and a contact)."""
    postgres.reset()
    with (
        ip.App(store=postgres.url("town_eislingen"), autoload=False) as eislingen,
        ip.App(store=postgres.url("town_stuttgart"), autoload=False) as stuttgart,
    ):
        _create(eislingen, "ip-eis")
        _create(stuttgart, "ip-stg", STUTTGART)
        contact = ip.RecordCounsellingContact(
            ip.CounsellingContact(
                dt.datetime(2023, 3, 15, 9, tzinfo=dt.UTC), ip.ContactMode.OFFICE_HOURS, 45, (ip.GoalArea.HOUSING,)
            )
        )
        eislingen.plans.revise("ip-eis", contact, base=1, author="a", effective_on=DAY, reason="Termin")
        yield eislingen, stuttgart


def test_a_town_sees_only_its_own_plans_through_every_operation(towns: tuple[ip.App, ip.App]) -> None:
    eislingen, stuttgart = towns
    store = stuttgart.store
    assert store.plans() == ["ip-stg"]
    assert store.streams() == ["ip-stg"]
    assert [head.plan_id for head in store.heads()] == ["ip-stg"]
    assert list(store.heads(municipality_ags=EISLINGEN)) == []
    assert store.records() == []
    assert store.records("ip-eis") == []
    assert store.version("ip-eis") == 0
    for operation in (store.read, store.head, store.erase):
        with pytest.raises(ip.UnknownPlanError):
            operation("ip-eis")
    assert stuttgart.plans.verify("ip-eis") == 0  # nothing of it to see, so nothing to verify
    assert stuttgart.plans.verify_plans().verified == {"ip-stg": 1}
    # Eislingen's plan id cannot be taken, and its history cannot be written in Stuttgart's name.
    with pytest.raises(ip.ConcurrentRevisionError):
        _create(stuttgart, "ip-eis", STUTTGART)
    with pytest.raises(ip.AccessDeniedError):
        stuttgart.plans.import_history(list(eislingen.plans.history("ip-eis")))
    # A new plan in Eislingen's name is refused by the database.
    with pytest.raises(ip.AccessDeniedError, match="row-level security"):
        _create(stuttgart, "ip-new", EISLINGEN)
    assert eislingen.store.plans() == ["ip-eis"]
    assert eislingen.store.version("ip-eis") == 2
    assert eislingen.plans.verify_plans().ok


def test_hand_written_sql_cannot_cross_the_border(towns: tuple[ip.App, ip.App], postgres: PostgresDatabase) -> None:
    with psycopg.connect(postgres.url("town_stuttgart"), autocommit=True) as conn:
        for table in ("revisions", "heads", "records"):
            query = f"SELECT count(*) FROM integrationsplan.{table} WHERE municipality_ags = %s"  # noqa: S608
            count = conn.execute(query, (EISLINGEN,))
            assert count.fetchone() == (0,)
        conn.execute("SELECT set_config('integrationsplan.municipality', %s, false)", (EISLINGEN,))
        assert conn.execute("SELECT count(*) FROM integrationsplan.heads").fetchone() == (0,)  # narrows, never widens
        conn.execute("SELECT set_config('integrationsplan.municipality', '', false)")
        updated = conn.execute("UPDATE integrationsplan.heads SET status = 'closed' WHERE plan_id = 'ip-eis'")
        assert updated.rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO integrationsplan.heads VALUES ('x', 1, now(), 'h', %s, 'active', NULL, '')", (EISLINGEN,)
            )
        with pytest.raises(psycopg.DatabaseError, match="unknown plan"):
            conn.execute("SELECT integrationsplan.erase_plan('ip-eis')")
        assert conn.execute("SELECT count(*) FROM integrationsplan.town_roles").fetchone() == (1,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT * FROM integrationsplan.erasures")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SET ROLE town_eislingen")
    assert towns[0].store.head("ip-eis").status == "active"


def test_the_application_role_cannot_update_or_delete_history(
    towns: tuple[ip.App, ip.App], postgres: PostgresDatabase
) -> None:
    with psycopg.connect(postgres.url("town_eislingen"), autocommit=True) as conn:
        for statement in (
            "UPDATE integrationsplan.revisions SET document = 'x'",
            "DELETE FROM integrationsplan.revisions",
            "UPDATE integrationsplan.records SET day = now()",
            "DELETE FROM integrationsplan.records",
            "DELETE FROM integrationsplan.heads",
            "TRUNCATE integrationsplan.revisions",
            "DROP TABLE integrationsplan.revisions",
        ):
            with pytest.raises((psycopg.errors.InsufficientPrivilege, psycopg.DatabaseError)):
                conn.execute(statement)
    # Even the owner (whose functions erase) cannot rewrite a revision: the trigger refuses.
    with psycopg.connect(postgres.admin_url) as conn:
        conn.execute("SET ROLE integrationsplan_owner")
        with pytest.raises(psycopg.DatabaseError, match="append-only"):
            conn.execute("UPDATE integrationsplan.revisions SET hash = 'forged'")
    assert towns[0].plans.verify_plans().ok


def test_erasure_goes_through_the_owners_function_and_leaves_a_non_personal_record(
    towns: tuple[ip.App, ip.App], postgres: PostgresDatabase
) -> None:
    eislingen, _ = towns
    assert eislingen.plans.erase("ip-eis") == 2
    assert eislingen.store.plans() == []
    assert eislingen.store.records() == []
    with psycopg.connect(postgres.admin_url) as conn:
        left = conn.execute("SELECT count(*) FROM integrationsplan.revisions WHERE plan_id = 'ip-eis'").fetchone()
        assert left == (0,)
        erased = conn.execute("SELECT * FROM integrationsplan.erasures").fetchall()
    [(_, plan_id, ags, revisions, erased_at, erased_by)] = erased
    assert (plan_id, ags, revisions, erased_by) == ("ip-eis", EISLINGEN, 2, "town_eislingen")
    assert erased_at.tzinfo is not None


def test_a_store_opened_for_one_municipality_narrows_a_role_of_several(
    towns: tuple[ip.App, ip.App], postgres: PostgresDatabase
) -> None:
    with PostgresStore.from_url(postgres.url(ROLE_OF_BOTH_TOWNS)) as both:
        assert both.plans() == ["ip-eis", "ip-stg"]
    with ip.App(store=postgres.url(ROLE_OF_BOTH_TOWNS, municipality=EISLINGEN), autoload=False) as app:
        assert app.store.plans() == ["ip-eis"]
        with pytest.raises(ip.UnknownPlanError):
            app.store.head("ip-stg")
        with pytest.raises(ip.AccessDeniedError, match="open for municipality 08117019"):
            _create(app, "ip-2", STUTTGART)
    with pytest.raises(ip.AccessDeniedError, match="not mapped to municipality 08111000"):
        PostgresStore.from_url(postgres.url("town_eislingen", municipality=STUTTGART))
    with pytest.raises(ip.AccessDeniedError, match="may not use the integrationsplan schema"):
        PostgresStore.from_url(postgres.url("outsider"))


def test_the_reporting_role_reads_heads_and_records_of_every_town_and_nothing_else(
    towns: tuple[ip.App, ip.App], postgres: PostgresDatabase
) -> None:
    with ip.App(store=postgres.url("statistics"), autoload=False, read_only=True) as app:
        store = app.store
        assert [head.plan_id for head in store.heads()] == ["ip-eis", "ip-stg"]
        assert len(store.records(kind="contact")) == 1
        figures = app.kennzahlen(2023, [EISLINGEN, STUTTGART], threshold=1)
        assert figures
        with pytest.raises(ip.AccessDeniedError):
            store.read("ip-eis")
        with pytest.raises(ip.StorageError, match="read-only"):
            _create(app, "ip-x")
        with pytest.raises(ip.AccessDeniedError, match="erase"):
            store.erase("ip-eis")
    assert towns[0].store.version("ip-eis") == 2


# -- no lost update, across processes -------------------------------------------------------


def _writer(url: str, worker: int, plans: list[str], count: int) -> int:
    """Append ``count`` revisions to random plans, retrying a stale base; return the retries."""
    rng = random.Random(worker)  # noqa: S311 - a test's choice of plans
    retries = 0
    with ip.App(store=url, autoload=False) as app:
        for index in range(count):
            plan_id = rng.choice(plans)
            while True:
                base = app.store.version(plan_id)
                change = ip.AssignManager(f"w{worker}-{index}")
                try:
                    app.plans.revise(plan_id, change, base=base, author="a", effective_on=DAY, reason="r")
                    break
                except ip.ConcurrentRevisionError:
                    retries += 1
    return retries


def test_eight_processes_lose_nothing_and_duplicate_nothing(postgres: PostgresDatabase) -> None:
    postgres.reset()
    url = postgres.url("town_eislingen")
    plans = [f"ip-{n:02}" for n in range(20)]
    with ip.App(store=url, autoload=False) as app:
        for plan_id in plans:
            _create(app, plan_id)
    workers, each = 8, 200
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
        retries = sum(pool.map(_writer, [url] * workers, range(workers), [plans] * workers, [each] * workers))
    with ip.App(store=url, autoload=False) as app:
        verification = app.plans.verify_plans()
        assert verification.ok, verification.findings
        assert sum(verification.verified.values()) == len(plans) + workers * each
        managers = [
            change["manager_id"]
            for plan_id in plans
            for stored in app.store.read(plan_id, 2)
            for change in orjson.loads(stored.document)["data"]["changes"]
        ]
    assert sorted(managers) == sorted(f"w{w}-{i}" for w in range(workers) for i in range(each))
    assert retries > 0  # the processes did race


# -- schema versions, setup, copy, notifications --------------------------------------------


def test_setup_is_idempotent_and_printable(postgres: PostgresDatabase) -> None:
    assert ip.setup_store(postgres.admin_url) is False
    sql = ip.services.setup_sql()
    assert "ENABLE ROW LEVEL SECURITY" in sql
    assert sql.startswith("BEGIN;")


def test_migrations_run_in_order_and_a_newer_schema_is_refused(postgres: PostgresDatabase) -> None:
    with PostgresDatabase.create(postgres.server, "migrations") as database:
        assert ip.migrate_store(database.admin_url) == (1, 1)
        steps = {1: ["CREATE INDEX heads_by_status ON integrationsplan.heads (status)"], 2: ["SELECT no_such_fn()"]}
        with pytest.raises(ip.StorageError, match="rolled back"):
            backend.migrate(database.admin_url, steps, target=3)
        with psycopg.connect(database.admin_url) as conn:  # the first step is kept, the failed one undone
            version = conn.execute("SELECT value FROM integrationsplan.meta WHERE key = 'schema_version'").fetchone()
            assert version == ("2",)
            assert conn.execute("SELECT to_regclass('integrationsplan.heads_by_status')").fetchone() != (None,)
        with pytest.raises(ip.StorageError, match="newer than 1"):
            PostgresStore.from_url(database.url("town_eislingen"))
        with pytest.raises(ip.StorageError, match="newer than 1: not touched"):
            ip.migrate_store(database.admin_url)
        with psycopg.connect(database.admin_url) as conn:
            conn.execute("UPDATE integrationsplan.meta SET value = '0' WHERE key = 'schema_version'")
        with pytest.raises(ip.ConfigurationError, match="store migrate"):
            PostgresStore.from_url(database.url("town_eislingen"))
        with psycopg.connect(database.admin_url) as conn:
            conn.execute("DROP SCHEMA integrationsplan CASCADE")
        with pytest.raises(ip.ConfigurationError, match="store setup"):
            PostgresStore.from_url(database.url("town_eislingen"))


def test_copy_from_sqlite_is_verified_and_repeatable(postgres: PostgresDatabase, tmp_path: Path) -> None:
    postgres.reset()
    source = f"sqlite:///{tmp_path}/plans.db"
    with ip.App(store=source, autoload=False) as app:
        for n in range(7):
            _create(app, f"ip-{n}", EISLINGEN if n % 2 else STUTTGART)
        app.plans.revise("ip-1", ip.AssignManager("eis-im-02"), base=1, author="a", effective_on=DAY, reason="r")
        app.plans.erase("ip-6")
    target = postgres.url(ROLE_OF_BOTH_TOWNS)
    app = ip.App(autoload=False)
    seen: list[tuple[int, int]] = []
    first = app.copy_store(source, target, batch_size=2, progress=lambda done, total: seen.append((done, total)))
    assert (first.imported, first.unchanged) == (6, 0)
    assert seen[-1] == (6, 6)
    again = app.copy_store(source, target)
    assert (again.imported, again.unchanged) == (0, 6)
    with ip.App(store=target, autoload=False) as copied, ip.App(store=source, autoload=False) as original:
        assert copied.plans.verify_plans().verified == original.plans.verify_plans().verified
        for plan_id in original.store.plans():
            assert copied.store.read(plan_id) == original.store.read(plan_id)
            assert copied.store.head(plan_id) == original.store.head(plan_id)
            assert copied.store.records(plan_id) == original.store.records(plan_id)
        # A plan that differs in the target is refused, never overwritten.
        original.plans.revise("ip-3", ip.AssignManager("eis-im-03"), base=1, author="a", effective_on=DAY, reason="r")
    with pytest.raises(ip.ConcurrentRevisionError):
        app.copy_store(source, target)
    postgres.reset()
    with pytest.raises(ip.AccessDeniedError):  # a town's role cannot take in another town's plans
        app.copy_store(source, postgres.url("town_eislingen"))


def test_other_processes_hear_of_each_commit_with_ids_only(
    towns: tuple[ip.App, ip.App], postgres: PostgresDatabase
) -> None:
    heard: list[ip.AppendedRevision] = []
    listening = threading.Event()

    def listen() -> None:
        stream = ip.listen_store(postgres.url("town_eislingen"), timeout=20, stop_after=2)
        listening.set()
        heard.extend(stream)

    thread = threading.Thread(target=listen)
    thread.start()
    listening.wait(10)
    time.sleep(0.5)  # the generator connects and LISTENs on its first step
    eislingen, stuttgart = towns
    stuttgart.plans.revise("ip-stg", ip.AssignManager("stg-2"), base=1, author="a", effective_on=DAY, reason="r")
    eislingen.plans.revise("ip-eis", ip.AssignManager("eis-2"), base=2, author="a", effective_on=DAY, reason="r")
    _create(eislingen, "ip-eis-2")
    thread.join(30)
    assert heard == [ip.AppendedRevision(EISLINGEN, "ip-eis", 3), ip.AppendedRevision(EISLINGEN, "ip-eis-2", 1)]


def test_the_command_line_sets_up_grants_migrates_copies_and_listens(
    postgres: PostgresDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    errors: list[str] = []

    def run(*argv: str) -> tuple[int, Any]:
        code = main(["--json", *argv])
        out, err = capsys.readouterr()
        errors.append(err)
        return code, json.loads(out) if out.strip().startswith(("{", "[")) else out

    postgres.reset()
    with PostgresDatabase.create(postgres.server, "cli") as database:
        assert run("store", "setup", database.admin_url) == (0, {"created": False})
        assert main(["store", "setup", "--print-sql"]) == 0
        assert "CREATE POLICY" in capsys.readouterr().out
        with psycopg.connect(database.admin_url, autocommit=True) as conn:
            conn.execute("CREATE ROLE cli_town LOGIN")
        assert run("store", "grant", database.admin_url, "cli_town", "--municipality", EISLINGEN)[0] == 0
        assert run("store", "migrate", database.admin_url) == (0, {"from": 1, "to": 1})
        source = f"sqlite:///{tmp_path}/plans.db"
        with ip.App(store=source, autoload=False) as app:
            _create(app, "ip-1")
        assert run("store", "migrate", source) == (0, {"from": 3, "to": 3})
        target = database.url("cli_town", municipality=EISLINGEN)
        assert run("copy", "--from", source, "--to", target) == (0, {"copied": 1, "unchanged": 0})
        assert run("copy", "--from", source, "--to", target) == (0, {"copied": 0, "unchanged": 1})
        with ip.App(store=target, autoload=False) as app:
            app.plans.revise("ip-1", ip.AssignManager("eis-im-02"), base=1, author="a", effective_on=DAY, reason="r")
        code, out = run("store", "listen", target, "--timeout", "1")
        assert (code, out) == (0, "")  # nothing committed while it listened
        code, _ = run("store", "grant", database.admin_url, "cli_town", "--municipality", "123")
        assert code == 2
        assert "8-digit AGS" in errors[-1]
        code, _ = run("store", "setup", "sqlite:///x.db")
        assert code == 2
        assert "is for postgresql:// stores" in errors[-1]


def test_an_encrypted_postgresql_store_holds_only_ciphertext(postgres: PostgresDatabase, tmp_path: Path) -> None:
    postgres.reset()
    url = postgres.url("town_eislingen", municipality=EISLINGEN, keys=f"keyfile://{tmp_path}")
    with ip.App(store=url, autoload=False) as app:
        _create(app, "ip-enc")
        assert app.plans.verify_plans().ok
        family = str(example_plan().person.name.family_name).encode()
        with psycopg.connect(postgres.admin_url) as conn:
            documents = conn.execute(
                "SELECT document FROM integrationsplan.revisions UNION ALL SELECT document FROM integrationsplan.heads"
            ).fetchall()
        assert documents
        assert all(bytes(row[0]).startswith(b"IPE1") and family not in bytes(row[0]) for row in documents)
        assert app.plans.erase("ip-enc", actor="eis-im-01") == 1
        assert app.store.plans() == []


def test_each_town_sees_only_its_own_access_log(towns: tuple[ip.App, ip.App], postgres: PostgresDatabase) -> None:
    with ip.App(store=postgres.url("town_eislingen"), autoload=False, actor="eis-im-01") as reader:
        reader.plans.state("ip-eis")
        assert [e.operation for e in reader.plans.accesses("ip-eis")] == ["read_state"]
    _, stuttgart = towns
    assert stuttgart.plans.accesses() == []
    with psycopg.connect(postgres.url("town_stuttgart"), autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM integrationsplan.access_log").fetchone() == (0,)
    with (
        psycopg.connect(postgres.url("town_eislingen"), autocommit=True) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute("DELETE FROM integrationsplan.access_log")


def test_a_read_only_store_still_logs_its_reads(towns: tuple[ip.App, ip.App], postgres: PostgresDatabase) -> None:
    url = postgres.url("town_eislingen", municipality=EISLINGEN)
    with ip.App(store=url, autoload=False, read_only=True, actor="eis-im-01", purpose="audit") as reader:
        reader.plans.history("ip-eis")
        with pytest.raises(ip.StorageError, match="read-only"):
            _create(reader, "ip-new")
        assert [(e.actor, e.purpose, e.operation) for e in reader.plans.accesses("ip-eis")] == [
            ("eis-im-01", "audit", "read_history")
        ]


def test_the_person_index_stays_within_the_towns_a_role_may_see(
    towns: tuple[ip.App, ip.App], postgres: PostgresDatabase
) -> None:
    person_id = example_plan().person.id  # both towns counsel the same person (after a move)
    eislingen, stuttgart = towns
    assert eislingen.subjects.plans_of(person_id) == ["ip-eis"]
    assert stuttgart.subjects.plans_of(person_id) == ["ip-stg"]
    with ip.App(store=postgres.url("towns_both"), autoload=False) as both:
        assert both.subjects.plans_of(person_id) == ["ip-eis", "ip-stg"]
    erased = stuttgart.subjects.erase(person_id, actor="stg-dsb")
    assert erased.erased == (("ip-stg", 1),)  # Stuttgart cannot erase what Eislingen holds
    assert eislingen.subjects.plans_of(person_id) == ["ip-eis"]
