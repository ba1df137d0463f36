"""The in-memory plan store: the reference every other backend is tested against.

It keeps exactly what a store keeps — bytes and index columns — so a test on it sees the
same documents a database would hold.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Self

from integrationsplan.errors import (
    ConcurrentAppointmentError,
    ConcurrentRevisionError,
    SlotTakenError,
    UnknownAppointmentError,
    UnknownPlanError,
)
from integrationsplan.storage.contract import (
    AccessEntry,
    StoredAppointment,
    StoredHead,
    StoredRecord,
    StoredRevision,
    appointment_matches,
)

__all__ = ["MemoryStore"]


class MemoryStore:
    """A thread-safe store in memory (``memory://``); everything is gone with the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: dict[str, list[StoredRevision]] = {}
        self._heads: dict[str, StoredHead] = {}
        self._records: dict[str, list[StoredRecord]] = {}
        self._accesses: list[AccessEntry] = []
        self._appointments: dict[str, StoredAppointment] = {}

    def append(self, revision: StoredRevision, head: StoredHead, records: Sequence[StoredRecord] = ()) -> None:
        with self._lock:
            stream = self._streams.get(revision.plan_id)
            current = 0 if stream is None else len(stream)
            if current != revision.number - 1:
                raise ConcurrentRevisionError(revision.plan_id, revision.number - 1, current)
            if stream is None:
                self._streams[revision.plan_id] = [revision]
            else:
                stream.append(revision)
            self._heads[revision.plan_id] = head
            if records:
                self._records.setdefault(revision.plan_id, []).extend(records)

    def append_batch(
        self, batch: Sequence[tuple[Sequence[StoredRevision], StoredHead, Sequence[StoredRecord]]]
    ) -> None:
        with self._lock:
            expected: dict[str, int] = {}
            for revisions, _, _ in batch:
                for revision in revisions:
                    plan_id = revision.plan_id
                    current = expected.get(plan_id, len(self._streams.get(plan_id, ())))
                    if current != revision.number - 1:
                        raise ConcurrentRevisionError(plan_id, revision.number - 1, current)
                    expected[plan_id] = revision.number
            for revisions, head, records in batch:
                for revision in revisions:
                    self._streams.setdefault(revision.plan_id, []).append(revision)
                if revisions:
                    self._heads[head.plan_id] = head
                if records:
                    self._records.setdefault(head.plan_id, []).extend(records)

    def read(self, plan_id: str, start: int = 1, stop: int | None = None) -> list[StoredRevision]:
        with self._lock:
            stream = self._streams.get(plan_id)
            if stream is None:
                raise UnknownPlanError(plan_id)
            return stream[max(start, 1) - 1 : stop]

    def head(self, plan_id: str, known_hash: str | None = None) -> StoredHead:
        with self._lock:
            head = self._heads.get(plan_id)
        if head is None:
            raise UnknownPlanError(plan_id)
        return head.without_document() if known_hash is not None and head.hash == known_hash else head

    def version(self, plan_id: str) -> int:
        with self._lock:
            return len(self._streams.get(plan_id, ()))

    def plans(
        self,
        *,
        municipality_ags: str | None = None,
        status: str | None = None,
        manager_id: str | None = None,
        person_id: str | None = None,
    ) -> list[str]:
        with self._lock:
            heads = list(self._heads.values())
        return sorted(
            head.plan_id
            for head in heads
            if (municipality_ags is None or head.municipality_ags == municipality_ags)
            and (status is None or head.status == status)
            and (manager_id is None or head.manager_id == manager_id)
            and (person_id is None or head.person_id == person_id)
        )

    def erase(self, plan_id: str) -> int:
        with self._lock:
            stream = self._streams.pop(plan_id, None)
            self._heads.pop(plan_id, None)
            self._records.pop(plan_id, None)
        if stream is None:
            raise UnknownPlanError(plan_id)
        return len(stream)

    def heads(self, *, municipality_ags: str | None = None) -> Iterator[StoredHead]:
        with self._lock:
            heads = sorted(self._heads.values(), key=lambda head: head.plan_id)
        return iter([head for head in heads if municipality_ags is None or head.municipality_ags == municipality_ags])

    def streams(self) -> list[str]:
        with self._lock:
            return sorted(self._streams)

    def records(
        self,
        plan_id: str | None = None,
        *,
        municipality_ags: str | None = None,
        kind: str | None = None,
        first: dt.date | None = None,
        last: dt.date | None = None,
    ) -> list[StoredRecord]:
        with self._lock:
            chosen = [plan_id] if plan_id is not None else sorted(self._records)
            found = [record for key in chosen for record in self._records.get(key, ())]
        return [
            record
            for record in found
            if (municipality_ags is None or record.municipality_ags == municipality_ags)
            and (kind is None or record.kind == kind)
            and (first is None or record.day >= first)
            and (last is None or record.day <= last)
        ]

    # -- appointments ------------------------------------------------------------------

    def add_appointment(self, appointment: StoredAppointment) -> None:
        with self._lock:
            if appointment.id in self._appointments:
                raise ConcurrentAppointmentError(appointment.id, appointment.version - 1, self._held(appointment.id))
            self._check_free(appointment)
            self._appointments[appointment.id] = appointment

    def change_appointment(self, appointment: StoredAppointment) -> None:
        with self._lock:
            held = self._held(appointment.id)
            if held == 0:
                raise UnknownAppointmentError(appointment.id)
            if held != appointment.version - 1:
                raise ConcurrentAppointmentError(appointment.id, appointment.version - 1, held)
            self._check_free(appointment)
            self._appointments[appointment.id] = appointment

    def appointment(self, appointment_id: str) -> StoredAppointment:
        with self._lock:
            found = self._appointments.get(appointment_id)
        if found is None:
            raise UnknownAppointmentError(appointment_id)
        return found

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
    ) -> list[StoredAppointment]:
        with self._lock:
            held = list(self._appointments.values())
        found = [
            a
            for a in held
            if appointment_matches(
                a,
                municipality_ags=municipality_ags,
                manager_id=manager_id,
                room=room,
                plan_id=plan_id,
                start=start,
                end=end,
                cancelled=cancelled,
            )
        ]
        return sorted(found, key=lambda a: (a.start, a.id))

    def erase_appointment(self, appointment_id: str) -> None:
        with self._lock:
            if self._appointments.pop(appointment_id, None) is None:
                raise UnknownAppointmentError(appointment_id)

    def _held(self, appointment_id: str) -> int:
        found = self._appointments.get(appointment_id)
        return 0 if found is None else found.version

    def _check_free(self, appointment: StoredAppointment) -> None:
        for other in self._appointments.values():
            if other.id != appointment.id:
                holder = appointment.overlaps(other)
                if holder is not None:
                    raise SlotTakenError(appointment.id, holder, other.id)

    def close(self) -> None:
        """Nothing to release; the data stays until the object is gone."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def log_access(self, entries: Sequence[AccessEntry]) -> None:
        with self._lock:
            self._accesses.extend(entries)

    def accesses(self, plan_id: str | None = None) -> list[AccessEntry]:
        with self._lock:
            return [entry for entry in self._accesses if plan_id is None or entry.plan_id == plan_id]
