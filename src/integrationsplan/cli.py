"""The ``integrationsplan`` command line (also ``python -m integrationsplan``).

For now it has one command, ``demo``, which builds the example plan of a person in
Eislingen/Fils and prints it; the command-line issue grows it into the full tool.
Exit codes: 0 ok, 1 refused by a rule, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from integrationsplan import __version__
from integrationsplan.domain import (
    Goal,
    IntegrationPlan,
    LanguageSkill,
    OtherSkill,
    Schooling,
    VocationalQualification,
    WorkExperience,
)
from integrationsplan.domain.competencies import Competency
from integrationsplan.errors import IntegrationsplanError
from integrationsplan.examples import EISLINGEN, example_plan
from integrationsplan.serialization import dumps

__all__ = ["main"]

_AREA_LABELS = {
    "language": "Spracherwerb / language acquisition",
    "labour_market": "Arbeitsmarkt / labour market",
    "recognition": "Anerkennung / recognition of qualifications",
    "housing": "Wohnen / housing",
    "school_and_education": "Schule und Bildung / school and education",
    "social_participation": "Gesellschaftliche Teilhabe / social participation",
    "health": "Gesundheit / health",
    "family_and_children": "Familie und Kinder / family and children",
    "other": "Sonstiges / other",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            return _demo(as_json=args.json)
    except IntegrationsplanError as error:
        print(f"integrationsplan: {error}", file=sys.stderr)
        return 1
    parser.print_help(sys.stderr)
    return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="integrationsplan", description="Integration plans for integration management (Integrationsmanagement)."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = commands.add_parser("demo", help="build and print the example plan of a person in Eislingen/Fils")
    demo.add_argument("--json", action="store_true", help="print the stored JSON document instead of text")
    return parser


def _demo(*, as_json: bool) -> int:
    plan = example_plan()
    if as_json:
        sys.stdout.write(dumps(plan).decode("utf-8") + "\n")
    else:
        sys.stdout.write(_render(plan))
    return 0


def _render(plan: IntegrationPlan) -> str:
    person = plan.person
    name = person.name
    shown = " ".join(part for part in (name.latin_given_names, name.latin_family_name) if part) or "(name)"
    lines = [
        f"Integrationsplan / integration plan {plan.id}",
        f"  Kommune / municipality: {_municipality_name(plan.municipality_ags)} (AGS {plan.municipality_ags})",
        f"  erstellt am / drawn up on: {plan.drawn_up_on.isoformat()}",
        f"  Integrationsmanager/in / manager: {plan.manager_id or '-'}",
        "",
        f"Person {person.id}: {shown}",
        f"  Staatsangehörigkeit / nationality: {', '.join(person.nationalities)}",
        f"  Sprachen / languages: {', '.join(person.languages) or '-'}",
    ]
    if person.residence_status is not None:
        status = person.residence_status
        until = f", gültig bis / valid until {status.valid_until.isoformat()}" if status.valid_until else ""
        lines.append(
            f"  Aufenthaltsstatus / residence status: {status.kind.german_name} ({status.kind.legal_basis}){until}"
        )
    if person.allocation is not None:
        lines.append(
            "  Anschlussunterbringung / follow-up housing since "
            f"{person.allocation.allocated_on.isoformat()} (AGS {person.allocation.municipality_ags})"
        )
    lines += ["", "Kompetenzen / competencies:"]
    lines += [f"  - {_competency(competency)}" for competency in plan.competencies]
    lines += ["", "Ziele / goals:"]
    for goal in plan.goals:
        lines += _goal(goal)
    return "\n".join(lines) + "\n"


def _municipality_name(ags: str) -> str:
    return EISLINGEN.name if ags == EISLINGEN.ags else "-"


def _competency(competency: Competency) -> str:
    if isinstance(competency, LanguageSkill):
        level = competency.overall.value if competency.overall else "?"
        return f"Sprache / language {competency.language}: {level} ({competency.evidence.kind.value})"
    if isinstance(competency, Schooling):
        return f"Schule / schooling: {competency.years} years in {competency.country}"
    if isinstance(competency, VocationalQualification):
        state = competency.recognition.state.value
        return f"Qualifikation / qualification: {competency.title} ({competency.country}), recognition {state}"
    if isinstance(competency, WorkExperience):
        return f"Berufserfahrung / work experience: {competency.occupation}, {competency.years} years"
    assert isinstance(competency, OtherSkill)  # noqa: S101 - the union is closed
    return f"{competency.kind.value}: {competency.detail}"


def _goal(goal: Goal) -> list[str]:
    target = goal.target_date.isoformat() if goal.target_date else "-"
    lines = [f"  [{goal.status.value}] {_AREA_LABELS[goal.area.value]}: {goal.statement} (bis / by {target})"]
    for measure in goal.measures:
        who = measure.responsible.service or measure.responsible.party.value
        due = measure.due_on.isoformat() if measure.due_on else "-"
        lines.append(f"      - [{measure.status.value}] {measure.description} ({who}, {due})")
    return lines
