"""The in-memory plan store: revision documents and the head state, per plan.

It keeps what every store keeps — the stream of revision documents as opaque bytes,
and beside it the latest revision and state, so that reading the current state never
replays the history — and appends atomically with an expected version. It is the
reference the storage issue's backends will be tested against.
"""

from __future__ import annotations

import threading

import attrs

from integrationsplan.domain import PlanState, Revision
from integrationsplan.errors import ConcurrentRevisionError, UnknownPlanError

__all__ = ["Head", "MemoryStore"]


@attrs.frozen
class Head:
    """The latest revision of a plan and the state after it."""

    revision: Revision
    state: PlanState


class MemoryStore:
    """A thread-safe store in memory; everything is gone when the process ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: dict[str, list[bytes]] = {}
        self._heads: dict[str, Head] = {}

    def append(self, plan_id: str, expected_version: int, document: bytes, head: Head) -> None:
        """Append one revision document if the plan is still at ``expected_version``.

        Raises :class:`~integrationsplan.errors.ConcurrentRevisionError` and writes
        nothing if another writer got there first.
        """
        with self._lock:
            stream = self._streams.setdefault(plan_id, [])
            if len(stream) != expected_version:
                if not stream:
                    del self._streams[plan_id]
                raise ConcurrentRevisionError(plan_id, expected_version, len(stream))
            stream.append(document)
            self._heads[plan_id] = head

    def read(self, plan_id: str, start: int = 1, stop: int | None = None) -> list[bytes]:
        """Documents of revisions ``start`` to ``stop`` (inclusive; ``None``: the last)."""
        with self._lock:
            stream = self._streams.get(plan_id)
            if stream is None:
                raise UnknownPlanError(plan_id)
            return stream[start - 1 : stop]

    def head(self, plan_id: str) -> Head:
        """The latest revision and state, without reading the history."""
        with self._lock:
            head = self._heads.get(plan_id)
        if head is None:
            raise UnknownPlanError(plan_id)
        return head

    def version(self, plan_id: str) -> int:
        """The number of revisions of a plan; 0 if it does not exist."""
        with self._lock:
            return len(self._streams.get(plan_id, ()))

    def plan_ids(self) -> list[str]:
        """Ids of all plans, sorted."""
        with self._lock:
            return sorted(self._streams)
