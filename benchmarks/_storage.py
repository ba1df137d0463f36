"""The storage section: the library's SQLite store against raw sqlite3 and eventsourcing, fairly.

Fair means: the peers run in the same process, interleaved in rounds (ours, raw,
eventsourcing, eventsourcing with snapshots, ours, raw, ...), so a change of the disk's
fsync speed during the run hits every peer alike; each figure is the median of the
per-round ratios. Everyone writes the same bytes: the raw peer inserts our revision
documents, and the eventsourcing aggregate holds the same nested plan state (the
unstructured ``PlanState``) and records the same change per event. Everyone is durable:
WAL and ``synchronous=FULL``, one commit per append. eventsourcing runs twice: plain,
and taking a snapshot on every save, which is the guarantee our head gives (reading the
current state never replays).
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
import statistics
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import integrationsplan as ip
import integrationsplan.services as ip_services
from _common import Figures, median_ratio, timed
from integrationsplan.storage.sqlite import SQLiteStore
from integrationsplan.testing.examples import example_plan

DAY = dt.date(2023, 3, 15)
LONG_CONTACTS = 300


class _Ours:
    """One plan in its own SQLite file, revised through the public service."""

    def __init__(self, path: Path, plan_id: str, *, contacts: int = 0) -> None:
        plan = example_plan()
        clock = ip_services.ManualClock(dt.datetime(2023, 3, 15, tzinfo=dt.UTC))
        with SQLiteStore(path, synchronous="normal") as store:  # building the history is not measured
            service = ip.PlanService(store, clock=clock)
            create = ip.CreatePlan(plan.person, plan.municipality_ags, DAY, DAY, "eis-im-01")
            service.create_plan(plan_id, create, author="eis-im-01", effective_on=DAY, reason="Erstgespräch")
            state = service.revise(
                plan_id, [ip.AddGoal(g) for g in plan.goals], base=1, author="eis-im-01", effective_on=DAY, reason="Z"
            )
            for number in range(contacts):
                contact = ip.CounsellingContact(
                    at=dt.datetime(2023, 3, 16, 9, tzinfo=dt.UTC) + dt.timedelta(days=2 * number),
                    mode=ip.ContactMode.OFFICE_HOURS,
                    duration_minutes=30,
                    topics=(ip.GoalArea.LANGUAGE,),
                    interpreter_used=False,
                )
                status = ip.GoalStatus.ON_HOLD if number % 2 == 0 else ip.GoalStatus.ACTIVE
                state = service.revise(
                    plan_id,
                    [
                        ip.RecordCounsellingContact(contact),
                        ip.ChangeGoalStatus("g-language", status, ip.Achievement.NOT_ASSESSED),
                    ],
                    base=state.revision,
                    author="eis-im-01",
                    effective_on=DAY,
                    reason="Sprechstunde",
                )
        self.plan_id = plan_id
        self.service = ip.PlanService(SQLiteStore(path), clock=clock)  # durable: synchronous=FULL
        self.turn = 0

    def change(self) -> Any:
        self.turn += 1
        return ip.ReviseGoal(
            "g-language", f"Fortschreibung {self.turn}: " + ("B1, dann Pflegeausbildung. " * 40).strip(), None
        )

    def append(self, count: int) -> None:
        service = self.service
        base = service.state(self.plan_id).revision
        for _ in range(count):
            service.revise(
                self.plan_id, self.change(), base=base, author="eis-im-01", effective_on=DAY, reason="Fortschreibung"
            )
            base += 1

    def read_head(self) -> Any:
        self.service.mapper.clear()  # decode from the file, as a new process would
        return self.service.state(self.plan_id)

    def last_document(self) -> bytes:
        return self.service.store.read(self.plan_id, self.service.store.version(self.plan_id))[0].document

    def close(self) -> None:
        self.service.store.close()


class _Raw:
    """Raw sqlite3 with the same settings, inserting the same documents, one transaction each."""

    def __init__(self, path: Path, document: bytes) -> None:
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("CREATE TABLE events (stream TEXT, version INTEGER, data BLOB, PRIMARY KEY (stream, version))")
        self.document = document
        self.version = 0

    def append(self, count: int, stream: str = "plan") -> None:
        for _ in range(count):
            self.version += 1
            self.db.execute("BEGIN")
            self.db.execute("INSERT INTO events VALUES (?, ?, ?)", (stream, self.version, self.document))
            self.db.execute("COMMIT")


def storage(quick: bool) -> Figures:  # noqa: PLR0915 - one benchmark, told in order
    """Appends, head reads, history reads, 8 writers and import, in interleaved rounds."""
    from _eventsourcing_peer import open_plans, plan_aggregate

    rounds = 3 if quick else 9
    per_round = 5 if quick else 40
    reads = 20 if quick else 300
    contacts = 20 if quick else LONG_CONTACTS
    folder = Path(tempfile.mkdtemp(prefix="integrationsplan-bench-"))

    short = _Ours(folder / "short.db", "ip-short")
    long = _Ours(folder / "long.db", "ip-long", contacts=contacts)
    short.append(1)
    document = short.last_document()
    raw = _Raw(folder / "raw.db", document)
    state = ip.unstructure(short.service.state(short.plan_id))
    change = ip.unstructure(short.change())
    plain_app = open_plans(folder / "es-plain.db", snapshots=False)
    snap_app = open_plans(folder / "es-snap.db", snapshots=True)
    plain = plan_aggregate(state)
    snap = plan_aggregate(state)
    plain_app.save(plain)
    snap_app.save(snap)

    def es_append(app: Any, aggregate: Any, count: int, *, snapshot: bool) -> None:
        for _ in range(count):
            aggregate.revise(change)
            app.save(aggregate)
            if snapshot:
                app.take_snapshot(aggregate.id)

    appends: dict[str, list[tuple[float, float]]] = {"raw": [], "es": [], "es_snap": [], "long": []}
    for _ in range(rounds):
        ours = timed(lambda: short.append(per_round))
        appends["raw"].append((ours, timed(lambda: raw.append(per_round))))
        appends["es"].append((ours, timed(lambda: es_append(plain_app, plain, per_round, snapshot=False))))
        appends["es_snap"].append((ours, timed(lambda: es_append(snap_app, snap, per_round, snapshot=True))))
        appends["long"].append((ours, timed(lambda: long.append(per_round))))

    # -- head reads: decoded from the file, against eventsourcing's reload from a snapshot ------
    heads: dict[str, list[tuple[float, float]]] = {"es_snap": [], "long": []}
    for _ in range(rounds):
        ours = timed(lambda: [short.read_head() for _ in range(reads)])
        heads["es_snap"].append((ours, timed(lambda: [snap_app.repository.get(snap.id) for _ in range(reads)])))
        heads["long"].append((ours, timed(lambda: [long.read_head() for _ in range(reads)])))

    # -- history: 1,000 revisions as domain objects, against 1,000 events replayed -------------
    history_length = 60 if quick else 1_000
    long.append(history_length - long.service.store.version(long.plan_id))
    events = plan_aggregate(state)
    es_append(plain_app, events, history_length - 1, snapshot=False)
    history = []
    for _ in range(rounds):
        ours = timed(lambda: long.service.history(long.plan_id))
        history.append((ours, timed(lambda: plain_app.repository.get(events.id))))

    # -- 8 writers, each on its own plan: ours (group commit) against raw sqlite3 ------------
    plan = example_plan()
    shared = ip.PlanService(SQLiteStore(folder / "threads.db"))
    for n in range(8):
        create = ip.CreatePlan(plan.person, plan.municipality_ags, DAY, DAY, "eis-im-01")
        shared.create_plan(f"ip-t{n}", create, author="eis-im-01", effective_on=DAY, reason="Erstgespräch")
        shared.revise(
            f"ip-t{n}", [ip.AddGoal(g) for g in plan.goals], base=1, author="eis-im-01", effective_on=DAY, reason="Z"
        )
    setup = sqlite3.connect(folder / "raw-threads.db", isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("CREATE TABLE events (stream TEXT, version INTEGER, data BLOB, PRIMARY KEY (stream, version))")
    setup.close()
    versions = dict.fromkeys(range(8), 0)

    def ours_threads() -> None:
        def write(plan_id: str) -> None:
            base = shared.state(plan_id).revision
            for turn in range(per_round):
                change = ip.ReviseGoal(
                    "g-language", f"Thread {turn}: " + ("B1, dann Pflegeausbildung. " * 40).strip(), None
                )
                shared.revise(plan_id, change, base=base, author="eis-im-01", effective_on=DAY, reason="F")
                base += 1

        _run_threads([functools.partial(write, f"ip-t{n}") for n in range(8)])

    def raw_threads() -> None:
        def write(number: int) -> None:
            db = sqlite3.connect(folder / "raw-threads.db", isolation_level=None, timeout=60)
            db.execute("PRAGMA synchronous=FULL")
            for _ in range(per_round):
                versions[number] += 1
                db.execute("BEGIN IMMEDIATE")
                db.execute("INSERT INTO events VALUES (?, ?, ?)", (f"s{number}", versions[number], document))
                db.execute("COMMIT")
            db.close()

        _run_threads([functools.partial(write, n) for n in range(8)])

    threads_rounds = [(timed(ours_threads), timed(raw_threads)) for _ in range(rounds)]

    # -- import: verified histories through the public use case, against raw executemany ------
    import_rounds = _import_rounds(folder, rounds, 100 if quick else 1_000)

    for service in (short, long):
        service.close()
    shared.store.close()
    raw.db.close()
    size = len(document)
    return {
        "append_document_bytes": size,
        "long_history_contacts": contacts,
        "append_vs_raw_sqlite": median_ratio(appends["raw"]),
        "append_vs_eventsourcing": median_ratio(appends["es"]),
        "append_vs_eventsourcing_snapshotting": median_ratio(appends["es_snap"]),
        "append_long_vs_short": 1 / median_ratio(appends["long"]),
        "append_per_s": per_round / statistics.median(ours for ours, _ in appends["raw"]),
        "head_read_vs_eventsourcing_snapshot": median_ratio(heads["es_snap"]),
        "head_read_long_vs_short": 1 / median_ratio(heads["long"]),
        "head_read_ms": statistics.median(ours for ours, _ in heads["long"]) / reads * 1_000,
        "history_1000_vs_eventsourcing": 1 / median_ratio(history),
        "append_8_threads_vs_raw_8_threads": median_ratio(threads_rounds),
        "import_vs_raw_executemany": median_ratio(import_rounds),
    }


def _run_threads(targets: list[Callable[[], None]]) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _import_rounds(folder: Path, rounds: int, plans: int) -> list[tuple[float, float]]:
    """Import ``plans`` exported histories: ours (verify once, batches) against raw executemany."""
    import io

    plan = example_plan()
    source = ip.App(store=f"sqlite:///{folder}/export-source.db", autoload=False)
    for n in range(plans):
        create = ip.CreatePlan(plan.person, plan.municipality_ags, DAY, DAY, "eis-im-01")
        source.plans.create_plan(f"ip-{n}", create, author="eis-im-01", effective_on=DAY, reason="Erstgespräch")
        source.plans.revise(
            f"ip-{n}", [ip.AddGoal(g) for g in plan.goals], base=1, author="eis-im-01", effective_on=DAY, reason="Z"
        )
    out = io.BytesIO()
    source.transfer.export(out)
    lines = out.getvalue().splitlines(keepends=True)
    batches: list[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]] = []
    ids = source.store.plans()
    for start in range(0, len(ids), 500):  # the same batches of 500 plans as the import
        revision_rows: list[tuple[Any, ...]] = []
        head_rows: list[tuple[Any, ...]] = []
        for plan_id in ids[start : start + 500]:
            revision_rows += [
                (s.plan_id, s.number, s.recorded_at.isoformat(), s.hash, s.document) for s in source.store.read(plan_id)
            ]
            head = source.store.head(plan_id)
            head_rows.append(
                (plan_id, head.number, head.recorded_at.isoformat(), head.hash, head.municipality_ags, head.status,
                 head.manager_id, head.document)
            )  # fmt: skip
        batches.append((revision_rows, head_rows))
    source.close()
    result = []
    for index in range(rounds):
        target = ip.App(store=f"sqlite:///{folder}/import-{index}.db", autoload=False)
        target.store  # noqa: B018 - create the file before the clock starts
        ours = timed(functools.partial(target.transfer.import_lines, iter(lines)))
        target.close()
        raw_path = folder / f"raw-import-{index}.db"
        SQLiteStore(raw_path).close()  # the same schema, triggers included

        def raw_import(path: Path = raw_path) -> None:
            db = sqlite3.connect(path, isolation_level=None)
            db.execute("PRAGMA synchronous=FULL")
            for revision_rows, head_rows in batches:
                db.execute("BEGIN IMMEDIATE")
                db.executemany(
                    "INSERT INTO revisions (plan_id, number, recorded_at, hash, document) VALUES (?, ?, ?, ?, ?)",
                    revision_rows,
                )
                db.executemany(
                    "INSERT INTO heads (plan_id, number, recorded_at, hash, municipality_ags, status, manager_id,"
                    " state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    head_rows,
                )
                db.execute("COMMIT")
            db.close()

        result.append((ours, timed(raw_import)))
    return result
