"""The ``integrationsplan`` command line (also ``python -m integrationsplan``).

The store comes from ``--store URL``, else ``INTEGRATIONSPLAN_STORE``, else the SQLite
file ``integrationsplan.db`` in the working directory. Every read command takes
``--json``. Exit codes: 0 ok; 1 refused by a rule, a conflict or an integrity failure
(also: not eligible, a hand-over or verification that did not complete, a storage
failure); 2 usage error (bad arguments, an unreadable or malformed file, a bad field,
an unknown plan or store scheme). See ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence

from integrationsplan import __version__
from integrationsplan.cli._commands import COMMANDS
from integrationsplan.cli._context import DEFAULT_STORE, STORE_VARIABLE, Context, UsageError
from integrationsplan.cli._demo import demo
from integrationsplan.errors import (
    ConfigurationError,
    IntegrationsplanError,
    UnknownPlanError,
    ValidationError,
)
from integrationsplan.serialization import SchemaVersionError

__all__ = ["DEFAULT_STORE", "STORE_VARIABLE", "main"]

_Group = argparse._SubParsersAction  # argparse names no public type for it
_USAGE_ERRORS = (UsageError, ValidationError, ConfigurationError, UnknownPlanError, SchemaVersionError)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 refused, 2 usage error)."""
    parser = _parser()
    args = parser.parse_args(argv)
    handler: Callable[[Context], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return 2
    context = Context(args)
    try:
        return handler(context)
    except _USAGE_ERRORS as error:
        print(f"integrationsplan: error: {error}", file=sys.stderr)
        return 2
    except IntegrationsplanError as error:
        print(f"integrationsplan: refused: {error}", file=sys.stderr)
        return 1
    finally:
        context.close()


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _parser() -> argparse.ArgumentParser:  # noqa: PLR0915 - one declaration per command
    parser = argparse.ArgumentParser(
        prog="integrationsplan", description="Integration plans for integration management (Integrationsmanagement)."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--store", metavar="URL", help=f"plan store URL (default: ${STORE_VARIABLE}, else {DEFAULT_STORE})"
    )
    parser.add_argument("--today", type=_date, metavar="DATE", help="the day to work on (default: today in Germany)")
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument("--progress", action="store_true", default=None, help="always show progress on stderr")
    progress.add_argument("--no-progress", dest="progress", action="store_false", help="never show progress")

    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument("--json", action="store_true", help="print JSON for scripts")
    writing = argparse.ArgumentParser(add_help=False)
    writing.add_argument("--author", required=True, metavar="STAFF_ID", help="who records the revision")
    writing.add_argument("--reason", required=True, help="a short reason, kept in the history")
    writing.add_argument("--json", action="store_true", help="print JSON for scripts")

    commands = parser.add_subparsers(metavar="COMMAND")

    def command(
        name: str,
        handler: Callable[[Context], int],
        help_text: str,
        *parents: argparse.ArgumentParser,
        group: _Group[argparse.ArgumentParser] | None = None,
    ) -> argparse.ArgumentParser:
        sub = (group or commands).add_parser(name, help=help_text, parents=list(parents), description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    sub = command("demo", demo, "build a realistic case in Eislingen/Fils and show its history", reading)
    sub.add_argument("--keep", metavar="FILE", help="keep the demo store in this new SQLite file")

    plan = commands.add_parser("plan", help="create, revise, show and check plans").add_subparsers(metavar="ACTION")
    sub = command("create", COMMANDS["plan create"], "draw up a plan from a create_plan document", writing, group=plan)
    sub.add_argument("plan_id")
    sub.add_argument("file", help="JSON document of the create_plan change ('-': stdin)")
    sub.add_argument("--effective-on", type=_date, required=True, metavar="DATE")
    sub = command("revise", COMMANDS["plan revise"], "update (or correct) a plan with a JSON list of changes", writing,
                  group=plan)  # fmt: skip
    sub.add_argument("plan_id")
    sub.add_argument("file", help="JSON list of changes ('-': stdin)")
    sub.add_argument("--base", type=_positive, required=True, help="the revision the edit is based on")
    sub.add_argument("--effective-on", type=_date, metavar="DATE", help="required for an update")
    sub.add_argument("--corrects", type=int, metavar="N", help="make it a correction of revision N")
    sub = command("show", COMMANDS["plan show"], "the current plan (or as of a day)", reading, group=plan)
    sub.add_argument("plan_id")
    sub.add_argument("--as-of", type=_date, metavar="DATE")
    sub = command("history", COMMANDS["plan history"], "every revision of a plan", reading, group=plan)
    sub.add_argument("plan_id")
    sub = command("diff", COMMANDS["plan diff"], "what changed between two revisions", reading, group=plan)
    sub.add_argument("plan_id")
    sub.add_argument("from_revision", type=int)
    sub.add_argument("to_revision", type=int)
    sub.add_argument("--language", choices=["de", "en"], default="de")
    sub = command("list", COMMANDS["plan list"], "plan ids, filtered", reading, group=plan)
    sub.add_argument("--municipality", metavar="AGS")
    sub.add_argument("--status", choices=["active", "paused", "closed"])
    sub.add_argument("--manager", metavar="STAFF_ID")
    sub = command("verify", COMMANDS["plan verify"], "check the hash chains (all plans by default)", reading,
                  group=plan)  # fmt: skip
    sub.add_argument("plan_ids", nargs="*", metavar="PLAN_ID")

    eligibility = commands.add_parser("eligibility", help="eligibility decisions").add_subparsers(metavar="ACTION")
    sub = command("check", COMMANDS["eligibility check"], "decide eligibility for a person document", reading,
                  group=eligibility)  # fmt: skip
    sub.add_argument("file", help="JSON document of the person ('-': stdin)")
    sub.add_argument("--municipality", required=True, metavar="AGS")
    sub.add_argument("--on", type=_date, metavar="DATE", help="the day of the decision (default: --today)")
    sub.add_argument("--stage", choices=["entry", "ongoing"], default="entry")

    hours = commands.add_parser("office-hours", help="office hours of a municipality").add_subparsers(metavar="ACTION")
    sub = command("next", COMMANDS["office-hours next"], "the next office hours", reading, group=hours)
    sub.add_argument("municipality", metavar="AGS")
    sub.add_argument("--count", type=_positive, default=5)
    sub = command("ical", COMMANDS["office-hours ical"], "the office hours as iCalendar", group=hours)
    sub.add_argument("municipality", metavar="AGS")
    sub.add_argument("--weeks", type=_positive, default=52, help="how far ahead (default 52 weeks)")
    sub = command("osm", COMMANDS["office-hours osm"], "the office hours as OSM opening_hours", reading, group=hours)
    sub.add_argument("municipality", metavar="AGS")

    sub = command("caseload", COMMANDS["caseload"], "open cases per manager and per full-time post", reading)
    sub.add_argument("--municipality", metavar="AGS")
    sub.add_argument("--ratio", type=float, metavar="CASES", help="cases per full-time post (default 128)")
    sub = command("hand-over", COMMANDS["hand-over"], "hand every open case of a manager to successors", writing)
    sub.add_argument("from_manager", metavar="FROM_STAFF_ID")
    sub.add_argument("--to", nargs="+", required=True, metavar="STAFF_ID")
    sub.add_argument("--effective-on", type=_date, metavar="DATE", help="default: --today")
    sub = command("worklist", COMMANDS["worklist"], "what a manager has to do, most urgent first", reading)
    sub.add_argument("manager", metavar="STAFF_ID")
    sub.add_argument("--on", type=_date, metavar="DATE", help="default: --today")

    report = commands.add_parser("report", help="reports").add_subparsers(metavar="REPORT")
    sub = command("kennzahlen", COMMANDS["report kennzahlen"], "the annual key figures (anonymous)", reading,
                  group=report)  # fmt: skip
    sub.add_argument("--year", type=int, required=True)
    sub.add_argument("--municipality", action="append", metavar="AGS", help="repeat for several (default: all known)")
    sub.add_argument("--threshold", type=int, default=3, help="suppress counts below this (default 3)")
    sub.add_argument("--format", choices=["table", "csv", "json"], default="table")

    sub = command("export", COMMANDS["export"], "plans with their whole history as JSON Lines")
    sub.add_argument("plan_ids", nargs="*", metavar="PLAN_ID")
    sub.add_argument("--output", "-o", metavar="FILE", help="default: stdout")
    sub = command("import", COMMANDS["import"], "import JSON Lines written by export (verified)", reading)
    sub.add_argument("file", help="JSON Lines file ('-': stdin)")
    sub = command("erase", COMMANDS["erase"], "erase a plan and its whole history (data protection)", reading)
    sub.add_argument("plan_id")
    sub.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    command("plugins", COMMANDS["plugins"], "active plugins and the hooks each implements", reading)
    return parser
