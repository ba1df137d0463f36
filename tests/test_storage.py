"""Both built-in stores pass the conformance suite; SQLite's own guarantees."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine

import integrationsplan as ip
import integrationsplan.history as ip_history
import integrationsplan.services as ip_services
from integrationsplan.storage import StoredRevision
from integrationsplan.storage.sqlite import SQLiteStore
from integrationsplan.testing import strategies as ips
from integrationsplan.testing.examples import example_plan
from integrationsplan.testing.storage import (
    StoreContract,
    appointment_state_machine,
    make_appointment,
    store_state_machine,
)


class TestMemoryStore(StoreContract):
    @pytest.fixture
    def store(self) -> Iterator[ip.PlanStore]:
        with ip.App(autoload=False).open_store("memory://") as store:
            yield store


class TestSQLiteStore(StoreContract):
    persistent = True

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[ip.PlanStore]:
        with ip.App(autoload=False).open_store(f"sqlite:///{tmp_path}/plans.db") as store:
            yield store

    @pytest.fixture
    def reopen(self) -> Callable[[ip.PlanStore], ip.PlanStore]:
        def again(store: ip.PlanStore) -> ip.PlanStore:
            assert isinstance(store, SQLiteStore)
            store.close()
            return SQLiteStore(store.path)

        return again


TestMemoryStoreMachine = store_state_machine(ip.MemoryStore).TestCase
TestMemoryStoreMachine.settings = settings(
    max_examples=min(30, settings().max_examples), stateful_step_count=20, deadline=None
)


def _sqlite_machine(
    machine: Callable[..., type[RuleBasedStateMachine]] = store_state_machine,
) -> type[RuleBasedStateMachine]:
    counter = iter(range(10**9))
    base = Path(__import__("tempfile").mkdtemp(prefix="integrationsplan-machine-"))

    def make() -> ip.PlanStore:
        return SQLiteStore(base / f"plans-{next(counter)}.db", synchronous="normal")

    def reopen(store: ip.PlanStore) -> ip.PlanStore:
        assert isinstance(store, SQLiteStore)
        store.close()
        return SQLiteStore(store.path, synchronous="normal")

    return machine(make, reopen)


TestSQLiteStoreMachine = _sqlite_machine().TestCase
TestSQLiteStoreMachine.settings = settings(
    max_examples=min(30, settings().max_examples),
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

TestSQLiteAppointmentMachine = _sqlite_machine(appointment_state_machine).TestCase
TestSQLiteAppointmentMachine.settings = settings(
    max_examples=min(25, settings().max_examples),
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


# -- SQLite's own guarantees -------------------------------------------------------------


def _service(url: str) -> tuple[ip.PlanService, ip.PlanState]:
    plan = example_plan()
    service = ip.PlanService(
        ip.App(autoload=False).open_store(url),
        clock=ip_services.ManualClock(dt.datetime(2023, 3, 15, 9, tzinfo=dt.UTC)),
    )
    day = dt.date(2023, 3, 15)
    service.create_plan(
        plan.id,
        ip.CreatePlan(plan.person, plan.municipality_ags, day, day, "eis-im-01"),
        author="eis-im-01",
        effective_on=day,
        reason="Erstgespräch",
    )
    state = service.revise(
        plan.id,
        [ip.AddGoal(goal) for goal in plan.goals],
        base=1,
        author="eis-im-01",
        effective_on=day,
        reason="Zielvereinbarung",
    )
    return service, state


def test_the_plan_service_on_sqlite_survives_a_reopen(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/plans.db"
    service, state = _service(url)
    service.store.close()
    again = ip.PlanService(ip.App(autoload=False).open_store(url))
    assert again.state(state.plan_id) == state
    assert again.verify(state.plan_id) == 2
    assert again.plans(municipality_ags="08117019") == [state.plan_id]
    again.store.close()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE revisions SET document = x'00'",
        "DELETE FROM revisions",
        "DELETE FROM heads",
        "INSERT INTO revisions VALUES ('ip-08117019-2023-0042', 5, '2023-01-01T00:00:00Z', 'h', x'00')",
    ],
)
def test_the_database_itself_refuses_to_rewrite_history(tmp_path: Path, statement: str) -> None:
    service, _ = _service(f"sqlite:///{tmp_path}/plans.db")
    service.store.close()
    db = sqlite3.connect(tmp_path / "plans.db")
    with pytest.raises(sqlite3.DatabaseError):
        db.execute(statement)
    db.close()


def test_the_index_columns_follow_a_plan_erased_and_recreated_elsewhere(tmp_path: Path) -> None:
    """A store that skips unchanged index columns must notice that another writer re-created the plan."""
    url = f"sqlite:///{tmp_path}/plans.db"
    first, state = _service(url)
    plan_id, day = state.plan_id, dt.date(2023, 3, 15)
    second = ip.PlanService(ip.App(autoload=False).open_store(url), clock=first.clock)
    second.erase(plan_id)
    plan = example_plan()
    other_manager = ip.CreatePlan(plan.person, plan.municipality_ags, day, day, "eis-im-02")
    second.create_plan(plan_id, other_manager, author="eis-im-02", effective_on=day, reason="neu")
    second.revise(plan_id, ip.AssignManager("eis-im-02"), base=1, author="eis-im-02", effective_on=day, reason="x")
    # the first store still caches its own revision 2 with manager eis-im-01
    first.revise(plan_id, ip.AssignManager("eis-im-02"), base=2, author="eis-im-02", effective_on=day, reason="y")
    assert first.plans(manager_id="eis-im-02") == [plan_id]
    assert first.plans(manager_id="eis-im-01") == []
    assert first.verify(plan_id) == 3
    for service in (first, second):
        service.store.close()


def test_a_manager_change_moves_the_plan_between_caseload_listings(tmp_path: Path) -> None:
    service, state = _service(f"sqlite:///{tmp_path}/plans.db")
    day = dt.date(2023, 3, 15)
    service.revise(
        state.plan_id, ip.AssignManager("eis-im-02"), base=2, author="eis-im-01", effective_on=day, reason="x"
    )
    assert service.plans(manager_id="eis-im-01") == []
    assert service.plans(manager_id="eis-im-02") == [state.plan_id]
    unchanged = ip.ReviseGoal("g-language", "Deutsch B2 bis Ende 2024", None)
    service.revise(state.plan_id, unchanged, base=3, author="eis-im-02", effective_on=day, reason="z")
    assert service.plans(manager_id="eis-im-02") == [state.plan_id]
    assert service.plans(municipality_ags="08117019", status="active") == [state.plan_id]
    service.store.close()


def test_erase_really_erases(tmp_path: Path) -> None:
    service, state = _service(f"sqlite:///{tmp_path}/plans.db")
    assert service.erase(state.plan_id) == 2
    service.store.close()
    leftovers = b"".join(path.read_bytes() for path in tmp_path.iterdir())
    for marker in ("Haddad", "Zielvereinbarung", "Reach B1", "ip-08117019-2023-0042"):
        assert marker.encode() not in leftovers, marker


def test_an_erasure_that_cannot_empty_the_log_says_so(tmp_path: Path) -> None:
    service, state = _service(f"sqlite:///{tmp_path}/plans.db")
    service.store.close()
    store = SQLiteStore(tmp_path / "plans.db", busy_timeout=0.3)
    reader = sqlite3.connect(tmp_path / "plans.db", isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM revisions").fetchone()  # a snapshot that needs the old pages
    try:
        with pytest.raises(ip.StorageError, match="still reads old pages"):
            store.erase(state.plan_id)
        assert store.version(state.plan_id) == 0  # the rows are gone; only the log's copy waits
    finally:
        reader.execute("COMMIT")
        reader.close()
    store.close()
    with SQLiteStore(tmp_path / "plans.db") as reopened:  # no reader now: the next checkpoint empties the log
        reopened._checkpoint_after_erase(state.plan_id)
    leftovers = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.name.startswith("plans.db"))
    assert b"Zielvereinbarung" not in leftovers


def test_a_file_from_a_newer_release_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "plans.db"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(ip.StorageError, match=r"schema version 99, newer than 3.*upgrade integrationsplan"):
        SQLiteStore(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_store(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(ip.StorageError, match="not a readable SQLite file"):
        SQLiteStore(path)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite:///no/such/dir/plans.db", "directory 'no/such/dir' does not exist"),
        ("mysql://db/plans", "no store for 'mysql'"),
        ("plans.db", "known schemes: memory://, postgres://, postgresql://, sqlite://"),
        ("postgresql:///plans?municipality=8117019", "8-digit AGS"),
        ("postgresql:///plans?pool_size=many", "pool_size must be a number"),
        ("sqlite://", "needs a file"),
        ("sqlite:///x.db?fast=yes", "unknown sqlite store option"),
        ("sqlite:///x.db?synchronous=off", "synchronous must be one of"),
    ],
)
def test_bad_store_urls(url: str, message: str) -> None:
    with pytest.raises(ip.ConfigurationError, match=message):
        ip.App(autoload=False).open_store(url)


def test_a_locked_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "plans.db"
    SQLiteStore(path).close()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(ip.StorageError, match="locked by another writer"):
            SQLiteStore(path, busy_timeout=0.1)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def _writer(url: str, seed: int, rounds: int, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    rng = random.Random(seed)  # noqa: S311 - test data
    service = ip.PlanService(ip.App(autoload=False).open_store(url))
    acknowledged = []
    for round_ in range(rounds):
        plan_id = f"plan-{rng.randrange(10)}"
        minutes = seed * 1_000 + round_ + 1
        contact = ip.CounsellingContact(
            dt.datetime(2024, 1, 1, tzinfo=dt.UTC), ip.ContactMode.PHONE, minutes % 720 or 1, (ip.GoalArea.OTHER,)
        )
        while True:
            base = service.state(plan_id).revision
            try:
                service.revise(
                    plan_id,
                    ip.RecordCounsellingContact(contact),
                    base=base,
                    author=f"w{seed}",
                    effective_on=dt.date(2024, 1, 1),
                    reason=str(minutes),
                )
            except ip.ConcurrentRevisionError:
                continue
            acknowledged.append((plan_id, str(minutes)))
            break
    service.store.close()
    results.put(acknowledged)


def test_four_processes_appending_to_ten_plans(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/shared.db"
    person = example_plan().person
    setup = ip.PlanService(ip.App(autoload=False).open_store(url))
    for index in range(10):
        setup.create_plan(
            f"plan-{index}",
            ip.CreatePlan(person, "08117019", dt.date(2024, 1, 1), dt.date(2024, 1, 1)),
            author="setup",
            effective_on=dt.date(2024, 1, 1),
            reason="start",
        )
    setup.store.close()
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue = context.Queue()  # type: ignore[type-arg]
    workers = [context.Process(target=_writer, args=(url, seed, 25, results)) for seed in range(1, 5)]
    for worker in workers:
        worker.start()
    acknowledged = [item for _ in workers for item in results.get(timeout=120)]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    service = ip.PlanService(ip.App(autoload=False).open_store(url))
    stored = []
    for index in range(10):
        plan_id = f"plan-{index}"
        history = service.history(plan_id)
        assert [r.number for r in history] == list(range(1, len(history) + 1))
        assert service.verify(plan_id) == len(history)
        stored += [(plan_id, r.reason) for r in history[1:]]
    assert sorted(stored) == sorted(acknowledged)
    assert len(acknowledged) == 100
    service.store.close()


def test_a_corrupt_head_row_is_named(tmp_path: Path) -> None:
    service, state = _service(f"sqlite:///{tmp_path}/plans.db")
    service.store.close()
    db = sqlite3.connect(tmp_path / "plans.db")
    db.execute("UPDATE heads SET state = x'7b7b'")  # heads may be updated: that is how appends move them
    db.commit()
    db.close()
    with SQLiteStore(tmp_path / "plans.db") as store:
        assert store.head(state.plan_id).document == b"{{"  # stores see bytes; decoding is the mapper's
        with pytest.raises(ip.StorageError, match=f"head of plan '{state.plan_id}' is corrupt"):
            ip.PlanService(store).state(state.plan_id)
    with SQLiteStore(tmp_path / "plans.db") as store:
        assert len(store.read(state.plan_id)) == 2  # the history is untouched and still readable


@settings(max_examples=min(20, settings().max_examples), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ips.plan_histories(max_revisions=5), min_size=1, max_size=6), st.integers(1, 4))
def test_importing_many_histories_equals_importing_each(
    histories: list[tuple[ip.Revision, ...]], batch_size: int
) -> None:
    histories = list({history[0].plan_id: history for history in histories}.values())  # one history per plan
    seen: list[tuple[str, int]] = []
    with tempfile.TemporaryDirectory() as folder:
        for store in (ip.MemoryStore(), SQLiteStore(Path(folder) / "plans.db", synchronous="normal")):
            with store:
                one_by_one = ip.PlanService(ip.MemoryStore())
                for history in histories:
                    one_by_one.import_history(history)
                service = ip.PlanService(
                    store, on_appended=lambda revision, _: seen.append((revision.plan_id, revision.number))
                )
                progress: list[int] = []
                assert service.import_histories(histories, batch_size=batch_size, progress=progress.append) == len(
                    histories
                )
                assert progress[-1] == len(histories)
                for history in histories:
                    plan_id = history[0].plan_id
                    assert service.history(plan_id) == history
                    assert service.state(plan_id) == one_by_one.state(plan_id)
                    assert [r.document for r in store.read(plan_id)] == [
                        r.document for r in one_by_one.store.read(plan_id)
                    ]
    assert len(seen) == 2 * sum(map(len, histories))


def test_a_bad_history_in_an_import_writes_nothing_of_its_batch(tmp_path: Path) -> None:
    service, state = _service(f"sqlite:///{tmp_path}/source.db")
    good = service.history(state.plan_id)
    tampered = (*good[:-1], attrs.evolve(good[-1], reason="anders"))
    target = ip.PlanService(SQLiteStore(tmp_path / "target.db"))
    renamed = tuple(ip_history.seal(attrs.evolve(r, plan_id="ip-other", previous_hash=None)) for r in good[:1])
    with pytest.raises(ip.IntegrityError):
        target.import_histories([renamed, tampered], batch_size=10)
    assert target.plans() == []
    for item in (service, target):
        item.store.close()


def test_a_scan_over_many_plans_keeps_only_recent_heads_in_memory(tmp_path: Path) -> None:
    from integrationsplan.testing.storage import make_head, make_revision  # noqa: PLC0415

    with SQLiteStore(tmp_path / "plans.db", synchronous="normal") as store:
        revisions = (make_revision(f"p{n}", 1) for n in range(1_500))
        batch = [([revision], make_head(revision), ()) for revision in revisions]
        store.append_batch(batch)
        heads = [store.head(f"p{n}") for n in range(1_500)]
        assert [head.plan_id for head in heads] == [f"p{n}" for n in range(1_500)]
        assert len(store._heads) <= 1_024  # the bound is the point


def test_verification_is_complete(tmp_path: Path) -> None:
    """Every blind spot of a chain-only check: heads changed by hand, orphans either way."""
    url = f"sqlite:///{tmp_path}/plans.db"
    with ip.App(
        store=url, autoload=False, clock=ip_services.ManualClock(dt.datetime(2023, 3, 15, tzinfo=dt.UTC))
    ) as app:
        plan = example_plan()
        day = dt.date(2023, 3, 15)
        for number in range(1, 8):
            app.plans.create_plan(
                f"ip-{number}",
                ip.CreatePlan(attrs.evolve(plan.person, id=f"p-{number}"), "08117019", day, day, "eis-im-01"),
                author="eis-im-01",
                effective_on=day,
                reason="Erstgespräch",
            )
            app.plans.revise(f"ip-{number}", ip.AssignManager("eis-im-02"), base=1, author="a", effective_on=day,
                             reason="Vertretung")  # fmt: skip
        assert app.plans.verify_plans().ok
    db = sqlite3.connect(tmp_path / "plans.db")
    db.execute("DROP TRIGGER revisions_are_deleted_only_by_erase")
    db.execute("DROP TRIGGER heads_are_deleted_only_by_erase")
    db.execute("UPDATE heads SET manager_id = 'eis-im-09' WHERE plan_id = 'ip-1'")
    db.execute("UPDATE heads SET number = 1 WHERE plan_id = 'ip-2'")
    db.execute("UPDATE heads SET hash = ? WHERE plan_id = 'ip-3'", ("f" * 64,))
    db.execute("UPDATE heads SET state = (SELECT state FROM heads WHERE plan_id = 'ip-5') WHERE plan_id = 'ip-4'")
    db.execute("DELETE FROM revisions WHERE plan_id = 'ip-6' AND number = 2")
    db.execute("DELETE FROM revisions WHERE plan_id = 'ip-7'")
    db.execute("DELETE FROM heads WHERE plan_id = 'ip-5'")
    db.commit()
    db.close()
    with ip.App(store=url, autoload=False) as app:
        result = app.plans.verify_plans()
        found = {(f.plan_id, f.where) for f in result.findings}
        assert found == {
            ("ip-1", "head"),
            ("ip-2", "head"),
            ("ip-3", "head"),
            ("ip-4", "head"),
            ("ip-5", "head"),
            ("ip-6", "head"),
            ("ip-7", "revisions"),
        }
        assert not result.verified
        problems = " ".join(f.problem for f in result.findings)
        assert "the manager is eis-im-09" in problems
        assert "revision(s) without a head" in problems
        assert "a head without revisions" in problems
        with pytest.raises(ip.IntegrityError, match="head"):
            app.plans.verify("ip-4")


def test_a_schema_1_file_of_the_previous_release_migrates(tmp_path: Path) -> None:
    """tests/data/schema-1.db was written by the release before records moved beside the head."""
    path = tmp_path / "plans.db"
    shutil.copyfile(Path(__file__).parent / "data" / "schema-1.db", path)
    with ip.App(store=f"sqlite:///{path}", autoload=False) as app:
        assert app.plans.verify_plans().ok
        assert app.plans.plans() == ["ip-1", "ip-2", "ip-3"]
        for number, plan_id in enumerate(["ip-1", "ip-2", "ip-3"], start=1):
            state = app.plans.state(plan_id)
            assert state.contact_count == 2 * number
            contacts = app.plans.records(plan_id, kind=ip.RecordKind.CONTACT)
            assert len(contacts) == 2 * number
            statuses = app.plans.records(plan_id, kind=ip.RecordKind.GOAL_STATUS)
            assert [record.status for _, record in statuses] == [ip.GoalStatus.ACHIEVED]  # type: ignore[union-attr]
        assert len(app.plans.history("ip-3")) == 9  # the revisions are untouched
        for plan_id in ("ip-1", "ip-2", "ip-3"):
            assert plan_id in app.store.plans(person_id=app.plans.state(plan_id).plan.person.id)
    db = sqlite3.connect(path)
    assert db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("3",)
    db.close()


def test_a_schema_2_file_of_the_previous_release_migrates(tmp_path: Path) -> None:
    """tests/data/schema-2.db was written before the plan state held consents."""
    path = tmp_path / "plans.db"
    shutil.copyfile(Path(__file__).parent / "data" / "schema-2.db", path)
    before = sqlite3.connect(path)
    records_before = before.execute(
        "SELECT plan_id, number, position, document FROM records ORDER BY 1, 2, 3"
    ).fetchall()
    before.close()
    with ip.App(store=f"sqlite:///{path}", autoload=False) as app:
        assert app.plans.verify_plans().verified == {"ip-1": 2, "ip-2": 2}
        assert app.plans.state("ip-2").contact_count == 2
        assert app.plans.state("ip-2").consents == ()
        person_id = app.plans.state("ip-2").plan.person.id
        assert app.store.plans(person_id=person_id) == [  # the person index is filled from the revisions
            plan_id for plan_id in ("ip-1", "ip-2") if app.plans.state(plan_id).plan.person.id == person_id
        ]
        assert ip.migrate_store(f"sqlite:///{path}") == (3, 3)
        appointments = app.store
        assert isinstance(appointments, ip.storage.AppointmentStore)  # the table came with the migration
        appointments.add_appointment(make_appointment("t-1", room="1.04"))
        with pytest.raises(ip.SlotTakenError):
            appointments.add_appointment(make_appointment("t-2", room="1.04", manager_id="eis-im-02"))
    after = sqlite3.connect(path)
    assert after.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("3",)
    assert after.execute("SELECT plan_id, number, position, document FROM records ORDER BY 1, 2, 3").fetchall() == (
        records_before
    )
    after.close()


def test_a_head_does_not_grow_with_the_contacts(tmp_path: Path) -> None:
    with ip.App(store=f"sqlite:///{tmp_path}/plans.db", autoload=False) as app:
        plan, day = example_plan(), dt.date(2023, 3, 15)
        create = ip.CreatePlan(plan.person, plan.municipality_ags, day, day, "eis-im-01")
        state = app.plans.create_plan(plan.id, create, author="eis-im-01", effective_on=day, reason="Erstgespräch")
        sizes = {}
        for count in range(1, 501):
            contact = ip.CounsellingContact(
                at=dt.datetime(2023, 3, 16, 9, tzinfo=dt.UTC) + dt.timedelta(days=count),
                mode=ip.ContactMode.PHONE,
                duration_minutes=15,
                topics=(ip.GoalArea.HOUSING,),
                interpreter_used=False,
            )
            state = app.plans.revise(
                state.plan_id,
                ip.RecordCounsellingContact(contact),
                base=state.revision,
                author="eis-im-01",
                effective_on=contact.at.date(),
                reason="Telefonat",
            )
            if count in (5, 500):
                sizes[count] = len(app.store.head(state.plan_id).document or b"")
        assert sizes[500] - sizes[5] <= 4  # only the digits of the revision number and the contact count
        assert len(app.plans.records(state.plan_id, kind=ip.RecordKind.CONTACT)) == 500


def test_threads_share_commits_and_a_stale_append_fails_alone(tmp_path: Path) -> None:
    from integrationsplan.storage.sqlite import _Pending  # noqa: PLC0415 - the group commit itself
    from integrationsplan.testing.storage import make_head, make_records, make_revision  # noqa: PLC0415

    with SQLiteStore(tmp_path / "plans.db") as store:
        first = make_revision("p1", 1)
        store.append(first, make_head(first))
        fresh, stale = make_revision("p2", 1), make_revision("p1", 1, b"again")

        def append(revision: StoredRevision) -> _Pending:
            head = make_head(revision)

            def work(db: sqlite3.Connection) -> None:
                assert revision.number == 1
                db.execute(
                    "INSERT INTO heads (plan_id, number, recorded_at, hash, municipality_ags, status, manager_id,"
                    " state) VALUES (?, 1, '2024-01-01T08:00:00Z', ?, '08117019', 'active', NULL, ?)",
                    (revision.plan_id, revision.hash, head.document),
                )
                db.execute(
                    "INSERT INTO revisions (plan_id, number, recorded_at, hash, document)"
                    " VALUES (?, 1, '2024-01-01T08:00:00Z', ?, ?)",
                    (revision.plan_id, revision.hash, revision.document),
                )

            return _Pending(work)

        group = [append(fresh), append(stale)]
        store._commit_group(group)
        assert [item.done for item in group] == [True, True]
        assert group[0].error is None
        assert isinstance(group[1].error, ip.StorageError)  # refused alone, rolled back to its savepoint
        assert store.read("p2") == [fresh]
        assert store.read("p1") == [first]

    with SQLiteStore(tmp_path / "threads.db") as shared:

        def writer(number: int) -> None:
            for step in range(1, 26):
                revision = make_revision(f"t{number}", step, bytes([step]))
                shared.append(revision, make_head(revision), make_records(revision, 1))

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert shared.streams() == [f"t{n}" for n in range(8)]
        assert all(shared.version(f"t{n}") == 25 for n in range(8))
        assert len(shared.records()) == 200
    with SQLiteStore(tmp_path / "threads.db") as reopened:  # durable: all of it is in the file
        assert all(reopened.version(f"t{n}") == 25 for n in range(8))


def test_an_unreachable_postgresql_server_is_a_clear_storage_error() -> None:
    url = "postgresql://nobody:secret@/plans?host=/no/such/folder"
    with pytest.raises(ip.StorageError, match="cannot connect to store 'postgresql nobody@plans'") as raised:
        ip.App(autoload=False).open_store(url)
    assert "secret" not in str(raised.value)
