"""Field-level diffs between two states of a plan, with German and English labels.

The diff compares the JSON-ready form of two states, so it names every field by the
path a reader of a stored document would use (``plan.goals[g-language].status``), and a
list item with an id by that id rather than its position. Each change remembers the
domain type of its values, so [`PlanDiff.describe`][integrationsplan.PlanDiff.describe]
writes them as people read them: ``Ziele > g-language > Status: in Arbeit → erreicht``,
days as ``15.03.2023``, in German, English or any language of the catalogs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from integrationsplan.domain import (
    CounsellingContact,
    EligibilityRecord,
    GoalStatusRecord,
    PlanState,
    RecordKind,
    Revision,
    record_kind,
    records_of,
    replay,
)
from integrationsplan.errors import value_shape
from integrationsplan.history._readable import concrete_type, element_type, field_type, json_inline
from integrationsplan.i18n import Texts, texts
from integrationsplan.serialization import unstructure

__all__ = ["LABELS", "FieldChange", "PlanDiff", "diff_revisions", "diff_states"]


#: German and English labels of every field a plan state holds.
LABELS: dict[str, tuple[str, str]] = {
    "achievement": ("Zielerreichung", "achievement"),
    "agreed_on": ("vereinbart am", "agreed on"),
    "allocated_on": ("zugewiesen am", "allocated on"),
    "allocation": ("Zuweisung", "allocation"),
    "appointment_id": ("Termin", "appointment"),
    "area": ("Handlungsfeld", "area"),
    "arrived_on": ("Einreise", "arrival"),
    "at": ("Zeitpunkt", "time"),
    "closed_on": ("abgeschlossen am", "closed on"),
    "closure": ("Abschluss", "closure"),
    "compensation": ("Ausgleichsmaßnahme", "compensation measure"),
    "competencies": ("Kompetenzen", "competencies"),
    "completed": ("abgeschlossen", "completed"),
    "computed_outcome": ("berechnetes Ergebnis", "computed outcome"),
    "consent_given_on": ("Einwilligung am", "consent given on"),
    "consents": ("Einwilligungen", "consents"),
    "contact_count": ("Anzahl Beratungskontakte", "number of counselling contacts"),
    "contacts": ("Beratungskontakte", "counselling contacts"),
    "country": ("Land", "country"),
    "data_categories": ("Datenkategorien", "data categories"),
    "date": ("Datum", "date"),
    "date_of_birth": ("Geburtsdatum", "date of birth"),
    "decided_by": ("entschieden von", "decided by"),
    "decided_on": ("entschieden am", "decided on"),
    "decisions": ("Anspruchsprüfungen", "eligibility decisions"),
    "description": ("Beschreibung", "description"),
    "detail": ("Angabe", "detail"),
    "developments": ("Entwicklungen", "developments"),
    "district": ("Landkreis", "district"),
    "drawn_up_on": ("erstellt am", "drawn up on"),
    "due_on": ("fällig am", "due on"),
    "duration_minutes": ("Dauer (Minuten)", "duration (minutes)"),
    "effective_on": ("gültig ab", "effective on"),
    "ended_on": ("beendet am", "ended on"),
    "evidence": ("Nachweis", "evidence"),
    "exam": ("Prüfung", "exam"),
    "extensions": ("Verlängerungen", "extensions"),
    "family_name": ("Familienname", "family name"),
    "given_names": ("Vornamen", "given names"),
    "given_on": ("erteilt am", "given on"),
    "goal_id": ("Ziel", "goal"),
    "goal_statuses": ("Statusverlauf der Ziele", "goal status history"),
    "goals": ("Ziele", "goals"),
    "granted_on": ("gewährt am", "granted on"),
    "highest_certificate": ("höchster Abschluss", "highest certificate"),
    "household_id": ("Haushalt", "household"),
    "id": ("Kennung", "id"),
    "interpreter_language": ("Dolmetschsprache", "interpreter language"),
    "interpreter_used": ("mit Dolmetschung", "interpreter used"),
    "issued_on": ("ausgestellt am", "issued on"),
    "justification": ("Begründung der Entscheidung", "justification"),
    "kind": ("Art", "kind"),
    "language": ("Sprache", "language"),
    "languages": ("Sprachen", "languages"),
    "last_decision": ("letzte Anspruchsprüfung", "last eligibility decision"),
    "latin_family_name": ("Familienname (lateinisch)", "family name (Latin)"),
    "latin_given_names": ("Vornamen (lateinisch)", "given names (Latin)"),
    "law": ("Rechtsgrundlage", "legal basis"),
    "level": ("ISCED-Stufe", "ISCED level"),
    "listening": ("Hören", "listening"),
    "manager_id": ("Integrationsmanager/in", "integration manager"),
    "measures": ("Maßnahmen", "measures"),
    "mode": ("Form", "mode"),
    "months": ("Monate", "months"),
    "municipality_ags": ("Gemeindeschlüssel", "municipality key"),
    "name": ("Name", "name"),
    "nationalities": ("Staatsangehörigkeiten", "nationalities"),
    "note": ("Notiz", "note"),
    "occupation": ("Beruf", "occupation"),
    "occurred_on": ("am", "on"),
    "on": ("am", "on"),
    "outcome": ("Ergebnis", "outcome"),
    "overall": ("Gesamtniveau", "overall level"),
    "override": ("manuelle Entscheidung", "manual decision"),
    "party": ("Verantwortlich", "responsible party"),
    "pauses": ("Unterbrechungen", "pauses"),
    "person": ("Person", "person"),
    "phone": ("Telefon", "phone"),
    "plan": ("Plan", "plan"),
    "purpose": ("Zweck", "purpose"),
    "reading": ("Lesen", "reading"),
    "reason": ("Begründung", "reason"),
    "reason_codes": ("Gründe (Codes)", "reason codes"),
    "recipients": ("Empfänger", "recipients"),
    "recognition": ("Anerkennung", "recognition"),
    "recorded_by": ("erfasst von", "recorded by"),
    "regulated": ("reglementiert", "regulated"),
    "residence_status": ("Aufenthaltsstatus", "residence status"),
    "responsible": ("Verantwortlich", "responsible"),
    "revision": ("Revision", "revision"),
    "rule_set": ("Regelwerk", "rule set"),
    "rule_set_version": ("Version des Regelwerks", "rule set version"),
    "service": ("Stelle", "service"),
    "sex": ("Geschlecht", "sex"),
    "speaking": ("Sprechen", "speaking"),
    "stage": ("Prüfzeitpunkt", "stage"),
    "started_on": ("begonnen am", "started on"),
    "state": ("Stand", "state"),
    "statement": ("Zielformulierung", "statement"),
    "status": ("Status", "status"),
    "support_starts_on": ("Beginn der Begleitung", "support starts on"),
    "target_date": ("Zieldatum", "target date"),
    "text_language": ("Sprache des Einwilligungstexts", "language of the consent text"),
    "text_version": ("Fassung des Einwilligungstexts", "version of the consent text"),
    "title": ("Bezeichnung", "title"),
    "topics": ("Themen", "topics"),
    "type": ("Typ", "type"),
    "valid_until": ("gültig bis", "valid until"),
    "withdrawal_recorded_by": ("Widerruf erfasst von", "withdrawal recorded by"),
    "withdrawn_on": ("widerrufen am", "withdrawn on"),
    "writing": ("Schreiben", "writing"),
    "years": ("Jahre", "years"),
}

# Bookkeeping, not content: which revision, and the day it became effective.
_META = frozenset({"revision", "effective_on"})
# The records beside the plan, by the name of their list in a diff.
_RECORD_LISTS = {RecordKind.CONTACT: "contacts", RecordKind.GOAL_STATUS: "goal_statuses",
                 RecordKind.ELIGIBILITY_DECISION: "decisions"}  # fmt: skip
_RECORD_TYPES = {RecordKind.CONTACT: CounsellingContact, RecordKind.GOAL_STATUS: GoalStatusRecord,
                 RecordKind.ELIGIBILITY_DECISION: EligibilityRecord}  # fmt: skip
_MISSING: Any = object()


@attrs.frozen
class FieldChange:
    """One field that differs between two states, with its path and labels.

    ``path`` is like ``plan.goals[g-language].status`` (list items with an id are
    named by it); ``before`` and ``after`` are JSON values, ``None`` when the field
    or item did not exist on that side. Its ``repr`` and ``str`` show the values'
    shape, never their content.
    """

    path: str
    label_de: str
    label_en: str
    # The values may be names, phone numbers or notes: a repr (and so a log line or a
    # traceback) shows their shape only; ``describe`` is the one place that shows them.
    before: Any = attrs.field(repr=value_shape)
    after: Any = attrs.field(repr=value_shape)

    @property
    def kind(self) -> str:
        """``added``, ``removed`` or ``changed``."""
        if self.before is None:
            return "added"
        return "removed" if self.after is None else "changed"


@attrs.frozen
class PlanDiff:
    """The field-level differences between the states after two revisions."""

    plan_id: str
    from_revision: int
    to_revision: int
    changes: tuple[FieldChange, ...]
    #: The domain type of each change's values, in the order of ``changes`` (``None`` where
    #: unknown): how ``describe`` reads them. Not part of the diff's value or its repr.
    value_types: tuple[Any, ...] = attrs.field(default=(), eq=False, repr=False)

    def describe(self, language: str | Texts = "de") -> str:
        """One line per change, values as people read them (labels, local dates).

        ``language`` is a catalog code or a ``Texts``: the values follow it; the field
        labels are English for ``en`` and German otherwise. A change a reader cannot see
        (a list or field that was missing and is now empty) is left out.
        """
        words = language if isinstance(language, Texts) else texts(language)
        lines = []
        kinds = self.value_types if len(self.value_types) == len(self.changes) else (None,) * len(self.changes)
        for change, tp in zip(self.changes, kinds, strict=True):
            label = change.label_en if words.code == "en" else change.label_de
            before = json_inline(change.before, tp, words, LABELS)
            after = json_inline(change.after, tp, words, LABELS)
            if before == after:
                continue
            lines.append(f"{label}: {before} → {after}")
        return "\n".join(lines)


def diff_states(before: PlanState | None, after: PlanState | None) -> tuple[FieldChange, ...]:
    """Every field that differs between two states (metadata like ``revision`` aside)."""
    return tuple(change for change, _ in _typed_changes(before, after))


def _typed_changes(before: PlanState | None, after: PlanState | None) -> list[tuple[FieldChange, Any]]:
    changes: list[tuple[FieldChange, Any]] = []
    _walk((), _content(before), _content(after), changes, PlanState)
    return changes


def _content(state: PlanState | None) -> dict[str, Any]:
    if state is None:
        return {}
    data: dict[str, Any] = unstructure(state)
    return {key: value for key, value in data.items() if key not in _META}


def _walk(path: tuple[str, ...], left: Any, right: Any, out: list[tuple[FieldChange, Any]], tp: Any) -> None:
    # ``tp`` is the domain type at ``path`` (``None`` once unknown), carried down so that
    # each change knows how to read its values.
    if left == right:
        return
    if isinstance(left, dict) and isinstance(right, dict) and (left.keys() == right.keys() or not path):
        # Same kind of record (e.g. a competency still of the same type): field by field.
        # A record that changed its kind (other keys) is one change as a whole.
        cls = concrete_type(tp, right)
        for key in sorted(left.keys() | right.keys()):
            _walk((*path, key), left.get(key, _MISSING), right.get(key, _MISSING), out, field_type(cls, key))
        return
    item_type = element_type(tp)
    if isinstance(left, list) and isinstance(right, list) and _keyed(left) and _keyed(right):
        before = {item["id"]: item for item in left}
        after = {item["id"]: item for item in right}
        order = [*before, *(key for key in after if key not in before)]
        for key in order:
            _walk((*path, f"[{key}]"), before.get(key, _MISSING), after.get(key, _MISSING), out, item_type)
        return
    if isinstance(left, list) and isinstance(right, list) and _records(left) and _records(right):
        for index in range(max(len(left), len(right))):
            item_left = left[index] if index < len(left) else _MISSING
            item_right = right[index] if index < len(right) else _MISSING
            _walk((*path, _Position(f"[{index}]")), item_left, item_right, out, item_type)
        return
    out.append((_field_change(path, left, right), tp))


class _Position(str):
    """A path segment that addresses a list item by position (shown 1-based to people)."""

    __slots__ = ()


def _keyed(items: list[Any]) -> bool:
    return all(isinstance(item, dict) and "id" in item for item in items)


def _records(items: list[Any]) -> bool:
    return all(isinstance(item, dict) for item in items)


def _field_change(path: tuple[str, ...], left: Any, right: Any) -> FieldChange:
    text = ".".join(path).replace(".[", "[")
    german, english = [], []
    for segment in path:
        if isinstance(segment, _Position):
            number = int(segment[1:-1]) + 1
            label = (f"Nr. {number}", f"no. {number}")
        elif segment.startswith("["):
            label = (segment[1:-1], segment[1:-1])
        else:
            label = LABELS.get(segment, (segment, segment))
        german.append(label[0])
        english.append(label[1])
    return FieldChange(
        path=text,
        label_de=" > ".join(german),
        label_en=" > ".join(english),
        before=None if left is _MISSING else left,
        after=None if right is _MISSING else right,
    )


def diff_revisions(revisions: Sequence[Revision], from_revision: int, to_revision: int) -> PlanDiff:
    """The diff between the states after revisions ``from_revision`` and ``to_revision``.

    ``from_revision`` 0 means "before the plan existed". Going forward, the records the
    revisions in between added beside the plan (contacts, goal statuses, decisions) are
    listed too, as added items numbered within the diff (``contacts[+1]``).
    """
    plan_id = revisions[0].plan_id if revisions else ""
    before = replay(revisions[:from_revision])
    after = replay(revisions[:to_revision])
    changes = _typed_changes(before, after)
    added: dict[RecordKind, int] = {}
    for revision in revisions[from_revision:to_revision]:
        for record in records_of(revision):
            kind = record_kind(record)
            added[kind] = added.get(kind, 0) + 1
            name = _RECORD_LISTS[kind]
            german, english = LABELS[name]
            change = FieldChange(
                path=f"{name}[+{added[kind]}]",
                label_de=f"{german} > neu",
                label_en=f"{english} > new",
                before=None,
                after=unstructure(record),
            )
            changes.append((change, _RECORD_TYPES[kind]))
    return PlanDiff(
        plan_id,
        from_revision,
        to_revision,
        tuple(change for change, _ in changes),
        value_types=tuple(tp for _, tp in changes),
    )
