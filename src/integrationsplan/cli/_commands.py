"""The commands of ``integrationsplan``: parse, one call of a public use case, render.

Nothing here computes what an application could not compute the same way: every call
goes to the [`App`][integrationsplan.App] and its services.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from integrationsplan.app import App
from integrationsplan.cli import _render
from integrationsplan.cli._context import Context, UsageError, to_json
from integrationsplan.domain import (
    Appointment,
    BookingChannel,
    CancelledBy,
    CreatePlan,
    GoalArea,
    Outcome,
    Override,
    Person,
    Place,
    PlaceKind,
    PlanState,
    Stage,
)
from integrationsplan.errors import ConfigurationError
from integrationsplan.i18n import texts
from integrationsplan.reports.disclosure import disclosure_json, disclosure_text
from integrationsplan.serialization import loads_changes, structure, unstructure
from integrationsplan.serialization.schema import SCHEMAS
from integrationsplan.serialization.schema import schema as schema_of
from integrationsplan.services import grant_store, listen_store, migrate_store, setup_sql, setup_store
from integrationsplan.services.clock import ManualClock
from integrationsplan.testing.examples import DEMO_TODAY, demo_case

__all__ = ["COMMANDS", "READ_ONLY"]

OK, REFUSED = 0, 1


# -- plans ----------------------------------------------------------------------------------


def plan_create(ctx: Context) -> int:
    args = ctx.args
    data = ctx.read_json(args.file)
    if isinstance(data, dict) and data.get("change") == "create_plan":
        data = {key: value for key, value in data.items() if key != "change"}
    create = structure(data, CreatePlan)
    state = ctx.app.plans.create_plan(
        args.plan_id, create, author=args.author, effective_on=args.effective_on, reason=args.reason
    )
    return _written(ctx, state)


def plan_revise(ctx: Context) -> int:
    args = ctx.args
    changes = loads_changes(ctx.read_bytes(args.file))
    plans = ctx.app.plans
    common: dict[str, Any] = {"base": args.base, "author": args.author, "reason": args.reason}
    if args.corrects is not None:  # a correction is effective when the corrected revision was, unless told
        state = plans.correct(args.plan_id, changes, corrects=args.corrects, effective_on=args.effective_on, **common)
    elif args.effective_on is None:
        raise UsageError("an update needs --effective-on DATE (only a correction may leave it out)")
    else:
        state = plans.revise(args.plan_id, changes, effective_on=args.effective_on, **common)
    return _written(ctx, state)


def _written(ctx: Context, state: PlanState) -> int:
    ctx.emit(
        {"plan_id": state.plan_id, "revision": state.revision, "status": state.status.value},
        f"Plan {state.plan_id}: Revision {state.revision} gespeichert / saved ({_DE.label(state.status)})\n",
    )
    return OK


def plan_show(ctx: Context) -> int:
    view = ctx.app.plans.show(ctx.args.plan_id, on=ctx.today(), as_of=ctx.args.as_of)
    ctx.emit(_render.view_data(view), _render.view_text(view))
    return OK


def plan_print(ctx: Context) -> int:
    args = ctx.args
    output: str = args.output
    form = "html" if output.lower().endswith((".html", ".htm")) else "pdf"
    data = ctx.app.print_plan(args.plan_id, language=args.language, on=args.on or ctx.today(), output=form)
    with _private_file(output) as out:  # the plan holds personal data
        out.write(data)
    ctx.emit({"plan_id": args.plan_id, "output": output, "bytes": len(data)}, f"{output}\n")
    return OK


def plan_history(ctx: Context) -> int:
    revisions = ctx.app.plans.history(ctx.args.plan_id)
    ctx.emit([unstructure(revision) for revision in revisions], _render.history_text(revisions))
    return OK


def plan_diff(ctx: Context) -> int:
    args = ctx.args
    diff = ctx.app.plans.diff(args.plan_id, args.from_revision, args.to_revision)
    data = [unstructure(change) for change in diff.changes]
    ctx.emit(
        {"plan_id": args.plan_id, "from": args.from_revision, "to": args.to_revision, "changes": data},
        _render.diff_text(diff, args.language),
    )
    return OK


def plan_list(ctx: Context) -> int:
    args = ctx.args
    ids = ctx.app.plans.plans(municipality_ags=args.municipality, status=args.status, manager_id=args.manager)
    ctx.emit(ids, "".join(f"{plan_id}\n" for plan_id in ids))
    return OK


def plan_verify(ctx: Context) -> int:
    with ctx.progress(0, "verify") as bar:
        result = ctx.app.plans.verify_plans(ctx.args.plan_ids, progress=_stepper(bar))
    lines = [f"{plan_id}: {_revisions(n)} geprüft / verified\n" for plan_id, n in result.verified.items()]
    lines += [f"{f.plan_id}: FEHLER / FAILED: {f.where}: {f.problem}\n" for f in result.findings]
    findings = [{"plan_id": f.plan_id, "where": f.where, "problem": f.problem} for f in result.findings]
    ctx.emit({"verified": result.verified, "failed": result.failed, "findings": findings}, "".join(lines))
    return OK if result.ok else REFUSED


def _stepper(bar: Any) -> Callable[[int, int], None]:
    def step(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    return step


# -- eligibility, office hours ------------------------------------------------------------------


def eligibility_check(ctx: Context) -> int:
    args = ctx.args
    person = structure(ctx.read_json(args.file), Person)
    decision = ctx.app.eligibility.check(person, args.municipality, args.on or ctx.today(), Stage(args.stage))
    ctx.emit(unstructure(decision), _render.decision_text(decision))
    return REFUSED if decision.outcome is Outcome.NOT_ELIGIBLE else OK


def eligibility_decide(ctx: Context) -> int:
    args = ctx.args
    on = args.on or ctx.today()
    override = None
    if args.override is not None:
        if not args.justification:
            raise UsageError("--override needs --justification: a manual decision says why")
        override = Override(Outcome(args.override), args.author, on, args.justification)
    elif args.justification:
        raise UsageError("--justification belongs to --override")
    decision, state = ctx.app.eligibility.decide(
        args.plan_id,
        on=on,
        stage=Stage(args.stage),
        base=args.base,
        author=args.author,
        reason=args.reason,
        override=override,
    )
    ctx.emit(
        {"decision": unstructure(decision), "plan_id": state.plan_id, "revision": state.revision},
        _render.decision_text(decision) + f"Plan {state.plan_id}: Revision {state.revision} gespeichert / saved\n",
    )
    return OK


def office_hours_next(ctx: Context) -> int:
    args = ctx.args
    after: dt.date | dt.datetime = args.today if args.today else ctx.app.clock.now()
    found = ctx.app.office_hours_service.next(args.municipality, args.count, after=after)
    ctx.emit([unstructure(occurrence) for occurrence in found], _render.occurrences_text(found))
    return OK


def office_hours_ical(ctx: Context) -> int:
    args = ctx.args
    ctx.out.write(ctx.app.office_hours_service.icalendar(args.municipality, on=ctx.today(), weeks=args.weeks).decode())
    return OK


def office_hours_osm(ctx: Context) -> int:
    service, ags, on = ctx.app.office_hours_service, ctx.args.municipality, ctx.today()
    value = service.opening_hours(ags, on=on)
    ctx.emit({"opening_hours": value, "schema_org": service.schema_org(ags, on=on)}, value + "\n")
    return OK


# -- caseloads, work lists, reports ---------------------------------------------------------


def caseload(ctx: Context) -> int:
    args = ctx.args
    options: dict[str, Any] = {} if args.ratio is None else {"cases_per_fte": args.ratio}
    loads = ctx.app.caseloads(**options).caseloads(municipality_ags=args.municipality)
    ctx.emit([unstructure(load) for load in loads], _render.caseloads_text(loads))
    return OK


def hand_over(ctx: Context) -> int:
    args = ctx.args
    result = ctx.app.caseloads().hand_over(
        args.from_manager,
        args.to,
        effective_on=args.effective_on or ctx.today(),
        author=args.author,
        reason=args.reason,
    )
    lines = [f"{plan_id} -> {manager}\n" for plan_id, manager in result.moved.items()]
    lines += [f"{plan_id}: abgelehnt / refused ({why})\n" for plan_id, why in result.refused.items()]
    ctx.emit({"moved": result.moved, "refused": result.refused}, "".join(lines) or "(keine Fälle / no cases)\n")
    return OK if result.complete else REFUSED


def worklist(ctx: Context) -> int:
    args = ctx.args
    items = ctx.app.caseloads().work_list(args.manager, args.on or ctx.today())
    ctx.emit([unstructure(item) for item in items], _render.work_text(items))
    return OK


def report_kennzahlen(ctx: Context) -> int:
    args = ctx.args
    with ctx.progress(0, "report") as bar:
        report = ctx.app.kennzahlen(args.year, args.municipality, threshold=args.threshold, progress=_stepper(bar))
    form = "json" if ctx.as_json else args.format
    if form == "csv":
        ctx.out.write(report.to_csv(ctx.args.dialect))
    else:
        ctx.out.write({"json": report.to_json, "table": report.to_table}[form]())
    return OK


# -- export, import, erase, plugins ---------------------------------------------------------


def export(ctx: Context) -> int:
    output: str | None = ctx.args.output
    if ctx.args.recipient is not None:  # refuse before a file is created
        ctx.app.transfer.require_consents(ctx.args.plan_ids or None, recipient=ctx.args.recipient, on=ctx.today())
    out: BinaryIO = sys.stdout.buffer if output in (None, "-") else _private_file(output)
    try:
        if ctx.args.pseudonymised:
            if ctx.args.plan_ids:
                raise UsageError("a pseudonymised export covers every plan (of --municipality); name no plan ids")
            ctx.app.export_pseudonymised(out, municipality_ags=ctx.args.municipality)
        else:
            if ctx.args.municipality:
                raise UsageError("--municipality goes with --pseudonymised; name plan ids for a full export")
            recipient: str | None = ctx.args.recipient
            with ctx.progress(0, "export") as bar:
                ctx.app.transfer.export(
                    out,
                    ctx.args.plan_ids or None,
                    recipient=recipient,
                    on=ctx.today() if recipient is not None else None,
                    progress=_stepper(bar),
                    sealed=False if ctx.args.plaintext else None,
                )
        out.flush()
    finally:
        if out is not sys.stdout.buffer:
            out.close()
    return OK


def _private_file(path: str) -> BinaryIO:
    """A new file only its owner can read: an export holds personal data."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        raise UsageError(f"cannot write {path!r}: {error.strerror or type(error).__name__}") from None
    return os.fdopen(descriptor, "wb")


