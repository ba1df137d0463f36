"""Storage: where plan histories live.

For now the in-memory store; the storage issue adds the store contract, SQLite and a
conformance suite.
"""

from integrationsplan.storage.memory import Head, MemoryStore

__all__ = ["Head", "MemoryStore"]
