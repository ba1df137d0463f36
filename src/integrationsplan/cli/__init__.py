"""The ``integrationsplan`` command line (also ``python -m integrationsplan``).

The store comes from ``--store URL``, else ``INTEGRATIONSPLAN_STORE``, else the SQLite
file ``integrationsplan.db`` in the working directory. The global options (``--store``,
``--today``, ``--json``, ``--progress``, ``--disable-plugin``) may stand before or after
the command. Exit codes: 0 ok; 1 refused (a rule, a conflict, a broken chain, not
eligible, a storage failure); 2 usage or configuration error (bad arguments, an
unreadable or malformed file, a bad field, an unknown plan, a bad store URL, a broken
plugin). With ``--json`` an error is a JSON object on standard error. Each command
parses its arguments, makes one call of the library's public use cases and renders the
result: see ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from integrationsplan import __version__
from integrationsplan.cli import _arguments as arg
from integrationsplan.cli._context import DEFAULT_STORE, STORE_VARIABLE, Context, UsageError, error_document, to_json
from integrationsplan.errors import ConfigurationError, IntegrationsplanError, UnknownPlanError, ValidationError

__all__ = ["DEFAULT_STORE", "STORE_VARIABLE", "main"]

_Group = argparse._SubParsersAction  # argparse names no public type for it
_USAGE_ERRORS = (UsageError, ValidationError, ConfigurationError, UnknownPlanError)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is JSON on standard error when ``--json`` was asked for."""

    json_errors = False

    def error(self, message: str) -> NoReturn:
        if _Parser.json_errors:
            sys.stderr.write(to_json({"error": "usage", "type": "UsageError", "message": f"{self.prog}: {message}"}))
            raise SystemExit(2)
        super().error(message)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 refused, 2 usage or configuration error)."""
    _fall_back_on_narrow_consoles()
    arguments = list(sys.argv[1:] if argv is None else argv)
    _Parser.json_errors = "--json" in arguments
    parser = build_parser()
    try:
        args = parser.parse_args(arguments)
    except SystemExit as stop:  # --help, --version, or a usage error argparse already printed
        return stop.code if isinstance(stop.code, int) else 2
    key: str | None = getattr(args, "command", None)
    if key is None:  # a group without its action, or nothing at all: show what there is
        shown: argparse.ArgumentParser = getattr(args, "help_parser", parser)
        shown.print_help(sys.stderr)
        return 2
    # The commands, and with them the library's use cases, load only when one runs:
    # ``--help``, ``--version`` and a usage error never pay for them.
    from integrationsplan.cli._commands import COMMANDS, READ_ONLY  # noqa: PLC0415

    handler: Callable[[Context], int] = COMMANDS[key]
    context = Context(args, read_only=handler in READ_ONLY)
    try:
        return handler(context)
    except _USAGE_ERRORS as error:
        return _fail(context, error, "usage", 2)
    except IntegrationsplanError as error:
        return _fail(context, error, "refused", 1)
    except OSError as error:  # the disk, not the library: a full disk, a closed pipe
        return _fail(context, UsageError(f"input/output failed: {error.strerror or type(error).__name__}"), "usage", 2)
    finally:
        context.close()


def _fall_back_on_narrow_consoles() -> None:
    """Print what a console cannot show as ``?`` instead of failing with a traceback.

    A Windows console on code page 850 cannot show Arabic names or some dashes; a German
    text must still come out (the JSON output escapes nothing and is meant for pipes).
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "strict") == "strict":
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # a stream in use by another layer: leave it
                continue


def _fail(context: Context, error: IntegrationsplanError, kind: str, code: int) -> int:
    if context.as_json:
        sys.stderr.write(to_json(error_document(error, kind)))
    else:
        word = "error" if code == 2 else "refused"
        print(f"integrationsplan: {word}: {error}", file=sys.stderr)
    return code


def _global_options(parser: argparse.ArgumentParser, default: object) -> None:
    """The options every command takes, before or after it (``default``: SUPPRESS below the top)."""
    parser.add_argument(
        "--store", metavar="URL", default=default, help=f"store URL (default: ${STORE_VARIABLE}, else {DEFAULT_STORE})"
    )
    parser.add_argument(
        "--today", type=arg.date, metavar="DATE", default=default, help="the day to work on (default: today in Germany)"
    )
    parser.add_argument("--json", action="store_true", default=default, help="print JSON for scripts (errors too)")
    parser.add_argument(
        "--actor",
        metavar="STAFF_ID",
        default=default,
        help="log every read of a plan as this staff member's (default: $INTEGRATIONSPLAN_ACTOR)",
    )
    parser.add_argument(
        "--purpose", metavar="CODE", default=default, help="why the plans are read (default: counselling)"
    )
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress", action="store_true", default=default, help="always show progress on standard error"
    )
    progress.add_argument("--no-progress", dest="progress", action="store_false", default=default)
    parser.add_argument(
        "--disable-plugin",
        action="append",
        metavar="NAME",
        default=default,
        help="do not load this entry-point plugin (repeatable; also INTEGRATIONSPLAN_DISABLE_PLUGINS)",
    )


