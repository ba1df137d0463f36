"""Storage: where plan histories live.

:func:`open_store` opens a store by URL: ``memory://`` or ``sqlite:///path/to/file.db``.
Every store keeps the contract of :mod:`integrationsplan.storage.contract`.
"""

from integrationsplan.storage.contract import BatchAppend, PlanStore, StoredHead, StoredRevision
from integrationsplan.storage.memory import MemoryStore
from integrationsplan.storage.urls import open_store

__all__ = ["BatchAppend", "MemoryStore", "PlanStore", "StoredHead", "StoredRevision", "open_store"]
