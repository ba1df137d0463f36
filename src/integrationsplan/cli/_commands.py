"""The commands of ``integrationsplan``: each takes the run's context and returns an exit code."""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from collections.abc import Iterator
from typing import Any, TextIO

import orjson

from integrationsplan.caseload_service import CaseloadService
from integrationsplan.cli import _render
from integrationsplan.cli._context import Context, UsageError, parse_json
from integrationsplan.clock import SystemClock
from integrationsplan.domain import Change, CreatePlan, IntegrationManager, Person, PlanState, Revision
from integrationsplan.errors import ConcurrentRevisionError, IntegrityError, StorageError, ValidationError
from integrationsplan.exports import to_icalendar, to_osm_opening_hours, to_schema_org
from integrationsplan.history import verify
from integrationsplan.reports import kennzahlen
from integrationsplan.rules import (
    EligibilityCase,
    Outcome,
    Stage,
    SupportAnchor,
    next_occurrences,
    support_period,
    support_period_of,
)
from integrationsplan.serialization import structure, unstructure
from integrationsplan.serialization.documents import loads

__all__ = ["COMMANDS"]

OK, REFUSED = 0, 1


# -- plans ----------------------------------------------------------------------------------


def plan_create(ctx: Context) -> int:
    args = ctx.args
    data = ctx.read_json(args.file)
    if isinstance(data, dict):
        data = {"change": "create_plan", **data}
    create = structure(data, Change)
    if not isinstance(create, CreatePlan):
        raise UsageError(f"{args.file}: a new plan starts with a create_plan change, not {type(create).__name__}")
    state = ctx.service().create_plan(
        args.plan_id, create, author=args.author, effective_on=args.effective_on, reason=args.reason
    )
    return _written(ctx, state)


def plan_revise(ctx: Context) -> int:
    args = ctx.args
    changes = _changes(ctx.read_json(args.file))
    service = ctx.service()
    common: dict[str, Any] = {"base": args.base, "author": args.author, "reason": args.reason}
    if args.corrects is not None:  # a correction is effective when the corrected revision was, unless told
        state = service.correct(args.plan_id, changes, corrects=args.corrects, effective_on=args.effective_on, **common)
    elif args.effective_on is None:
        raise UsageError("an update needs --effective-on DATE (only a correction may leave it out)")
    else:
        state = service.revise(args.plan_id, changes, effective_on=args.effective_on, **common)
    return _written(ctx, state)


def _changes(data: Any) -> list[Change]:
    items = data if isinstance(data, list) else [data]
    try:
        changes: list[Change] = structure(items, list[Change])
    except ValidationError as error:
        raise ValidationError("changes", error.errors) from None
    return changes


def _written(ctx: Context, state: PlanState) -> int:
    ctx.emit(
        {"plan_id": state.plan_id, "revision": state.revision, "status": state.status.value},
        f"Plan {state.plan_id}: Revision {state.revision} gespeichert / saved ({state.status.value})\n",
    )
    return OK


def plan_show(ctx: Context) -> int:
    args = ctx.args
    service = ctx.service()
    if args.as_of is not None:
        state = service.state_as_of(args.plan_id, args.as_of)
        if state is None:
            raise UsageError(f"plan {args.plan_id!r} was not yet drawn up on {args.as_of.isoformat()}")
    else:
        state = service.state(args.plan_id)
    policy = ctx.app.support_policy(state.plan.municipality_ags)
    period = support_period_of(state, policy)
    data = unstructure(state)
    data["support_period"] = None if period is None else unstructure(period)
    ctx.emit(data, _render.state_text(state, period))
    return OK


def plan_history(ctx: Context) -> int:
    revisions = ctx.service().history(ctx.args.plan_id)
    ctx.emit([unstructure(revision) for revision in revisions], _render.history_text(revisions))
    return OK


def plan_diff(ctx: Context) -> int:
    args = ctx.args
    diff = ctx.service().diff(args.plan_id, args.from_revision, args.to_revision)
    data = [unstructure(change) for change in diff.changes]
    ctx.emit(
        {"plan_id": args.plan_id, "from": args.from_revision, "to": args.to_revision, "changes": data},
        _render.diff_text(diff, args.language),
    )
    return OK


def plan_list(ctx: Context) -> int:
    args = ctx.args
    ids = ctx.service().plans(municipality_ags=args.municipality, status=args.status, manager_id=args.manager)
    ctx.emit(ids, "".join(f"{plan_id}\n" for plan_id in ids))
    return OK


