"""Benchmarks of integrationsplan: ``python benchmarks/run.py SECTION [SECTION ...] [--json]``.

Prints a table of figures, or with ``--json`` one JSON object mapping each figure
name to a number. Peers that a figure compares against run in the same process, side
by side, so a comparison is a ratio measured under the same conditions. Timing takes
the best of several repeats, which is the least disturbed by other load.

Sections: ``serialization``, ``revisions``, ``rules``, ``storage``,
``office_hours``, ``reports``, ``postgres`` (starts a throwaway PostgreSQL server),
``privacy``, ``appointments``, ``startup``.
Later issues add theirs to ``SECTIONS``.
"""

from __future__ import annotations

import argparse
import json
import sys
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Any

import integrationsplan.domain as ip_domain
import integrationsplan.history as ip_history
import integrationsplan.rules as ip_rules
import integrationsplan.serialization as ip_serialization
import integrationsplan.services as ip_services

sys.path.insert(0, str(Path(__file__).resolve().parent))

Figures = dict[str, float]


def best_seconds(function: Callable[[], object], *, number: int, repeat: int = 7) -> float:
    """Seconds per call: the best of ``repeat`` runs of ``number`` calls."""
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number


def serialization(quick: bool) -> Figures:
    """Dump and load the ~3-4 KB example plan; msgspec decodes the same bytes as peer."""
    import orjson

    import integrationsplan as ip
    from _msgspec_peer import DECODER
    from integrationsplan.testing.examples import example_plan

    plan = example_plan()
    document = ip.dumps(plan)
    assert ip.loads(document, ip.IntegrationPlan) == plan
    assert DECODER.decode(document).data.id == plan.id

    number = 20 if quick else 2_000
    dumps = best_seconds(lambda: ip.dumps(plan), number=number)
    loads = best_seconds(lambda: ip.loads(document, ip.IntegrationPlan), number=number)
    trusted = best_seconds(lambda: ip.loads(document, ip.IntegrationPlan, trusted=True), number=number)
    peer = best_seconds(lambda: DECODER.decode(document), number=number * 10)
    # Does orjson pay? The same parse and the same canonical write with the stdlib.
    data = ip.unstructure(plan)
    parse_orjson = best_seconds(lambda: orjson.loads(document), number=number * 10)
    parse_stdlib = best_seconds(lambda: json.loads(document), number=number * 10)
    write_orjson = best_seconds(lambda: ip_serialization.canonical_json(data), number=number * 10)
    write_stdlib = best_seconds(
        lambda: json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(), number=number * 10
    )
    return {
        "plan_document_bytes": len(document),
        "plan_dumps_per_s": 1 / dumps,
        "plan_loads_per_s": 1 / loads,
        "plan_loads_trusted_per_s": 1 / trusted,
        "msgspec_loads_per_s": 1 / peer,
        "loads_vs_msgspec": peer / trusted,
        "validated_loads_vs_msgspec": peer / loads,
        "orjson_parse_speedup_vs_json": parse_stdlib / parse_orjson,
        "orjson_write_speedup_vs_json": write_stdlib / write_orjson,
    }


def revisions(quick: bool) -> Figures:
    """Replay a 1,000-revision history from its stored documents; revise in memory.

    The history is the example plan (7 goals, 10 measures, 4 competencies) followed by a
    realistic mix of Fortschreibungen: counselling contacts, goal status changes,
    new and finished measures, developments, revised goals.
    """
    import datetime as dt

    import integrationsplan as ip
    from integrationsplan.testing.examples import example_plan

    service, plan_id = _long_history(ip, example_plan(), 1_000)
    documents = [stored.document for stored in service.store.read(plan_id)]
    assert len(documents) == 1_000

    def fold() -> object:
        return ip_domain.replay(ip.loads(document, ip.Revision, trusted=True) for document in documents)

    assert fold() == service.state(plan_id)
    fold_seconds = best_seconds(fold, number=1, repeat=3 if quick else 9)

    clock = service.clock
    assert isinstance(clock, ip_services.ManualClock)
    count = 50 if quick else 5_000
    head = service.state(plan_id).revision
    effective_on = service.state(plan_id).effective_on
    changes = [
        ip.RecordCounsellingContact(
            ip.CounsellingContact(
                clock.advance(dt.timedelta(minutes=30)), ip.ContactMode.PHONE, 15, (ip.GoalArea.HOUSING,)
            )
        )
        for _ in range(count)
    ]
    started = timeit.default_timer()
    for offset, change in enumerate(changes):
        service.revise(
            plan_id, change, base=head + offset, author="eis-im-01", effective_on=effective_on, reason="Anruf"
        )
    revise_seconds = (timeit.default_timer() - started) / count
    return {
        "fold_1000_revisions_ms": fold_seconds * 1_000,
        "revise_per_s": 1 / revise_seconds,
    }