def _place_options(sub: argparse.ArgumentParser, *, required: bool) -> None:
    place = sub.add_mutually_exclusive_group(required=required)
    place.add_argument("--room", help="a room of the office, e.g. 1.04")
    place.add_argument("--phone", dest="place", action="store_const", const="phone", help="by phone")
    place.add_argument("--video", dest="place", action="store_const", const="video", help="by video")
    place.add_argument("--home-visit", dest="place", action="store_const", const="home_visit", help="a home visit")


def build_parser() -> argparse.ArgumentParser:  # noqa: PLR0915 - one declaration per command
    """The argument parser of the whole command line (also used for shell completion)."""
    parser = _Parser(
        prog="integrationsplan", description="Integration plans for integration management (Integrationsmanagement)."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _global_options(parser, None)
    common = _Parser(add_help=False)
    _global_options(common, argparse.SUPPRESS)
    writing = _Parser(add_help=False)
    writing.add_argument("--author", required=True, metavar="STAFF_ID", help="who records the revision")
    writing.add_argument("--reason", required=True, help="a short reason, kept in the history")

    commands = parser.add_subparsers(metavar="COMMAND", parser_class=_Parser)

    group_names: dict[int, str] = {}

    def group(name: str, help_text: str) -> _Group[_Parser]:
        sub = commands.add_parser(name, help=help_text, description=help_text, parents=[common])
        sub.set_defaults(command=None, help_parser=sub)
        actions = sub.add_subparsers(metavar="ACTION", parser_class=_Parser)
        group_names[id(actions)] = name
        return actions

    def command(
        name: str,
        help_text: str,
        *parents: _Parser,
        within: _Group[_Parser] | None = None,
    ) -> _Parser:
        key = name if within is None else f"{group_names[id(within)]} {name}"
        sub = (within or commands).add_parser(name, help=help_text, description=help_text, parents=[common, *parents])
        sub.set_defaults(command=key)
        return sub

    sub = command("demo", "build a realistic case in Eislingen/Fils and show its history")
    sub.add_argument("--keep", metavar="FILE", help="keep the demo store in this new SQLite file")

    plan = group("plan", "create, revise, show and check plans")
    sub = command("create", "draw up a plan from a create_plan document", writing, within=plan)
    sub.add_argument("plan_id")
    sub.add_argument("file", help="JSON document of the create_plan change ('-': stdin)")
    sub.add_argument("--effective-on", type=arg.date, required=True, metavar="DATE")
    sub = command("revise", "update (or correct) a plan with a JSON list of changes", writing, within=plan)
    sub.add_argument("plan_id")
    sub.add_argument("file", help="JSON list of changes ('-': stdin)")
    sub.add_argument("--base", type=arg.revision, required=True, help="the revision the edit is based on")
    sub.add_argument("--effective-on", type=arg.date, metavar="DATE", help="required for an update")
    sub.add_argument("--corrects", type=arg.revision, metavar="N", help="make it a correction of revision N")
    sub = command("show", "the current plan (or as of a day)", within=plan)
    sub.add_argument("plan_id")
    sub.add_argument("--as-of", type=arg.date, metavar="DATE")
    sub = command("print", "the plan as a document for signature, in German and the person's language", within=plan)
    sub.add_argument("plan_id")
    sub.add_argument("--language", default="de", metavar="CODE", help="ar, fa, uk, ru, tr, kmr, en (or ISO 639-3)")
    sub.add_argument("--output", "-o", required=True, metavar="FILE", help="plan.pdf, or plan.html for HTML")
    sub.add_argument("--on", type=arg.date, metavar="DATE", help="the day shown as today (default: --today)")
    sub = command("history", "every revision of a plan", within=plan)
    sub.add_argument("plan_id")
    sub = command("diff", "what changed between two revisions", within=plan)
    sub.add_argument("plan_id")
    sub.add_argument("from_revision", type=arg.revision_or_zero)
    sub.add_argument("to_revision", type=arg.revision_or_zero)
    sub.add_argument("--language", choices=["de", "en"], default="de")
    sub = command("list", "plan ids, filtered", within=plan)
    sub.add_argument("--municipality", metavar="AGS")
    sub.add_argument("--status", choices=["active", "paused", "closed"])
    sub.add_argument("--manager", metavar="STAFF_ID")
    sub = command("verify", "check the hash chains (all plans by default)", within=plan)
    sub.add_argument("plan_ids", nargs="*", metavar="PLAN_ID")

    eligibility = group("eligibility", "eligibility decisions")
    sub = command("check", "decide eligibility for a person document (nothing is written)", within=eligibility)
    sub.add_argument("file", help="JSON document of the person ('-': stdin)")
    sub.add_argument("--municipality", required=True, metavar="AGS")
    sub.add_argument("--on", type=arg.date, metavar="DATE", help="the day of the decision (default: --today)")
    sub.add_argument("--stage", choices=["entry", "ongoing"], default="entry")
    sub = command("decide", "decide for the person of a plan and record it in the plan", writing, within=eligibility)
    sub.add_argument("plan_id")
    sub.add_argument("--base", type=arg.revision, required=True, help="the revision the decision is based on")
    sub.add_argument("--on", type=arg.date, metavar="DATE", help="the day of the decision (default: --today)")
    sub.add_argument("--stage", choices=["entry", "ongoing"], default="ongoing")
    sub.add_argument("--override", choices=["eligible", "not_eligible", "needs_review"], help="decide manually")
    sub.add_argument("--justification", help="why the manual decision (required with --override)")

    hours = group("office-hours", "office hours of a municipality")
    sub = command("next", "the next office hours", within=hours)
    sub.add_argument("municipality", metavar="AGS")
    sub.add_argument("--count", type=arg.bounded(1, 1_000), default=5)
    sub = command("ical", "the office hours as iCalendar", within=hours)
    sub.add_argument("municipality", metavar="AGS")
    sub.add_argument("--weeks", type=arg.bounded(1, 520), default=52, help="how far ahead (default 52 weeks)")
    sub = command("osm", "the office hours as OSM opening_hours", within=hours)
    sub.add_argument("municipality", metavar="AGS")

    sub = command("caseload", "open cases per manager and per full-time post")
    sub.add_argument("--municipality", metavar="AGS")
    sub.add_argument("--ratio", type=arg.ratio, metavar="CASES", help="cases per full-time post (default 128)")
    sub = command("hand-over", "hand every open case of a manager to successors", writing)
    sub.add_argument("from_manager", metavar="FROM_STAFF_ID")
    sub.add_argument("--to", nargs="+", required=True, metavar="STAFF_ID")
    sub.add_argument("--effective-on", type=arg.date, metavar="DATE", help="default: --today")
    sub = command("worklist", "what a manager has to do, most urgent first")
    sub.add_argument("manager", metavar="STAFF_ID")
    sub.add_argument("--on", type=arg.date, metavar="DATE", help="default: --today")

    report = group("report", "reports")
    sub = command("kennzahlen", "the annual key figures (anonymous)", within=report)
    sub.add_argument("--year", type=arg.bounded(1900, 2199), required=True)
    sub.add_argument("--municipality", action="append", metavar="AGS", help="repeat for several (default: all known)")
    sub.add_argument("--threshold", type=arg.bounded(1, 100), default=3, help="suppress counts below this (default 3)")
    sub.add_argument("--format", choices=["table", "csv", "json"], default="table")
    sub.add_argument(
        "--dialect",
        choices=["excel", "excel-de"],
        default="excel",
        help="with --format csv: excel-de gives semicolons and decimal commas for German spreadsheets",
    )

    sub = command("export", "plans with their whole history as JSON Lines")
    sub.add_argument("plan_ids", nargs="*", metavar="PLAN_ID")
    sub.add_argument("--output", "-o", metavar="FILE", help="default: stdout")
    sub.add_argument(
        "--pseudonymised", action="store_true", help="one row per plan for statistics: pseudonyms, no names"
    )
    sub.add_argument("--municipality", metavar="AGS", help="with --pseudonymised: one municipality only")
    sub.add_argument(
        "--recipient", metavar="NAME", help="shared with this recipient: every plan needs a valid consent naming it"
    )
    sub.add_argument(
        "--plaintext",
        action="store_true",
        help="from an encrypted store: write the revisions in the clear instead of sealed with each plan's key",
    )
    sub = command("import", "import JSON Lines written by export (verified, streamed)")
    sub.add_argument("file", help="JSON Lines file ('-': stdin)")
    sub = command("copy", "copy every plan from one store into another (verified, in atomic batches; repeatable)")
    sub.add_argument("--from", dest="source", required=True, metavar="URL", help="the store to copy from (read only)")
    sub.add_argument("--to", dest="target", required=True, metavar="URL", help="the store to copy into")
    sub.add_argument("--batch-size", type=arg.bounded(1, 100_000), default=500, help="plans per transaction")

    stores = group("store", "set up, grant and migrate stores; listen to appends (PostgreSQL)")
    sub = command("setup", "create the roles, schema, policies and functions in a PostgreSQL database", within=stores)
    sub.add_argument("url", nargs="?", metavar="ADMIN_URL", help="a superuser's postgresql:// URL")
    sub.add_argument("--print-sql", action="store_true", help="print the setup SQL instead of running it")
    sub = command("grant", "let an existing PostgreSQL role use the store for municipalities", within=stores)
    sub.add_argument("url", metavar="ADMIN_URL")
    sub.add_argument("role")
    sub.add_argument("--municipality", action="append", default=[], metavar="AGS", help="repeat for several")
    sub.add_argument("--reporting", action="store_true", help="read-only access for the key-figures report")
    sub = command("migrate", "bring a store's schema up to this release", within=stores)
    sub.add_argument("url", metavar="URL", help="sqlite:///file.db, or an administrator's postgresql:// URL")
    sub = command("listen", "print committed revisions as JSON Lines (ids and numbers only)", within=stores)
    sub.add_argument("url", metavar="URL")
    sub.add_argument("--count", type=arg.bounded(1, 10**9), help="stop after this many")
    sub.add_argument("--timeout", type=arg.bounded(1, 86_400), help="stop after this many quiet seconds")

    sub = command("retention", "closed plans due for erasure under each municipality's policy (dry run by default)")
    sub.add_argument("--municipality", metavar="AGS")
    sub.add_argument("--apply", action="store_true", help="erase the plans that are due (cannot be undone)")
    sub.add_argument("--author", metavar="STAFF_ID", help="who erases (required with --apply)")

    sub = command("audit", "who read a plan when, and for what (the store's access log)")
    sub.add_argument("plan_id")

    sub = command("erase", "erase a plan and its whole history (data protection)")
    sub.add_argument("plan_id")
    sub.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    sub.add_argument("--author", metavar="STAFF_ID", help="who erases (default: --actor), kept in the erasure record")
    sub.add_argument(
        "--legal-basis", default="Art. 17 DSGVO", help="kept in the erasure record (default: Art. 17 DSGVO)"
    )

    appointments = group("appointments", "counselling appointments: free slots, booking by phone, calendars")
    sub = command("free", "free slots of a manager (and a room) within working hours", within=appointments)
    sub.add_argument("--municipality", required=True, metavar="AGS")
    sub.add_argument("--manager", required=True, metavar="STAFF_ID")
    sub.add_argument("--from", dest="first", type=arg.date, metavar="DATE", help="first day (default: --today)")
    sub.add_argument("--days", type=arg.bounded(1, 366), default=14, help="how many days (default 14)")
    sub.add_argument("--length", type=arg.bounded(5, 480), default=45, metavar="MINUTES", help="default 45")
    sub.add_argument("--buffer", type=arg.bounded(0, 120), default=0, metavar="MINUTES", help="kept free between")
    sub.add_argument("--room", help="the room must be free too")
    sub = command("book", "book an appointment (refused with exit 1 when the time is taken)", within=appointments)
    sub.add_argument("appointment_id")
    sub.add_argument("--municipality", required=True, metavar="AGS")
    sub.add_argument("--manager", required=True, metavar="STAFF_ID")
    sub.add_argument("--start", required=True, type=arg.moment, metavar="YYYY-MM-DDTHH:MM", help="office time")
    sub.add_argument("--length", type=arg.bounded(5, 480), default=45, metavar="MINUTES", help="default 45")
    _place_options(sub, required=True)
    sub.add_argument("--author", required=True, metavar="STAFF_ID", help="who books it")
    sub.add_argument("--channel", choices=["phone", "in_person", "email", "referral", "online"], default="phone")
    sub.add_argument("--plan", metavar="PLAN_ID", help="the person's plan, if there is one yet")
    sub.add_argument("--interpreter", metavar="LANGUAGE", help="an interpreter is needed (ISO 639-3, e.g. ara)")
    sub.add_argument("--note", help="a short note (personal data: kept encrypted where the store is)")
    sub.add_argument("--requested", action="store_true", help="take down a request (holds the time)")
    sub = command("move", "move an appointment to another time (and place)", within=appointments)
    sub.add_argument("appointment_id")
    sub.add_argument("--base", type=arg.revision, required=True, help="the version the change is based on")
    sub.add_argument("--start", required=True, type=arg.moment, metavar="YYYY-MM-DDTHH:MM")
    sub.add_argument("--length", type=arg.bounded(5, 480), metavar="MINUTES", help="default: as before")
    _place_options(sub, required=False)
    for name, text in (
        ("accept", "a requested appointment is booked"),
        ("confirm", "the person confirmed"),
        ("missed", "the person did not come (shows in the work list)"),
    ):
        sub = command(name, text, within=appointments)
        sub.set_defaults(step=name)
        sub.add_argument("appointment_id")
        sub.add_argument("--base", type=arg.revision, required=True, help="the version the change is based on")
    sub = command("cancel", "cancel an appointment: who called it off, and why", within=appointments)
    sub.add_argument("appointment_id")
    sub.add_argument("--base", type=arg.revision, required=True, help="the version the change is based on")
    sub.add_argument("--by", required=True, choices=["person", "manager", "office"])
    sub.add_argument("--reason", required=True)
    sub.add_argument("--author", required=True, metavar="STAFF_ID", help="who records the cancellation")
    sub = command("complete", "it took place; with a plan, record the contact in it too", within=appointments)
    sub.add_argument("appointment_id")
    sub.add_argument("--base", type=arg.revision, required=True, help="the version the change is based on")
    sub.add_argument("--author", required=True, metavar="STAFF_ID")
    sub.add_argument("--topic", action="append", default=[], metavar="AREA", help="goal area talked about; repeat")
    sub.add_argument("--no-contact", action="store_true", help="do not record a counselling contact in the plan")
    sub = command("list", "appointments, filtered; --tomorrow for the reminder calls", within=appointments)
    sub.add_argument("--municipality", metavar="AGS")
    sub.add_argument("--manager", metavar="STAFF_ID")
    sub.add_argument("--room")
    sub.add_argument("--plan", metavar="PLAN_ID")
    sub.add_argument("--from", dest="first", type=arg.date, metavar="DATE", help="default: --today")
    sub.add_argument("--days", type=arg.bounded(1, 3660), default=14, help="how many days (default 14)")
    sub.add_argument("--cancelled", action="store_true", help="cancelled ones too")
    sub.add_argument("--tomorrow", action="store_true", help="tomorrow's, still to take place (needs --municipality)")
    sub = command("ical", "a manager's or a room's appointments as iCalendar (no personal data)", within=appointments)
    sub.add_argument("--municipality", required=True, metavar="AGS")
    sub.add_argument("--manager", metavar="STAFF_ID")
    sub.add_argument("--room")
    sub.add_argument("--from", dest="first", type=arg.date, metavar="DATE", help="default: --today")
    sub.add_argument("--weeks", type=arg.bounded(1, 520), default=8, help="how far ahead (default 8 weeks)")
    sub.add_argument("--without-plan-id", action="store_true", help="leave the plan ids out too")

    person = group("person", "data-subject requests: every plan of one person (Art. 15 and 17 DSGVO)")
    sub = command("plans", "the ids of every plan of a person (through the person index)", within=person)
    sub.add_argument("person_id")
    sub = command("export", "everything held about a person, as German text or JSON (Art. 15)", within=person)
    sub.add_argument("person_id")
    sub.add_argument(
        "--output-dir", metavar="DIR", help="write auskunft-PERSON_ID.txt and .json there (default: print the text)"
    )
    sub.set_defaults(default_purpose="data_subject_request")
    sub = command("erase", "erase every plan of a person (Art. 17); cannot be undone", within=person)
    sub.add_argument("person_id")
    sub.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    sub.add_argument("--author", metavar="STAFF_ID", help="who erases (default: --actor), kept in the erasure records")
    sub.add_argument(
        "--legal-basis", default="Art. 17 DSGVO", help="kept in the erasure records (default: Art. 17 DSGVO)"
    )
    sub.set_defaults(default_purpose="data_subject_request")
    sub = command("schema", "the JSON Schema of a document the library reads or writes")
    sub.add_argument("name", nargs="?", metavar="NAME", help="person, plan, revision, changes, export_line, ...")
    sub.add_argument("--list", action="store_true", help="list the names")
    command("plugins", "active plugins and the hooks each implements")
    sub = command("completion", "print a shell completion script (needs integrationsplan[cli])")
    sub.add_argument("shell", choices=["bash", "zsh", "tcsh"])
    return parser
