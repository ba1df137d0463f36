"""Administering stores: set up, grant, migrate, listen — by URL, whatever the backend.

The command line's ``integrationsplan store ...`` commands call these. Only the
PostgreSQL store needs a setup and grants (its roles and row-level security); SQLite
migrates a file when it is opened, which ``migrate_store`` does on purpose and reports.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from urllib.parse import urlsplit

from integrationsplan.errors import ConfigurationError
from integrationsplan.storage.contract import AppendedRevision
from integrationsplan.storage.sqlite import SCHEMA_VERSION as SQLITE_SCHEMA_VERSION
from integrationsplan.storage.sqlite import SQLiteStore

__all__ = ["AppendedRevision", "grant_store", "listen_store", "migrate_store", "setup_sql", "setup_store"]

_POSTGRES = ("postgresql", "postgres")


def _postgres(url: str, action: str) -> None:
    scheme = urlsplit(url).scheme
    if scheme not in _POSTGRES:
        raise ConfigurationError(f"{action} is for postgresql:// stores; {scheme or 'this'}:// needs none")


def setup_sql() -> str:
    """The PostgreSQL setup as one SQL script (roles, schema, tables, triggers, policies)."""
    from integrationsplan.storage import postgres  # noqa: PLC0415 - an optional extra

    return postgres.schema_sql()


def setup_store(admin_url: str) -> bool:
    """Set up a PostgreSQL database for plans; ``False`` if it was set up already."""
    _postgres(admin_url, "setup")
    from integrationsplan.storage import postgres  # noqa: PLC0415

    return postgres.setup(admin_url)


def grant_store(admin_url: str, role: str, municipalities: Sequence[str] = (), *, reporting: bool = False) -> None:
    """Map an existing PostgreSQL role to municipalities (AGS), or make it a reporting role."""
    _postgres(admin_url, "grant")
    from integrationsplan.storage import postgres  # noqa: PLC0415

    postgres.grant(admin_url, role, municipalities, reporting=reporting)


def migrate_store(url: str) -> tuple[int, int]:
    """Bring a store's schema up to this release's; returns (version before, version after).

    PostgreSQL: run with an administrator's URL. SQLite: the file is migrated in place,
    in one transaction. A store from a newer release is refused, never changed.
    """
    scheme = urlsplit(url).scheme
    if scheme in _POSTGRES:
        from integrationsplan.storage import postgres  # noqa: PLC0415

        return postgres.migrate(url)
    if scheme == "sqlite":
        with SQLiteStore.from_url(url, read_only=True) as store:
            return store.opened_at_version, SQLITE_SCHEMA_VERSION
    raise ConfigurationError(f"{scheme or 'this'}:// stores have no schema to migrate")


def listen_store(
    url: str, *, timeout: float | None = None, stop_after: int | None = None
) -> Iterator[AppendedRevision]:
    """Committed revisions as other processes append them (PostgreSQL: LISTEN/NOTIFY).

    Ids and numbers only; see [`integrationsplan.storage.postgres.listen`][integrationsplan.storage.postgres.listen].
    """
    _postgres(url, "listen")
    from integrationsplan.storage import postgres  # noqa: PLC0415

    return postgres.listen(url, timeout=timeout, stop_after=stop_after)