def import_(ctx: Context) -> int:
    source = ctx.args.file
    with ctx.open_input(source) as lines, ctx.progress(0, "import", unit="line") as bar:

        def step(done: int) -> None:
            bar.update(done - bar.n)

        summary = ctx.app.transfer.import_lines(lines, source="stdin" if source == "-" else source, progress=step)
    ctx.emit(
        {"imported": summary.imported, "unchanged": summary.unchanged},
        f"{_plans(summary.imported)} importiert / imported, {summary.unchanged} unverändert / unchanged\n",
    )
    return OK


def copy(ctx: Context) -> int:
    args = ctx.args
    with ctx.progress(0, "copy") as bar:
        summary = ctx.app.copy_store(args.source, args.target, batch_size=args.batch_size, progress=_stepper(bar))
    ctx.emit(
        {"copied": summary.imported, "unchanged": summary.unchanged},
        f"{_plans(summary.imported)} kopiert / copied, {summary.unchanged} unverändert / unchanged\n",
    )
    return OK


def store_setup(ctx: Context) -> int:
    args = ctx.args
    if args.print_sql:
        ctx.out.write(setup_sql())
        return OK
    if args.url is None:
        raise UsageError("store setup needs ADMIN_URL (or --print-sql)")
    created = setup_store(args.url)
    ctx.emit(
        {"created": created},
        "Schema angelegt / schema created\n" if created else "Schema bestand schon / schema existed already\n",
    )
    return OK


