"""The annual key figures (Kennzahlen, Nr. 6.2 VwV Integrationsmanagement).

Municipalities report them to Regierungspräsidium Stuttgart by 31 January for the
previous calendar year. The exact indicator list was not found in a primary text, so
the sections below are those the programme's published totals use (persons, contacts,
plans, topics) plus what a municipality is asked about most (closures, goals, caseload,
who is counselled). Only anonymous aggregates leave this module:

* every count from 1 to ``threshold - 1`` is suppressed (``None``), so nobody can be
  singled out; 0 singles out nobody and is shown;
* a nationality held by fewer than ``threshold`` persons is counted under ``other``,
  because even a suppressed cell would reveal by its key that such a person exists;
* where the cells of a section add up to a published total (persons by sex, contacts by
  mode ...), one suppressed cell could be recovered by subtraction, so the smallest
  other non-zero cell is suppressed too (secondary suppression).

Every figure is taken from the state of each plan at the end of the year (31 December,
effective time, corrections included), so a report for 2025 drawn up in 2026 does not
count what happened in 2026.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence

import attrs
import orjson

from integrationsplan.domain import (
    ClosureReason,
    ContactMode,
    GoalArea,
    GoalStatus,
    IntegrationManager,
    PlanRecord,
    PlanState,
    RecordKind,
    Sex,
)
from integrationsplan.errors import ConfigurationError, StorageError
from integrationsplan.reports.facts import ContactFacts, PlanFacts, StatusFacts, record_facts
from integrationsplan.rules.caseloads import caseloads_of_counts
from integrationsplan.services.plans import PlanService

__all__ = [
    "AGE_GROUPS",
    "CSV_DIALECTS",
    "SECTIONS",
    "KeyFigure",
    "KeyFigures",
    "kennzahlen",
    "key_figures",
    "year_end_facts",
    "year_end_states",
    "year_records",
]

_BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

#: The CSV forms of ``KeyFigures.to_csv``: plain CSV, and what German spreadsheets open.
CSV_DIALECTS = ("excel", "excel-de")

#: Age groups (age on 31 December of the report year): label, lowest and highest age.
AGE_GROUPS: tuple[tuple[str, int, int], ...] = (
    ("0-17", 0, 17),
    ("18-26", 18, 26),
    ("27-44", 27, 44),
    ("45-64", 45, 64),
    ("65+", 65, 200),
)

#: Sections of the report: German and English title, and the total its cells add up to.
SECTIONS: dict[str, tuple[str, str, str | None]] = {
    "totals": ("Summen", "totals", None),
    "plans_closed_by_reason": ("Abgeschlossene Pläne nach Grund", "plans closed by reason", "plans_closed"),
    "contacts_by_mode": ("Beratungskontakte nach Art", "counselling contacts by mode", "counselling_contacts"),
    "contacts_by_topic": ("Beratungskontakte nach Thema", "counselling contacts by topic", None),
    "goals_set_by_area": ("Vereinbarte Ziele nach Handlungsfeld", "goals set by area", "goals_set"),
    "goals_achieved_by_area": ("Erreichte Ziele nach Handlungsfeld", "goals achieved by area", "goals_achieved"),
    "caseload_by_manager": ("Offene Fälle je Integrationsmanager/in", "open cases per manager", "open_plans"),
    "caseload_per_fte": ("Offene Fälle je Vollzeitstelle", "open cases per full-time post", None),
    "persons_by_sex": ("Personen nach Geschlecht", "persons by sex", "persons_counselled"),
    "persons_by_age_group": ("Personen nach Altersgruppe", "persons by age group", "persons_counselled"),
    "persons_by_nationality": ("Personen nach Staatsangehörigkeit", "persons by nationality", "persons_counselled"),
}

_TOTALS = {
    "persons_counselled": ("beratene Personen", "persons counselled"),
    "plans_counselled": ("Pläne mit Beratung im Jahr", "plans with counselling in the year"),
    "new_plans": ("neue Integrationspläne", "new integration plans"),
    "plans_closed": ("abgeschlossene Pläne", "plans closed"),
    "counselling_contacts": ("Beratungskontakte", "counselling contacts"),
    "goals_set": ("vereinbarte Ziele", "goals set"),
    "goals_achieved": ("erreichte Ziele", "goals achieved"),
    "open_plans": ("offene Fälle am 31.12.", "open cases on 31 December"),
}

Value = int | float | None


@attrs.frozen
class KeyFigure:
    """One cell: a section, a key within it, and the value (``None``: suppressed)."""

    section: str
    key: str
    value: Value

    @property
    def suppressed(self) -> bool:
        return self.value is None


@attrs.frozen
class KeyFigures:
    """The key figures of some municipalities for one year, suppressed where too small."""

    year: int
    municipalities: tuple[str, ...]
    threshold: int
    figures: tuple[KeyFigure, ...]

    def value(self, section: str, key: str) -> Value:
        """The value of one cell (``None`` if suppressed); KeyError names an unknown cell."""
        for figure in self.figures:
            if figure.section == section and figure.key == key:
                return figure.value
        msg = f"no figure {section}.{key}"
        raise KeyError(msg)

    def section(self, name: str) -> dict[str, Value]:
        """The cells of one section, in report order."""
        return {figure.key: figure.value for figure in self.figures if figure.section == name}

    def as_dict(self) -> dict[str, object]:
        """The report as plain data: what ``to_json`` writes."""
        return {
            "report": "kennzahlen",
            "year": self.year,
            "municipalities": list(self.municipalities),
            "threshold": self.threshold,
            "figures": {name: self.section(name) for name in SECTIONS},
        }

    def to_json(self) -> str:
        """JSON; suppressed cells are ``null``."""
        return orjson.dumps(self.as_dict(), option=orjson.OPT_INDENT_2).decode() + "\n"

    def to_csv(self, dialect: str = "excel") -> str:
        """CSV with the columns section, key, value, suppressed (value empty if suppressed).

        ``dialect="excel"`` (the default) is plain CSV: commas, decimal points, ``yes``/``no``.
        ``dialect="excel-de"`` is what a German spreadsheet opens without an import dialog:
        semicolons between fields, decimal commas, ``ja``/``nein``, CRLF line ends, and a
        byte-order mark so the umlauts of German keys come out right.
        """
        if dialect not in CSV_DIALECTS:
            raise ValueError(f"unknown CSV dialect {dialect!r}; choose one of {', '.join(CSV_DIALECTS)}")
        german = dialect == "excel-de"
        from babel.numbers import format_decimal  # noqa: PLC0415 - loaded when a German CSV is written

        out = io.StringIO()
        writer = csv.writer(out, delimiter=";" if german else ",", lineterminator="\r\n" if german else "\n")
        writer.writerow(
            ["Bereich", "Kennzahl", "Wert", "unterdrückt"] if german else ["section", "key", "value", "suppressed"]
        )
        for figure in self.figures:
            value: object = "" if figure.value is None else figure.value
            if german and isinstance(value, float):
                value = format_decimal(value, format="0.0##", locale="de_DE")
            flag = ("ja" if figure.suppressed else "nein") if german else ("yes" if figure.suppressed else "no")
            writer.writerow([figure.section, figure.key, value, flag])
        return ("\ufeff" if german else "") + out.getvalue()

    def to_table(self) -> str:
        """A readable table with German and English titles; suppressed cells show ``<threshold``."""
        places = ", ".join(self.municipalities) or "-"
        lines = [
            f"Kennzahlen Integrationsmanagement {self.year} / key figures {self.year}",
            f"Kommunen (AGS) / municipalities: {places}",
            f"Werte unter {self.threshold} unterdrückt / values below {self.threshold} suppressed",
        ]
        hidden = f"<{self.threshold}"
        for name, (german, english, _) in SECTIONS.items():
            cells = self.section(name)
            lines += ["", f"{german} / {english}"]
            if not cells:
                lines.append("  -")
            width = max((len(_label(name, key)) for key in cells), default=0)
            for key, value in cells.items():
                shown = hidden if value is None else _shown(value)
                lines.append(f"  {_label(name, key):<{width}}  {shown:>8}")
        return "\n".join(lines) + "\n"


def _shown(value: int | float) -> str:
    """A figure as German tables write it: ``12,5``, ``1.234``."""
    from babel.numbers import format_decimal  # noqa: PLC0415

    if isinstance(value, float):
        return format_decimal(value, format="#,##0.0", locale="de_DE")
    return format_decimal(value, format="#,##0", locale="de_DE")


def _label(section: str, key: str) -> str:
    if section == "totals":
        german, english = _TOTALS[key]
        return f"{german} / {english}"
    return key


def key_figures(
    states: Iterable[PlanState],
    year: int,
    *,
    records: Iterable[tuple[str, PlanRecord]] = (),
    municipalities: Sequence[str] = (),
    staff: Iterable[IntegrationManager] = (),
    threshold: int = 3,
) -> KeyFigures:
    """The key figures of ``year`` from the states of the plans at the end of that year.

    ``states`` are the states as of 31 December (a plan not yet drawn up by then is left
    out by the caller; plans closed before the year are skipped here). ``records`` are
    the records beside those plans (``(plan_id, record)``, each plan's in the order of
    its history): contacts count by the day they took place in Germany, goals as
    achieved in the year when their last status change up to 31 December made them so.
    Pure: the same states and records give the same report, whichever store they came
    from.
    """
    facts = (PlanFacts.from_state(state) for state in states)
    counted = (found for plan_id, record in records if (found := record_facts(plan_id, record)) is not None)
    return _report(facts, year, records=counted, municipalities=municipalities, staff=staff, threshold=threshold)


def _report(
    facts: Iterable[PlanFacts],
    year: int,
    *,
    records: Iterable[ContactFacts | StatusFacts],
    municipalities: Sequence[str],
    staff: Iterable[IntegrationManager],
    threshold: int,
) -> KeyFigures:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ConfigurationError(f"the suppression threshold must be a whole number of at least 1, not {threshold!r}")
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2999:
        raise ConfigurationError(f"the report year must be a year like 2025, not {year!r}")
    counts: dict[str, Counter[str]] = {name: Counter() for name in SECTIONS if name != "caseload_per_fte"}
    persons, open_cases = _tally(facts, year, counts, records)
    _tally_persons(persons, year, threshold, counts)
    chosen_staff = [m for m in staff if not municipalities or m.municipality_ags in municipalities]
    loads = caseloads_of_counts(open_cases, chosen_staff)
    for load in loads:
        counts["caseload_by_manager"][load.manager_id or "-"] += load.cases
    cells = {
        name: _suppress(
            {key: counter.get(key, 0) for key in _KEYS.get(name) or sorted(counter)},
            threshold,
            secondary=SECTIONS[name][2] is not None,
        )
        for name, counter in counts.items()
    }
    per_fte: dict[str, Value] = {}
    for load in loads:
        if load.manager_id is not None and load.cases_per_fte is not None:
            hidden = cells["caseload_by_manager"].get(load.manager_id) is None
            per_fte[load.manager_id] = None if hidden else round(load.cases_per_fte, 1)
    figures = [KeyFigure(name, key, value) for name, section in cells.items() for key, value in section.items()]
    figures += [KeyFigure("caseload_per_fte", key, value) for key, value in per_fte.items()]
    order = list(SECTIONS)
    figures.sort(key=lambda figure: order.index(figure.section))  # stable: keys keep their order
    return KeyFigures(year, tuple(sorted(set(municipalities))), threshold, tuple(figures))


_KEYS = {
    "totals": list(_TOTALS),
    "plans_closed_by_reason": [reason.value for reason in ClosureReason],
    "contacts_by_mode": [mode.value for mode in ContactMode],
    "contacts_by_topic": [area.value for area in GoalArea],
    "goals_set_by_area": [area.value for area in GoalArea],
    "goals_achieved_by_area": [area.value for area in GoalArea],
    "persons_by_sex": [sex.value for sex in Sex],
    "persons_by_age_group": [label for label, _, _ in AGE_GROUPS] + ["unknown"],
}


_ACHIEVED = GoalStatus.ACHIEVED.value

#: What the report needs of a person: sex, year of birth, first nationality.
_Person = tuple[str, int | None, str]


def _tally(
    facts: Iterable[PlanFacts],
    year: int,
    counts: dict[str, Counter[str]],
    records: Iterable[ContactFacts | StatusFacts],
) -> tuple[dict[str, _Person], Counter[str | None]]:
    """Count plans, contacts and goals; return what each person counts by, and open cases per manager.

    States stream through: none is kept, so the report's memory grows with the number
    of persons (a small tuple each), not with the plans' contents.
    """
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    contacts: dict[str, list[ContactFacts]] = {}
    since: dict[tuple[str, str], dt.date] = {}  # the day each goal's status as of 31 December took effect
    for record in records:
        if isinstance(record, ContactFacts):
            at = record.at
            # Germany is 1-2 hours ahead of UTC: only the last hours of 31 December (UTC)
            # can fall into another year there, so only those need the time zone.
            local_year = at.astimezone(_BERLIN).year if at.month == 12 and at.day == 31 else at.year
            if local_year == year:
                contacts.setdefault(record.plan_id, []).append(record)
        elif record.on <= last:
            since[(record.plan_id, record.goal_id)] = record.on
    persons: dict[str, _Person] = {}
    open_cases: Counter[str | None] = Counter()
    totals = counts["totals"]
    for plan in facts:
        if plan.drawn_up_on > last or (plan.closed_on is not None and plan.closed_on < first):
            continue
        totals["plans_counselled"] += 1
        if plan.person_id not in persons:
            persons[plan.person_id] = (plan.sex, plan.birth_year, plan.nationality)
        if plan.drawn_up_on >= first:
            totals["new_plans"] += 1
        if plan.closed_on is not None and plan.closed_on <= last:
            totals["plans_closed"] += 1
            counts["plans_closed_by_reason"][plan.closure_reason or "other"] += 1
        else:
            open_cases[plan.manager_id] += 1
        for contact in contacts.get(plan.plan_id, ()):
            totals["counselling_contacts"] += 1
            counts["contacts_by_mode"][contact.mode] += 1
            counts["contacts_by_topic"].update(contact.topics)
        for goal in plan.goals:
            if first <= goal.agreed_on <= last:
                totals["goals_set"] += 1
                counts["goals_set_by_area"][goal.area] += 1
            achieved_on = since.get((plan.plan_id, goal.goal_id), goal.agreed_on)
            if goal.status == _ACHIEVED and first <= achieved_on <= last:
                totals["goals_achieved"] += 1
                counts["goals_achieved_by_area"][goal.area] += 1
    totals["persons_counselled"] = len(persons)
    totals["open_plans"] = sum(open_cases.values())
    return persons, open_cases


def _tally_persons(persons: dict[str, _Person], year: int, threshold: int, counts: dict[str, Counter[str]]) -> None:
    for sex, birth_year, nationality in persons.values():
        counts["persons_by_sex"][sex] += 1
        counts["persons_by_age_group"][_age_group(birth_year, year)] += 1
        counts["persons_by_nationality"][nationality] += 1
    # A nationality too rare to show would still be revealed by its key: fold it into "other".
    nationalities = counts["persons_by_nationality"]
    for code, count in list(nationalities.items()):
        if count < threshold and code != "other":
            nationalities["other"] += count
            del nationalities[code]


def _age_group(birth_year: int | None, year: int) -> str:
    if birth_year is None:
        return "unknown"
    age = year - birth_year  # on 31 December everyone has had this year's birthday
    for label, low, high in AGE_GROUPS:
        if low <= age <= high:
            return label
    return "unknown"


def _suppress(cells: dict[str, int], threshold: int, *, secondary: bool) -> dict[str, int | None]:
    shown: dict[str, int | None] = {key: (None if 0 < value < threshold else value) for key, value in cells.items()}
    hidden = [key for key, value in shown.items() if value is None]
    if secondary and len(hidden) == 1:
        others = [(value, key) for key, value in shown.items() if value]
        if others:
            shown[min(others)[1]] = None
    return shown


def year_end_states(
    plans: PlanService,
    year: int,
    municipalities: Sequence[str],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[PlanState]:
    """The state of every plan of ``municipalities`` as of 31 December of ``year``.

    The head is used where nothing after the year was recorded as effective (the usual
    case when the report is drawn up in January); only the other plans are replayed up
    to the last day of the year. The heads are streamed in one pass per municipality,
    so memory does not grow with the number of plans. ``progress(done, total)`` is
    called as plans are read.
    """
    last = dt.date(year, 12, 31)
    chosen = sorted(set(municipalities))
    total = sum(len(plans.plans(municipality_ags=ags)) for ags in chosen) if progress is not None else 0
    done = 0
    for ags in chosen:
        for head_state in plans.states(municipality_ags=ags):
            state: PlanState | None = head_state
            if head_state.effective_on > last:
                state = plans.state_as_of(head_state.plan_id, last)
            done += 1
            if progress is not None:
                progress(done, total)
            if state is not None:
                yield state


def kennzahlen(
    plans: PlanService,
    year: int,
    municipalities: Sequence[str],
    *,
    staff: Iterable[IntegrationManager] = (),
    threshold: int = 3,
    progress: Callable[[int, int], None] | None = None,
) -> KeyFigures:
    """The key figures of ``municipalities`` (AGS) for ``year`` from what the store holds.

    Reads only through the storage contract, so every backend gives the same report.
    """
    if not municipalities:
        raise ConfigurationError("name at least one municipality (AGS) for the key figures")
    facts = year_end_facts(plans, year, municipalities, progress=progress)
    records = year_records(plans, year, municipalities)
    return _report(facts, year, records=records, municipalities=municipalities, staff=staff, threshold=threshold)


def year_end_facts(
    plans: PlanService,
    year: int,
    municipalities: Sequence[str],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[PlanFacts]:
    """The facts of every plan of ``municipalities`` as of 31 December of ``year``.

    Read from the heads in one pass per municipality, straight from their documents;
    only a plan with something recorded as effective after the year is replayed up to
    its last day (as ``year_end_states`` does).
    """
    last = dt.date(year, 12, 31)
    chosen = sorted(set(municipalities))
    total = sum(len(plans.plans(municipality_ags=ags)) for ags in chosen) if progress is not None else 0
    done = 0
    for ags in chosen:
        for head in plans.store.heads(municipality_ags=ags):
            if head.document is None:
                raise StorageError(f"the store left out the head document of plan {head.plan_id!r}")
            facts = PlanFacts.from_head(head.plan_id, head.document)
            done += 1
            if progress is not None:
                progress(done, total)
            if facts.effective_on <= last:
                yield facts
            elif (state := plans.state_as_of(head.plan_id, last)) is not None:
                yield PlanFacts.from_state(state)


def year_records(plans: PlanService, year: int, municipalities: Sequence[str]) -> Iterator[ContactFacts | StatusFacts]:
    """The facts of the records the report of ``year`` counts, from the store's side tables.

    Contacts of the year (asked with a day's margin on each side, as their index day is
    in UTC), and every goal status change up to 31 December, each plan's in history order;
    read straight from the stored documents, like the plans' facts.
    """
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for ags in sorted(set(municipalities)):
        for stored in plans.store.records(
            municipality_ags=ags,
            kind=RecordKind.CONTACT.value,
            first=first - dt.timedelta(days=1),
            last=last + dt.timedelta(days=1),
        ):
            yield ContactFacts.from_document(stored.plan_id, stored.document)
        for stored in plans.store.records(municipality_ags=ags, kind=RecordKind.GOAL_STATUS.value, last=last):
            yield StatusFacts.from_document(stored.plan_id, stored.document)
