"""Text output of the command line: plans, histories, diffs, decisions, office hours.

Bilingual (German / English) like every user-facing text of the library. Functions
return strings; the commands decide where they go.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from integrationsplan.domain import (
    Appointment,
    Goal,
    IntegrationPlan,
    LanguageSkill,
    OtherSkill,
    RecordEligibilityDecision,
    Revision,
    Schooling,
    VocationalQualification,
    WorkExperience,
)
from integrationsplan.domain.competencies import Competency
from integrationsplan.history import PlanDiff
from integrationsplan.i18n import texts
from integrationsplan.plugins import PluginInfo
from integrationsplan.serialization import unstructure
from integrationsplan.services import PlanView
from integrationsplan.testing.examples import DemoCase

if TYPE_CHECKING:
    from datetime import tzinfo

    from integrationsplan.rules import Caseload, Decision, Occurrence, Slot, SupportPeriod, WorkItem

#: German texts and formats (dates 15.03.2023, times in Europe/Berlin, decimal commas).
_DE = texts("de")

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


def plan_text(plan: IntegrationPlan, municipality: str = "-", manager: str | None = None) -> str:
    person = plan.person
    name = person.name
    shown = " ".join(part for part in (name.latin_given_names, name.latin_family_name) if part) or "(name)"
    who = plan.manager_id or "-"
    if manager is not None:
        who = f"{manager} ({plan.manager_id})"
    lines = [
        f"Integrationsplan / integration plan {plan.id}",
        f"  Kommune / municipality: {municipality} (AGS {plan.municipality_ags})",
        f"  erstellt am / drawn up on: {_DE.date(plan.drawn_up_on)}",
        f"  Integrationsmanager/in / manager: {who}",
        "",
        f"Person {person.id}: {shown}",
        f"  Staatsangehörigkeit / nationality: {', '.join(person.nationalities)}",
        f"  Sprachen / languages: {', '.join(person.languages) or '-'}",
    ]
    if person.residence_status is not None:
        status = person.residence_status
        until = f", gültig bis / valid until {_DE.date(status.valid_until)}" if status.valid_until else ""
        lines.append(
            f"  Aufenthaltsstatus / residence status: {_DE.label(status.kind)} ({status.kind.legal_basis}){until}"
        )
    if person.allocation is not None:
        lines.append(
            "  Anschlussunterbringung / follow-up housing since "
            f"{_DE.date(person.allocation.allocated_on)} (AGS {person.allocation.municipality_ags})"
        )
    lines += ["", "Kompetenzen / competencies:"]
    lines += [f"  - {_competency(competency)}" for competency in plan.competencies]
    lines += ["", "Ziele / goals:"]
    for goal in plan.goals:
        lines += _goal(goal)
    return "\n".join(lines) + "\n"


def _competency(competency: Competency) -> str:
    if isinstance(competency, LanguageSkill):
        level = competency.overall.value if competency.overall else "?"
        return f"Sprache / language {competency.language}: {level} ({_DE.label(competency.evidence.kind)})"
    if isinstance(competency, Schooling):
        return f"Schule / schooling: {competency.years} Jahre / years, {competency.country}"
    if isinstance(competency, VocationalQualification):
        state = _DE.label(competency.recognition.state)
        what = f"{competency.title} ({competency.country})"
        return f"Qualifikation / qualification: {what}, Anerkennung / recognition: {state}"
    if isinstance(competency, WorkExperience):
        return f"Berufserfahrung / work experience: {competency.occupation}, {competency.years} Jahre / years"
    assert isinstance(competency, OtherSkill)  # noqa: S101 - the union is closed
    return f"{_DE.label(competency.kind)}: {competency.detail}"


def _goal(goal: Goal) -> list[str]:
    target = _DE.date(goal.target_date) if goal.target_date else "-"
    lines = [f"  [{_DE.label(goal.status)}] {_AREA_LABELS[goal.area.value]}: {goal.statement} (bis / by {target})"]
    for measure in goal.measures:
        who = measure.responsible.service or _DE.label(measure.responsible.party)
        due = _DE.date(measure.due_on) if measure.due_on else "-"
        lines.append(f"      - [{_DE.label(measure.status)}] {measure.description} ({who}, {due})")
    return lines


_WEEKDAYS = ("Mo", "Di", "Mi", "Do", "Fr", "Sa", "So")


def view_text(view: PlanView) -> str:
    """The plan as shown: names from the plugins, status, revision, support period, warnings."""
    state, period = view.state, view.support_period
    municipality = view.municipality.name if view.municipality is not None else "-"
    manager = view.manager.name if view.manager is not None else None
    lines = [plan_text(state.plan, municipality, manager).rstrip("\n"), ""]
    status = state.plan.person.residence_status
    if view.residence_expired and status is not None and status.valid_until is not None:
        until = _DE.date(status.valid_until)
        lines.append(f"ACHTUNG / WARNING: Aufenthaltsstatus abgelaufen am / residence status expired on {until}")
    lines.append(
        f"Status: {_DE.label(state.status)} (Revision {state.revision}, "
        f"gültig ab / effective {_DE.date(state.effective_on)})"
    )
    if period is not None:
        lines.append(support_text(period))
    if state.closure is not None:
        lines.append(f"Abgeschlossen / closed: {_DE.date(state.closure.closed_on)} ({_DE.label(state.closure.reason)})")
    lines.append(f"Beratungskontakte / counselling contacts: {state.contact_count}")
    if state.last_decision is not None:
        last = state.last_decision
        manual = " (manuell / manual)" if last.override is not None else ""
        lines.append(
            f"Letzte Anspruchsprüfung / last eligibility decision: {_DE.label(last.outcome)}{manual}"
            f" am / on {_DE.date(last.decided_on)} [{', '.join(last.reason_codes)}]"
        )
    return "\n".join(lines) + "\n"


def view_data(view: PlanView) -> dict[str, Any]:
    """The plan as shown, for ``--json``: the state and what the view adds."""
    data: dict[str, Any] = unstructure(view.state)
    data["support_period"] = None if view.support_period is None else unstructure(view.support_period)
    data["municipality_name"] = None if view.municipality is None else view.municipality.name
    data["manager_name"] = None if view.manager is None else view.manager.name
    data["residence_expired"] = view.residence_expired
    return data


def support_text(period: SupportPeriod) -> str:
    extra = []
    if period.extended_months:
        extra.append(f"+{period.extended_months} Monate verlängert / months extended")
    if period.paused_days:
        extra.append(f"{period.paused_days} Tage pausiert / days paused")
    more = f" ({'; '.join(extra)})" if extra else ""
    return (
        f"Förderzeitraum / support period ({period.policy.name}): {_DE.date(period.start)} bis / to "
        f"{_DE.date(period.last_day)}{more}"
    )


def history_text(revisions: Sequence[Revision]) -> str:
    lines = []
    for revision in revisions:
        kinds = ", ".join(_change_summary(change) for change in revision.changes)
        corrects = f" korrigiert / corrects {revision.corrects}" if revision.corrects is not None else ""
        lines.append(
            f"{revision.number:>4}  {_DE.instant(revision.recorded_at)}  "
            f"gültig ab / effective {_DE.date(revision.effective_on)}  {_DE.label(revision.kind)}{corrects}  "
            f"{revision.author}: {revision.reason}"
        )
        lines.append(f"      {kinds}")
    return "\n".join(lines) + "\n"


def _change_summary(change: object) -> str:
    if isinstance(change, RecordEligibilityDecision):
        record = change.decision
        manual = f", manuell entschieden von {record.override.decided_by}" if record.override is not None else ""
        return (
            f"{_DE.change(change)} ({_DE.label(record.outcome)}, {_DE.label(record.stage)}, "
            f"{record.rule_set}@{record.rule_set_version}: {', '.join(record.reason_codes)}{manual})"
        )
    return _DE.change(change)


def diff_text(diff: PlanDiff, language: str) -> str:
    described = diff.describe(language)
    return (
        (described if described.endswith("\n") else described + "\n") if described else "(keine Änderung / no change)\n"
    )


def decision_text(decision: Decision) -> str:
    return decision.explain("de") + "\n\n" + decision.explain("en") + "\n"


def occurrences_text(occurrences: Sequence[Occurrence]) -> str:
    lines = []
    for occurrence in occurrences:
        day = occurrence.start.date()
        rooms = ", ".join(occurrence.rooms)
        lines.append(
            f"{_WEEKDAYS[day.weekday()]} {_DE.date(day)} {occurrence.start:%H:%M}-{occurrence.end:%H:%M}"
            f"  {_DE.label(occurrence.access)}  {rooms}"
        )
    return "\n".join(lines) + "\n" if lines else "(keine Sprechstunden / no office hours)\n"


def caseloads_text(loads: Sequence[Caseload]) -> str:
    lines = [f"{'Integrationsmanager/in / manager':<34} {'Fälle':>6} {'Stelle':>7} {'je VZÄ':>8} {'Quote':>7}"]
    for load in loads:
        share = "-" if load.full_time_share is None else _DE.number(load.full_time_share, "0.00")
        per_fte = "-" if load.cases_per_fte is None else _DE.number(load.cases_per_fte, "0.0")
        used = "-" if load.utilisation is None else _DE.percent(load.utilisation)
        flag = "  > Schlüssel / over ratio" if load.over_ratio else ""
        lines.append(
            f"{load.manager_id or '(ohne / unassigned)':<34} {load.cases:>6} {share:>7} {per_fte:>8} {used:>7}{flag}"
        )
    if loads:
        lines.append(
            f"Schlüssel / ratio: {_DE.number(loads[0].ratio)} Fälle je Vollzeitstelle / cases per full-time post"
        )
    return "\n".join(lines) + "\n"


def work_text(items: Sequence[WorkItem]) -> str:
    if not items:
        return "(nichts zu tun / nothing to do)\n"
    return "\n".join(f"{item.plan_id}  {item.text_de}  /  {item.text_en}" for item in items) + "\n"


def slots_text(slots: Sequence[Slot]) -> str:
    if not slots:
        return "(keine freien Termine / no free slots)\n"
    return "".join(
        f"{_WEEKDAYS[slot.start.weekday()]} {_DE.date(slot.start.date())} {slot.start:%H:%M}-{slot.end:%H:%M}\n"
        for slot in slots
    )


def appointments_text(appointments: Sequence[Appointment], zone: tzinfo) -> str:
    if not appointments:
        return "(keine Termine / no appointments)\n"
    lines = []
    for a in appointments:
        start, end = a.start.astimezone(zone), a.end.astimezone(zone)
        place = f"Raum / room {a.place.room}" if a.place.room else _DE.label(a.place.kind)
        plan = f"  Plan {a.plan_id}" if a.plan_id else ""
        interpreter = f"  Dolmetschung / interpreter: {a.interpreter_language}" if a.interpreter_language else ""
        lines.append(
            f"{a.id}  {_DE.date(start.date())} {start:%H:%M}-{end:%H:%M}  {a.manager_id}  {place}  "
            f"{_DE.label(a.status)}"
            f" (Version {a.version}){plan}{interpreter}"
        )
    return "\n".join(lines) + "\n"


def plugins_text(infos: Sequence[PluginInfo]) -> str:
    lines = []
    for info in infos:
        source = f" ({info.distribution} {info.version})" if info.distribution else ""
        lines.append(f"{info.name}{source}\n" + "".join(f"    {hook}\n" for hook in info.hooks))
    return "".join(lines)


def demo_data(case: DemoCase) -> dict[str, Any]:
    return {
        "eligibility": unstructure(case.entry_decision),
        "history": [unstructure(revision) for revision in case.history],
        f"diff_{case.diff_from}_{case.diff_from + 1}": [unstructure(change) for change in case.diff.changes],
        "plan": unstructure(case.state),
        "verified_revisions": case.verified,
        "support_period": None if case.view.support_period is None else unstructure(case.view.support_period),
        "next_office_hours": [unstructure(occurrence) for occurrence in case.next_office_hours],
        "today": case.today.isoformat(),
    }


def demo_text(case: DemoCase) -> str:
    location = case.office_hours.location
    where = f"{location.street}, {location.postcode} {location.city}"
    period = case.view.support_period
    verified = _DE.plural("{count} Revision", "{count} Revisionen", case.verified)
    out = [
        f"Demo: ein Fall in Eislingen/Fils, Stand / as on {_DE.date(case.today)}\n",
        "== 1. Anspruch / eligibility ==",
        decision_text(case.entry_decision),
        "== 2. Der Plan heute / the plan now ==",
        view_text(case.view),
        "== 3. Verlauf / history ==",
        history_text(case.history),
        f"== 4. Änderungen von Revision {case.diff_from} zu {case.diff_from + 1} / changes ==",
        diff_text(case.diff, "de"),
        f"Hash-Kette geprüft / hash chain verified: {verified}\n",
        "== 5. Förderzeitraum / support period ==",
        (support_text(period) if period else "-") + "\n",
        f"== 6. Nächste Sprechstunden / next office hours ({where}) ==",
        occurrences_text(case.next_office_hours),
    ]
    return "\n".join(out)