def store_grant(ctx: Context) -> int:
    args = ctx.args
    grant_store(args.url, args.role, args.municipality, reporting=args.reporting)
    ctx.emit(
        {"role": args.role, "municipalities": args.municipality, "reporting": args.reporting},
        f"Rolle / role {args.role}: {', '.join(args.municipality) or '-'}{' (reporting)' if args.reporting else ''}\n",
    )
    return OK


def store_migrate(ctx: Context) -> int:
    before, after = migrate_store(ctx.args.url)
    ctx.emit({"from": before, "to": after}, f"Schema-Version / schema version {before} -> {after}\n")
    return OK


def store_listen(ctx: Context) -> int:
    args = ctx.args
    for appended in listen_store(args.url, timeout=args.timeout, stop_after=args.count):
        data = {"municipality_ags": appended.municipality_ags, "plan_id": appended.plan_id, "number": appended.number}
        ctx.out.write(orjson.dumps(data).decode() + "\n")  # one line each: JSON Lines
        ctx.out.flush()
    return OK


def retention(ctx: Context) -> int:
    args = ctx.args
    service = ctx.app.retention
    if not args.apply:
        due = service.due(ctx.today(), municipality_ags=args.municipality)
        lines = [f"{d.plan_id}  {d.municipality_ags}  {d.reason}\n" for d in due]
        header = f"{_plans(len(due))} fällig / due (Probelauf / dry run: --apply löscht / erases)\n"
        ctx.emit({"due": [_due(d) for d in due], "erased": []}, header + "".join(lines))
        return OK
    if not args.author:
        raise UsageError("--apply erases for good: name who erases with --author STAFF_ID")
    erased = service.apply(ctx.today(), actor=args.author, municipality_ags=args.municipality)
    lines = [f"{e.due.plan_id}: {_revisions(e.revisions)} gelöscht / erased ({e.due.reason})\n" for e in erased]
    ctx.emit(
        {
            "due": [_due(e.due) for e in erased],
            "erased": [{"plan_id": e.due.plan_id, "revisions": e.revisions} for e in erased],
        },
        f"{_plans(len(erased))} gelöscht / erased\n" + "".join(lines),
    )
    return OK


