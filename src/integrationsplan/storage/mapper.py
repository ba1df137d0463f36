"""The one codec between plan values and what stores keep: documents, index columns, a cache.

Stores see bytes and index columns only. This mapper, in the core, turns a sealed
revision and the state after it into a [`StoredRevision`][integrationsplan.storage.StoredRevision]
and a [`StoredHead`][integrationsplan.storage.StoredHead], and turns a stored head back
into a [`PlanState`][integrationsplan.PlanState]. So every backend — memory, SQLite, a
town's own — gets the same format and the same speed, and a backend never holds a live
object that it could hand out, mutate or encode differently.

The mapper keeps the most recently used decoded heads (1,024 by default). A cached state
is used only when the store says the plan's head still has the cached hash: reading the
head asks the store for the document only when the hash differs, so a plan that is read
again, or revised right after it was read, is neither fetched nor decoded twice.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from integrationsplan.domain import PlanState, Revision
from integrationsplan.errors import StorageError, ValidationError
from integrationsplan.serialization import dumps, loads
from integrationsplan.storage.contract import PlanStore, StoredHead, StoredRevision

__all__ = ["PlanMapper"]

#: How many decoded heads a mapper keeps by default.
CACHED_HEADS = 1_024


class PlanMapper:
    """Encode revisions and heads for a store, decode heads from it, and cache decoded heads."""

    def __init__(self, cached_heads: int = CACHED_HEADS) -> None:
        self._cache: OrderedDict[str, tuple[str, PlanState]] = OrderedDict()
        self._size = cached_heads
        self._lock = threading.Lock()

    def revision(self, revision: Revision, document: bytes | None = None) -> StoredRevision:
        """What a store keeps of a sealed revision; ``document`` if the caller already encoded it."""
        return StoredRevision(
            revision.plan_id,
            revision.number,
            revision.recorded_at,
            revision.hash,
            document if document is not None else dumps(revision),
        )

    def head(self, revision: Revision, state: PlanState) -> StoredHead:
        """The head after ``revision``: its number, hash and instant, index columns, the state's document."""
        return StoredHead(
            plan_id=revision.plan_id,
            number=revision.number,
            recorded_at=revision.recorded_at,
            hash=revision.hash,
            municipality_ags=state.plan.municipality_ags,
            status=state.status.value,
            manager_id=state.plan.manager_id,
            document=dumps(state),
        )

    def remember(self, head: StoredHead, state: PlanState) -> None:
        """Keep ``state`` as the decoded head ``head`` (after it was written or read)."""
        with self._lock:
            self._cache[head.plan_id] = (head.hash, state)
            self._cache.move_to_end(head.plan_id)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)

    def forget(self, plan_id: str) -> None:
        """Drop a plan's cached head (after it was erased)."""
        with self._lock:
            self._cache.pop(plan_id, None)

    def read_head(self, store: PlanStore, plan_id: str) -> tuple[StoredHead, PlanState]:
        """The stored head of a plan and its state: from the cache if the store still has that hash.

        Raises [`UnknownPlanError`][integrationsplan.UnknownPlanError] for an unknown
        plan and [`StorageError`][integrationsplan.StorageError] naming the plan for a
        head document that cannot be read.
        """
        with self._lock:
            cached = self._cache.get(plan_id)
        head = store.head(plan_id, known_hash=None if cached is None else cached[0])
        if cached is not None and cached[0] == head.hash:
            with self._lock:
                if plan_id in self._cache:
                    self._cache.move_to_end(plan_id)
            return head, cached[1]
        if head.document is None:  # a store may leave out only what the caller knows
            raise StorageError(f"the store left out the head document of plan {plan_id!r} although it changed")
        try:
            state = loads(head.document, PlanState, trusted=True)
        except ValidationError as error:
            raise StorageError(
                f"the head of plan {plan_id!r} is corrupt ({len(error.errors)} bad field(s)); "
                "run 'integrationsplan plan verify'"
            ) from None
        self.remember(head, state)
        return head, state
