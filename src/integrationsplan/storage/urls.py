"""Opening a store by URL: ``memory://`` and ``sqlite:///path`` built in."""

from __future__ import annotations

from urllib.parse import urlsplit

from integrationsplan.errors import ConfigurationError
from integrationsplan.storage.contract import PlanStore
from integrationsplan.storage.memory import MemoryStore

__all__ = ["open_store"]

_SCHEMES = ("memory", "sqlite")


def open_store(url: str) -> PlanStore:
    """Open the store ``url`` names.

    ``memory://`` is a new, empty in-memory store. ``sqlite:///relative/file.db`` and
    ``sqlite:////absolute/file.db`` open (or create) an SQLite file. An unknown scheme
    raises :class:`~integrationsplan.errors.ConfigurationError` listing the known ones.
    """
    scheme = urlsplit(url).scheme if isinstance(url, str) and "://" in url else ""
    if scheme == "memory":
        return MemoryStore()
    if scheme == "sqlite":
        from integrationsplan.storage.sqlite import SQLiteStore  # noqa: PLC0415 - only when asked for

        return SQLiteStore.from_url(url)
    shown = scheme or (url if isinstance(url, str) and len(url) < 60 else type(url).__name__)
    raise ConfigurationError(f"no store for {shown!r}; known schemes: {', '.join(s + '://' for s in _SCHEMES)}")