def _due(due: Any) -> dict[str, str]:
    return {
        "plan_id": due.plan_id,
        "municipality_ags": due.municipality_ags,
        "closed_on": due.closed_on.isoformat(),
        "due_on": due.due_on.isoformat(),
        "basis": due.basis,
    }


def audit(ctx: Context) -> int:
    entries = ctx.app.plans.accesses(ctx.args.plan_id)
    rows = [
        {
            "at": e.at.isoformat().replace("+00:00", "Z"),
            "actor": e.actor,
            "purpose": e.purpose,
            "plan_id": e.plan_id,
            "municipality_ags": e.municipality_ags,
            "operation": e.operation,
        }
        for e in entries
    ]
    lines = [f"{r['at']}  {r['actor']}  {r['operation']}  ({r['purpose']})\n" for r in rows]
    ctx.emit(rows, f"{len(rows)} Zugriffe / reads\n" + "".join(lines))
    return OK


def erase(ctx: Context) -> int:
    args = ctx.args
    if not args.yes:
        raise UsageError(f"erasing plan {args.plan_id!r} deletes its whole history for good; add --yes to confirm")
    count = ctx.app.plans.erase(args.plan_id, legal_basis=args.legal_basis, actor=_eraser(ctx))
    ctx.emit(
        {"plan_id": args.plan_id, "erased_revisions": count},
        f"Plan {args.plan_id}: {_revisions(count)} gelöscht / erased\n",
    )
    return OK


def _eraser(ctx: Context) -> str:
    """Who erases: ``--author``, else the actor; erasure records name someone."""
    eraser: str | None = ctx.args.author or ctx.app.actor
    if eraser is None:
        raise UsageError("name who erases with --author STAFF_ID (or --actor): the erasure record keeps it")
    return eraser


