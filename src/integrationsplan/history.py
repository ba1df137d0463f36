"""A plan's history: sealing revisions, verifying the chain, time travel and diffs.

Pure functions over sequences of :class:`~integrationsplan.domain.revisions.Revision`
(ordered by number). The service (:mod:`integrationsplan.service`) uses them on what a
store returns; an application can use them on any history it holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import orjson

from integrationsplan.domain import PlanState, Revision, replay
from integrationsplan.errors import IntegrityError, ValidationError
from integrationsplan.serialization import DOCUMENT_TYPES, SCHEMA_VERSION, canonical_json, loads, unstructure

__all__ = [
    "FieldChange",
    "PlanDiff",
    "diff_revisions",
    "diff_states",
    "revision_hash",
    "seal",
    "seal_with_document",
    "state_as_of",
    "state_as_recorded",
    "verify",
    "verify_documents",
]


def revision_hash(revision: Revision) -> str:
    """SHA-256 (hex) of the revision's canonical JSON without its own ``hash`` field.

    The previous revision's hash is part of what is hashed, which chains the history:
    changing any field of any revision changes every hash after it.
    """
    data = unstructure(revision)
    del data["hash"]
    return hashlib.sha256(canonical_json(data)).hexdigest()


def seal(revision: Revision) -> Revision:
    """The revision with its ``hash`` computed (whatever it held before)."""
    return attrs.evolve(revision, hash=revision_hash(revision))


def seal_with_document(revision: Revision) -> tuple[Revision, bytes]:
    """The sealed revision and its stored document (``dumps`` of it), built in one pass.

    Equal to ``(seal(revision), dumps(seal(revision)))``; a store's append path uses it
    to unstructure each revision once instead of twice.
    """
    data = unstructure(revision)
    del data["hash"]
    digest = hashlib.sha256(canonical_json(data)).hexdigest()
    data["hash"] = digest
    document = canonical_json({"data": data, "schema_version": SCHEMA_VERSION, "type": DOCUMENT_TYPES[Revision]})
    return attrs.evolve(revision, hash=digest), document


def verify(revisions: Iterable[Revision], plan_id: str | None = None) -> int:
    """Check numbering, plan id, chain and time of a history; return how many verified.

    Raises :class:`~integrationsplan.errors.IntegrityError` naming the first bad
    revision: a gap or repeat in the numbering, another plan's revision, a hash that
    does not match the content, a broken link to the previous hash, or a recorded-at
    instant earlier than the one before.
    """
    previous: Revision | None = None
    count = 0
    for revision in revisions:
        plan_id = plan_id or revision.plan_id
        _check_link(plan_id, previous, revision)
        if revision_hash(revision) != revision.hash:
            raise IntegrityError(plan_id, revision.number, "the content does not match its hash")
        previous = revision
        count += 1
    return count


def _check_link(plan_id: str, previous: Revision | None, revision: Revision) -> None:
    expected = 1 if previous is None else previous.number + 1
    if revision.plan_id != plan_id:
        raise IntegrityError(plan_id, revision.number, f"belongs to plan {revision.plan_id!r}")
    if revision.number != expected:
        raise IntegrityError(plan_id, expected, f"revision {expected} is missing (found {revision.number})")
    if previous is not None:
        if revision.previous_hash != previous.hash:
            raise IntegrityError(plan_id, revision.number, "does not link to the hash of the revision before")
        if revision.recorded_at < previous.recorded_at:
            raise IntegrityError(plan_id, revision.number, "recorded before the revision before it")


def verify_documents(plan_id: str, documents: Iterable[bytes]) -> int:
    """Verify stored revision documents byte for byte; return how many verified.

    Besides what :func:`verify` checks, each document must be readable and exactly the
    canonical encoding of its content, so that changing any byte is detected at the
    revision where it happened.
    """
    revisions: list[Revision] = []
    for position, document in enumerate(documents, start=1):
        try:
            revision = loads(document, Revision)
        except ValidationError as error:
            raise IntegrityError(plan_id, position, f"unreadable ({len(error.errors)} bad field(s))") from None
        if canonical_json(orjson.loads(document)) != bytes(document):
            raise IntegrityError(plan_id, position, "not in canonical form")
        _check_link(plan_id, revisions[-1] if revisions else None, revision)
        if revision_hash(revision) != revision.hash:
            raise IntegrityError(plan_id, revision.number, "the content does not match its hash")
        revisions.append(revision)
    return len(revisions)


def state_as_of(revisions: Iterable[Revision], on: dt.date) -> PlanState | None:
    """The plan as it was true on ``on`` (effective time), as known now.

    Folds the revisions effective on or before that day, in their order, so a later
    correction of an earlier day counts; ``None`` if nothing was effective yet.
    """
    return replay(revision for revision in revisions if revision.effective_on <= on)


def state_as_recorded(revisions: Iterable[Revision], at: dt.datetime) -> PlanState | None:
    """The plan as it was recorded at instant ``at`` (transaction time): what was known then."""
    known: list[Revision] = []
    for revision in revisions:
        if revision.recorded_at > at:
            break
        known.append(revision)
    return replay(known)


# -- diffs -------------------------------------------------------------------------

#: German and English labels of every field a plan state holds.
LABELS: dict[str, tuple[str, str]] = {
    "achievement": ("Zielerreichung", "achievement"),
    "agreed_on": ("vereinbart am", "agreed on"),
    "allocated_on": ("zugewiesen am", "allocated on"),
    "allocation": ("Zuweisung", "allocation"),
    "area": ("Handlungsfeld", "area"),
    "arrived_on": ("Einreise", "arrival"),
    "at": ("Zeitpunkt", "time"),
    "closed_on": ("abgeschlossen am", "closed on"),
    "closure": ("Abschluss", "closure"),
    "compensation": ("Ausgleichsmaßnahme", "compensation measure"),
    "competencies": ("Kompetenzen", "competencies"),
    "completed": ("abgeschlossen", "completed"),
    "consent_given_on": ("Einwilligung am", "consent given on"),
    "contacts": ("Beratungskontakte", "counselling contacts"),
    "country": ("Land", "country"),
    "date": ("Datum", "date"),
    "date_of_birth": ("Geburtsdatum", "date of birth"),
    "decided_on": ("entschieden am", "decided on"),
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
    "kind": ("Art", "kind"),
    "language": ("Sprache", "language"),
    "languages": ("Sprachen", "languages"),
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
    "party": ("Verantwortlich", "responsible party"),
    "pauses": ("Unterbrechungen", "pauses"),
    "person": ("Person", "person"),
    "phone": ("Telefon", "phone"),
    "plan": ("Plan", "plan"),
    "reading": ("Lesen", "reading"),
    "reason": ("Begründung", "reason"),
    "recognition": ("Anerkennung", "recognition"),
    "regulated": ("reglementiert", "regulated"),
    "residence_status": ("Aufenthaltsstatus", "residence status"),
    "responsible": ("Verantwortlich", "responsible"),
    "revision": ("Revision", "revision"),
    "service": ("Stelle", "service"),
    "sex": ("Geschlecht", "sex"),
    "speaking": ("Sprechen", "speaking"),
    "started_on": ("begonnen am", "started on"),
    "state": ("Stand", "state"),
    "statement": ("Zielformulierung", "statement"),
    "status": ("Status", "status"),
    "support_starts_on": ("Beginn der Begleitung", "support starts on"),
    "target_date": ("Zieldatum", "target date"),
    "title": ("Bezeichnung", "title"),
    "topics": ("Themen", "topics"),
    "type": ("Typ", "type"),
    "valid_until": ("gültig bis", "valid until"),
    "writing": ("Schreiben", "writing"),
    "years": ("Jahre", "years"),
}

# Bookkeeping, not content: which revision, and the dated trail behind each goal's status.
_META = frozenset({"revision", "effective_on", "goal_statuses"})
_MISSING: Any = object()


@attrs.frozen
class FieldChange:
    """One field that differs between two states, with its path and labels.

    ``path`` is like ``plan.goals[g-language].status`` (list items with an id are
    named by it); ``before`` and ``after`` are JSON values, ``None`` when the field
    or item did not exist on that side.
    """

    path: str
    label_de: str
    label_en: str
    before: Any
    after: Any

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

    def describe(self, language: str = "de") -> str:
        """One line per change, in German (``de``) or English (``en``)."""
        lines = []
        for change in self.changes:
            label = change.label_de if language == "de" else change.label_en
            lines.append(f"{label}: {_show(change.before)} → {_show(change.after)}")
        return "\n".join(lines)


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return orjson.dumps(value).decode()


def diff_states(before: PlanState | None, after: PlanState | None) -> tuple[FieldChange, ...]:
    """Every field that differs between two states (metadata like ``revision`` aside)."""
    left = _content(before)
    right = _content(after)
    changes: list[FieldChange] = []
    _walk((), left, right, changes)
    return tuple(changes)


def _content(state: PlanState | None) -> dict[str, Any]:
    if state is None:
        return {}
    data: dict[str, Any] = unstructure(state)
    return {key: value for key, value in data.items() if key not in _META}


def _walk(path: tuple[str, ...], left: Any, right: Any, out: list[FieldChange]) -> None:
    if left == right:
        return
    if isinstance(left, dict) and isinstance(right, dict) and (left.keys() == right.keys() or not path):
        # Same kind of record (e.g. a competency still of the same type): field by field.
        # A record that changed its kind (other keys) is one change as a whole.
        for key in sorted(left.keys() | right.keys()):
            _walk((*path, key), left.get(key, _MISSING), right.get(key, _MISSING), out)
        return
    if isinstance(left, list) and isinstance(right, list) and _keyed(left) and _keyed(right):
        before = {item["id"]: item for item in left}
        after = {item["id"]: item for item in right}
        order = [*before, *(key for key in after if key not in before)]
        for key in order:
            _walk((*path, f"[{key}]"), before.get(key, _MISSING), after.get(key, _MISSING), out)
        return
    if isinstance(left, list) and isinstance(right, list) and _records(left) and _records(right):
        for index in range(max(len(left), len(right))):
            item_left = left[index] if index < len(left) else _MISSING
            item_right = right[index] if index < len(right) else _MISSING
            _walk((*path, _Position(f"[{index}]")), item_left, item_right, out)
        return
    out.append(_field_change(path, left, right))


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

    ``from_revision`` 0 means "before the plan existed".
    """
    plan_id = revisions[0].plan_id if revisions else ""
    before = replay(revisions[:from_revision])
    after = replay(revisions[:to_revision])
    return PlanDiff(plan_id, from_revision, to_revision, diff_states(before, after))
