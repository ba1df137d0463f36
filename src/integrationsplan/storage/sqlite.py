"""The SQLite plan store (``sqlite:///path/to/file.db``): the embedded default.

* Write-ahead log (WAL), so readers never block the writer; ``synchronous=FULL`` by
  default (durable on power loss), ``?synchronous=normal`` in the URL trades the last
  commits on power loss for speed.
* Every write is an ``IMMEDIATE`` transaction with a busy timeout, so several processes
  on one machine can share a file: one writes at a time, the others wait, and the
  expected-version check inside the transaction turns a lost race into a
  ConcurrentRevisionError instead of a lost update.
* Append-only is enforced by the database itself: triggers refuse any UPDATE of a
  revision, any DELETE outside ``erase``, and any number that does not follow the last.
* ``secure_delete`` overwrites erased content in the file, and the WAL is truncated after
  an erase, so an erased plan is really gone.
* A schema version in the file; a file from a newer release is refused, not touched.
* A new file is created readable by its owner only (it holds personal data); a store
  opened ``read_only`` never creates one.
* Every statement's driver error becomes a
  [`StorageError`][integrationsplan.StorageError] naming the store and the action, and
  the transaction is rolled back: nothing is half written.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple, Self
from urllib.parse import parse_qs, urlsplit

from integrationsplan.errors import (
    ConcurrentAppointmentError,
    ConcurrentRevisionError,
    ConfigurationError,
    IntegrationsplanError,
    SlotTakenError,
    StorageError,
    UnknownAppointmentError,
    UnknownPlanError,
)
from integrationsplan.storage.contract import (
    AccessEntry,
    StoredAppointment,
    StoredHead,
    StoredRecord,
    StoredRevision,
)

__all__ = ["SCHEMA_VERSION", "SQLiteStore"]

_log = logging.getLogger(__name__)

#: The version of the file layout this release writes.
SCHEMA_VERSION = 3

#: Revisions and heads (schema version 2). Rowid tables: a revision or head of 1-3 KB
#: stays inside its b-tree page, where a WITHOUT ROWID table (version 1) spilled every
#: row over about 1 KB into an overflow page of its own, which tripled the file and the
#: pages each append writes. The keys are unique indexes.
_PLAN_TABLES = [
    """CREATE TABLE revisions (
        plan_id TEXT NOT NULL,
        number INTEGER NOT NULL,
        recorded_at TEXT NOT NULL,
        hash TEXT NOT NULL,
        document BLOB NOT NULL,
        UNIQUE (plan_id, number)
    )""",
    """CREATE TABLE heads (
        plan_id TEXT NOT NULL UNIQUE,
        number INTEGER NOT NULL,
        recorded_at TEXT NOT NULL,
        hash TEXT NOT NULL,
        municipality_ags TEXT NOT NULL,
        status TEXT NOT NULL,
        manager_id TEXT,
        state BLOB NOT NULL
    )""",
    "CREATE INDEX heads_by_municipality ON heads (municipality_ags, status)",
    "CREATE INDEX heads_by_manager ON heads (manager_id)",
    "CREATE INDEX heads_by_municipality_in_order ON heads (municipality_ags, plan_id)",
    """CREATE TRIGGER revisions_are_never_updated BEFORE UPDATE ON revisions
        BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END""",
    """CREATE TRIGGER revisions_are_deleted_only_by_erase BEFORE DELETE ON revisions
        WHEN NOT EXISTS (SELECT 1 FROM erasing WHERE plan_id = OLD.plan_id)
        BEGIN SELECT RAISE(ABORT, 'revisions are deleted only by erase'); END""",
    """CREATE TRIGGER revisions_follow_without_gaps BEFORE INSERT ON revisions
        WHEN NEW.number != COALESCE((SELECT MAX(number) FROM revisions WHERE plan_id = NEW.plan_id), 0) + 1
        BEGIN SELECT RAISE(ABORT, 'revision numbers follow without gaps'); END""",
    """CREATE TRIGGER heads_are_deleted_only_by_erase BEFORE DELETE ON heads
        WHEN NOT EXISTS (SELECT 1 FROM erasing WHERE plan_id = OLD.plan_id)
        BEGIN SELECT RAISE(ABORT, 'heads are deleted only by erase'); END""",
]

#: Records beside the plans (schema version 2): contacts, goal statuses, decisions.
_RECORDS_SCHEMA = [
    """CREATE TABLE records (
        plan_id TEXT NOT NULL,
        number INTEGER NOT NULL,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        day TEXT NOT NULL,
        municipality_ags TEXT NOT NULL,
        document BLOB NOT NULL,
        UNIQUE (plan_id, number, position)
    )""",
    "CREATE INDEX records_by_municipality ON records (municipality_ags, kind, day)",
    """CREATE TRIGGER records_are_never_updated BEFORE UPDATE ON records
        BEGIN SELECT RAISE(ABORT, 'records are append-only'); END""",
    """CREATE TRIGGER records_are_deleted_only_by_erase BEFORE DELETE ON records
        WHEN NOT EXISTS (SELECT 1 FROM erasing WHERE plan_id = OLD.plan_id)
        BEGIN SELECT RAISE(ABORT, 'records are deleted only by erase'); END""",
]

#: The access log (schema version 3): who read which plan when, append-only.
_ACCESS_SCHEMA = [
    """CREATE TABLE access_log (
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        purpose TEXT NOT NULL,
        plan_id TEXT NOT NULL,
        municipality_ags TEXT NOT NULL,
        operation TEXT NOT NULL
    )""",
    "CREATE INDEX access_log_by_plan ON access_log (plan_id)",
    """CREATE TRIGGER access_log_is_append_only BEFORE UPDATE ON access_log
        BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END""",
    """CREATE TRIGGER access_log_is_never_deleted BEFORE DELETE ON access_log
        BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END""",
]

#: The person index (schema version 3): every plan of one person, for data-subject
#: requests, without decoding a head. The migration fills it from the revisions.
_PERSON_INDEX = [
    "ALTER TABLE heads ADD COLUMN person_id TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX heads_by_person ON heads (person_id)",
]

#: Appointments (schema version 3). The triggers are the database's own guarantee that a
#: manager, or a room, has at most one appointment holding a time: any writer, this
#: library or hand-written SQL, is refused. Instants are integer microseconds since the
#: epoch, so comparisons are exact.
_APPOINTMENT_OVERLAP = """EXISTS (SELECT 1 FROM appointments o WHERE o.holds_time AND o.id != NEW.id
            AND o.municipality_ags = NEW.municipality_ags AND o.{column} = NEW.{column}
            AND o.start_us < NEW.end_us AND o.end_us > NEW.start_us)"""
_APPOINTMENTS_SCHEMA = [
    """CREATE TABLE appointments (
        id TEXT NOT NULL UNIQUE,
        version INTEGER NOT NULL,
        municipality_ags TEXT NOT NULL,
        manager_id TEXT NOT NULL,
        room TEXT,
        plan_id TEXT,
        start_us INTEGER NOT NULL,
        end_us INTEGER NOT NULL CHECK (end_us > start_us),
        holds_time INTEGER NOT NULL,
        document BLOB NOT NULL
    )""",
    "CREATE INDEX appointments_by_manager ON appointments (municipality_ags, manager_id, start_us)",
    "CREATE INDEX appointments_by_room ON appointments (municipality_ags, room, start_us)",
    "CREATE INDEX appointments_by_plan ON appointments (plan_id)",
    "CREATE INDEX appointments_by_start ON appointments (start_us)",
    *(
        f"""CREATE TRIGGER appointments_never_overlap_{column}_{event.lower()} BEFORE {event} ON appointments
        WHEN NEW.holds_time AND {_APPOINTMENT_OVERLAP.format(column=column)}
        BEGIN SELECT RAISE(ABORT, 'slot taken: {column}'); END"""
        for column in ("manager_id", "room")
        for event in ("INSERT", "UPDATE")
    ),
]

_SCHEMA = [
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE erasing (plan_id TEXT PRIMARY KEY)",
    *_PLAN_TABLES,
    *_PERSON_INDEX,
    *_RECORDS_SCHEMA,
    *_ACCESS_SCHEMA,
    *_APPOINTMENTS_SCHEMA,
]

#: Migrations from version N to N + 1, run in one transaction each when an older file opens.
#: Version 1 kept contacts and goal statuses inside the head, in WITHOUT ROWID tables;
#: version 2 keeps them beside it, in rowid tables. The statements rebuild the tables
#: (revisions copied as they are); ``_rebuild_derived`` then rewrites every head and its
#: records from the plan's own revisions, in the same transaction.
_MIGRATIONS: dict[int, list[str]] = {
    1: [
        "DROP TRIGGER revisions_are_never_updated",
        "DROP TRIGGER revisions_are_deleted_only_by_erase",
        "DROP TRIGGER revisions_follow_without_gaps",
        "DROP TRIGGER heads_are_deleted_only_by_erase",
        "DROP INDEX heads_by_municipality",
        "DROP INDEX heads_by_manager",
        "ALTER TABLE revisions RENAME TO revisions_v1",
        "ALTER TABLE heads RENAME TO heads_v1",
        *_PLAN_TABLES,
        *_RECORDS_SCHEMA,
        (
            "INSERT INTO revisions (plan_id, number, recorded_at, hash, document)"
            " SELECT plan_id, number, recorded_at, hash, document FROM revisions_v1 ORDER BY plan_id, number"
        ),
        (
            "INSERT INTO heads (plan_id, number, recorded_at, hash, municipality_ags, status, manager_id, state)"
            " SELECT plan_id, number, recorded_at, hash, municipality_ags, status, manager_id, state FROM heads_v1"
        ),
        "DROP TABLE revisions_v1",
        "DROP TABLE heads_v1",
    ],
    # Version 3: the plan state gained its consents; every head is written again from
    # the plan's revisions (``_rebuild_derived``), with its person id in the new person
    # index; the access log and the appointments are new.
    2: [*_PERSON_INDEX, *_ACCESS_SCHEMA, *_APPOINTMENTS_SCHEMA],
}

_INSERT_RECORD = """INSERT INTO records (plan_id, number, position, kind, day, municipality_ags, document)
    VALUES (?, ?, ?, ?, ?, ?, ?)"""

_INSERT_HEAD = """INSERT INTO heads
    (plan_id, number, recorded_at, hash, municipality_ags, status, manager_id, person_id, state)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_UPSERT_HEAD = f"""{_INSERT_HEAD}
    ON CONFLICT (plan_id) DO UPDATE SET number = excluded.number, recorded_at = excluded.recorded_at,
        hash = excluded.hash, municipality_ags = excluded.municipality_ags, status = excluded.status,
        manager_id = excluded.manager_id, person_id = excluded.person_id, state = excluded.state"""

