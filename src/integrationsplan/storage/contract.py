"""The storage contract: what every plan store does, whatever it keeps its data in.

A store sees bytes and index columns only. Per plan it keeps the stream of revision
documents — opaque bytes, written by the core's mapper
([`integrationsplan.storage.mapper`][integrationsplan.storage.mapper]), so every backend
gets the same format (and later encryption) for free — plus the few columns it needs to
index them, and beside the stream the head: the latest revision's number, hash and
instant, the index columns of the current state, and the state's document. The numbered
requirements below are what the conformance tests check.

1. ``append`` writes one revision, the new head and the revision's records atomically,
   and only if the plan is
   at revision ``revision.number - 1`` (0 for a new plan); otherwise it raises
   [`ConcurrentRevisionError`][integrationsplan.ConcurrentRevisionError] and writes
   nothing.
2. ``read`` returns the revisions ``start`` to ``stop`` (inclusive) in order, exactly
   the bytes appended; an unknown plan raises
   [`UnknownPlanError`][integrationsplan.UnknownPlanError].
3. ``head`` returns what the last ``append`` wrote, without reading the history. When
   the caller passes ``known_hash`` and the head still has that hash, the store may
   leave the document out (``None``): the caller holds it already.
4. ``version`` is the number of revisions (0 for an unknown plan).
5. ``plans`` lists plan ids with a head, sorted, filtered by municipality, status,
   manager and person as written in the head.
6. ``erase`` removes a plan completely — revisions, head and index entries — and
   returns how many revisions it removed: the one sanctioned deletion, for data
   protection.
7. ``close`` releases the store; a store is a context manager that closes on exit.
8. ``streams`` lists the plan ids that have revisions, sorted, whether or not they have
   a head: verification compares it with ``plans`` to find orphans either way.
9. Driver errors are translated at every statement into
   [`StorageError`][integrationsplan.StorageError] (or a subclass), and a failed write
   leaves nothing behind.
10. ``records`` returns the records beside the plans, exactly as appended, ordered by
    plan, revision and position, filtered by plan, municipality, kind and a range of
    days (``first`` to ``last``, inclusive); ``erase`` removes a plan's records too.
11. ``heads`` streams the heads of every plan (or of one municipality), sorted by plan
    id, each with its document: one pass for reports over thousands of plans.

A store may also offer ``append_batch`` (the [`BatchAppend`][integrationsplan.storage.BatchAppend]
capability): many plans' revisions and heads in one atomic write, for imports,
hand-overs and bulk loads. Each entry continues its plan exactly like a series of
``append`` calls would; if any entry does not,
[`ConcurrentRevisionError`][integrationsplan.ConcurrentRevisionError] is raised and
nothing of the batch is written. Callers fall back to ``append`` when a store lacks it.

A store may also hold appointments (the [`AppointmentStore`][integrationsplan.storage.AppointmentStore]
capability; memory, SQLite and PostgreSQL do): documents with the index columns that
keep a manager and a room from being booked twice at one time, checked by the
database itself (a constraint, or one transaction that checks and writes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

import attrs

__all__ = [
    "AccessEntry",
    "AccessLog",
    "AppendedRevision",
    "AppointmentStore",
    "BatchAppend",
    "PlanStore",
    "StoredAppointment",
    "StoredHead",
    "StoredRecord",
    "StoredRevision",
    "appointment_matches",
]


@attrs.frozen
class AppendedRevision:
    """A notification that a revision was committed: ids and numbers only, never content.

    What a store that notifies other processes (PostgreSQL's LISTEN/NOTIFY) delivers to
    subscribers such as an audit trail or a search index; they read the revision itself
    through a store of their own, with their own role's rights.
    """

    municipality_ags: str
    plan_id: str
    number: int


@attrs.frozen
class StoredRevision:
    """One revision as a store keeps it: index columns and the document bytes."""

    plan_id: str
    number: int
    recorded_at: dt.datetime
    hash: str
    document: bytes = attrs.field(repr=lambda document: f"<{len(document)} bytes>")


@attrs.frozen
class StoredRecord:
    """A record beside a plan (a contact, a goal status, a decision) as a store keeps it.

    ``number`` is the revision that added it and ``position`` its place among that
    revision's records; ``kind``, ``day`` and ``municipality_ags`` are index columns
    (the municipality the plan belonged to at that revision).
    """

    plan_id: str
    number: int
    position: int
    kind: str
    day: dt.date
    municipality_ags: str
    document: bytes = attrs.field(repr=lambda document: f"<{len(document)} bytes>")


@attrs.frozen
class StoredHead:
    """The head of a plan: the last revision's number, hash and instant, and the state's document.

    ``municipality_ags``, ``status``, ``manager_id`` and ``person_id`` are copied from the
    state for the store's indexes (``person_id`` finds every plan of one person for a
    data-subject request without decoding a document; it is an opaque id, not a name).
    ``document`` is ``None`` only in a head read with a ``known_hash`` that still
    matched.
    """

    plan_id: str
    number: int
    recorded_at: dt.datetime
    hash: str
    municipality_ags: str
    status: str
    manager_id: str | None
    person_id: str
    document: bytes | None = attrs.field(
        repr=lambda document: "None" if document is None else f"<{len(document)} bytes>"
    )

    def without_document(self) -> StoredHead:
        """The same head with the document left out (what a store may return for a known hash)."""
        return attrs.evolve(self, document=None)


@runtime_checkable
class PlanStore(Protocol):
    """What a plan store offers; see the module documentation for the requirements."""

    def append(self, revision: StoredRevision, head: StoredHead, records: Sequence[StoredRecord] = ()) -> None: ...

    def read(self, plan_id: str, start: int = 1, stop: int | None = None) -> list[StoredRevision]: ...

    def head(self, plan_id: str, known_hash: str | None = None) -> StoredHead: ...

    def version(self, plan_id: str) -> int: ...

    def plans(
        self,
        *,
        municipality_ags: str | None = None,
        status: str | None = None,
        manager_id: str | None = None,
        person_id: str | None = None,
    ) -> list[str]: ...

    def erase(self, plan_id: str) -> int: ...

    def streams(self) -> list[str]: ...

    def heads(self, *, municipality_ags: str | None = None) -> Iterator[StoredHead]: ...

    def records(
        self,
        plan_id: str | None = None,
        *,
        municipality_ags: str | None = None,
        kind: str | None = None,
        first: dt.date | None = None,
        last: dt.date | None = None,
    ) -> list[StoredRecord]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None: ...


@attrs.frozen
class AccessEntry:
    """One read of a plan's content: who, when, which plan, which operation, for what.

    No personal content: ``actor`` is a staff id, ``purpose`` and ``operation`` are codes
    (``counselling``, ``read_state``), ``plan_id`` an opaque id, ``municipality_ags`` the
    plan's municipality (so a shared database can keep each town's log to itself).
    """

    at: dt.datetime
    actor: str
    purpose: str
    plan_id: str
    municipality_ags: str
    operation: str


@runtime_checkable
class AccessLog(Protocol):
    """The optional capability of keeping an append-only log of reads (who read what, when).

    ``log_access`` appends entries; ``accesses`` returns them (of one plan, or all), oldest
    first, exactly as logged. Entries are never changed; erasing a plan keeps its entries
    (they hold only ids and codes), so the log still shows who read it before.
    """

    def log_access(self, entries: Sequence[AccessEntry]) -> None: ...

    def accesses(self, plan_id: str | None = None) -> list[AccessEntry]: ...


@runtime_checkable
class BatchAppend(Protocol):
    """The optional capability of writing many plans' revisions in one atomic step.

    Each entry is the new revisions of one plan (consecutive, continuing its stream), the
    head after the last of them, and the records they add.
    """

    def append_batch(
        self, batch: Sequence[tuple[Sequence[StoredRevision], StoredHead, Sequence[StoredRecord]]]
    ) -> None: ...


@attrs.frozen
class StoredAppointment:
    """An appointment as a store keeps it: index columns and the document bytes.

    ``holds_time`` is false for a cancelled appointment, which no longer occupies its
    manager and room. ``room`` is ``None`` unless it takes place in a room of the office.
    ``start`` and ``end`` are aware UTC instants; the time is ``[start, end)``, so
    back-to-back appointments do not overlap.
    """

    id: str
    version: int
    municipality_ags: str
    manager_id: str
    room: str | None
    plan_id: str | None
    start: dt.datetime
    end: dt.datetime
    holds_time: bool
    document: bytes = attrs.field(repr=lambda document: f"<{len(document)} bytes>")

    def overlaps(self, other: StoredAppointment) -> str | None:
        """``"manager"`` or ``"room"`` if both hold the same one at an overlapping time, else None."""
        if not (self.holds_time and other.holds_time) or self.municipality_ags != other.municipality_ags:
            return None
        if not (self.start < other.end and other.start < self.end):
            return None
        if self.manager_id == other.manager_id:
            return "manager"
        if self.room is not None and self.room == other.room:
            return "room"
        return None


@runtime_checkable
class AppointmentStore(Protocol):
    """The optional capability of holding appointments without ever double-booking.

    1. ``add_appointment`` writes version 1 of a new appointment. If it holds time and
       overlaps another that does — the same manager, or the same room, in the same
       municipality — it raises [`SlotTakenError`][integrationsplan.SlotTakenError] and
       writes nothing; an id already taken raises
       [`ConcurrentAppointmentError`][integrationsplan.ConcurrentAppointmentError]. The
       check and the write are one step of the database, safe under concurrent writers.
    2. ``change_appointment`` replaces version ``version - 1`` with ``version``; a store
       holding another version raises ``ConcurrentAppointmentError``, an unknown id
       [`UnknownAppointmentError`][integrationsplan.UnknownAppointmentError]; the overlap
       check is the same as for a new one (the appointment does not collide with itself).
    3. ``appointment`` returns what was last written; ``appointments`` the appointments
       meeting ``[start, end)`` (all, without a window), filtered by municipality,
       manager, room and plan, with cancelled ones only if ``cancelled``; sorted by start,
       then id.
    4. ``erase_appointment`` removes one for good (data protection).
    """

    def add_appointment(self, appointment: StoredAppointment) -> None: ...

    def change_appointment(self, appointment: StoredAppointment) -> None: ...

    def appointment(self, appointment_id: str) -> StoredAppointment: ...

    def appointments(
        self,
        *,
        municipality_ags: str | None = None,
        manager_id: str | None = None,
        room: str | None = None,
        plan_id: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        cancelled: bool = False,
    ) -> list[StoredAppointment]: ...

    def erase_appointment(self, appointment_id: str) -> None: ...


def appointment_matches(
    stored: StoredAppointment,
    *,
    municipality_ags: str | None = None,
    manager_id: str | None = None,
    room: str | None = None,
    plan_id: str | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    cancelled: bool = False,
) -> bool:
    """Whether ``stored`` passes the filters of ``appointments`` (the reference semantics)."""
    return (
        (cancelled or stored.holds_time)
        and (municipality_ags is None or stored.municipality_ags == municipality_ags)
        and (manager_id is None or stored.manager_id == manager_id)
        and (room is None or stored.room == room)
        and (plan_id is None or stored.plan_id == plan_id)
        and (start is None or stored.end > start)
        and (end is None or stored.start < end)
    )