# -- appointments ----------------------------------------------------------------------------


def appointments_free(ctx: Context) -> int:
    args = ctx.args
    first: dt.date = args.first or ctx.today()
    slots = ctx.app.appointments.free(
        args.municipality,
        args.manager,
        first=first,
        last=first + dt.timedelta(days=args.days - 1),
        length=dt.timedelta(minutes=args.length),
        buffer=dt.timedelta(minutes=args.buffer),
        room=args.room,
    )
    ctx.emit(
        [{"start": s.start.isoformat(), "end": s.end.isoformat()} for s in slots],
        _render.slots_text(slots),
    )
    return OK


def appointments_book(ctx: Context) -> int:
    args = ctx.args
    zone = _office_zone(ctx, args.municipality)
    start = _aware(args.start, zone)
    appointment = ctx.app.appointments.book(
        args.appointment_id,
        municipality_ags=args.municipality,
        manager_id=args.manager,
        start=start,
        end=start + dt.timedelta(minutes=args.length),
        place=_place(args),
        booked_by=args.author,
        channel=BookingChannel(args.channel),
        plan_id=args.plan,
        interpreter_language=args.interpreter,
        note=args.note,
        requested=args.requested,
    )
    return _appointment_written(ctx, appointment, zone)


def appointments_move(ctx: Context) -> int:
    args = ctx.args
    service = ctx.app.appointments
    current = service.get(args.appointment_id)
    zone = _office_zone(ctx, current.municipality_ags)
    start = _aware(args.start, zone)
    length = dt.timedelta(minutes=args.length) if args.length else current.duration
    place = _place(args) if (args.room or args.place) else None
    moved = service.move(args.appointment_id, base=args.base, start=start, end=start + length, place=place)
    return _appointment_written(ctx, moved, zone)


def appointments_step(ctx: Context) -> int:
    args = ctx.args
    service = ctx.app.appointments
    step = {"accept": service.accept, "confirm": service.confirm, "missed": service.missed}[args.step]
    appointment = step(args.appointment_id, base=args.base)
    return _appointment_written(ctx, appointment, _office_zone(ctx, appointment.municipality_ags))


def appointments_cancel(ctx: Context) -> int:
    args = ctx.args
    appointment = ctx.app.appointments.cancel(
        args.appointment_id, base=args.base, by=CancelledBy(args.by), reason=args.reason, actor=args.author
    )
    return _appointment_written(ctx, appointment, _office_zone(ctx, appointment.municipality_ags))


def appointments_complete(ctx: Context) -> int:
    args = ctx.args
    topics = tuple(structure(topic, GoalArea) for topic in args.topic)
    appointment = ctx.app.appointments.complete(
        args.appointment_id, base=args.base, author=args.author, topics=topics, record_contact=not args.no_contact
    )
    return _appointment_written(ctx, appointment, _office_zone(ctx, appointment.municipality_ags))


def appointments_list(ctx: Context) -> int:
    args = ctx.args
    service = ctx.app.appointments
    if args.tomorrow:
        if not args.municipality:
            raise UsageError("--tomorrow lists one municipality's reminder calls: add --municipality AGS")
        found = service.tomorrow(args.municipality, today=ctx.today())
    else:
        first: dt.date = args.first or ctx.today()
        found = service.find(
            first=first,
            last=first + dt.timedelta(days=args.days - 1),
            municipality_ags=args.municipality,
            manager_id=args.manager,
            room=args.room,
            plan_id=args.plan,
            cancelled=args.cancelled,
        )
    zone = _office_zone(ctx, args.municipality) if args.municipality else _BERLIN
    ctx.emit([_appointment_data(a) for a in found], _render.appointments_text(found, zone))
    return OK


def appointments_ical(ctx: Context) -> int:
    args = ctx.args
    first: dt.date = args.first or ctx.today()
    data = ctx.app.appointments.icalendar(
        args.municipality,
        first=first,
        last=first + dt.timedelta(weeks=args.weeks),
        manager_id=args.manager,
        room=args.room,
        with_plan_id=not args.without_plan_id,
    )
    ctx.out.write(data.decode())
    return OK


_BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
_DE = texts("de")


def _revisions(count: int) -> str:
    """``1 Revision``, ``2 Revisionen``: German plurals from the catalogs."""
    return _DE.plural("{count} Revision", "{count} Revisionen", count)


def _plans(count: int) -> str:
    return _DE.plural("{count} Plan", "{count} Pläne", count)


def _office_zone(ctx: Context, municipality_ags: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(ctx.app.office_hours(municipality_ags).timezone)
    except ConfigurationError:
        return _BERLIN  # no office hours known: every municipality here is in Germany


def _aware(at: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=zone)


def _place(args: Any) -> Place:
    if args.room:
        return Place.in_room(args.room)
    return Place(PlaceKind(args.place))


def _appointment_data(appointment: Appointment) -> dict[str, Any]:
    data: dict[str, Any] = unstructure(appointment)
    data.pop("note", None)  # listings and receipts leave the note out; it is in the store
    if data.get("cancellation"):
        data["cancellation"].pop("reason", None)
    return data


def _appointment_written(ctx: Context, appointment: Appointment, zone: zoneinfo.ZoneInfo) -> int:
    ctx.emit(_appointment_data(appointment), _render.appointments_text([appointment], zone))
    return OK


# -- data-subject requests ------------------------------------------------------------------


def person_plans(ctx: Context) -> int:
    found = ctx.app.subjects.plans_of(ctx.args.person_id)
    ctx.emit(found, "".join(f"{plan_id}\n" for plan_id in found))
    return OK


def person_export(ctx: Context) -> int:
    args = ctx.args
    actor = ctx.app.actor
    if actor is None:
        raise UsageError("a disclosure names who prepared it: give --actor STAFF_ID (or INTEGRATIONSPLAN_ACTOR)")
    folder: str | None = args.output_dir
    targets: list[Path] = []
    if folder is not None:  # refuse before anything is read or written
        if not Path(folder).is_dir():
            raise UsageError(f"there is no directory {folder!r}")
        targets = [Path(folder) / f"auskunft-{args.person_id}.{suffix}" for suffix in ("txt", "json")]
        for target in targets:
            if target.exists():
                raise UsageError(f"{str(target)!r} exists; a disclosure never overwrites a file")
    disclosure = ctx.app.subjects.disclose(args.person_id, on=ctx.today(), actor=actor)
    if not targets:
        if ctx.as_json:
            ctx.out.write(disclosure_json(disclosure).decode())
        else:
            ctx.out.write(disclosure_text(disclosure))
        return OK
    for target, content in zip(
        targets, (disclosure_text(disclosure).encode(), disclosure_json(disclosure)), strict=True
    ):
        with _private_file(str(target)) as out:
            out.write(content)
    ctx.emit(
        {
            "person_id": args.person_id,
            "plans": [p.plan_id for p in disclosure.plans],
            "files": [str(t) for t in targets],
        },
        f"Auskunft zu {args.person_id}: {_plans(len(disclosure.plans))}\n"
        + "".join(f"  {target}\n" for target in targets),
    )
    return OK


def person_erase(ctx: Context) -> int:
    args = ctx.args
    if not args.yes:
        raise UsageError(
            f"erasing person {args.person_id!r} deletes every plan and its whole history for good; add --yes to confirm"
        )
    erasure = ctx.app.subjects.erase(args.person_id, actor=_eraser(ctx), legal_basis=args.legal_basis)
    ctx.emit(
        {"person_id": args.person_id, "erased": [{"plan_id": p, "revisions": n} for p, n in erasure.erased]},
        f"Person {args.person_id}: {_plans(len(erasure.erased))} gelöscht / erased\n"
        + "".join(f"  {p}: {_revisions(n)}\n" for p, n in erasure.erased),
    )
    return OK


def schema(ctx: Context) -> int:
    if ctx.args.list or not ctx.args.name:
        ctx.out.write("".join(f"{name}\n" for name in SCHEMAS))
        return OK
    ctx.out.write(to_json(schema_of(ctx.args.name)))
    return OK


def plugins(ctx: Context) -> int:
    infos = ctx.app.plugins()
    ctx.emit(
        [{"name": i.name, "distribution": i.distribution, "version": i.version, "hooks": list(i.hooks)} for i in infos],
        _render.plugins_text(infos),
    )
    return OK


def completion(ctx: Context) -> int:
    try:
        import shtab  # noqa: PLC0415 - an optional dependency, only for this command
    except ImportError:
        raise UsageError('shell completion needs shtab: pip install "integrationsplan[cli]"') from None
    from integrationsplan.cli import build_parser  # noqa: PLC0415 - the parser module imports this one

    ctx.out.write(shtab.complete(build_parser(), shell=ctx.args.shell))
    return OK


# -- the demo --------------------------------------------------------------------------------


def demo(ctx: Context) -> int:
    keep: str | None = ctx.args.keep
    if keep is not None:
        if Path(keep).exists():
            raise UsageError(f"{keep!r} exists; the demo writes a fresh store and never touches an existing file")
        return _demo(ctx, Path(keep))
    with tempfile.TemporaryDirectory(prefix="integrationsplan-demo-") as folder:
        return _demo(ctx, Path(folder) / "demo.db")


def _demo(ctx: Context, path: Path) -> int:
    clock = ManualClock(dt.datetime.combine(DEMO_TODAY, dt.time(0), tzinfo=dt.UTC))
    disabled = getattr(ctx.args, "disable_plugin", None) or ()
    with App(store=f"sqlite:///{path}", clock=clock, disable=disabled) as app:
        case = demo_case(app, clock)
    data = _render.demo_data(case)
    if ctx.args.keep:
        data["store"] = f"sqlite:///{path}"
    text = _render.demo_text(case) + (f"Store: sqlite:///{path}\n" if ctx.args.keep else "")
    ctx.emit(data, text)
    return OK


COMMANDS: dict[str, Callable[[Context], int]] = {
    "demo": demo,
    "plan create": plan_create,
    "plan revise": plan_revise,
    "plan show": plan_show,
    "plan print": plan_print,
    "plan history": plan_history,
    "plan diff": plan_diff,
    "plan list": plan_list,
    "plan verify": plan_verify,
    "eligibility check": eligibility_check,
    "eligibility decide": eligibility_decide,
    "office-hours next": office_hours_next,
    "office-hours ical": office_hours_ical,
    "office-hours osm": office_hours_osm,
    "caseload": caseload,
    "hand-over": hand_over,
    "worklist": worklist,
    "report kennzahlen": report_kennzahlen,
    "export": export,
    "import": import_,
    "copy": copy,
    "store setup": store_setup,
    "store grant": store_grant,
    "store migrate": store_migrate,
    "store listen": store_listen,
    "retention": retention,
    "audit": audit,
    "erase": erase,
    "appointments free": appointments_free,
    "appointments book": appointments_book,
    "appointments move": appointments_move,
    "appointments accept": appointments_step,
    "appointments confirm": appointments_step,
    "appointments missed": appointments_step,
    "appointments cancel": appointments_cancel,
    "appointments complete": appointments_complete,
    "appointments list": appointments_list,
    "appointments ical": appointments_ical,
    "person plans": person_plans,
    "person export": person_export,
    "person erase": person_erase,
    "schema": schema,
    "plugins": plugins,
    "completion": completion,
}

#: Commands that only read (or erase): they never create a store that is not there.
READ_ONLY = frozenset(
    {
        plan_show,
        plan_print,
        plan_history,
        plan_diff,
        plan_list,
        plan_verify,
        eligibility_check,
        office_hours_next,
        office_hours_ical,
        office_hours_osm,
        caseload,
        worklist,
        report_kennzahlen,
        export,
        copy,
        store_setup,
        store_grant,
        store_migrate,
        store_listen,
        retention,
        audit,
        erase,
        appointments_free,
        appointments_list,
        appointments_ical,
        person_plans,
        person_export,
        person_erase,
        schema,
        plugins,
        completion,
    }
)
