"""The postgres section: the library's PostgreSQL store against raw psycopg and eventsourcing.

Everything runs against one throwaway server started for this run from the machine's
binaries, durable (``fsync`` and ``synchronous_commit`` on), listening on a Unix socket.
The peers write the same bytes: raw psycopg inserts our revision documents (one INSERT
per transaction, the simplest durable append there is), and eventsourcing's PostgreSQL
persistence holds the same nested plan state and records the same change per event (its
snapshot variant takes a snapshot on every save, the guarantee our head gives). Rounds
interleave the peers (ours, raw, eventsourcing, ours, ...), and each figure is the median
of the per-round ratios. Ours runs as a town's role, with row-level security on.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import statistics
import timeit
from collections.abc import Callable
from typing import Any

import psycopg

import integrationsplan as ip
import integrationsplan.services as ip_services
from _common import Figures, median_ratio, timed
from integrationsplan.storage.postgres import PostgresStore
from integrationsplan.testing.examples import example_plan
from integrationsplan.testing.postgres import MISSING, PostgresDatabase, find_binaries, throwaway_server

DAY = dt.date(2023, 3, 15)
_FILLER = ("B1, dann Pflegeausbildung. " * 40).strip()


def _service(url: str) -> ip.PlanService:
    clock = ip_services.ManualClock(dt.datetime(2023, 3, 15, tzinfo=dt.UTC))
    return ip.PlanService(PostgresStore.from_url(url), clock=clock)


def _create(service: ip.PlanService, plan_id: str) -> None:
    plan = example_plan()
    create = ip.CreatePlan(plan.person, plan.municipality_ags, DAY, DAY, "eis-im-01")
    service.create_plan(plan_id, create, author="eis-im-01", effective_on=DAY, reason="Erstgespräch")
    service.revise(
        plan_id, [ip.AddGoal(g) for g in plan.goals], base=1, author="eis-im-01", effective_on=DAY, reason="Z"
    )


def _change(turn: int) -> Any:
    return ip.ReviseGoal("g-language", f"Fortschreibung {turn}: {_FILLER}", None)


def _append(service: ip.PlanService, plan_id: str, count: int) -> None:
    base = service.store.version(plan_id)
    for turn in range(count):
        service.revise(plan_id, _change(turn), base=base, author="eis-im-01", effective_on=DAY, reason="Fortschreibung")
        base += 1


def _es_env(database: PostgresDatabase) -> dict[str, str]:
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": database.name,
        "POSTGRES_HOST": str(database.server.socket_dir),
        "POSTGRES_PORT": "5432",
        "POSTGRES_USER": database.server.superuser,
        "POSTGRES_PASSWORD": "",
    }


def _es_app(database: PostgresDatabase, *, snapshots: bool) -> Any:
    from _eventsourcing_peer import _Plans

    app = _Plans(env=_es_env(database))
    app.is_snapshotting_enabled = snapshots
    return app


# -- 8 writer processes ------------------------------------------------------------------------


def _ours_writer(url: str, plan_id: str, count: int, barrier: Any) -> None:
    service = _service(url)
    service.state(plan_id)  # warm: the head is cached, the pool connected
    barrier.wait(timeout=300)
    _append(service, plan_id, count)
    service.store.close()


def _es_writer(env: dict[str, str], state: dict[str, Any], change: dict[str, Any], count: int, barrier: Any) -> None:
    from _eventsourcing_peer import _Plans, plan_aggregate

    app = _Plans(env=env)
    app.is_snapshotting_enabled = False
    aggregate = plan_aggregate(state)
    app.save(aggregate)
    barrier.wait(timeout=300)
    for _ in range(count):
        aggregate.revise(change)
        app.save(aggregate)
    app.close()


def _processes(targets: list[tuple[Callable[..., None], tuple[Any, ...]]]) -> float:
    """Start every writer, let them connect and warm up, then time them from a shared start."""
    context = multiprocessing.get_context("forkserver")
    barrier = context.Barrier(len(targets) + 1)
    processes = [context.Process(target=target, args=(*args, barrier)) for target, args in targets]
    for process in processes:
        process.start()
    barrier.wait(timeout=300)  # a writer that fails to start breaks the barrier instead of hanging
    started = timeit.default_timer()
    for process in processes:
        process.join()
        if process.exitcode != 0:
            raise RuntimeError(f"a writer process failed ({process.exitcode})")
    return timeit.default_timer() - started


def postgres(quick: bool) -> Figures:  # noqa: PLR0915 - one benchmark, told in order
    """Appends (one writer, 8 processes), head reads and the report on a throwaway server."""
    if find_binaries() is None:
        raise SystemExit(f"the postgres section needs a PostgreSQL server: {MISSING}")
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent))
    from _eventsourcing_peer import plan_aggregate

    rounds = 3 if quick else 9
    per_round = 5 if quick else 40
    reads = 20 if quick else 300
    per_process = 5 if quick else 40
    report_plans = 300 if quick else 100_000
    settings = {"shared_buffers": "'256MB'", "max_wal_size": "'4GB'"}
    with throwaway_server(durable=True, settings=settings) as server, PostgresDatabase.create(server) as database:
        url = database.url("town_eislingen", municipality="08117019")
        ours = _service(url)
        _create(ours, "ip-1")
        _append(ours, "ip-1", 1)
        document = ours.store.read("ip-1", ours.store.version("ip-1"))[0].document
        state = ip.unstructure(ours.state("ip-1"))
        change = ip.unstructure(_change(0))

        # The raw peer at its best: autocommit, so each INSERT is its own transaction in one
        # round trip (psycopg's default would add a BEGIN and a COMMIT round trip).
        raw = psycopg.connect(database.admin_url, autocommit=True)
        raw.execute("CREATE TABLE raw_events (stream text, version integer, data bytea, PRIMARY KEY (stream, version))")
        raw_version = 0

        def raw_append(count: int) -> None:
            nonlocal raw_version
            for _ in range(count):
                raw_version += 1
                raw.execute("INSERT INTO raw_events VALUES (%s, %s, %s)", ("plan", raw_version, document))

        plain_app = _es_app(database, snapshots=False)
        snap_app = _es_app(database, snapshots=True)
        plain, snap = plan_aggregate(state), plan_aggregate(state)
        plain_app.save(plain)
        snap_app.save(snap)
        snap_app.take_snapshot(snap.id)

        appends: dict[str, list[tuple[float, float]]] = {"raw": [], "es": []}
        for _ in range(rounds):
            mine = timed(lambda: _append(ours, "ip-1", per_round))
            appends["raw"].append((mine, timed(lambda: raw_append(per_round))))

            def es_append() -> None:
                for _ in range(per_round):
                    plain.revise(change)
                    plain_app.save(plain)

            appends["es"].append((mine, timed(es_append)))

        heads: list[tuple[float, float]] = []
        for _ in range(rounds):

            def read_heads() -> None:
                for _ in range(reads):
                    ours.mapper.clear()  # decode from the database, as a new process would
                    ours.state("ip-1")

            mine = timed(read_heads)
            heads.append((mine, timed(lambda: [snap_app.repository.get(snap.id) for _ in range(reads)])))

        writers = 8
        for n in range(writers):
            _create(ours, f"ip-w{n}")
        env = _es_env(database) | {"CREATE_TABLE": "no"}  # the tables exist; 8 racing DDLs would clash
        process_rounds: list[tuple[float, float]] = []
        for _ in range(max(3, rounds // 3)):
            mine = _processes([(_ours_writer, (url, f"ip-w{n}", per_process)) for n in range(writers)])
            peer = _processes([(_es_writer, (env, state, change, per_process)) for n in range(writers)])
            process_rounds.append((mine, peer))
        ours.store.close()
        raw.close()
        plain_app.close()
        snap_app.close()

        # -- the key figures over many plans, read by the reporting role ------------------------
        from integrationsplan.storage.postgres import grant
        from run import _generated_histories

        grant(database.admin_url, "towns_both", ["08115003"])  # the third town of the generated plans
        with PostgresStore.from_url(database.url("towns_both", pool_size="2")) as store:
            ip.PlanService(store).import_histories(_generated_histories(report_plans), batch_size=2_000)
        with psycopg.connect(database.admin_url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        report_seconds = _report_seconds(database.url("statistics"))
    return {
        "pg_append_document_bytes": len(document),
        "pg_append_vs_raw_psycopg": median_ratio(appends["raw"]),
        "pg_append_vs_eventsourcing": median_ratio(appends["es"]),
        "pg_append_per_s": per_round / statistics.median(mine for mine, _ in appends["raw"]),
        "pg_append_8_procs_vs_eventsourcing": median_ratio(process_rounds),
        "pg_append_8_procs_per_s": writers * per_process / statistics.median(mine for mine, _ in process_rounds),
        "pg_head_read_vs_eventsourcing_snapshot": median_ratio(heads),
        "pg_head_read_ms": statistics.median(mine for mine, _ in heads) / reads * 1_000,
        f"pg_report_{'quick' if quick else '100k'}_s": report_seconds,
        "pg_cpu_count": float(os.cpu_count() or 0),
    }


def _report_seconds(url: str) -> float:
    towns = ["08117019", "08111000", "08115003"]
    with ip.App(store=url, read_only=True, autoload=False) as app:
        started = timeit.default_timer()
        figures = app.kennzahlen(2024, towns)
        seconds = timeit.default_timer() - started
    assert figures
    return seconds
