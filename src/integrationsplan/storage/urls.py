"""The built-in store URLs: ``memory://``, ``sqlite:///path`` and ``postgresql://…`` (internal).

Applications open stores with [`App.open_store`][integrationsplan.App.open_store], which
asks the plugins, so a town's own scheme works the same way as the built-in ones; the
built-in plugin answers for these two schemes through this module.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from integrationsplan.errors import ConfigurationError
from integrationsplan.storage.contract import PlanStore
from integrationsplan.storage.memory import MemoryStore
from integrationsplan.storage.sqlite import SQLiteStore

__all__ = ["BUILTIN_SCHEMES", "open_builtin_store"]

BUILTIN_SCHEMES = ("memory", "sqlite", "postgresql", "postgres")


def open_builtin_store(url: str, *, read_only: bool = False) -> PlanStore:
    """Open ``memory://`` (a new, empty store), ``sqlite:///file.db`` / ``sqlite:////abs/file.db``,
    or ``postgresql://user@host/db?municipality=AGS`` (needs the ``postgres`` extra)."""
    scheme = urlsplit(url).scheme
    if scheme == "memory":
        return MemoryStore()
    if scheme == "sqlite":
        return SQLiteStore.from_url(url, read_only=read_only)
    if scheme in ("postgresql", "postgres"):
        from integrationsplan.storage.postgres import PostgresStore  # noqa: PLC0415 - an optional extra

        return PostgresStore.from_url(url, read_only=read_only)
    raise ConfigurationError(f"{scheme!r} is not a built-in store scheme")