#: A wait for the write lock longer than this (seconds) is logged.
_SLOW_LOCK = 0.1

#: How many decoded heads a store keeps in memory.
_CACHED_HEADS = 1_024

_SYNCHRONOUS = {"full": "FULL", "normal": "NORMAL"}


class SQLiteStore:
    """A plan store in one SQLite file; safe for threads and for processes on one machine."""

    def __init__(
        self, path: str | Path, *, synchronous: str = "full", busy_timeout: float = 10.0, read_only: bool = False
    ) -> None:
        """Open (or create) the store in ``path``.

        ``read_only=True`` is for callers that only read: a missing file is a
        StorageError instead of a new, empty store.
        """
        self.path = Path(path)
        if synchronous not in _SYNCHRONOUS:
            raise ConfigurationError(f"synchronous must be one of {', '.join(_SYNCHRONOUS)}, not {synchronous!r}")
        if not self.path.parent.is_dir():
            raise ConfigurationError(
                f"cannot open store {str(self.path)!r}: directory {str(self.path.parent)!r} does not exist"
            )
        if not self.path.exists():
            if read_only:
                raise ConfigurationError(f"there is no store {str(self.path)!r} (nothing was created)")
            _create_private(self.path)
        self._lock = threading.RLock()
        self._busy_timeout = busy_timeout
        # Group commit: appends queue here; one thread at a time commits the queue.
        self._turn = threading.Condition()
        self._queue: list[_Pending] = []
        self._leading = False
        # The index columns of heads this process read or wrote (no documents: decoding is
        # the mapper's), so a Fortschreibung that keeps them does not rewrite index entries.
        self._heads: dict[str, _Indexed] = {}
        #: The schema version the file had when it was opened (before any migration).
        self.opened_at_version = SCHEMA_VERSION
        try:
            self._db = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as error:
            raise self._error("open", error) from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(f"PRAGMA synchronous={_SYNCHRONOUS[synchronous]}")
            self._db.execute("PRAGMA secure_delete=ON")
            self._prepare()
        except sqlite3.Error as error:
            self._db.close()
            raise self._error("open", error) from None
        except BaseException:
            self._db.close()  # a store that fails to open leaves no connection behind
            raise
        # Reads go through a connection of their own: in WAL mode they need not wait for a
        # writer, so threads prepare their next revisions while a group commit is fsyncing.
        try:
            self._reader = sqlite3.connect(
                self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            self._db.close()
            raise self._error("open", error) from None
        self._read_lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, *, read_only: bool = False) -> SQLiteStore:
        """``sqlite:///relative.db``, ``sqlite:////absolute.db``, ``?synchronous=normal``."""
        parts = urlsplit(url)
        path = parts.path[1:] if parts.path.startswith("/") else parts.path
        if not path:
            raise ConfigurationError("an sqlite store URL needs a file: sqlite:///path/to/file.db")
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        unknown = set(options) - {"synchronous"}
        if unknown:
            raise ConfigurationError(f"unknown sqlite store option(s): {', '.join(sorted(unknown))}")
        return cls(path, synchronous=options.get("synchronous", "full"), read_only=read_only)

    # -- the contract ------------------------------------------------------------------

    def append(self, revision: StoredRevision, head: StoredHead, records: Sequence[StoredRecord] = ()) -> None:
        """Append one revision; concurrent appends of this process's threads share a commit.

        The caller returns once its own revision is durable (the commit it was part of
        is done), or with the error of its own append: a stale base fails only its own.
        """
        document = _document(head)

        def work(db: sqlite3.Connection) -> None:
            if revision.number == 1:
                try:
                    db.execute(_INSERT_HEAD, _head_row(head, document))
                except sqlite3.IntegrityError:
                    raise ConcurrentRevisionError(revision.plan_id, 0, self._number(db, revision.plan_id)) from None
            elif not self._advance(db, revision, head, document):
                raise ConcurrentRevisionError(revision.plan_id, revision.number - 1, self._number(db, revision.plan_id))
            db.execute(
                "INSERT INTO revisions (plan_id, number, recorded_at, hash, document) VALUES (?, ?, ?, ?, ?)",
                (revision.plan_id, revision.number, _instant(revision.recorded_at), revision.hash, revision.document),
            )
            if records:
                db.executemany(_INSERT_RECORD, [_record_row(record) for record in records])

        self._group_commit(_Pending(work))
        self._remember(head)

    def _group_commit(self, item: _Pending) -> None:
        """Queue ``item``; the first waiting thread commits everything queued, in one transaction.

        Each item runs in a savepoint of its own, so one that fails (a stale base, a
        refused statement) is rolled back alone while the others commit. If the commit
        itself fails, every item of the group fails with that error and nothing is written.
        """
        with self._turn:
            self._queue.append(item)
            while not item.done:
                if self._leading:
                    self._turn.wait()
                    continue
                self._leading = True
                group, self._queue = self._queue, []
                self._turn.release()
                try:
                    self._commit_group(group)
                finally:
                    self._turn.acquire()
                    self._leading = False
                    self._turn.notify_all()
        if item.error is not None:
            raise item.error

    def _commit_group(self, group: list[_Pending]) -> None:
        try:
            with self._write() as db:
                if len(group) == 1:  # alone: its own transaction is its savepoint
                    group[0].work(db)
                for item in group if len(group) > 1 else ():
                    db.execute("SAVEPOINT one_append")
                    try:
                        item.work(db)
                    except (IntegrationsplanError, sqlite3.Error) as error:
                        db.execute("ROLLBACK TO one_append")
                        item.error = error if isinstance(error, IntegrationsplanError) else self._error("write", error)
                    db.execute("RELEASE one_append")
        except BaseException as error:  # the transaction or its commit failed: nothing was written
            failure = error if isinstance(error, IntegrationsplanError) else StorageError(f"write failed ({error})")
            for item in group:
                item.error = item.error or failure
            if not isinstance(error, Exception):
                raise
        finally:
            for item in group:
                item.done = True
            if len(group) > 1:
                _log.debug("group commit of %d appends", len(group))

    def append_batch(
        self, batch: Sequence[tuple[Sequence[StoredRevision], StoredHead, Sequence[StoredRecord]]]
    ) -> None:
        rows = [
            (revision.plan_id, revision.number, _instant(revision.recorded_at), revision.hash, revision.document)
            for revisions, _, _ in batch
            for revision in revisions
        ]
        heads = [_head_row(head, _document(head)) for revisions, head, _ in batch if revisions]
        records = [_record_row(record) for _, _, entry in batch for record in entry]
        with self._write() as db:
            expected: dict[str, int] = {}
            for revisions, _, _ in batch:
                for revision in revisions:
                    plan_id = revision.plan_id
                    current = expected.get(plan_id)
                    if current is None:
                        current = self._number(db, plan_id)
                    if current != revision.number - 1:
                        raise ConcurrentRevisionError(plan_id, revision.number - 1, current)
                    expected[plan_id] = revision.number
            db.executemany(
                "INSERT INTO revisions (plan_id, number, recorded_at, hash, document) VALUES (?, ?, ?, ?, ?)", rows
            )
            db.executemany(_UPSERT_HEAD, heads)
            db.executemany(_INSERT_RECORD, records)
        for revisions, head, _ in batch:
            if revisions:
                self._remember(head)

    def read(self, plan_id: str, start: int = 1, stop: int | None = None) -> list[StoredRevision]:
        with self._read() as db:
            rows = db.execute(
                "SELECT plan_id, number, recorded_at, hash, document FROM revisions"
                " WHERE plan_id = ? AND number >= ? AND number <= ? ORDER BY number",
                (plan_id, max(start, 1), 2**62 if stop is None else stop),
            ).fetchall()
            if not rows and db.execute("SELECT 1 FROM heads WHERE plan_id = ?", (plan_id,)).fetchone() is None:
                raise UnknownPlanError(plan_id)
        return [self._revision(row) for row in rows]

    def head(self, plan_id: str, known_hash: str | None = None) -> StoredHead:
        with self._read() as db:
            row = db.execute(
                "SELECT plan_id, number, recorded_at, hash, municipality_ags, status, manager_id, person_id,"
                " CASE WHEN hash = ? THEN NULL ELSE state END FROM heads WHERE plan_id = ?",
                (known_hash, plan_id),
            ).fetchone()
        if row is None:
            raise UnknownPlanError(plan_id)
        try:
            head = StoredHead(
                plan_id=row[0],
                number=int(row[1]),
                recorded_at=_parse_instant(row[2]),
                hash=row[3],
                municipality_ags=row[4],
                status=row[5],
                manager_id=row[6],
                person_id=row[7],
                document=None if row[8] is None else bytes(row[8]),
            )
        except (TypeError, ValueError):
            raise StorageError(f"store {str(self.path)!r}: the head of plan {plan_id!r} is corrupt") from None
        self._remember(head)
        return head

    def version(self, plan_id: str) -> int:
        with self._read() as db:
            row = db.execute("SELECT number FROM heads WHERE plan_id = ?", (plan_id,)).fetchone()
        return 0 if row is None else int(row[0])

    def plans(
        self,
        *,
        municipality_ags: str | None = None,
        status: str | None = None,
        manager_id: str | None = None,
        person_id: str | None = None,
    ) -> list[str]:
        clauses, values = [], []
        filters = (
            ("municipality_ags", municipality_ags),
            ("status", status),
            ("manager_id", manager_id),
            ("person_id", person_id),
        )
        for column, value in filters:
            if value is not None:
                clauses.append(f"{column} = ?")
                values.append(value)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._read() as db:
            rows = db.execute(f"SELECT plan_id FROM heads{where} ORDER BY plan_id", values).fetchall()  # noqa: S608
        return [row[0] for row in rows]

    def erase(self, plan_id: str) -> int:
        with self._write() as db:
            if db.execute("SELECT 1 FROM heads WHERE plan_id = ?", (plan_id,)).fetchone() is None:
                raise UnknownPlanError(plan_id)
            db.execute("INSERT INTO erasing (plan_id) VALUES (?)", (plan_id,))
            count = db.execute("DELETE FROM revisions WHERE plan_id = ?", (plan_id,)).rowcount
            db.execute("DELETE FROM records WHERE plan_id = ?", (plan_id,))
            db.execute("DELETE FROM heads WHERE plan_id = ?", (plan_id,))
            db.execute("DELETE FROM erasing WHERE plan_id = ?", (plan_id,))
            self._heads.pop(plan_id, None)
        self._checkpoint_after_erase(plan_id)
        return int(count)

    def _checkpoint_after_erase(self, plan_id: str) -> None:
        """Empty the WAL, which still holds the erased pages, or say that it could not.

        A reader of another connection can hold old pages in the WAL; the checkpoint is
        retried (with the busy timeout's patience) until every frame is back in the
        database file and the WAL is truncated. The rows are gone either way; if the
        bytes may still be in the WAL, the caller is told so, never told it worked.
        """
        deadline = time.monotonic() + self._busy_timeout
        while True:
            with self._lock:  # on the writing connection, which holds no read snapshot
                try:
                    busy, frames, done = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                except sqlite3.Error as error:
                    raise self._error("checkpoint", error) from None
            wal = Path(f"{self.path}-wal")
            if busy == 0 and frames == done and (not wal.exists() or wal.stat().st_size == 0):
                _log.info("erased plan %s; the write-ahead log is empty", plan_id)
                return
            if time.monotonic() >= deadline:
                raise StorageError(
                    f"plan {plan_id!r} was erased from store {str(self.path)!r}, but another connection still "
                    "reads old pages, so they remain in the write-ahead log; close the other connections: "
                    "the next checkpoint (any erasure, or opening the store anew) overwrites them"
                )
            time.sleep(0.05)

    def heads(self, *, municipality_ags: str | None = None) -> Iterator[StoredHead]:
        """Every head (of one municipality), streamed in pages of rows: memory stays flat."""
        where, values = ("WHERE municipality_ags = ?", [municipality_ags]) if municipality_ags is not None else ("", [])
        last = ""
        while True:
            with self._read() as db:
                rows = db.execute(
                    "SELECT plan_id, number, recorded_at, hash, municipality_ags, status, manager_id, person_id,"  # noqa: S608
                    " state"
                    f" FROM heads {where} {'AND' if where else 'WHERE'} plan_id > ? ORDER BY plan_id LIMIT 1000",
                    [*values, last],
                ).fetchall()
            if not rows:
                return
            for row in rows:
                try:
                    yield StoredHead(
                        row[0],
                        int(row[1]),
                        _parse_instant(row[2]),
                        row[3],
                        row[4],
                        row[5],
                        row[6],
                        row[7],
                        bytes(row[8]),
                    )
                except (TypeError, ValueError):
                    raise StorageError(f"store {str(self.path)!r}: the head of plan {row[0]!r} is corrupt") from None
            last = rows[-1][0]

    def streams(self) -> list[str]:
        with self._read() as db:
            rows = db.execute("SELECT DISTINCT plan_id FROM revisions ORDER BY plan_id").fetchall()
        return [row[0] for row in rows]

    def records(
        self,
        plan_id: str | None = None,
        *,
        municipality_ags: str | None = None,
        kind: str | None = None,
        first: dt.date | None = None,
        last: dt.date | None = None,
    ) -> list[StoredRecord]:
        clauses, values = [], []
        for column, value in (("plan_id", plan_id), ("municipality_ags", municipality_ags), ("kind", kind)):
            if value is not None:
                clauses.append(f"{column} = ?")
                values.append(value)
        if first is not None:
            clauses.append("day >= ?")
            values.append(first.isoformat())
        if last is not None:
            clauses.append("day <= ?")
            values.append(last.isoformat())
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._read() as db:
            rows = db.execute(
                "SELECT plan_id, number, position, kind, day, municipality_ags, document FROM records"  # noqa: S608
                f"{where} ORDER BY plan_id, number, position",
                values,
            ).fetchall()
        try:
            return [
                StoredRecord(
                    row[0], int(row[1]), int(row[2]), row[3], dt.date.fromisoformat(row[4]), row[5], bytes(row[6])
                )
                for row in rows
            ]
        except (TypeError, ValueError):
            raise StorageError(f"store {str(self.path)!r}: a record row is corrupt") from None

    # -- appointments ------------------------------------------------------------------

    def add_appointment(self, appointment: StoredAppointment) -> None:
        with self._write() as db:
            held = self._appointment_version(db, appointment.id)
            if held:
                raise ConcurrentAppointmentError(appointment.id, appointment.version - 1, held)
            self._guarded(db, appointment, _INSERT_APPOINTMENT, _appointment_row(appointment))

    def change_appointment(self, appointment: StoredAppointment) -> None:
        with self._write() as db:
            held = self._appointment_version(db, appointment.id)
            if not held:
                raise UnknownAppointmentError(appointment.id)
            if held != appointment.version - 1:
                raise ConcurrentAppointmentError(appointment.id, appointment.version - 1, held)
            self._guarded(
                db,
                appointment,
                "UPDATE appointments SET version = ?, municipality_ags = ?, manager_id = ?, room = ?, plan_id = ?,"
                " start_us = ?, end_us = ?, holds_time = ?, document = ? WHERE id = ? AND version = ?",
                (*_appointment_row(appointment)[1:], appointment.id, held),
            )

    def appointment(self, appointment_id: str) -> StoredAppointment:
        with self._read() as db:
            row = db.execute(f"{_SELECT_APPOINTMENTS} WHERE id = ?", (appointment_id,)).fetchone()
        if row is None:
            raise UnknownAppointmentError(appointment_id)
        return self._stored_appointment(row)

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
        clauses: list[str] = [] if cancelled else ["holds_time"]
        values: list[object] = []
        for column, value in (
            ("municipality_ags", municipality_ags),
            ("manager_id", manager_id),
            ("room", room),
            ("plan_id", plan_id),
        ):
            if value is not None:
                clauses.append(f"{column} = ?")
                values.append(value)
        if start is not None:
            clauses.append("end_us > ?")
            values.append(_microseconds(start))
        if end is not None:
            clauses.append("start_us < ?")
            values.append(_microseconds(end))
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._read() as db:
            rows = db.execute(f"{_SELECT_APPOINTMENTS}{where} ORDER BY start_us, id", values).fetchall()
        return [self._stored_appointment(row) for row in rows]

    def erase_appointment(self, appointment_id: str) -> None:
        with self._write() as db:
            if db.execute("DELETE FROM appointments WHERE id = ?", (appointment_id,)).rowcount == 0:
                raise UnknownAppointmentError(appointment_id)

    @staticmethod
    def _appointment_version(db: sqlite3.Connection, appointment_id: str) -> int:
        row = db.execute("SELECT version FROM appointments WHERE id = ?", (appointment_id,)).fetchone()
        return 0 if row is None else int(row[0])

    @staticmethod
    def _guarded(db: sqlite3.Connection, appointment: StoredAppointment, sql: str, values: Sequence[object]) -> None:
        """Run the write; the overlap triggers' refusal becomes SlotTakenError naming the holder."""
        try:
            db.execute(sql, values)
        except sqlite3.IntegrityError as error:
            text = str(error)
            if not text.startswith("slot taken: "):
                raise
            column = text.removeprefix("slot taken: ")
            other = db.execute(
                "SELECT id FROM appointments WHERE holds_time AND id != ? AND municipality_ags = ?"  # noqa: S608
                f" AND {column} = ? AND start_us < ? AND end_us > ? ORDER BY start_us LIMIT 1",
                (
                    appointment.id,
                    appointment.municipality_ags,
                    appointment.manager_id if column == "manager_id" else appointment.room,
                    _microseconds(appointment.end),
                    _microseconds(appointment.start),
                ),
            ).fetchone()
            holder = "manager" if column == "manager_id" else "room"
            raise SlotTakenError(appointment.id, holder, None if other is None else other[0]) from None

    def _stored_appointment(self, row: Any) -> StoredAppointment:
        try:
            return StoredAppointment(
                id=row[0],
                version=int(row[1]),
                municipality_ags=row[2],
                manager_id=row[3],
                room=row[4],
                plan_id=row[5],
                start=_from_microseconds(row[6]),
                end=_from_microseconds(row[7]),
                holds_time=bool(row[8]),
                document=bytes(row[9]),
            )
        except (TypeError, ValueError, OverflowError):
            raise StorageError(f"store {str(self.path)!r}: appointment {row[0]!r} is corrupt") from None

    def log_access(self, entries: Sequence[AccessEntry]) -> None:
        """Append read entries in one transaction (durable like an append)."""
        if not entries:
            return
        with self._write() as db:
            db.executemany(
                "INSERT INTO access_log (at, actor, purpose, plan_id, municipality_ags, operation)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(_instant(e.at), e.actor, e.purpose, e.plan_id, e.municipality_ags, e.operation) for e in entries],
            )

    def accesses(self, plan_id: str | None = None) -> list[AccessEntry]:
        where, values = ("WHERE plan_id = ?", [plan_id]) if plan_id is not None else ("", [])
        with self._read() as db:
            rows = db.execute(
                "SELECT at, actor, purpose, plan_id, municipality_ags, operation"  # noqa: S608
                f" FROM access_log {where} ORDER BY rowid",
                values,
            ).fetchall()
        return [AccessEntry(_parse_instant(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows]

    def close(self) -> None:
        with self._lock, self._read_lock:
            self._reader.close()
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    # -- internals ---------------------------------------------------------------------

    def _prepare(self) -> None:
        with self._write() as db:
            exists = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
            if not exists:
                for statement in _SCHEMA:
                    db.execute(statement)
                db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                return
            row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row is not None and str(row[0]).isdigit() else None
            if version is None:
                raise StorageError(f"store {str(self.path)!r} has no readable schema version; it is not a plan store")
            if version > SCHEMA_VERSION:
                raise StorageError(
                    f"store {str(self.path)!r} has schema version {version}, newer than {SCHEMA_VERSION}: "
                    "it was written by a newer release; upgrade integrationsplan (nothing was changed)"
                )
            self.opened_at_version = version
            for step in range(version, SCHEMA_VERSION):
                _log.info("migrating store %s from schema version %d to %d", self.path, step, step + 1)
                for statement in _MIGRATIONS[step]:
                    db.execute(statement)
                if step == 1:  # the records; the step to 3 writes the heads again anyway
                    _rebuild_derived(db, heads=False)
                elif step == 2:
                    _rebuild_derived(db, records=False)
                db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(step + 1),))

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction; any driver error in it is rolled back and translated."""
        with self._lock:
            started = time.monotonic()
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise self._error("write", error) from None
            waited = time.monotonic() - started
            if waited > _SLOW_LOCK:  # another process held the file's write lock
                _log.info("waited %.2f s for the write lock of store %s", waited, self.path)
            try:
                yield self._db
            except sqlite3.Error as error:
                self._rollback()
                raise self._error("write", error) from None
            except BaseException:
                self._rollback()
                raise
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error as error:
                self._rollback()
                raise self._error("commit", error) from None

    def _rollback(self) -> None:
        try:
            self._db.execute("ROLLBACK")
        except sqlite3.Error:  # the transaction is already gone (e.g. SQLite rolled back itself)
            _log.debug("rollback after a failed write found no transaction")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """The reading connection: each statement sees the last commit, and never waits for a writer."""
        with self._read_lock:
            try:
                yield self._reader
            except sqlite3.Error as error:
                raise self._error("read", error) from None

    def _advance(self, db: sqlite3.Connection, revision: StoredRevision, head: StoredHead, document: bytes) -> bool:
        """Move the head on from ``revision.number - 1``; False if it is not there.

        One conditional UPDATE is both the expected-version check and the write. When
        this process wrote or read the previous head (same number and hash) and the
        indexed columns did not change, they are left out, so a plain Fortschreibung
        does not rewrite index entries.
        """
        plan_id, base = revision.plan_id, revision.number - 1
        common = [head.number, _instant(head.recorded_at), head.hash, document]
        previous = self._heads.get(plan_id)
        if (
            previous is not None
            and previous.number == base
            and (previous.municipality_ags, previous.status, previous.manager_id, previous.person_id)
            == (head.municipality_ags, head.status, head.manager_id, head.person_id)
        ):
            cursor = db.execute(
                "UPDATE heads SET number = ?, recorded_at = ?, hash = ?, state = ?"
                " WHERE plan_id = ? AND number = ? AND hash = ?",
                [*common, plan_id, base, previous.hash],
            )
            if cursor.rowcount == 1:
                return True
        cursor = db.execute(
            "UPDATE heads SET number = ?, recorded_at = ?, hash = ?, state = ?,"
            " municipality_ags = ?, status = ?, manager_id = ?, person_id = ? WHERE plan_id = ? AND number = ?",
            [*common, head.municipality_ags, head.status, head.manager_id, head.person_id, plan_id, base],
        )
        return cursor.rowcount == 1

    def _remember(self, head: StoredHead) -> None:
        self._heads.pop(head.plan_id, None)
        # dicts keep insertion order: the oldest comes first
        self._heads[head.plan_id] = _Indexed(
            head.number, head.hash, head.municipality_ags, head.status, head.manager_id, head.person_id
        )
        if len(self._heads) > _CACHED_HEADS:
            del self._heads[next(iter(self._heads))]

    @staticmethod
    def _number(db: sqlite3.Connection, plan_id: str) -> int:
        row = db.execute("SELECT number FROM heads WHERE plan_id = ?", (plan_id,)).fetchone()
        return 0 if row is None else int(row[0])

    def _revision(self, row: Any) -> StoredRevision:
        try:
            return StoredRevision(row[0], int(row[1]), _parse_instant(row[2]), row[3], bytes(row[4]))
        except (TypeError, ValueError):
            raise StorageError(f"store {str(self.path)!r}: revision {row[1]!r} of plan {row[0]!r} is corrupt") from None

    def _error(self, action: str, error: sqlite3.Error) -> StorageError:
        text = str(error)
        if "locked" in text or "busy" in text:
            return StorageError(f"store {str(self.path)!r} is locked by another writer; try again ({action})")
        if "not a database" in text or "malformed" in text:
            return StorageError(f"store {str(self.path)!r} is not a readable SQLite file ({action}: {text})")
        if "append-only" in text or "only by erase" in text or "without gaps" in text:
            return StorageError(f"store {str(self.path)!r} refused the {action}: {text}")
        return StorageError(f"store {str(self.path)!r}: {action} failed ({text})")


class _Pending:
    """One append waiting for a group commit: its statements, and how it ended."""

    __slots__ = ("done", "error", "work")

    def __init__(self, work: Callable[[sqlite3.Connection], None]) -> None:
        self.work = work
        self.done = False
        self.error: BaseException | None = None


class _Indexed(NamedTuple):
    number: int
    hash: str
    municipality_ags: str
    status: str
    manager_id: str | None
    person_id: str


def _document(head: StoredHead) -> bytes:
    if head.document is None:
        raise StorageError(f"the head of plan {head.plan_id!r} to write has no document")
    return head.document


def _record_row(record: StoredRecord) -> tuple[object, ...]:
    return (
        record.plan_id,
        record.number,
        record.position,
        record.kind,
        record.day.isoformat(),
        record.municipality_ags,
        record.document,
    )


def _rebuild_derived(db: sqlite3.Connection, *, heads: bool = True, records: bool = True) -> None:
    """Rewrite every head and its records (or either) from the plan's revisions.

    The moves to version 2 (records beside the head) and 3 (a state field more, and the
    person index).

    The one place a store decodes documents: a schema migration, run once, inside the
    migration's transaction. The revisions are untouched; what is derived from them is
    derived again, as verification would expect it.
    """
    from integrationsplan.storage.mapper import derive  # noqa: PLC0415 - only for this migration

    plan_ids = [row[0] for row in db.execute("SELECT plan_id FROM heads ORDER BY plan_id").fetchall()]
    for plan_id in plan_ids:
        documents = [
            bytes(row[0])
            for row in db.execute("SELECT document FROM revisions WHERE plan_id = ? ORDER BY number", (plan_id,))
        ]
        head, derived = derive(plan_id, documents)
        if heads:
            db.execute(
                "UPDATE heads SET state = ?, municipality_ags = ?, status = ?, manager_id = ?, person_id = ?"
                " WHERE plan_id = ?",
                (_document(head), head.municipality_ags, head.status, head.manager_id, head.person_id, plan_id),
            )
        if records:
            db.executemany(_INSERT_RECORD, [_record_row(record) for record in derived])


def _head_row(head: StoredHead, document: bytes) -> tuple[object, ...]:
    """The values of a head row, in the column order of ``_INSERT_HEAD``."""
    return (
        head.plan_id,
        head.number,
        _instant(head.recorded_at),
        head.hash,
        head.municipality_ags,
        head.status,
        head.manager_id,
        head.person_id,
        document,
    )


def _create_private(path: Path) -> None:
    """Create an empty file only its owner can read; SQLite gives its WAL the same mode."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass  # another process created it meanwhile: open theirs
    except OSError as error:
        raise StorageError(f"cannot create store {str(path)!r}: {error.strerror or type(error).__name__}") from None


