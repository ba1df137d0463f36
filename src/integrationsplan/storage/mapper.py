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
from collections.abc import Iterable, Sequence
from typing import Any

import orjson

from integrationsplan.domain import (
    CounsellingContact,
    EligibilityRecord,
    GoalStatusRecord,
    PlanRecord,
    PlanState,
    RecordKind,
    Revision,
    record_day,
    record_kind,
    records_of,
    replay,
)
from integrationsplan.errors import IntegrityError, StorageError, ValidationError
from integrationsplan.serialization import DOCUMENT_TYPES, SCHEMA_VERSION, canonical_json, dumps, loads
from integrationsplan.serialization._incremental import unstructure_state
from integrationsplan.storage.contract import PlanStore, StoredHead, StoredRecord, StoredRevision

__all__ = ["PlanMapper", "derive"]

_STATE_TYPE = DOCUMENT_TYPES[PlanState]
#: How many encoded heads wait to be remembered at most (one per append in flight).
_ENCODED = 64


class _Cached:
    """A decoded head in the cache: its hash, the state, and its JSON-ready form once needed."""

    __slots__ = ("_data", "document", "hash", "state")

    def __init__(self, hash_: str, state: PlanState, data: Any, document: bytes | None) -> None:
        self.hash = hash_
        self.state = state
        self._data = data
        self.document = document

    def data(self) -> Any:
        """The state's JSON-ready form: kept from encoding it, or parsed from the document once."""
        if self._data is None and self.document is not None:
            self._data = orjson.loads(self.document)["data"]
        return self._data


_RECORD_TYPES: dict[str, type[PlanRecord]] = {
    RecordKind.CONTACT.value: CounsellingContact,
    RecordKind.GOAL_STATUS.value: GoalStatusRecord,
    RecordKind.ELIGIBILITY_DECISION.value: EligibilityRecord,
}

#: How many decoded heads a mapper keeps by default.
CACHED_HEADS = 1_024


class PlanMapper:
    """Encode revisions and heads for a store, decode heads from it, and cache decoded heads."""

    def __init__(self, cached_heads: int = CACHED_HEADS) -> None:
        self._cache: OrderedDict[str, _Cached] = OrderedDict()
        # head hash -> JSON-ready state, from encoding a head until it is remembered
        self._encoded: dict[str, Any] = {}
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
        """The head after ``revision``: its number, hash and instant, index columns, the state's document.

        When the cache holds the head ``revision`` follows, only what changed is encoded
        anew (see ``serialization._incremental``); the bytes are the same either way.
        """
        with self._lock:
            cached = self._cache.get(revision.plan_id)
        previous, previous_data = None, None
        if cached is not None and cached.hash == revision.previous_hash:
            previous, previous_data = cached.state, cached.data()
        data = unstructure_state(state, previous, previous_data)
        with self._lock:
            self._encoded[revision.hash] = data
            while len(self._encoded) > _ENCODED:  # heads encoded but never written (a refused append)
                del self._encoded[next(iter(self._encoded))]
        return StoredHead(
            plan_id=revision.plan_id,
            number=revision.number,
            recorded_at=revision.recorded_at,
            hash=revision.hash,
            municipality_ags=state.plan.municipality_ags,
            status=state.status.value,
            manager_id=state.plan.manager_id,
            person_id=state.plan.person.id,
            document=canonical_json({"data": data, "schema_version": SCHEMA_VERSION, "type": _STATE_TYPE}),
        )

    def records(self, revision: Revision, state: PlanState) -> tuple[StoredRecord, ...]:
        """The records ``revision`` adds, indexed under the municipality the plan then belongs to."""
        ags = state.plan.municipality_ags
        return tuple(
            StoredRecord(
                revision.plan_id,
                revision.number,
                position,
                record_kind(record).value,
                record_day(record),
                ags,
                dumps(record),
            )
            for position, record in enumerate(records_of(revision))
        )

    def record(self, stored: StoredRecord) -> PlanRecord:
        """A stored record read back; StorageError naming the plan and revision if it cannot be."""
        kind = _RECORD_TYPES.get(stored.kind)
        where = f"record {stored.position} of revision {stored.number} of plan {stored.plan_id!r}"
        if kind is None:
            raise StorageError(f"{where} has an unknown kind; run 'integrationsplan plan verify'")
        try:
            return loads(stored.document, kind, trusted=True)
        except ValidationError:
            raise StorageError(f"{where} is corrupt; run 'integrationsplan plan verify'") from None

    def remember(self, head: StoredHead, state: PlanState) -> None:
        """Keep ``state`` as the decoded head ``head`` (after it was written or read)."""
        with self._lock:
            data = self._encoded.pop(head.hash, None)
            self._cache[head.plan_id] = _Cached(head.hash, state, data, head.document)
            self._cache.move_to_end(head.plan_id)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)

    def clear(self) -> None:
        """Drop every cached head (the next reads decode from the store, as a new process would)."""
        with self._lock:
            self._cache.clear()

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
        head = store.head(plan_id, known_hash=None if cached is None else cached.hash)
        if cached is not None and cached.hash == head.hash:
            with self._lock:
                if plan_id in self._cache:
                    self._cache.move_to_end(plan_id)
            return head, cached.state
        state = self.decode(head)
        self.remember(head, state)
        return head, state

    def decode(self, head: StoredHead) -> PlanState:
        """The state a stored head holds (not cached: for scans over many plans)."""
        if head.document is None:  # a store may leave out only what the caller knows
            raise StorageError(f"the store left out the head document of plan {head.plan_id!r} although it changed")
        try:
            return loads(head.document, PlanState, trusted=True)
        except ValidationError as error:
            raise StorageError(
                f"the head of plan {head.plan_id!r} is corrupt ({len(error.errors)} bad field(s)); "
                "run 'integrationsplan plan verify'"
            ) from None


def derive(plan_id: str, documents: Iterable[bytes]) -> tuple[StoredHead, list[StoredRecord]]:
    """The head and the records of a plan, derived again from its revision documents.

    For schema migrations and repairs: raises IntegrityError if the revisions do not
    replay (nothing is derived from a broken history).
    """
    mapper = PlanMapper(cached_heads=0)
    revisions: Sequence[Revision] = [loads(document, Revision) for document in documents]
    records: list[StoredRecord] = []
    state: PlanState | None = None
    for revision in revisions:
        state = replay([revision], state)
        assert state is not None  # noqa: S101 - a revision always gives a state
        records.extend(mapper.records(revision, state))
    if state is None:
        raise IntegrityError(plan_id, 1, "no revisions to derive a head from")
    return mapper.head(revisions[-1], state), records