def _long_history(ip: Any, plan: Any, length: int) -> tuple[Any, str]:
    """A plan created from ``plan`` and revised until it has ``length`` revisions."""
    import datetime as dt
    import itertools

    clock = ip_services.ManualClock(dt.datetime(2023, 3, 15, 9, tzinfo=dt.UTC))
    service = ip.PlanService(clock=clock)
    day = plan.drawn_up_on
    create = ip.CreatePlan(plan.person, plan.municipality_ags, day, day, plan.manager_id)
    service.create_plan(plan.id, create, author="eis-im-01", effective_on=day, reason="Erstgespräch")
    first = [ip.AddGoal(goal) for goal in plan.goals] + [ip.RecordCompetency(c) for c in plan.competencies]
    state = service.revise(plan.id, first, base=1, author="eis-im-01", effective_on=day, reason="Zielvereinbarung")
    modes = itertools.cycle(list(ip.ContactMode))
    areas = itertools.cycle(list(ip.GoalArea))
    goal_ids = itertools.cycle([goal.id for goal in plan.goals])
    for number in range(3, length + 1):
        at = clock.advance(dt.timedelta(hours=20))
        day = at.date()
        kind = number % 10
        goal_id = next(goal_ids)
        goal = next(g for g in state.plan.goals if g.id == goal_id)
        change: Any
        if kind == 0 and goal.status.is_open:
            measure = ip.Measure(
                f"m-{number}", "Follow-up appointment.", ip.Responsible(ip.ResponsibleParty.MANAGER), day
            )
            change = ip.AddMeasure(goal_id, measure)
        elif kind == 1:
            change = ip.RecordDevelopment(ip.Development(f"d-{number}", day, "Progress noted in the course."))
        elif kind == 2:
            change = ip.ReviseGoal(goal_id, goal.statement, None)
        elif kind == 3:
            status = ip.GoalStatus.ON_HOLD if goal.status is ip.GoalStatus.ACTIVE else ip.GoalStatus.ACTIVE
            change = ip.ChangeGoalStatus(goal_id, status, ip.Achievement.PARTIAL)
        elif kind == 4 and goal.status.is_open and any(m.status is ip.MeasureStatus.PLANNED for m in goal.measures):
            measure_id = next(m.id for m in goal.measures if m.status is ip.MeasureStatus.PLANNED)
            change = ip.CompleteMeasure(measure_id)
        else:
            contact = ip.CounsellingContact(at, next(modes), 45, (next(areas),), interpreter_used=number % 3 == 0)
            change = ip.RecordCounsellingContact(contact)
        state = service.revise(
            plan.id, change, base=number - 1, author="eis-im-01", effective_on=day, reason="Fortschreibung"
        )
    return service, plan.id


def rules(quick: bool) -> Figures:
    """Eligibility decisions over 100,000 generated persons; support periods per second.

    Persons are drawn once from the public Hypothesis strategies (allocated to the
    municipality or elsewhere, every residence status, many nationalities) and then
    decided on days spread over 2016-2026, on one core.
    """
    import datetime as dt
    import random

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    import integrationsplan as ip
    from integrationsplan.testing import strategies as ips

    pool: list[Any] = []

    @settings(max_examples=200 if quick else 2_000, database=None, suppress_health_check=list(HealthCheck))
    @given(ips.persons(), st.booleans())
    def collect(person: Any, here: bool) -> None:
        if here and person.allocation is not None:
            person = _move(ip, person, "08117019")
        pool.append(person)

    collect()
    count = 1_000 if quick else 100_000
    rng = random.Random(4)  # noqa: S311 - benchmark data, not security
    start = dt.date(2016, 1, 1)
    cases = [
        ip_rules.EligibilityCase(rng.choice(pool), "08117019", start + dt.timedelta(days=rng.randrange(3_650)))
        for _ in range(count)
    ]
    decide = ip_rules.DEFAULT_RULE_SET.decide
    started = timeit.default_timer()
    outcomes = [decide(case).outcome for case in cases]
    eligibility_seconds = timeit.default_timer() - started
    assert len(outcomes) == count

    starts = [start + dt.timedelta(days=rng.randrange(3_650)) for _ in range(count)]
    policies = [ip.TWO_YEAR, ip.VWV_2023]
    extension = (ip_domain.SupportExtension(start, 6, "Begründung"),)
    started = timeit.default_timer()
    for index, day in enumerate(starts):
        period = ip_rules.support_period(policies[index % 2], day, extensions=extension if index % 3 == 0 else ())
        period.is_active(day)
    support_seconds = timeit.default_timer() - started
    return {
        "eligibility_per_s": count / eligibility_seconds,
        "support_period_per_s": count / support_seconds,
    }