def _day(value: object) -> dt.date:
    if not isinstance(value, str):
        raise TypeError(value)
    return dt.date.fromisoformat(value)


def _instant(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _parse_instant(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise TypeError(value)
    return dt.datetime.fromisoformat(value).astimezone(dt.UTC)


_APPOINTMENT_COLUMNS = (
    "id, version, municipality_ags, manager_id, room, plan_id, start_us, end_us, holds_time, document"
)
_INSERT_APPOINTMENT = f"INSERT INTO appointments ({_APPOINTMENT_COLUMNS}) VALUES ({', '.join('?' * 10)})"  # noqa: S608
_SELECT_APPOINTMENTS = f"SELECT {_APPOINTMENT_COLUMNS} FROM appointments"  # noqa: S608 - fixed columns
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _microseconds(at: dt.datetime) -> int:
    return (at - _EPOCH) // dt.timedelta(microseconds=1)


def _from_microseconds(value: object) -> dt.datetime:
    if type(value) is not int:
        raise TypeError(value)
    return _EPOCH + dt.timedelta(microseconds=value)


def _appointment_row(appointment: StoredAppointment) -> tuple[object, ...]:
    return (
        appointment.id,
        appointment.version,
        appointment.municipality_ags,
        appointment.manager_id,
        appointment.room,
        appointment.plan_id,
        _microseconds(appointment.start),
        _microseconds(appointment.end),
        int(appointment.holds_time),
        appointment.document,
    )
