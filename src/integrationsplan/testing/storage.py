"""The storage conformance suite: what makes a plan store correct.

Two parts, both reusable by any backend — the built-in ones run them, and so can a
town's plugin:

* ``StoreContract``, pytest test classes: subclass it and provide the ``store``
  fixture (and, for a store that persists, ``reopen``).
* ``store_state_machine``, a Hypothesis ``RuleBasedStateMachine`` that runs random
  sequences of appends (valid and stale), reads, head reads, listings, erasures and
  reopenings on your store and on the in-memory reference, and checks after every step
  that they agree.
* ``appointment_state_machine`` does the same for a store with the appointment
  capability: random bookings, moves and cancellations, the same outcome (written, slot
  taken, stale version) as the reference, and never two appointments holding one
  manager or one room at a time. The appointment tests of ``StoreContract`` skip for a
  store without the capability.

Example (``tests/test_my_store.py``)::

    import pytest
    from integrationsplan.testing.storage import StoreContract, store_state_machine
    from my_town_store import MyStore

    class TestMyStore(StoreContract):
        @pytest.fixture
        def store(self, tmp_path):
            with MyStore(tmp_path / "plans") as store:
                yield store

    TestMyStoreMachine = store_state_machine(lambda: MyStore("/tmp/plans")).TestCase
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, precondition, rule

from integrationsplan.domain import PlanStatus
from integrationsplan.errors import (
    ConcurrentAppointmentError,
    ConcurrentRevisionError,
    SlotTakenError,
    UnknownAppointmentError,
    UnknownPlanError,
)
from integrationsplan.storage.contract import (
    AppointmentStore,
    BatchAppend,
    PlanStore,
    StoredAppointment,
    StoredHead,
    StoredRecord,
    StoredRevision,
)
from integrationsplan.storage.memory import MemoryStore

__all__ = [
    "StoreContract",
    "appointment_state_machine",
    "make_appointment",
    "make_head",
    "make_records",
    "make_revision",
    "store_state_machine",
]

_START = dt.datetime(2024, 1, 1, 8, tzinfo=dt.UTC)
_MUNICIPALITIES = ("08117019", "08111000")
_PERSONS = ("eis-p-0001", "eis-p-0002", "stg-p-0001")


def make_revision(plan_id: str, number: int, document: bytes = b"{}", *, minutes: int = 0) -> StoredRevision:
    """A stored revision with a made-up hash: stores treat documents as opaque bytes."""
    hash_ = f"{number:08x}{abs(hash((plan_id, document))) % 16**56:056x}"
    return StoredRevision(plan_id, number, _START + dt.timedelta(minutes=minutes), hash_, document)


def make_head(
    revision: StoredRevision,
    *,
    municipality_ags: str = "08117019",
    status: PlanStatus = PlanStatus.ACTIVE,
    manager_id: str | None = "eis-im-01",
    person_id: str = "eis-p-0001",
) -> StoredHead:
    """The head that goes with ``revision``; its document is opaque bytes naming the head."""
    document = f"head of {revision.plan_id} at {revision.number}: {status.value}, {manager_id}".encode()
    return StoredHead(
        plan_id=revision.plan_id,
        number=revision.number,
        recorded_at=revision.recorded_at,
        hash=revision.hash,
        municipality_ags=municipality_ags,
        status=status.value,
        manager_id=manager_id,
        person_id=person_id,
        document=document,
    )


_KINDS = ("contact", "goal_status", "eligibility_decision")


def make_records(revision: StoredRevision, count: int, municipality_ags: str = "08117019") -> list[StoredRecord]:
    """``count`` records added by ``revision``: opaque documents, days spread over a few weeks."""
    return [
        StoredRecord(
            revision.plan_id,
            revision.number,
            position,
            _KINDS[(revision.number + position) % len(_KINDS)],
            _START.date() + dt.timedelta(days=7 * revision.number + position),
            municipality_ags,
            f"record {position} of {revision.plan_id}@{revision.number}".encode(),
        )
        for position in range(count)
    ]


def make_appointment(
    appointment_id: str,
    *,
    version: int = 1,
    manager_id: str = "eis-im-01",
    room: str | None = None,
    plan_id: str | None = None,
    start_minutes: int = 0,
    length_minutes: int = 45,
    holds_time: bool = True,
    municipality_ags: str = "08117019",
) -> StoredAppointment:
    """A stored appointment ``start_minutes`` after 2024-01-01 08:00 UTC; its document names it."""
    start = _START + dt.timedelta(minutes=start_minutes)
    document = f"appointment {appointment_id} v{version}: {manager_id} {room} {holds_time}".encode()
    return StoredAppointment(
        appointment_id,
        version,
        municipality_ags,
        manager_id,
        room,
        plan_id,
        start,
        start + dt.timedelta(minutes=length_minutes),
        holds_time,
        document,
    )


def _appointments(store: PlanStore) -> AppointmentStore:
    if not isinstance(store, AppointmentStore):
        pytest.skip("the store holds no appointments")
    return store


def _append(
    store: PlanStore, plan_id: str, number: int, document: bytes = b"{}", *, records: int = 0, **head: Any
) -> StoredRevision:
    revision = make_revision(plan_id, number, document, minutes=number)
    ags = head.get("municipality_ags", "08117019")
    store.append(revision, make_head(revision, **head), make_records(revision, records, ags))
    return revision


class StoreContract:
    """The contract as pytest tests; subclass and provide the ``store`` fixture.

    Capability flags instead of backend names: set ``persistent = True`` and provide a
    ``reopen`` fixture (a function that closes the store and opens it again) to run the
    persistence tests too.
    """

    persistent: ClassVar[bool] = False

    @pytest.fixture
    def store(self) -> Iterator[PlanStore]:
        raise NotImplementedError("provide a 'store' fixture that yields the store under test")

    @pytest.fixture
    def reopen(self) -> Callable[[PlanStore], PlanStore]:
        raise NotImplementedError("a persistent store provides a 'reopen' fixture")

    def test_is_a_plan_store(self, store: PlanStore) -> None:
        assert isinstance(store, PlanStore)

    def test_append_and_read_back_exactly(self, store: PlanStore) -> None:
        first = _append(store, "p1", 1, b'{"a":1}')
        second = _append(store, "p1", 2, bytes(range(256)))
        assert store.read("p1") == [first, second]
        assert store.version("p1") == 2

    def test_a_new_plan_starts_at_revision_1(self, store: PlanStore) -> None:
        with pytest.raises(ConcurrentRevisionError) as raised:
            _append(store, "p1", 2)
        assert (raised.value.expected, raised.value.actual) == (1, 0)
        assert store.version("p1") == 0
        with pytest.raises(UnknownPlanError):
            store.head("p1")

    def test_a_stale_append_writes_nothing(self, store: PlanStore) -> None:
        _append(store, "p1", 1)
        _append(store, "p1", 2)
        head = store.head("p1")
        for number in (1, 2, 4):
            with pytest.raises(ConcurrentRevisionError):
                _append(store, "p1", number, b"late")
        assert store.version("p1") == 2
        assert store.head("p1") == head
        assert [r.document for r in store.read("p1")] == [b"{}", b"{}"]

    def test_a_batch_is_written_whole(self, store: PlanStore) -> None:
        if not isinstance(store, BatchAppend):
            pytest.skip("the store does not offer append_batch")
        _append(store, "p1", 1)
        first = [make_revision("p1", 2), make_revision("p1", 3)]
        second = [make_revision("p2", 1)]
        records = make_records(first[0], 2) + make_records(first[1], 1)
        store.append_batch(
            [(first, make_head(first[-1]), records), (second, make_head(second[0], manager_id="eis-im-02"), ())]
        )
        assert store.records("p1") == records
        assert [r.number for r in store.read("p1")] == [1, 2, 3]
        assert store.read("p2") == second
        assert store.head("p1").number == 3
        assert store.plans(manager_id="eis-im-02") == ["p2"]

    def test_a_batch_with_one_stale_entry_writes_nothing(self, store: PlanStore) -> None:
        if not isinstance(store, BatchAppend):
            pytest.skip("the store does not offer append_batch")
        _append(store, "p1", 1)
        fresh = [make_revision("p2", 1)]
        stale = [make_revision("p1", 1, b"again")]
        with pytest.raises(ConcurrentRevisionError):
            store.append_batch(
                [(fresh, make_head(fresh[0]), make_records(fresh[0], 2)), (stale, make_head(stale[0]), ())]
            )
        gap = [make_revision("p3", 1), make_revision("p3", 3)]
        with pytest.raises(ConcurrentRevisionError):
            store.append_batch([(gap, make_head(gap[-1]), make_records(gap[0], 1))])
        assert store.records() == []
        assert store.version("p2") == 0
        assert store.version("p3") == 0
        assert store.plans() == ["p1"]
        assert [r.document for r in store.read("p1")] == [b"{}"]

    def test_records_are_kept_beside_the_plans(self, store: PlanStore) -> None:
        first = _append(store, "p1", 1, records=2)
        second = _append(store, "p1", 2, records=1)
        other = _append(store, "p2", 1, records=3, municipality_ags="08111000")
        everything = make_records(first, 2) + make_records(second, 1) + make_records(other, 3, "08111000")
        assert store.records() == everything
        assert store.records("p1") == everything[:3]
        assert store.records(municipality_ags="08111000") == everything[3:]
        assert store.records(kind="goal_status") == [r for r in everything if r.kind == "goal_status"]
        day = everything[1].day
        assert store.records(first=day, last=day) == [r for r in everything if r.day == day]
        with pytest.raises(ConcurrentRevisionError):  # a stale append writes no records either
            store.append(make_revision("p1", 2, b"late"), make_head(second), make_records(second, 4))
        assert store.records("p1") == everything[:3]
        store.erase("p1")
        assert store.records() == everything[3:]

    def test_read_ranges(self, store: PlanStore) -> None:
        revisions = [_append(store, "p1", number) for number in range(1, 6)]
        assert store.read("p1", 2, 4) == revisions[1:4]
        assert store.read("p1", 4) == revisions[3:]
        assert store.read("p1", 1, 1) == revisions[:1]
        assert store.read("p1", 6) == []

    def test_head_is_what_the_last_append_wrote(self, store: PlanStore) -> None:
        _append(store, "p1", 1)
        last = _append(store, "p1", 2, status=PlanStatus.PAUSED, manager_id="eis-im-02")
        head = store.head("p1")
        assert (head.number, head.hash, head.recorded_at) == (2, last.hash, last.recorded_at)
        assert (head.status, head.manager_id) == ("paused", "eis-im-02")
        assert head.document == make_head(last, status=PlanStatus.PAUSED, manager_id="eis-im-02").document

    def test_a_known_head_may_come_without_its_document(self, store: PlanStore) -> None:
        last = _append(store, "p1", 1)
        full = store.head("p1")
        known = store.head("p1", known_hash=last.hash)
        assert known.document in (None, full.document)
        assert known.without_document() == full.without_document()
        assert store.head("p1", known_hash="0" * 64) == full  # another hash: the whole head

    def test_heads_stream_every_head(self, store: PlanStore) -> None:
        _append(store, "p2", 1, municipality_ags="08111000")
        _append(store, "p1", 1)
        _append(store, "p1", 2, manager_id="eis-im-02")
        assert list(store.heads()) == [store.head("p1"), store.head("p2")]
        assert list(store.heads(municipality_ags="08111000")) == [store.head("p2")]
        assert list(store.heads(municipality_ags="08115003")) == []

    def test_streams_list_the_plans_with_revisions(self, store: PlanStore) -> None:
        assert store.streams() == []
        _append(store, "p2", 1)
        _append(store, "p1", 1)
        assert store.streams() == ["p1", "p2"]
        store.erase("p2")
        assert store.streams() == ["p1"]

    def test_unknown_plan(self, store: PlanStore) -> None:
        assert store.version("nope") == 0
        with pytest.raises(UnknownPlanError):
            store.read("nope")
        with pytest.raises(UnknownPlanError):
            store.head("nope")
        with pytest.raises(UnknownPlanError):
            store.erase("nope")

    def test_plans_are_listed_and_filtered(self, store: PlanStore) -> None:
        _append(store, "b", 1, municipality_ags=_MUNICIPALITIES[0])
        _append(store, "a", 1, municipality_ags=_MUNICIPALITIES[1], manager_id=None)
        _append(store, "c", 1, municipality_ags=_MUNICIPALITIES[0], status=PlanStatus.CLOSED, manager_id="x")
        assert store.plans() == ["a", "b", "c"]
        assert store.plans(municipality_ags=_MUNICIPALITIES[0]) == ["b", "c"]
        assert store.plans(status="closed") == ["c"]
        assert store.plans(manager_id="eis-im-01") == ["b"]
        assert store.plans(municipality_ags=_MUNICIPALITIES[0], status="active", manager_id="eis-im-01") == ["b"]

    def test_plans_of_one_person_are_found_by_the_person_index(self, store: PlanStore) -> None:
        _append(store, "first", 1, person_id="eis-p-0007")
        _append(store, "other", 1, person_id="eis-p-0008")
        _append(store, "second", 1, municipality_ags=_MUNICIPALITIES[1], person_id="eis-p-0007")
        _append(store, "second", 2, municipality_ags=_MUNICIPALITIES[1], person_id="eis-p-0007")
        assert store.plans(person_id="eis-p-0007") == ["first", "second"]
        assert store.plans(person_id="eis-p-0007", municipality_ags=_MUNICIPALITIES[1]) == ["second"]
        assert store.plans(person_id="eis-p-0009") == []
        assert store.head("second").person_id == "eis-p-0007"
        store.erase("first")
        assert store.plans(person_id="eis-p-0007") == ["second"]

    def test_erase_removes_everything_of_one_plan(self, store: PlanStore) -> None:
        for number in (1, 2, 3):
            _append(store, "gone", number)
        kept = _append(store, "kept", 1)
        assert store.erase("gone") == 3
        assert store.version("gone") == 0
        assert store.plans() == ["kept"]
        assert store.read("kept") == [kept]
        with pytest.raises(UnknownPlanError):
            store.read("gone")
        _append(store, "gone", 1)  # the id can be used again
        assert store.version("gone") == 1

    def test_appointments_are_kept_and_listed(self, store: PlanStore) -> None:
        appointments = _appointments(store)
        late = make_appointment("t-late", start_minutes=120, room="1.04", plan_id="p1")
        early = make_appointment("t-early", start_minutes=0, manager_id="eis-im-02")
        other_town = make_appointment("t-stg", start_minutes=60, municipality_ags=_MUNICIPALITIES[1])
        for appointment in (late, early, other_town):
            appointments.add_appointment(appointment)
        assert appointments.appointment("t-late") == late
        assert appointments.appointments() == [early, other_town, late]
        assert appointments.appointments(municipality_ags=_MUNICIPALITIES[0]) == [early, late]
        assert appointments.appointments(manager_id="eis-im-02") == [early]
        assert appointments.appointments(room="1.04") == [late]
        assert appointments.appointments(plan_id="p1") == [late]
        window_start = _START + dt.timedelta(minutes=45)  # early ends exactly here: not in the window
        assert appointments.appointments(start=window_start, end=_START + dt.timedelta(minutes=120)) == [other_town]
        with pytest.raises(UnknownAppointmentError):
            appointments.appointment("t-none")

    def test_a_manager_is_never_booked_twice_at_one_time(self, store: PlanStore) -> None:
        appointments = _appointments(store)
        first = make_appointment("t-1", start_minutes=60)
        appointments.add_appointment(first)
        with pytest.raises(SlotTakenError) as taken:
            appointments.add_appointment(make_appointment("t-2", start_minutes=90))
        assert (taken.value.holder, taken.value.other_id) == ("manager", "t-1")
        appointments.add_appointment(make_appointment("t-3", start_minutes=105))  # back to back
        appointments.add_appointment(make_appointment("t-4", start_minutes=15))  # ends as t-1 begins
        appointments.add_appointment(make_appointment("t-5", start_minutes=60, manager_id="eis-im-02"))
        assert [a.id for a in appointments.appointments()] == ["t-4", "t-1", "t-5", "t-3"]
        with pytest.raises(UnknownAppointmentError):
            appointments.appointment("t-2")  # nothing of the refused one was written

    def test_a_room_is_never_booked_twice_at_one_time(self, store: PlanStore) -> None:
        appointments = _appointments(store)
        appointments.add_appointment(make_appointment("t-1", room="1.04"))
        with pytest.raises(SlotTakenError) as taken:
            appointments.add_appointment(make_appointment("t-2", room="1.04", manager_id="eis-im-02"))
        assert taken.value.holder == "room"
        appointments.add_appointment(make_appointment("t-3", room="1.05", manager_id="eis-im-02"))
        other_town = make_appointment("t-4", room="1.04", manager_id="x", municipality_ags=_MUNICIPALITIES[1])
        appointments.add_appointment(other_town)  # a room of another town's office

    def test_a_cancelled_appointment_frees_its_time(self, store: PlanStore) -> None:
        appointments = _appointments(store)
        appointments.add_appointment(make_appointment("t-1", room="1.04"))
        cancelled = make_appointment("t-1", version=2, room="1.04", holds_time=False)
        appointments.change_appointment(cancelled)
        appointments.add_appointment(make_appointment("t-2", room="1.04"))
        assert [a.id for a in appointments.appointments()] == ["t-2"]
        assert [a.id for a in appointments.appointments(cancelled=True)] == ["t-1", "t-2"]
        with pytest.raises(SlotTakenError):  # taking the time back is a booking like any other
            appointments.change_appointment(make_appointment("t-1", version=3, room="1.04"))
        assert appointments.appointment("t-1") == cancelled

    def test_appointment_changes_follow_their_versions(self, store: PlanStore) -> None:
        appointments = _appointments(store)
        appointments.add_appointment(make_appointment("t-1"))
        with pytest.raises(ConcurrentAppointmentError) as stale:
            appointments.change_appointment(make_appointment("t-1", version=3, start_minutes=30))
        assert (stale.value.expected, stale.value.held) == (2, 1)
        with pytest.raises(ConcurrentAppointmentError):
            appointments.add_appointment(make_appointment("t-1", start_minutes=600))
        with pytest.raises(UnknownAppointmentError):
            appointments.change_appointment(make_appointment("t-none", version=2))
        moved = make_appointment("t-1", version=2, start_minutes=30)
        appointments.change_appointment(moved)  # overlapping its own old time is fine
        assert appointments.appointment("t-1") == moved

    def test_an_erased_appointment_is_gone(self, store: PlanStore) -> None:
        appointments = _appointments(store)
        appointments.add_appointment(make_appointment("t-1", plan_id="p1"))
        appointments.erase_appointment("t-1")
        assert appointments.appointments(cancelled=True) == []
        with pytest.raises(UnknownAppointmentError):
            appointments.erase_appointment("t-1")
        appointments.add_appointment(make_appointment("t-2"))  # the time is free again

    def test_is_a_context_manager(self, store: PlanStore) -> None:
        with store as entered:
            assert entered is store

    def test_reopening_keeps_everything(self, store: PlanStore, request: pytest.FixtureRequest) -> None:
        if not self.persistent:
            pytest.skip("the store does not persist")
        reopen: Callable[[PlanStore], PlanStore] = request.getfixturevalue("reopen")
        revisions = [_append(store, "p1", number, bytes([number])) for number in (1, 2)]
        head = store.head("p1")
        with reopen(store) as again:  # the reopened store is closed here, the fixture's by the fixture
            assert again.read("p1") == revisions
            assert again.head("p1") == head
            _append(again, "p1", 3)
            assert again.version("p1") == 3


def store_state_machine(
    make_store: Callable[[], PlanStore], reopen: Callable[[PlanStore], PlanStore] | None = None
) -> type[RuleBasedStateMachine]:
    """A state machine that checks a store against the in-memory reference.

    ``make_store`` makes a new, empty store for each run; ``reopen`` (for stores that
    persist) closes one and opens the same data again. Use ``.TestCase`` of the result
    as a test class.
    """

    class StoreAgreesWithReference(RuleBasedStateMachine):
        plans = Bundle("plans")

        def __init__(self) -> None:
            super().__init__()
            self.store = make_store()
            self.model = MemoryStore()

        def teardown(self) -> None:
            self.store.close()

        @rule(target=plans, plan_id=st.sampled_from(["p1", "p2", "p3", "plan:4"]))
        def name_plan(self, plan_id: str) -> str:
            return plan_id

        @rule(
            plan_id=plans,
            document=st.binary(max_size=64),
            municipality=st.sampled_from(_MUNICIPALITIES),
            status=st.sampled_from(list(PlanStatus)),
            manager=st.sampled_from(["eis-im-01", "eis-im-02", None]),
            person=st.sampled_from(_PERSONS),
            records=st.integers(0, 3),
        )
        def append(
            self,
            *,
            plan_id: str,
            document: bytes,
            municipality: str,
            status: PlanStatus,
            manager: str | None,
            person: str,
            records: int,
        ) -> None:
            number = self.model.version(plan_id) + 1
            revision = make_revision(plan_id, number, document, minutes=number)
            head = make_head(
                revision, municipality_ags=municipality, status=status, manager_id=manager, person_id=person
            )
            added = make_records(revision, records, municipality)
            self.store.append(revision, head, added)
            self.model.append(revision, head, added)

        @rule(plan_id=plans, offset=st.integers(-3, 3).filter(lambda n: n != 1))
        def stale_append(self, plan_id: str, offset: int) -> None:
            number = self.model.version(plan_id) + offset
            if number < 1:
                return
            revision = make_revision(plan_id, number, b"stale")
            with pytest.raises(ConcurrentRevisionError):
                self.store.append(revision, make_head(revision))

        @precondition(lambda self: isinstance(self.store, BatchAppend))
        @rule(
            entries=st.lists(
                st.tuples(st.sampled_from(["p1", "p2", "p3", "plan:4"]), st.integers(1, 3), st.integers(-1, 1)),
                max_size=4,
            ),
            manager=st.sampled_from(["eis-im-01", "eis-im-02", None]),
        )
        def append_batch(self, entries: list[tuple[str, int, int]], manager: str | None) -> None:
            """Several plans at once; one entry with a gap or an overlap spoils the whole batch."""
            assert isinstance(self.store, BatchAppend)
            batch = []
            next_number = {plan_id: self.model.version(plan_id) + 1 for plan_id, _, _ in entries}
            valid = True
            for plan_id, count, shift in entries:
                first = max(1, next_number[plan_id] + shift)
                valid = valid and first == next_number[plan_id]
                revisions = [make_revision(plan_id, n, b"batch", minutes=n) for n in range(first, first + count)]
                records = [record for revision in revisions for record in make_records(revision, 1)]
                batch.append((revisions, make_head(revisions[-1], manager_id=manager), records))
                next_number[plan_id] = first + count
            if not valid:
                with pytest.raises(ConcurrentRevisionError):
                    self.store.append_batch(batch)
                return
            self.store.append_batch(batch)
            for revisions, head, _ in batch:  # the reference: the same as appending one by one
                for revision in revisions:
                    last = revision is revisions[-1]
                    self.model.append(revision, head if last else make_head(revision), make_records(revision, 1))

        @rule(plan_id=plans, start=st.integers(0, 6), length=st.none() | st.integers(0, 6))
        def read_range(self, plan_id: str, start: int, length: int | None) -> None:
            stop = None if length is None else start + length
            if self.model.version(plan_id) == 0:
                with pytest.raises(UnknownPlanError):
                    self.store.read(plan_id, start, stop)
                return
            assert self.store.read(plan_id, start, stop) == self.model.read(plan_id, start, stop)

        @precondition(lambda self: bool(self.model.plans()))
        @rule(data=st.data())
        def erase(self, data: st.DataObject) -> None:
            plan_id = data.draw(st.sampled_from(self.model.plans()))
            assert self.store.erase(plan_id) == self.model.erase(plan_id)

        @precondition(lambda self: reopen is not None)
        @rule()
        def reopen_store(self) -> None:
            assert reopen is not None
            self.store = reopen(self.store)

        @invariant()
        def heads_versions_and_listings_agree(self) -> None:
            assert self.store.plans() == self.model.plans()
            assert self.store.streams() == self.model.streams()
            assert self.store.records() == self.model.records()
            for municipality in _MUNICIPALITIES:
                assert self.store.records(municipality_ags=municipality) == self.model.records(
                    municipality_ags=municipality
                )
            assert list(self.store.heads()) == list(self.model.heads())
            for plan_id in self.model.plans():
                assert self.store.version(plan_id) == self.model.version(plan_id)
                assert self.store.head(plan_id) == self.model.head(plan_id)
            for person in _PERSONS:
                assert self.store.plans(person_id=person) == self.model.plans(person_id=person)
            for municipality in _MUNICIPALITIES:
                for status in PlanStatus:
                    expected = self.model.plans(municipality_ags=municipality, status=status.value)
                    assert self.store.plans(municipality_ags=municipality, status=status.value) == expected

    return StoreAgreesWithReference


def appointment_state_machine(
    make_store: Callable[[], PlanStore], reopen: Callable[[PlanStore], PlanStore] | None = None
) -> type[RuleBasedStateMachine]:
    """A state machine that books, moves and cancels appointments on a store and on the reference.

    Every write must end the same way on both (written, ``SlotTakenError``,
    ``ConcurrentAppointmentError``), the listings must agree, and no two appointments that
    hold time may ever share a manager or a room at an overlapping time.
    """

    ids = st.sampled_from(["t-1", "t-2", "t-3", "t-4", "t-5"])
    times = st.integers(0, 16).map(lambda quarter: quarter * 15)
    lengths = st.sampled_from([15, 30, 45, 60])
    managers = st.sampled_from(["eis-im-01", "eis-im-02"])
    rooms = st.sampled_from([None, "1.04", "1.05"])

    class AppointmentsAgreeWithReference(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.store = make_store()
            self.model = MemoryStore()

        def teardown(self) -> None:
            self.store.close()

        def _same_outcome(self, write: Callable[[AppointmentStore], None]) -> None:
            store = self.store
            assert isinstance(store, AppointmentStore)
            expected: type[Exception] | None = None
            try:
                write(self.model)
            except (SlotTakenError, ConcurrentAppointmentError, UnknownAppointmentError) as refused:
                expected = type(refused)
            if expected is None:
                write(store)
            else:
                with pytest.raises(expected):
                    write(store)

        @rule(
            appointment_id=ids,
            manager=managers,
            room=rooms,
            start=times,
            length=lengths,
            municipality=st.sampled_from(_MUNICIPALITIES),
        )
        def book(
            self, *, appointment_id: str, manager: str, room: str | None, start: int, length: int, municipality: str
        ) -> None:
            appointment = make_appointment(
                appointment_id,
                manager_id=manager,
                room=room,
                start_minutes=start,
                length_minutes=length,
                municipality_ags=municipality,
            )
            self._same_outcome(lambda store: store.add_appointment(appointment))

        @rule(
            appointment_id=ids, shift=st.integers(-1, 1), start=times, length=lengths, holds=st.booleans(), room=rooms
        )
        def change(
            self, *, appointment_id: str, shift: int, start: int, length: int, holds: bool, room: str | None
        ) -> None:
            try:
                held = self.model.appointment(appointment_id)
            except UnknownAppointmentError:
                return
            changed = make_appointment(
                appointment_id,
                version=max(1, held.version + 1 + shift),
                manager_id=held.manager_id,
                room=room,
                start_minutes=start,
                length_minutes=length,
                holds_time=holds,
                municipality_ags=held.municipality_ags,
            )
            self._same_outcome(lambda store: store.change_appointment(changed))

        @precondition(lambda self: reopen is not None)
        @rule()
        def reopen_store(self) -> None:
            assert reopen is not None
            self.store = reopen(self.store)

        @invariant()
        def listings_agree_and_nothing_overlaps(self) -> None:
            store = self.store
            assert isinstance(store, AppointmentStore)
            assert store.appointments(cancelled=True) == self.model.appointments(cancelled=True)
            holding = store.appointments()
            for index, first in enumerate(holding):
                for second in holding[index + 1 :]:
                    assert first.overlaps(second) is None, (first.id, second.id)

    return AppointmentsAgreeWithReference