def plan_verify(ctx: Context) -> int:
    service = ctx.service()
    ids = ctx.args.plan_ids or service.plans()
    verified: dict[str, int] = {}
    failed: dict[str, str] = {}
    with ctx.progress(len(ids), "verify") as bar:
        for plan_id in ids:
            try:
                verified[plan_id] = service.verify(plan_id)
            except (IntegrityError, StorageError) as error:  # a broken chain or an unreadable row
                failed[plan_id] = str(error)
            bar.update()
    lines = [f"{plan_id}: {count} Revisionen geprüft / revisions verified\n" for plan_id, count in verified.items()]
    lines += [f"{plan_id}: FEHLER / FAILED: {reason}\n" for plan_id, reason in failed.items()]
    ctx.emit({"verified": verified, "failed": failed}, "".join(lines))
    return REFUSED if failed else OK


# -- eligibility, office hours ------------------------------------------------------------------


def eligibility_check(ctx: Context) -> int:
    args = ctx.args
    person = structure(ctx.read_json(args.file), Person)
    on = args.on or ctx.today()
    support = None
    policy = ctx.app.support_policy(args.municipality)
    if policy.anchor is SupportAnchor.ALLOCATION and person.allocation is not None:
        support = support_period(policy, person.allocation.allocated_on, on=on)
    case = EligibilityCase(person, args.municipality, on, support)
    decision = ctx.app.eligibility_rules(args.municipality).decide(case, Stage(args.stage))
    ctx.emit(unstructure(decision), _render.decision_text(decision))
    return REFUSED if decision.outcome is Outcome.NOT_ELIGIBLE else OK


def office_hours_next(ctx: Context) -> int:
    args = ctx.args
    hours = ctx.app.office_hours(args.municipality)
    # From the start of --today in the office's time zone, or from now.
    after = (
        dt.datetime.combine(ctx.today(), dt.time(0), tzinfo=zoneinfo.ZoneInfo(hours.timezone))
        if args.today
        else SystemClock().now()
    )
    found = next_occurrences(hours, after, args.count)
    ctx.emit([unstructure(occurrence) for occurrence in found], _render.occurrences_text(found))
    return OK


def office_hours_ical(ctx: Context) -> int:
    args = ctx.args
    hours = ctx.app.office_hours(args.municipality)
    until = ctx.today() + dt.timedelta(weeks=args.weeks)
    ctx.out.write(to_icalendar(hours, until=until).decode())
    return OK


def office_hours_osm(ctx: Context) -> int:
    args = ctx.args
    hours = ctx.app.office_hours(args.municipality)
    on = ctx.today()
    ctx.emit(
        {"opening_hours": to_osm_opening_hours(hours, on), "schema_org": to_schema_org(hours, on)},
        to_osm_opening_hours(hours, on) + "\n",
    )
    return OK


# -- caseloads, work lists, reports ---------------------------------------------------------


def _staff(ctx: Context, municipality: str | None) -> list[IntegrationManager]:
    places = [municipality] if municipality else [m.ags for m in ctx.app.municipalities()]
    return [manager for ags in places for manager in ctx.app.staff(ags)]


def _caseloads(ctx: Context, municipality: str | None = None, ratio: float | None = None) -> CaseloadService:
    options: dict[str, Any] = {} if ratio is None else {"cases_per_fte": ratio}
    app = ctx.app
    return CaseloadService(
        ctx.service(),
        _staff(ctx, municipality),
        policy=lambda state: app.support_policy(state.plan.municipality_ags),
        **options,
    )


def caseload(ctx: Context) -> int:
    args = ctx.args
    loads = _caseloads(ctx, args.municipality, args.ratio).caseloads(municipality_ags=args.municipality)
    ctx.emit([unstructure(load) for load in loads], _render.caseloads_text(loads))
    return OK