def storage(quick: bool) -> Figures:
    """The SQLite store against raw sqlite3 and eventsourcing, in interleaved rounds (see _storage.py)."""
    from _storage import storage as run

    return run(quick)


def postgres(quick: bool) -> Figures:
    """The PostgreSQL store against raw psycopg and eventsourcing on a throwaway server (see _postgres.py)."""
    from _postgres import postgres as run

    return run(quick)


def privacy(quick: bool) -> Figures:
    """Encryption at rest against plain storage and eventsourcing's AES cipher (see _privacy.py)."""
    from _privacy import privacy as run

    return run(quick)


def startup(quick: bool) -> Figures:
    """Importing the library and starting the command line, against their baselines (see _startup.py)."""
    from _startup import startup as run

    return run(quick)


def appointments(quick: bool) -> Figures:
    """Free appointment slots of four weeks against a year of office hours (see _appointments.py)."""
    from _appointments import appointments as run

    return run(quick)


def office_hours(quick: bool) -> Figures:
    """All office hours of the next 52 weeks for one municipality, holidays excluded.

    The day-by-day walk starts at the query (never at the recurrence's first date); the
    holiday calendar of a state and year is computed once and cached.
    """
    import datetime as dt
    import zoneinfo

    from integrationsplan.testing.examples import EISLINGEN_OFFICE_HOURS

    start = dt.datetime(2025, 11, 24, 8, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    end = start + dt.timedelta(weeks=52)
    found = ip_rules.occurrences(EISLINGEN_OFFICE_HOURS, start, end)
    assert 90 <= len(found) <= 104
    seconds = best_seconds(
        lambda: ip_rules.occurrences(EISLINGEN_OFFICE_HOURS, start, end), number=20 if quick else 500
    )
    return {"office_hours_next_52_weeks_ms": seconds * 1_000}


_REPORT_CHILD = """
import json, resource, sys, timeit
import integrationsplan as ip
from integrationsplan.reports import kennzahlen
before = int(open("/proc/self/statm").read().split()[1]) * resource.getpagesize()
with ip.SQLiteStore(sys.argv[1]) as store:
    started = timeit.default_timer()
    report = kennzahlen(ip.PlanService(store), 2024, sys.argv[2:])
    seconds = timeit.default_timer() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps([seconds, (peak - before) / 2**20, report.value("totals", "plans_counselled")]))
"""


def _report_in_a_new_process(path: Any, towns: list[str]) -> tuple[float, float, int]:
    """The report in a fresh process (cold caches): seconds, and the memory it added at its peak (MB)."""
    import subprocess

    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _REPORT_CHILD, str(path), *towns], capture_output=True, text=True, check=True
    )
    seconds, peak_mb, counted = json.loads(result.stdout)
    return float(seconds), float(peak_mb), int(counted)


