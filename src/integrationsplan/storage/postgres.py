"""The PostgreSQL plan store (``postgresql://…``): one database for many municipalities.

Needs the ``postgres`` extra (psycopg 3 and psycopg-pool). The database is prepared once
by an administrator with [`setup`][integrationsplan.storage.postgres.setup] (or
``integrationsplan store setup``), and each town's login role is mapped to its
municipality with [`grant`][integrationsplan.storage.postgres.grant]. Then:

* **Separation by the database.** Every row carries its municipality's AGS, and
  row-level security shows a role only the rows of the municipalities it is mapped to —
  also to hand-written SQL. A store opened with ``?municipality=AGS`` narrows its
  connections further to that one municipality.
* **Append-only and no lost update, by the database.** The application role has no
  UPDATE or DELETE on revisions or records; triggers refuse them even to a role that
  had; the primary key (plan, number) and a trigger that refuses gaps make a stale base
  fail with [`ConcurrentRevisionError`][integrationsplan.ConcurrentRevisionError] and
  write nothing.
* **Erasure** goes through the database function ``integrationsplan.erase_plan``, owned
  by another role, which deletes the plan's rows and writes a non-personal erasure
  record (plan id, municipality, count, when, by whom).
* **Notifications.** Every committed revision is announced on the channel
  ``integrationsplan_<AGS>`` with its plan id and number only; [`listen`][integrationsplan.storage.postgres.listen]
  subscribes.
* A connection pool (``?pool_size=N``, default 8) shares connections between threads.
* Every driver error becomes a [`StorageError`][integrationsplan.StorageError] (or
  [`AccessDeniedError`][integrationsplan.AccessDeniedError]) naming the store, the
  action and the SQLSTATE, never a value: the transaction is rolled back.

URL: ``postgresql://user@host/database?municipality=08117019`` (all libpq parameters
work, ``host=/path/to/socket/folder`` too; ``municipality`` and ``pool_size`` are read by
the store).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from integrationsplan.errors import (
    AccessDeniedError,
    ConcurrentAppointmentError,
    ConcurrentRevisionError,
    ConfigurationError,
    IntegrationsplanError,
    SlotTakenError,
    StorageError,
    UnknownAppointmentError,
    UnknownPlanError,
)
from integrationsplan.storage._postgres_schema import MIGRATIONS, SCHEMA, SCHEMA_VERSION, grant_statements
from integrationsplan.storage.contract import (
    AccessEntry,
    AppendedRevision,
    StoredAppointment,
    StoredHead,
    StoredRecord,
    StoredRevision,
)

try:
    import psycopg
    from psycopg import errors as pg_errors
    from psycopg import sql
    from psycopg_pool import ConnectionPool
except ImportError as missing:  # pragma: no cover - the extra is installed in every test run
    raise ConfigurationError(
        "the postgresql:// store needs the 'postgres' extra: pip install 'integrationsplan[postgres]'"
    ) from missing

__all__ = [
    "SCHEMA_VERSION",
    "PostgresStore",
    "grant",
    "listen",
    "migrate",
    "schema_sql",
    "setup",
]

_log = logging.getLogger(__name__)

_STORE_OPTIONS = ("municipality", "pool_size")
_AGS_LENGTH = 8
_MAX_NUMBER = 2**31 - 1
_PAGE = 1_000

_HEAD_COLUMNS = "plan_id, number, recorded_at, hash, municipality_ags, status, manager_id, person_id"
_APPEND = (
    "SELECT integrationsplan.append_revisions(%s, %s, %s::integer[], %s::timestamptz[], %s::text[], %s::bytea[],"
    " %s, %s, %s, %s, %s, %s, %s, %s::integer[], %s::integer[], %s::text[], %s::date[], %s::text[], %s::bytea[])"
)


class PostgresStore:
    """A plan store in a PostgreSQL database shared by many municipalities."""

    def __init__(
        self,
        conninfo: str,
        *,
        municipality: str | None = None,
        pool_size: int = 8,
        read_only: bool = False,
        name: str | None = None,
    ) -> None:
        """Connect to the database ``conninfo`` (a libpq URL or keyword string).

        ``municipality`` narrows the store to one municipality (the role must be mapped
        to it, or be the reporting role); ``read_only`` makes every transaction read-only.
        ``name`` is how messages name the store (default: the database and user, never
        a password).
        """
        if municipality is not None and (len(municipality) != _AGS_LENGTH or not municipality.isdigit()):
            raise ConfigurationError(f"municipality must be an 8-digit AGS, not {municipality!r}")
        if not 1 <= pool_size <= 1_000:
            raise ConfigurationError(f"pool_size must be between 1 and 1000, not {pool_size}")
        self.municipality = municipality
        self.read_only = read_only
        self._conninfo = conninfo
        self.name = name or _describe(conninfo)
        with self._connect_once() as conn:
            self._check_schema(conn)
            self._check_municipality(conn)
        self._pool: ConnectionPool[psycopg.Connection[tuple[Any, ...]]] = ConnectionPool(
            conninfo,
            min_size=1,
            max_size=pool_size,
            configure=self._configure,
            kwargs={"autocommit": True},  # a read is one round trip; a batch opens its transaction
            open=True,
            name="integrationsplan",
        )

    @classmethod
    def from_url(cls, url: str, *, read_only: bool = False) -> PostgresStore:
        """``postgresql://user@host/db?municipality=AGS&pool_size=N`` (``postgres://`` too)."""
        conninfo, options = split_url(url)
        pool_size = options.get("pool_size", "8")
        if not pool_size.isdigit():
            raise ConfigurationError(f"pool_size must be a number, not {pool_size!r}")
        return cls(conninfo, municipality=options.get("municipality"), pool_size=int(pool_size), read_only=read_only)

    # -- the contract ------------------------------------------------------------------

    def append(self, revision: StoredRevision, head: StoredHead, records: Sequence[StoredRecord] = ()) -> None:
        """Append one revision, its head and its records in one transaction."""
        self._allowed(head.municipality_ags, "append")
        with self._transaction("append", revision.plan_id, revision.number) as conn:
            self._write(conn, [revision], head, records)  # autocommit: the call is the transaction

    def append_batch(
        self, batch: Sequence[tuple[Sequence[StoredRevision], StoredHead, Sequence[StoredRecord]]]
    ) -> None:
        """Many plans' revisions, heads and records in one transaction: all or nothing."""
        for revisions, head, _ in batch:
            self._allowed(head.municipality_ags, "append")
            _check_consecutive(revisions)
        if not batch:
            return
        current = ("", 0)
        try:
            with self._pool.connection() as conn, conn.transaction():
                for revisions, head, records in batch:
                    if revisions:
                        current = (revisions[0].plan_id, revisions[0].number)
                        self._write(conn, revisions, head, records)
        except IntegrationsplanError:
            raise
        except psycopg.Error as error:
            raise self._translate("append", error, *current) from None

    def read(self, plan_id: str, start: int = 1, stop: int | None = None) -> list[StoredRevision]:
        with self._query("read") as conn:
            rows = conn.execute(
                "SELECT plan_id, number, recorded_at, hash, document FROM integrationsplan.revisions"
                " WHERE plan_id = %s AND number BETWEEN %s AND %s ORDER BY number",
                (plan_id, max(start, 1), _MAX_NUMBER if stop is None else min(stop, _MAX_NUMBER)),
                binary=True,  # documents as bytes, without the text protocol's hex encoding
            ).fetchall()
            if not rows and not self._exists(conn, plan_id):
                raise UnknownPlanError(plan_id)
        return [StoredRevision(r[0], r[1], r[2].astimezone(dt.UTC), r[3], bytes(r[4])) for r in rows]

    def head(self, plan_id: str, known_hash: str | None = None) -> StoredHead:
        with self._query("read the head") as conn:
            row = conn.execute(
                f"SELECT {_HEAD_COLUMNS}, CASE WHEN hash = %s THEN NULL ELSE document END"  # noqa: S608
                " FROM integrationsplan.heads WHERE plan_id = %s",
                (known_hash, plan_id),
                binary=True,
            ).fetchone()
        if row is None:
            raise UnknownPlanError(plan_id)
        return _head(row)

    def version(self, plan_id: str) -> int:
        with self._query("read the version") as conn:
            row = conn.execute("SELECT number FROM integrationsplan.heads WHERE plan_id = %s", (plan_id,)).fetchone()
        return 0 if row is None else int(row[0])

    def plans(
        self,
        *,
        municipality_ags: str | None = None,
        status: str | None = None,
        manager_id: str | None = None,
        person_id: str | None = None,
    ) -> list[str]:
        where, values = _where(
            municipality_ags=municipality_ags, status=status, manager_id=manager_id, person_id=person_id
        )
        with self._query("list plans") as conn:
            rows = conn.execute(
                f"SELECT plan_id FROM integrationsplan.heads{where} ORDER BY plan_id",  # noqa: S608
                values,
            ).fetchall()
        return [row[0] for row in rows]

    def erase(self, plan_id: str) -> int:
        """Erase a plan through the database's erase function (which records the erasure)."""
        try:
            with self._pool.connection() as conn:
                row = conn.execute("SELECT integrationsplan.erase_plan(%s)", (plan_id,)).fetchone()
        except psycopg.Error as error:
            if error.sqlstate == "IPUNK":
                raise UnknownPlanError(plan_id) from None
            raise self._translate("erase", error, plan_id) from None
        _log.info("erased plan %s from %s", plan_id, self.name)
        return int(row[0]) if row is not None else 0

    def heads(self, *, municipality_ags: str | None = None) -> Iterator[StoredHead]:
        """Every head (of one municipality), in pages of rows: memory stays flat."""
        where, values = _where(municipality_ags=municipality_ags)
        last = ""
        while True:
            with self._query("read heads") as conn:
                rows = conn.execute(
                    f"SELECT {_HEAD_COLUMNS}, document FROM integrationsplan.heads"  # noqa: S608
                    f"{where} {'AND' if where else 'WHERE'} plan_id > %s ORDER BY plan_id LIMIT {_PAGE}",
                    [*values, last],
                    binary=True,
                ).fetchall()
            if not rows:
                return
            yield from (_head(row) for row in rows)
            last = rows[-1][0]

    def streams(self) -> list[str]:
        with self._query("list streams") as conn:
            rows = conn.execute("SELECT DISTINCT plan_id FROM integrationsplan.revisions ORDER BY plan_id").fetchall()
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
        where, values = _where(plan_id=plan_id, municipality_ags=municipality_ags, kind=kind)
        extra = []
        if first is not None:
            extra.append("day >= %s")
            values.append(first)
        if last is not None:
            extra.append("day <= %s")
            values.append(last)
        if extra:
            where = f"{where} {'AND' if where else 'WHERE'} {' AND '.join(extra)}"
        with self._query("read records") as conn:
            rows = conn.execute(
                "SELECT plan_id, number, position, kind, day, municipality_ags, document"  # noqa: S608
                f" FROM integrationsplan.records{where} ORDER BY plan_id, number, position",
                values,
                binary=True,
            ).fetchall()
        return [StoredRecord(r[0], r[1], r[2], r[3], r[4], r[5], bytes(r[6])) for r in rows]

    def log_access(self, entries: Sequence[AccessEntry]) -> None:
        """Append read entries (row-level security keeps each town's to itself)."""
        if not entries:
            return
        for entry in entries:  # reads are logged by read-only stores too: only the municipality is checked
            if self.municipality is not None and entry.municipality_ags != self.municipality:
                raise AccessDeniedError(f"store {self.name} is open for municipality {self.municipality}")
        with self._transaction("log the access", "", 0) as conn, conn.transaction(), conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION READ WRITE")  # a read-only store still logs its reads
            cursor.executemany(
                "INSERT INTO integrationsplan.access_log (at, actor, purpose, plan_id, municipality_ags, operation)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                [(e.at, e.actor, e.purpose, e.plan_id, e.municipality_ags, e.operation) for e in entries],
            )

    def accesses(self, plan_id: str | None = None) -> list[AccessEntry]:
        where, values = _where(plan_id=plan_id)
        with self._query("read the access log") as conn:
            rows = conn.execute(
                "SELECT at, actor, purpose, plan_id, municipality_ags, operation"  # noqa: S608
                f" FROM integrationsplan.access_log{where} ORDER BY id",
                values,
            ).fetchall()
        return [AccessEntry(r[0].astimezone(dt.UTC), r[1], r[2], r[3], r[4], r[5]) for r in rows]

    # -- appointments ------------------------------------------------------------------

    def add_appointment(self, appointment: StoredAppointment) -> None:
        self._allowed(appointment.municipality_ags, "booking")
        with self._appointment_write("book the appointment", appointment) as conn:
            conn.execute(
                f"INSERT INTO integrationsplan.appointments ({_APPOINTMENT_COLUMNS})"  # noqa: S608 - fixed columns
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                _appointment_row(appointment),
            )

    def change_appointment(self, appointment: StoredAppointment) -> None:
        self._allowed(appointment.municipality_ags, "change of an appointment")
        with self._appointment_write("change the appointment", appointment) as conn:
            cursor = conn.execute(
                "UPDATE integrationsplan.appointments SET version = %s, municipality_ags = %s, manager_id = %s,"
                " room = %s, plan_id = %s, starts_at = %s, ends_at = %s, holds_time = %s, document = %s"
                " WHERE id = %s AND version = %s",
                (*_appointment_row(appointment)[1:], appointment.id, appointment.version - 1),
            )
            if cursor.rowcount == 1:
                return
            row = conn.execute(
                "SELECT version FROM integrationsplan.appointments WHERE id = %s", (appointment.id,)
            ).fetchone()
        if row is None:
            raise UnknownAppointmentError(appointment.id)
        raise ConcurrentAppointmentError(appointment.id, appointment.version - 1, int(row[0]))

    def appointment(self, appointment_id: str) -> StoredAppointment:
        with self._query("read the appointment") as conn:
            row = conn.execute(
                f"SELECT {_APPOINTMENT_COLUMNS} FROM integrationsplan.appointments WHERE id = %s",  # noqa: S608
                (appointment_id,),
            ).fetchone()
        if row is None:
            raise UnknownAppointmentError(appointment_id)
        return _appointment(row)

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
        where, values = _where(municipality_ags=municipality_ags, manager_id=manager_id, room=room, plan_id=plan_id)
        clauses = [where.removeprefix(" WHERE ")] if where else []
        if not cancelled:
            clauses.append("holds_time")
        if start is not None:
            clauses.append("ends_at > %s")
            values.append(start)
        if end is not None:
            clauses.append("starts_at < %s")
            values.append(end)
        condition = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._query("list appointments") as conn:
            rows = conn.execute(
                f"SELECT {_APPOINTMENT_COLUMNS} FROM integrationsplan.appointments{condition}"  # noqa: S608
                " ORDER BY starts_at, id",
                values,
            ).fetchall()
        return [_appointment(row) for row in rows]

    def erase_appointment(self, appointment_id: str) -> None:
        if self.read_only:
            raise StorageError(f"store {self.name} is open read-only; the erasure was refused")
        with self._query("erase the appointment") as conn:
            cursor = conn.execute("DELETE FROM integrationsplan.appointments WHERE id = %s", (appointment_id,))
        if cursor.rowcount == 0:
            raise UnknownAppointmentError(appointment_id)

    @contextmanager
    def _appointment_write(
        self, action: str, appointment: StoredAppointment
    ) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
        """A connection for one appointment write; the exclusion constraints become SlotTakenError."""
        try:
            with self._pool.connection() as conn:
                yield conn
        except IntegrationsplanError:
            raise
        except pg_errors.ExclusionViolation as error:
            holder = "room" if error.diag.constraint_name == "room_booked_once" else "manager"
            raise SlotTakenError(appointment.id, holder, self._holder_of(appointment, holder)) from None
        except pg_errors.UniqueViolation:
            raise ConcurrentAppointmentError(appointment.id, appointment.version - 1, 1) from None
        except psycopg.Error as error:
            raise self._translate(action, error) from None

    def _holder_of(self, appointment: StoredAppointment, holder: str) -> str | None:
        """The id of the appointment that holds the time (best effort, after the refusal)."""
        found = self.appointments(
            municipality_ags=appointment.municipality_ags,
            manager_id=appointment.manager_id if holder == "manager" else None,
            room=appointment.room if holder == "room" else None,
            start=appointment.start,
            end=appointment.end,
        )
        others = [a.id for a in found if a.id != appointment.id]
        return others[0] if others else None

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PostgresStore({self.name!r}, municipality={self.municipality!r})"

    # -- internals ---------------------------------------------------------------------

    def _write(
        self,
        conn: psycopg.Connection[tuple[Any, ...]],
        revisions: Sequence[StoredRevision],
        head: StoredHead,
        records: Sequence[StoredRecord],
    ) -> None:
        """Insert the revisions and records and move the head: one call of ``append_revisions``.

        On an autocommit connection that call is its own transaction and one round trip;
        inside a batch's transaction it is one of many. The function runs with the
        caller's rights, so row-level security and the triggers apply as to plain SQL.
        """
        conn.execute(_APPEND, (
            head.plan_id, head.municipality_ags,
            [r.number for r in revisions], [r.recorded_at for r in revisions],
            [r.hash for r in revisions], [r.document for r in revisions],
            head.number, head.recorded_at, head.hash, head.status, head.manager_id, head.person_id,
            head.document,
            [r.number for r in records], [r.position for r in records], [r.kind for r in records],
            [r.day for r in records], [r.municipality_ags for r in records], [r.document for r in records],
        ))  # fmt: skip

    @contextmanager
    def _transaction(self, action: str, plan_id: str, number: int) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
        try:
            with self._pool.connection() as conn:
                yield conn
        except IntegrationsplanError:
            raise
        except psycopg.Error as error:
            raise self._translate(action, error, plan_id, number) from None

    @contextmanager
    def _query(self, action: str) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
        try:
            with self._pool.connection() as conn:
                yield conn
        except IntegrationsplanError:
            raise
        except psycopg.Error as error:
            raise self._translate(action, error) from None

    def _translate(
        self, action: str, error: psycopg.Error, plan_id: str = "", number: int = 0
    ) -> IntegrationsplanError:
        """A StorageError naming the store, the action and the SQLSTATE; no values from rows."""
        state = error.sqlstate or "?"
        primary = error.diag.message_primary or type(error).__name__
        if state in ("23505", "IPGAP"):  # the primary key, or the trigger that refuses gaps
            return ConcurrentRevisionError(plan_id, number - 1, self.version(plan_id))
        if isinstance(error, pg_errors.InsufficientPrivilege):
            return AccessDeniedError(f"store {self.name} refused the {action}: {primary} (SQLSTATE {state})")
        if isinstance(error, pg_errors.ReadOnlySqlTransaction):
            return StorageError(f"store {self.name} is open read-only; the {action} was refused")
        if state == "IPHED":
            return StorageError(f"store {self.name}: plan {plan_id!r} has revisions but no head; verify the store")
        if state == "IPAPP":
            return StorageError(f"store {self.name} refused the {action}: {primary}")
        if isinstance(error, psycopg.OperationalError):
            return StorageError(f"store {self.name}: {action} failed, the database is unreachable (SQLSTATE {state})")
        return StorageError(f"store {self.name}: {action} failed ({primary}, SQLSTATE {state})")

    def _allowed(self, municipality_ags: str, action: str) -> None:
        if self.read_only:
            raise StorageError(f"store {self.name} is open read-only; the {action} was refused")
        if self.municipality is not None and municipality_ags != self.municipality:
            raise AccessDeniedError(
                f"store {self.name} is open for municipality {self.municipality}; "
                f"the {action} of a plan of {municipality_ags} was refused"
            )

    @staticmethod
    def _exists(conn: psycopg.Connection[tuple[Any, ...]], plan_id: str) -> bool:
        return (
            conn.execute(
                "SELECT 1 FROM integrationsplan.heads WHERE plan_id = %s"
                " UNION ALL SELECT 1 FROM integrationsplan.revisions WHERE plan_id = %s LIMIT 1",
                (plan_id, plan_id),
            ).fetchone()
            is not None
        )

    def _configure(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        conn.execute("SELECT set_config('integrationsplan.municipality', %s, false)", (self.municipality or "",))
        if self.read_only:
            conn.execute("SET default_transaction_read_only = on")

    @contextmanager
    def _connect_once(self) -> Iterator[psycopg.Connection[tuple[Any, ...]]]:
        try:
            conn = psycopg.connect(self._conninfo, connect_timeout=10)
        except psycopg.Error as error:
            raise StorageError(
                f"cannot connect to store {self.name} (SQLSTATE {error.sqlstate or 'none'}): check the URL, "
                "that the server runs, and the role's password"
            ) from None
        try:
            yield conn
        except psycopg.Error as error:
            raise self._translate("open", error) from None
        finally:
            conn.close()

    def _check_schema(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        version = _schema_version(conn, self.name)
        if version > SCHEMA_VERSION:
            raise StorageError(
                f"store {self.name} has schema version {version}, newer than {SCHEMA_VERSION}: "
                "upgrade integrationsplan to use it"
            )
        if version < SCHEMA_VERSION:
            raise ConfigurationError(
                f"store {self.name} has schema version {version}; this release needs {SCHEMA_VERSION}: "
                "an administrator runs 'integrationsplan store migrate URL'"
            )

    def _check_municipality(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        if self.municipality is None:
            return
        reporting = conn.execute("SELECT pg_has_role('integrationsplan_reporting', 'USAGE')").fetchone()
        if reporting is not None and reporting[0]:
            return
        try:
            mapped = conn.execute(
                "SELECT 1 FROM integrationsplan.town_roles WHERE municipality_ags = %s", (self.municipality,)
            ).fetchone()
        except pg_errors.InsufficientPrivilege:
            mapped = None
        if mapped is None:
            raise AccessDeniedError(
                f"store {self.name}: the role is not mapped to municipality {self.municipality}; "
                "an administrator runs 'integrationsplan store grant'"
            )


def split_url(url: str) -> tuple[str, dict[str, str]]:
    """The libpq URL without the store's own options, and those options."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ConfigurationError(f"a PostgreSQL store URL starts with postgresql://, not {parts.scheme!r}")
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    options = {key: value for key, value in pairs if key in _STORE_OPTIONS}
    rest = [(key, value) for key, value in pairs if key not in _STORE_OPTIONS]
    return urlunsplit(("postgresql", parts.netloc, parts.path, urlencode(rest), "")), options


def _describe(conninfo: str) -> str:
    """Database and user, for messages (never the password or the whole URL)."""
    try:
        info = psycopg.conninfo.conninfo_to_dict(conninfo)
    except psycopg.Error:
        return "'postgresql'"
    return f"'postgresql {info.get('user', '?')}@{info.get('dbname', '?')}'"


def _schema_version(conn: psycopg.Connection[tuple[Any, ...]], name: str) -> int:
    try:
        row = conn.execute("SELECT value FROM integrationsplan.meta WHERE key = 'schema_version'").fetchone()
    except pg_errors.UndefinedTable:
        conn.rollback()
        raise ConfigurationError(
            f"store {name} has no integrationsplan schema: an administrator runs 'integrationsplan store setup URL'"
        ) from None
    except pg_errors.InsufficientPrivilege:
        conn.rollback()
        raise AccessDeniedError(
            f"store {name}: the role may not use the integrationsplan schema; "
            "an administrator runs 'integrationsplan store grant'"
        ) from None
    conn.rollback()
    if row is None or not str(row[0]).isdigit():
        raise StorageError(f"store {name}: the schema version is missing or corrupt")
    return int(row[0])


def _where(**filters: str | None) -> tuple[str, list[Any]]:
    clauses, values = [], []
    for column, value in filters.items():
        if value is not None:
            clauses.append(f"{column} = %s")
            values.append(value)
    return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), values


def _head(row: Sequence[Any]) -> StoredHead:
    document = row[8]
    return StoredHead(
        plan_id=row[0],
        number=row[1],
        recorded_at=row[2].astimezone(dt.UTC),
        hash=row[3],
        municipality_ags=row[4],
        status=row[5],
        manager_id=row[6],
        person_id=row[7],
        document=None if document is None else bytes(document),
    )


_APPOINTMENT_COLUMNS = (
    "id, version, municipality_ags, manager_id, room, plan_id, starts_at, ends_at, holds_time, document"
)


def _appointment_row(appointment: StoredAppointment) -> tuple[object, ...]:
    return (
        appointment.id,
        appointment.version,
        appointment.municipality_ags,
        appointment.manager_id,
        appointment.room,
        appointment.plan_id,
        appointment.start,
        appointment.end,
        appointment.holds_time,
        appointment.document,
    )


def _appointment(row: Sequence[Any]) -> StoredAppointment:
    return StoredAppointment(
        id=row[0],
        version=row[1],
        municipality_ags=row[2],
        manager_id=row[3],
        room=row[4],
        plan_id=row[5],
        start=row[6].astimezone(dt.UTC),
        end=row[7].astimezone(dt.UTC),
        holds_time=row[8],
        document=bytes(row[9]),
    )


def _check_consecutive(revisions: Sequence[StoredRevision]) -> None:
    for before, after in itertools.pairwise(revisions):
        if after.plan_id != before.plan_id or after.number != before.number + 1:
            raise ConcurrentRevisionError(after.plan_id, before.number, after.number - 1)


# -- administration ------------------------------------------------------------------------


def schema_sql() -> str:
    """The whole setup as one SQL script, for administrators who run SQL themselves."""
    return "BEGIN;\n" + ";\n\n".join(statement.strip() for statement in SCHEMA) + ";\nCOMMIT;\n"


def setup(admin_url: str) -> bool:
    """Create the roles, the schema, its tables, triggers, policies and functions.

    Run as a superuser (or a role that may create roles and is a member of
    ``integrationsplan_owner``). In one transaction: all or nothing. Returns ``False``
    (and changes nothing) when the schema exists already.
    """
    conninfo, _ = split_url(admin_url)
    name = _describe(conninfo)
    try:
        with psycopg.connect(conninfo, connect_timeout=10) as conn:
            exists = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'integrationsplan'").fetchone()
            if exists:
                return False
            for statement in SCHEMA:
                conn.execute(statement.encode())
    except psycopg.Error as error:
        raise StorageError(
            f"store {name}: setup failed ({error.diag.message_primary}, SQLSTATE {error.sqlstate}); nothing was created"
        ) from None
    _log.info("set up the integrationsplan schema in %s", name)
    return True


def grant(admin_url: str, role: str, municipalities: Sequence[str] = (), *, reporting: bool = False) -> None:
    """Let the existing ``role`` use the store for ``municipalities`` (or for reporting)."""
    for ags in municipalities:
        if len(ags) != _AGS_LENGTH or not ags.isdigit():
            raise ConfigurationError(f"municipality must be an 8-digit AGS, not {ags!r}")
    if not municipalities and not reporting:
        raise ConfigurationError("grant needs at least one municipality, or reporting")
    conninfo, _ = split_url(admin_url)
    name = _describe(conninfo)
    try:
        with psycopg.connect(conninfo, connect_timeout=10) as conn:
            for statement, parameters in grant_statements(role, list(municipalities), reporting=reporting):
                query = sql.SQL(statement).format(role=sql.Identifier(role))
                conn.execute(query, parameters)
    except psycopg.Error as error:
        raise StorageError(
            f"store {name}: grant to role {role!r} failed ({error.diag.message_primary}, SQLSTATE {error.sqlstate})"
        ) from None


def migrate(
    admin_url: str, migrations: Mapping[int, Sequence[str]] = MIGRATIONS, target: int = SCHEMA_VERSION
) -> tuple[int, int]:
    """Bring the schema up to ``target``; each step in its own transaction. Returns (from, to).

    A database from a newer release is refused, never touched. A step that fails is
    rolled back whole, and the version stays where the last completed step left it.
    """
    conninfo, _ = split_url(admin_url)
    name = _describe(conninfo)
    try:
        with psycopg.connect(conninfo, connect_timeout=10) as conn:
            start = _schema_version(conn, name)
            if start > target:
                raise StorageError(f"store {name} has schema version {start}, newer than {target}: not touched")
            for version in range(start, target):
                if version not in migrations:
                    raise StorageError(f"store {name}: no migration from schema version {version}")
                with conn.transaction():
                    conn.execute("SET LOCAL ROLE integrationsplan_owner")
                    for statement in migrations[version]:
                        conn.execute(statement.encode())
                    conn.execute(
                        "UPDATE integrationsplan.meta SET value = %s WHERE key = 'schema_version'", (str(version + 1),)
                    )
                _log.info("migrated %s from schema version %s to %s", name, version, version + 1)
    except psycopg.Error as error:
        raise StorageError(
            f"store {name}: migration failed ({error.diag.message_primary}, SQLSTATE {error.sqlstate}); "
            "the failed step was rolled back"
        ) from None
    return start, max(start, target)


def listen(url: str, *, timeout: float | None = None, stop_after: int | None = None) -> Iterator[AppendedRevision]:
    """Committed revisions of the store's municipalities, as they happen, from any process.

    Listens on ``integrationsplan_<AGS>`` for the URL's ``municipality``, or else for every
    municipality the role is mapped to. Yields until ``stop_after`` notifications
    arrived or no notification came for ``timeout`` seconds (forever by default).
    A notification carries only the municipality, the plan id and the number: read the
    revision itself through a store opened with the same role.
    """
    conninfo, options = split_url(url)
    name = _describe(conninfo)
    try:
        conn = psycopg.connect(conninfo, autocommit=True, connect_timeout=10)
    except psycopg.Error as error:
        raise StorageError(f"cannot connect to store {name} (SQLSTATE {error.sqlstate or 'none'})") from None
    try:
        if "municipality" in options:
            municipalities = [options["municipality"]]
        else:
            rows = conn.execute("SELECT DISTINCT municipality_ags FROM integrationsplan.town_roles").fetchall()
            municipalities = [row[0] for row in rows]
        for ags in municipalities:
            if len(ags) != _AGS_LENGTH or not ags.isdigit():
                raise ConfigurationError(f"municipality must be an 8-digit AGS, not {ags!r}")
            conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(f"integrationsplan_{ags}")))
        for notification in conn.notifies(timeout=timeout, stop_after=stop_after):
            data = json.loads(notification.payload)
            yield AppendedRevision(
                notification.channel.removeprefix("integrationsplan_"), data["plan_id"], data["number"]
            )
    except psycopg.Error as error:
        raise StorageError(f"store {name}: listening failed (SQLSTATE {error.sqlstate})") from None
    finally:
        conn.close()
