"""Storage: where plan histories live, behind one contract.

Open a store by URL with [`App.open_store`][integrationsplan.App.open_store]
(``memory://``, ``sqlite:///path/to/file.db`` or a plugin's scheme). Every store keeps
the contract of [`integrationsplan.storage.contract`][integrationsplan.storage.contract].
"""

from integrationsplan.storage.contract import (
    AccessEntry,
    AccessLog,
    AppendedRevision,
    AppointmentStore,
    BatchAppend,
    PlanStore,
    StoredAppointment,
    StoredHead,
    StoredRecord,
    StoredRevision,
    appointment_matches,
)
from integrationsplan.storage.memory import MemoryStore
from integrationsplan.storage.sqlite import SQLiteStore

__all__ = [
    "AccessEntry",
    "AccessLog",
    "AppendedRevision",
    "AppointmentStore",
    "BatchAppend",
    "MemoryStore",
    "PlanStore",
    "SQLiteStore",
    "StoredAppointment",
    "StoredHead",
    "StoredRecord",
    "StoredRevision",
    "appointment_matches",
]