def _generated_histories(count: int) -> Any:
    """``count`` realistic, sealed plan histories of 2024 spread over three towns.

    Each plan: drawn up (revision 1), a goal agreement with two goals and a counselling
    contact (2), and for some a goal reached and the plan closed (3). Persons differ in
    sex, year of birth and nationality, so every section of the report has cells.
    """
    import datetime as dt

    import attrs

    import integrationsplan as ip
    from integrationsplan.testing.examples import example_plan

    example = example_plan()
    towns = ("08117019", "08111000", "08115003")
    nationalities = ("SYR", "AFG", "UKR", "IRQ", "ERI", "TUR", "NGA", "GMB")
    templates = [attrs.evolve(goal, target_date=None, measures=()) for goal in example.goals[:2]]
    placeholder = "0" * 64
    for number in range(count):
        plan_id = f"ip-{number:06d}"
        day = dt.date(2024, 1, 2) + dt.timedelta(days=number % 300)
        at = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
        person = attrs.evolve(
            example.person,
            id=f"p-{number:06d}",
            sex=(ip.Sex.FEMALE, ip.Sex.MALE)[number % 2],
            date_of_birth=ip.PartialDate(1960 + number % 50),
            nationalities=(nationalities[number % len(nationalities)],),
            allocation=None,
        )
        manager = f"im-{number % 40:02d}"
        goals = [attrs.evolve(goal, agreed_on=day) for goal in templates]
        create = ip.CreatePlan(person, towns[number % 3], day, day, manager)
        contact = ip.CounsellingContact(at, (ip.ContactMode.OFFICE_HOURS, ip.ContactMode.PHONE)[number % 2], 30,
                                        (ip.GoalArea.LANGUAGE,))  # fmt: skip
        steps: list[tuple[list[Any], str]] = [
            ([create], "Erstgespräch"),
            ([*(ip.AddGoal(goal) for goal in goals), ip.RecordCounsellingContact(contact)], "Zielvereinbarung"),
        ]
        if number % 4 == 0:
            steps.append(
                (
                    [
                        ip.ChangeGoalStatus(goals[0].id, ip.GoalStatus.ACHIEVED, ip.Achievement.FULL),
                        ip.ClosePlan(ip.ClosureReason.GOALS_REACHED),
                    ],
                    "Abschluss",
                )
            )
        history: list[Any] = []
        for index, (changes, reason) in enumerate(steps, start=1):
            revision = ip.Revision(
                plan_id=plan_id,
                number=index,
                recorded_at=at + dt.timedelta(hours=index),
                effective_on=day,
                author=manager,
                kind=ip.RevisionKind.UPDATE,
                reason=reason,
                changes=tuple(changes),
                corrects=None,
                previous_hash=history[-1].hash if history else None,
                hash=placeholder,
            )
            history.append(ip_history.seal(revision))
        yield history


def reports(quick: bool) -> Figures:
    """The annual key figures over many plans in SQLite, and an export/import round trip."""
    import io
    import tempfile
    from contextlib import redirect_stdout
    from pathlib import Path

    import integrationsplan as ip
    from integrationsplan.cli import main as cli
    from integrationsplan.storage.sqlite import SQLiteStore

    folder = Path(tempfile.mkdtemp(prefix="integrationsplan-bench-"))
    sizes = {"10k": 300 if quick else 10_000, "100k": 1_000 if quick else 100_000}
    towns = ["08117019", "08111000", "08115003"]
    figures: Figures = {}
    for label, size in sizes.items():
        path = folder / f"plans-{label}.db"
        with SQLiteStore(path, synchronous="normal") as store:
            ip.PlanService(store).import_histories(_generated_histories(size), batch_size=2_000)
        seconds, peak_mb, counted = _report_in_a_new_process(path, towns)
        figures[f"report_{label}_s"] = seconds
        figures[f"report_{label}_peak_mb"] = peak_mb
        assert counted == size
    figures["report_100k_vs_10k"] = figures["report_100k_s"] / figures["report_10k_s"]
    source = f"sqlite:///{folder}/plans-10k.db"
    exported = folder / "plans.jsonl"
    started = timeit.default_timer()
    assert cli(["--no-progress", "--store", source, "export", "--output", str(exported)]) == 0
    copy = f"sqlite:///{folder}/copy.db"
    with redirect_stdout(io.StringIO()):
        assert cli(["--no-progress", "--store", copy, "import", str(exported)]) == 0
    figures["export_import_10k_s"] = timeit.default_timer() - started
    figures["export_10k_bytes"] = exported.stat().st_size
    return figures


def _move(ip: Any, person: Any, ags: str) -> Any:
    import attrs

    return attrs.evolve(person, allocation=attrs.evolve(person.allocation, municipality_ags=ags))


SECTIONS: dict[str, Callable[[bool], Figures]] = {
    "serialization": serialization,
    "revisions": revisions,
    "rules": rules,
    "storage": storage,
    "office_hours": office_hours,
    "reports": reports,
    "postgres": postgres,
    "privacy": privacy,
    "appointments": appointments,
    "startup": startup,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("sections", nargs="*", metavar="SECTION", help=f"one of: {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--json", action="store_true", help="print one JSON object of figure name to number")
    parser.add_argument("--quick", action="store_true", help="few iterations: checks that the benchmarks run")
    args = parser.parse_args(argv)
    unknown = [name for name in args.sections if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    figures: Figures = {}
    for name in args.sections or list(SECTIONS):
        figures |= SECTIONS[name](args.quick)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        width = max(len(name) for name in figures)
        for name, value in figures.items():
            print(f"{name:<{width}}  {value:>14,.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