def hand_over(ctx: Context) -> int:
    args = ctx.args
    result = _caseloads(ctx).hand_over(
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
    items = _caseloads(ctx).work_list(args.manager, args.on or ctx.today())
    ctx.emit([unstructure(item) for item in items], _render.work_text(items))
    return OK


def report_kennzahlen(ctx: Context) -> int:
    args = ctx.args
    municipalities = args.municipality or [m.ags for m in ctx.app.municipalities()]
    if not municipalities:
        raise UsageError("name the municipalities with --municipality AGS (no plugin provides any)")
    service = ctx.service()
    staff = [manager for ags in municipalities for manager in ctx.app.staff(ags)]
    with ctx.progress(0, "report") as bar:

        def step(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        report = kennzahlen(service, args.year, municipalities, staff=staff, threshold=args.threshold, progress=step)
    form = "json" if ctx.as_json else args.format
    text = {"json": report.to_json, "csv": report.to_csv, "table": report.to_table}[form]()
    ctx.out.write(text)
    return OK


# -- export, import, erase, plugins ---------------------------------------------------------


def export(ctx: Context) -> int:
    service = ctx.service()
    store = service.store
    ids = ctx.args.plan_ids or service.plans()
    out = ctx.out if ctx.args.output in (None, "-") else _private_file(ctx.args.output)
    try:
        with ctx.progress(len(ids), "export") as bar:
            for plan_id in ids:
                documents = [stored.document for stored in store.read(plan_id)]
                line = b'{"plan_id":' + orjson.dumps(plan_id) + b',"revisions":[' + b",".join(documents) + b"]}\n"
                out.write(line.decode())
                bar.update()
    finally:
        if out is not ctx.out:
            out.close()
    return OK


def _private_file(path: str) -> TextIO:
    """A new file only its owner can read: an export holds personal data."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        raise UsageError(f"cannot write {path!r}: {error.strerror or error}") from None
    return os.fdopen(descriptor, "w", encoding="utf-8")


def import_(ctx: Context) -> int:
    service = ctx.service()
    store = service.store
    raw = ctx.read_bytes(ctx.args.file)
    lines = [(number, line) for number, line in enumerate(raw.splitlines(), start=1) if line.strip()]
    unchanged = 0

    def histories() -> Iterator[list[Revision]]:
        nonlocal unchanged
        for number, line in lines:
            revisions = _import_line(line, f"{ctx.args.file}, line {number}")
            plan_id = revisions[0].plan_id
            held = store.version(plan_id)
            if held and store.head(plan_id).hash == revisions[-1].hash and held == len(revisions):
                unchanged += 1  # the same history again: importing twice is harmless
                continue
            if held:
                raise ConcurrentRevisionError(plan_id, 0, held)
            yield revisions

    with ctx.progress(len(lines), "import") as bar:

        def step(done: int) -> None:
            bar.update(done + unchanged - bar.n)

        imported = service.import_histories(histories(), progress=step)
    ctx.emit(
        {"imported": imported, "unchanged": unchanged},
        f"{imported} Pläne importiert / plans imported, {unchanged} unverändert / unchanged\n",
    )
    return OK


def _import_line(line: bytes, where: str) -> list[Revision]:
    data = parse_json(line, where)
    if not isinstance(data, dict) or not isinstance(data.get("revisions"), list) or not data["revisions"]:
        raise UsageError(f'{where}: expected {{"plan_id": ..., "revisions": [...]}} with at least one revision')
    revisions = []
    for index, document in enumerate(data["revisions"]):
        try:
            revisions.append(loads(orjson.dumps(document), Revision))
        except ValidationError as error:
            detail = "; ".join(f"$.revisions[{index}]{e.path[1:]}: {e.message}" for e in error.errors)
            raise UsageError(f"{where}: {detail}") from None
    if any(revision.plan_id != data.get("plan_id") for revision in revisions):
        raise UsageError(f"{where}: every revision must belong to plan_id {data.get('plan_id')!r}")
    verify(revisions, revisions[0].plan_id)
    return revisions


def erase(ctx: Context) -> int:
    args = ctx.args
    if not args.yes:
        raise UsageError(f"erasing plan {args.plan_id!r} deletes its whole history for good; add --yes to confirm")
    count = ctx.service().erase(args.plan_id)
    ctx.emit(
        {"plan_id": args.plan_id, "erased_revisions": count},
        f"Plan {args.plan_id}: {count} Revisionen gelöscht / revisions erased\n",
    )
    return OK


def plugins(ctx: Context) -> int:
    infos = ctx.app.plugins()
    lines = []
    for info in infos:
        source = f" ({info.distribution} {info.version})" if info.distribution else ""
        lines.append(f"{info.name}{source}\n" + "".join(f"    {hook}\n" for hook in info.hooks))
    ctx.emit([unstructure_info(info) for info in infos], "".join(lines))
    return OK


def unstructure_info(info: Any) -> dict[str, Any]:
    return {"name": info.name, "distribution": info.distribution, "version": info.version, "hooks": list(info.hooks)}


COMMANDS = {
    "plan create": plan_create,
    "plan revise": plan_revise,
    "plan show": plan_show,
    "plan history": plan_history,
    "plan diff": plan_diff,
    "plan list": plan_list,
    "plan verify": plan_verify,
    "eligibility check": eligibility_check,
    "office-hours next": office_hours_next,
    "office-hours ical": office_hours_ical,
    "office-hours osm": office_hours_osm,
    "caseload": caseload,
    "hand-over": hand_over,
    "worklist": worklist,
    "report kennzahlen": report_kennzahlen,
    "export": export,
    "import": import_,
    "erase": erase,
    "plugins": plugins,
}
