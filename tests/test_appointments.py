"""Appointments: the lifecycle, free slots as properties, no double booking under concurrency, the service and CLI."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import integrationsplan as ip
from integrationsplan.cli import main
from integrationsplan.domain import DEFAULT_WORKING_HOURS, transition_allowed
from integrationsplan.rules import free_slots, holidays_between, occurrences
from integrationsplan.services import ManualClock
from integrationsplan.testing import strategies as ips
from integrationsplan.testing.examples import EISLINGEN_OFFICE_HOURS, example_plan
from integrationsplan.testing.postgres import PostgresDatabase
from integrationsplan.testing.storage import make_appointment

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
AGS = "08117019"
NOW = dt.datetime(2026, 11, 26, 9, tzinfo=dt.UTC)
S = ip.AppointmentStatus


# -- the domain ----------------------------------------------------------------------------------


def test_the_lifecycle_moves_forward_only() -> None:
    allowed = {(a, b) for a in S for b in S if transition_allowed(a, b)}
    assert allowed == {
        (S.REQUESTED, S.BOOKED),
        (S.REQUESTED, S.CANCELLED),
        (S.BOOKED, S.CONFIRMED),
        (S.BOOKED, S.COMPLETED),
        (S.BOOKED, S.MISSED),
        (S.BOOKED, S.CANCELLED),
        (S.CONFIRMED, S.COMPLETED),
        (S.CONFIRMED, S.MISSED),
        (S.CONFIRMED, S.CANCELLED),
    }
    assert {s for s in S if s.final} == {S.COMPLETED, S.MISSED, S.CANCELLED}
    assert {s for s in S if not s.holds_time} == {S.CANCELLED}


@given(ips.appointments())
def test_every_appointment_reads_back_and_hides_its_note(appointment: ip.Appointment) -> None:
    assert ip.loads(ip.dumps(appointment), ip.Appointment) == appointment
    note, reason = "Frau Haddad +49 171 5550123", "Herr Haddad ist krank"
    marked = attrs.evolve(appointment, note=note)
    if marked.cancellation is not None:
        marked = attrs.evolve(marked, cancellation=attrs.evolve(marked.cancellation, reason=reason))
    for shown in (repr(marked), str(marked)):
        assert "Haddad" not in shown


def _valid(**changes: object) -> ip.Appointment:
    start = dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)
    fields: dict[str, object] = {
        "id": "t-1",
        "municipality_ags": AGS,
        "manager_id": "eis-im-01",
        "start": start,
        "end": start + dt.timedelta(minutes=45),
        "place": ip.Place.in_room("1.04"),
        "status": S.BOOKED,
        "booked_by": "eis-im-01",
        "booked_at": NOW,
        "channel": ip.BookingChannel.PHONE,
    }
    return ip.Appointment(**(fields | changes))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"end": dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)}, "end"),
        ({"end": dt.datetime(2026, 12, 1, 17, tzinfo=dt.UTC)}, "end"),
        ({"status": S.CANCELLED}, "cancellation"),
        ({"contact_revision": 3}, "contact_revision"),
        ({"start": dt.datetime(2026, 12, 1, 9)}, "start"),  # noqa: DTZ001 - naive on purpose
        ({"interpreter_language": "Arabisch"}, "interpreter_language"),
    ],
)
def test_a_bad_appointment_is_refused_naming_the_field(changes: dict[str, object], path: str) -> None:
    with pytest.raises(ip.ValidationError) as refused:
        _valid(**changes)
    assert path in str(refused.value)
    assert "Arabisch" not in str(refused.value)


def test_a_place_has_a_room_exactly_when_it_is_in_the_office() -> None:
    with pytest.raises(ip.ValidationError):
        ip.Place(ip.PlaceKind.ROOM)
    with pytest.raises(ip.ValidationError):
        ip.Place(ip.PlaceKind.PHONE, "1.04")


# -- free slots, as properties -------------------------------------------------------------------

_DAYS = ips.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 1)) | st.sampled_from(
    [dt.date(2026, 3, 26), dt.date(2026, 10, 22), dt.date(2025, 12, 22)]  # across DST changes, Christmas
)


@st.composite
def _taken(draw: st.DrawFn, first: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    taken = []
    for _ in range(draw(st.integers(0, 12))):
        day = first + dt.timedelta(days=draw(st.integers(0, 13)))
        minute = draw(st.integers(7 * 12, 18 * 12)) * 5
        start = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=BERLIN)
        taken.append((start, start + dt.timedelta(minutes=draw(st.integers(1, 24)) * 5)))
    return taken


@settings(max_examples=min(60, settings().max_examples), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    hours=ips.working_hours(),
    first=_DAYS,
    data=st.data(),
    length=st.sampled_from([15, 30, 45, 60, 90]),
    buffer=st.sampled_from([0, 5, 10, 15]),
)
def test_found_slots_are_free_within_working_hours_and_never_on_a_closed_day(
    hours: ip.WorkingHours, first: dt.date, data: st.DataObject, length: int, buffer: int
) -> None:
    office = attrs.evolve(
        EISLINGEN_OFFICE_HOURS,
        closures=(ip.OfficeClosure(first + dt.timedelta(days=3), first + dt.timedelta(days=4)),),
    )
    taken = data.draw(_taken(first))
    last = first + dt.timedelta(days=13)
    gap = dt.timedelta(minutes=buffer)
    slots = free_slots(hours, office, taken, first=first, last=last, length=dt.timedelta(minutes=length), buffer=gap)
    closed = holidays_between(office, first, last) | {first + dt.timedelta(days=3), first + dt.timedelta(days=4)}
    begin = dt.datetime.combine(first, dt.time(0), tzinfo=BERLIN)
    walk_ins = [
        o
        for o in occurrences(office, begin, begin + dt.timedelta(days=15))
        if o.access is ip.Access.WALK_IN and not hours.office_hours_bookable
    ]
    for index, slot in enumerate(slots):
        assert slot.length == dt.timedelta(minutes=length)
        local = slot.start.astimezone(BERLIN)
        day = local.date()
        assert first <= day <= last
        assert day not in closed
        assert not hours.absent_on(day)
        assert local.minute % 15 == 0  # on the quarter-hour grid, in wall-clock time
        table = hours.timetable_on(day)
        assert table is not None
        assert any(
            s.weekday == day.weekday()
            and dt.datetime.combine(day, s.start, tzinfo=BERLIN) <= slot.start
            and slot.end <= dt.datetime.combine(day, s.end, tzinfo=BERLIN)
            for s in table.slots
        )
        for start, end in taken:
            assert slot.end + gap <= start or end + gap <= slot.start
        for walk_in in walk_ins:
            assert slot.end <= walk_in.start or walk_in.end <= slot.start
        if index:
            assert slots[index - 1].end + gap <= slot.start  # apart from each other too


@settings(max_examples=min(30, settings().max_examples), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(first=_DAYS, data=st.data(), length=st.sampled_from([30, 45, 60]))
def test_booking_every_found_slot_succeeds(first: dt.date, data: st.DataObject, length: int) -> None:
    store = ip.MemoryStore()
    for number, (start, end) in enumerate(data.draw(_taken(first))):
        try:
            store.add_appointment(attrs.evolve(make_appointment(f"x{number}"), start=start, end=end))
        except ip.SlotTakenError:
            continue  # drawn overlapping each other: the store keeps one
    taken = [(a.start, a.end) for a in store.appointments()]
    slots = free_slots(
        DEFAULT_WORKING_HOURS,
        EISLINGEN_OFFICE_HOURS,
        taken,
        first=first,
        last=first + dt.timedelta(days=13),
        length=dt.timedelta(minutes=length),
    )
    for number, slot in enumerate(slots):
        booked = attrs.evolve(
            make_appointment(f"s{number}"), start=slot.start.astimezone(dt.UTC), end=slot.end.astimezone(dt.UTC)
        )
        store.add_appointment(booked)


def test_slots_keep_their_wall_clock_time_across_daylight_saving() -> None:
    before, after = dt.date(2026, 3, 27), dt.date(2026, 3, 30)  # Friday before, Monday after the change
    slots = free_slots(
        DEFAULT_WORKING_HOURS, EISLINGEN_OFFICE_HOURS, [], first=before, last=after, length=dt.timedelta(hours=1)
    )
    firsts = {s.start.date(): s.start for s in slots if s.start.hour == 8}
    assert firsts[before].utcoffset() == dt.timedelta(hours=1)
    assert firsts[after].utcoffset() == dt.timedelta(hours=2)
    assert [s.start.astimezone(BERLIN).hour for s in slots if s.start.date() == after] == list(range(8, 16))


def test_walk_in_hours_stay_free_unless_the_town_makes_them_bookable() -> None:
    tuesday = dt.date(2026, 12, 1)  # Eislingen: walk-in office hours Tuesday 10-12

    def hours_of(*, bookable: bool) -> set[int]:
        working = attrs.evolve(DEFAULT_WORKING_HOURS, office_hours_bookable=bookable)
        slots = free_slots(
            working, EISLINGEN_OFFICE_HOURS, [], first=tuesday, last=tuesday, length=dt.timedelta(hours=1)
        )
        return {s.start.hour for s in slots}

    assert hours_of(bookable=False) == {8, 9, 12, 13, 14, 15}
    assert hours_of(bookable=True) == set(range(8, 16))


def test_a_bad_search_is_refused_naming_the_field() -> None:
    with pytest.raises(ip.ValidationError, match=r"\$\.length"):
        free_slots(
            DEFAULT_WORKING_HOURS,
            EISLINGEN_OFFICE_HOURS,
            [],
            first=dt.date(2026, 1, 1),
            last=dt.date(2026, 1, 2),
            length=dt.timedelta(0),
        )
    with pytest.raises(ip.ValidationError, match=r"\$\.last"):
        free_slots(
            DEFAULT_WORKING_HOURS,
            EISLINGEN_OFFICE_HOURS,
            [],
            first=dt.date(2026, 1, 2),
            last=dt.date(2026, 1, 1),
            length=dt.timedelta(hours=1),
        )


# -- four processes, one slot --------------------------------------------------------------------


def _book_once(url: str, number: int, start: dt.datetime, barrier: multiprocessing.synchronize.Barrier) -> str:
    with ip.App(store=url, autoload=False) as app:
        store = app.store
        assert isinstance(store, ip.storage.AppointmentStore)
        appointment = attrs.evolve(
            make_appointment(f"race-{number}", room="1.04", manager_id=f"m-{number}"),
            start=start,
            end=start + dt.timedelta(minutes=45),
        )
        barrier.wait()
        try:
            store.add_appointment(appointment)
        except ip.SlotTakenError:
            return "taken"
        return "won"


def _race(url: str) -> list[str]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Manager().Barrier(4)
    start = dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)
    with context.Pool(4) as pool:
        results = [pool.apply_async(_book_once, (url, number, start, barrier)) for number in range(4)]
        return sorted(result.get(timeout=60) for result in results)


def test_four_processes_booking_one_room_at_one_time_yield_one_winner(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/plans.db"
    with ip.App(store=url, autoload=False) as app:
        app.store.plans()  # create the file before the race
    assert _race(url) == ["taken", "taken", "taken", "won"]
    with ip.App(store=url, autoload=False) as app:
        assert len(app.appointments.store.appointments()) == 1


def test_four_processes_on_postgresql_yield_one_winner(postgres: PostgresDatabase) -> None:
    postgres.reset()
    url = postgres.url("towns_both")
    assert _race(url) == ["taken", "taken", "taken", "won"]


# -- the service ---------------------------------------------------------------------------------


class _Eislingen:
    """A directory with Eislingen's office hours and a manager away over New Year."""

    def find_municipality(self, ags: str) -> ip.Municipality | None:
        return None

    def staff(self, municipality_ags: str | None = None) -> tuple[ip.IntegrationManager, ...]:
        return ()

    def eligibility_rules(self, municipality_ags: str) -> ip.RuleSet:
        return ip.rules.DEFAULT_RULE_SET

    def support_policy(self, municipality_ags: str) -> ip.SupportPolicy:
        return ip.TWO_YEAR

    def office_hours(self, municipality_ags: str) -> ip.OfficeHours:
        return EISLINGEN_OFFICE_HOURS

    def working_hours(self, municipality_ags: str, manager_id: str) -> ip.WorkingHours:
        return attrs.evolve(DEFAULT_WORKING_HOURS, absences=(ip.Absence(dt.date(2026, 12, 28), dt.date(2027, 1, 8)),))


@pytest.fixture
def service(store_url: str) -> Iterator[ip.AppointmentService]:
    clock = ManualClock(NOW)
    with ip.App(store=store_url, clock=clock, autoload=False) as app:
        plan = example_plan()
        day = dt.date(2026, 11, 2)
        create = ip.CreatePlan(plan.person, AGS, day, day, "eis-im-01")
        app.plans.create_plan("ip-1", create, author="eis-im-01", effective_on=day, reason="Erstgespräch")
        yield ip.AppointmentService(app.plans, _Eislingen())


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=BERLIN)


def _book(service: ip.AppointmentService, appointment_id: str = "t-1", **changes: object) -> ip.Appointment:
    fields: dict[str, object] = {
        "municipality_ags": AGS,
        "manager_id": "eis-im-01",
        "start": _at(1, 9),
        "end": _at(1, 9, 45),
        "place": ip.Place.in_room("1.04"),
        "booked_by": "eis-im-01",
        "plan_id": "ip-1",
        "interpreter_language": "ara",
        "note": "Frau H. bringt Zeugnisse mit",
    }
    return service.book(appointment_id, **(fields | changes))  # type: ignore[arg-type]


def test_booking_takes_the_slot_and_a_second_booking_is_refused(service: ip.AppointmentService) -> None:
    before = service.free(AGS, "eis-im-01", first=dt.date(2026, 12, 1), last=dt.date(2026, 12, 1))
    booked = _book(service)
    assert (booked.status, booked.version, booked.booked_at) == (S.BOOKED, 1, NOW)
    assert booked.start == dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC)
    after = service.free(AGS, "eis-im-01", first=dt.date(2026, 12, 1), last=dt.date(2026, 12, 1))
    assert [s for s in before if s not in after] == [s for s in before if booked.overlaps(s.start, s.end)]
    with pytest.raises(ip.SlotTakenError, match="manager"):
        _book(service, "t-2", place=ip.Place(ip.PlaceKind.PHONE))
    with pytest.raises(ip.SlotTakenError, match="room"):
        _book(service, "t-3", manager_id="eis-im-02")
    assert service.get("t-1") == booked
    holidays = service.free(AGS, "eis-im-01", first=dt.date(2026, 12, 28), last=dt.date(2027, 1, 8))
    assert holidays == []  # away


def test_a_plan_of_another_town_or_none_is_refused(service: ip.AppointmentService) -> None:
    with pytest.raises(ip.UnknownPlanError):
        _book(service, plan_id="ip-none")
    with pytest.raises(ip.UnknownPlanError):
        _book(service, municipality_ags="08111000")


def test_changes_follow_versions_and_the_lifecycle(service: ip.AppointmentService) -> None:
    _book(service)
    moved = service.move("t-1", base=1, start=_at(2, 13), end=_at(2, 13, 45))
    assert (moved.version, moved.start.astimezone(BERLIN).hour) == (2, 13)
    with pytest.raises(ip.ConcurrentAppointmentError):
        service.confirm("t-1", base=1)
    confirmed = service.confirm("t-1", base=2)
    with pytest.raises(ip.AppointmentStateError):
        service.accept("t-1", base=3)
    cancelled = service.cancel(
        "t-1", base=confirmed.version, by=ip.CancelledBy.PERSON, reason="krank", actor="eis-im-01"
    )
    assert cancelled.cancellation is not None
    assert cancelled.cancellation.recorded_by == "eis-im-01"
    with pytest.raises(ip.AppointmentStateError, match="cancelled: it cannot be moved"):
        service.move("t-1", base=4, start=_at(3, 9), end=_at(3, 10))
    _book(service, "t-2", start=_at(2, 13), end=_at(2, 13, 45))  # the time is free again


def test_completing_records_the_contact_in_the_plan_linked_both_ways(service: ip.AppointmentService) -> None:
    _book(service)
    completed = service.complete("t-1", base=1, author="eis-im-01", topics=(ip.GoalArea.HOUSING,))
    assert completed.status is S.COMPLETED
    plans = service.plans
    revision = plans.history("ip-1")[-1]
    assert completed.contact_revision == revision.number
    [change] = revision.changes
    assert isinstance(change, ip.RecordAppointmentContact)
    assert change.appointment_id == "t-1"
    assert (change.contact.at, change.contact.duration_minutes, change.contact.mode) == (
        completed.start,
        45,
        ip.ContactMode.OFFICE_HOURS,
    )
    assert change.contact.interpreter_used  # an interpreter was booked
    assert plans.state("ip-1").contact_count == 1
    assert [record for _, record in plans.records("ip-1", kind=ip.RecordKind.CONTACT)] == [change.contact]
    assert plans.verify("ip-1") == 2


def test_completing_again_after_a_lost_race_links_the_contact_recorded_first(service: ip.AppointmentService) -> None:
    _book(service)
    original = service.store.change_appointment

    def lose_the_race(_: object) -> None:
        raise ip.ConcurrentAppointmentError("t-1", 1, 2)

    service.store.change_appointment = lose_the_race  # type: ignore[method-assign,assignment]
    with pytest.raises(ip.ConcurrentAppointmentError):
        service.complete("t-1", base=1, author="eis-im-01", topics=(ip.GoalArea.HOUSING,))
    service.store.change_appointment = original  # type: ignore[method-assign]
    completed = service.complete("t-1", base=1, author="eis-im-01", topics=(ip.GoalArea.HOUSING,))
    assert service.plans.state("ip-1").contact_count == 1  # recorded once
    assert completed.contact_revision == 2


def test_a_missed_appointment_is_on_the_work_list_until_a_new_one_is_booked(store_url: str) -> None:
    with ip.App(store=store_url, clock=ManualClock(NOW), autoload=False) as app:
        _missed_and_followed_up(app)


def _missed_and_followed_up(app: ip.App) -> None:
    plan = example_plan()
    day = dt.date(2026, 11, 2)
    create = ip.CreatePlan(plan.person, AGS, day, day, "eis-im-01")
    app.plans.create_plan("ip-1", create, author="eis-im-01", effective_on=day, reason="Erstgespräch")
    service = app.appointments
    _book(service, start=_at(1, 9), end=_at(1, 9, 45))
    service.missed("t-1", base=1)
    items = app.caseloads().work_list("eis-im-01", dt.date(2026, 12, 2))
    [item] = [i for i in items if i.subject == "appointment"]
    assert (item.kind, item.ref, item.plan_id, item.due_on) == (
        ip.rules.WorkKind.OVERDUE,
        "t-1",
        "ip-1",
        dt.date(2026, 12, 1),
    )
    assert "versäumt" in item.text_de
    _book(service, "t-2", start=_at(8, 9), end=_at(8, 9, 45))
    items = app.caseloads().work_list("eis-im-01", dt.date(2026, 12, 2))
    assert [i for i in items if i.subject == "appointment"] == []


def test_tomorrows_list_and_the_calendar_hold_no_personal_data(service: ip.AppointmentService) -> None:
    _book(service)
    _book(service, "t-2", start=_at(1, 13), end=_at(1, 13, 30), place=ip.Place(ip.PlaceKind.PHONE), plan_id=None)
    assert [a.id for a in service.tomorrow(AGS, today=dt.date(2026, 11, 30))] == ["t-1", "t-2"]
    assert service.tomorrow(AGS, today=dt.date(2026, 12, 1)) == []
    feed = service.icalendar(AGS, manager_id="eis-im-01", first=dt.date(2026, 12, 1), last=dt.date(2026, 12, 7))
    text = feed.decode()
    assert text.count("SUMMARY:Beratungstermin") == 2
    assert "Raum 1.04" in text
    assert "telefonisch" in text
    assert "Plan: ip-1" in text
    person = example_plan().person
    for secret in ("Zeugnisse", person.name.latin_family_name, person.phone):
        assert secret is not None
        assert secret not in text
    without = service.icalendar(
        AGS, room="1.04", first=dt.date(2026, 12, 1), last=dt.date(2026, 12, 7), with_plan_id=False
    )
    assert b"ip-1" not in without
    assert without.count(b"BEGIN:VEVENT") == 1


def test_erasing_a_plan_erases_its_appointments(service: ip.AppointmentService) -> None:
    _book(service)
    _book(service, "t-2", start=_at(2, 9), end=_at(2, 9, 45), plan_id=None)
    service.plans.erase("ip-1", actor="eis-dsb")
    assert [a.id for a in service.find(first=dt.date(2026, 12, 1), last=dt.date(2026, 12, 31), cancelled=True)] == [
        "t-2"
    ]


# -- the command line ----------------------------------------------------------------------------


def test_the_command_line_books_refuses_and_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = f"sqlite:///{tmp_path}/plans.db"
    with ip.App(store=store, autoload=False) as app:
        app.store.plans()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--store", store, "--today", "2026-11-30", *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    code, out, _ = run("appointments", "free", "--municipality", AGS, "--manager", "eis-im-01", "--days", "1", "--json")
    assert code == 0
    assert json.loads(out)[0]["start"] == "2026-11-30T08:00:00+01:00"
    book = [
        "appointments",
        "book",
        "t-1",
        "--municipality",
        AGS,
        "--manager",
        "eis-im-01",
        "--start",
        "2026-12-01T09:00",
    ]
    code, out, _ = run(*book, "--room", "1.04", "--author", "eis-im-01", "--json")
    assert code == 0
    assert json.loads(out)["start"] == "2026-12-01T08:00:00Z"
    code, _, err = run(*book, "--phone", "--author", "eis-im-01")
    assert code == 1
    assert "exists already" in err
    book[2] = "t-2"
    code, _, err = run(*book, "--phone", "--author", "eis-im-01")
    assert code == 1  # refused: the slot is taken
    assert "another appointment" in err
    code, out, _ = run("appointments", "list", "--municipality", AGS, "--tomorrow")
    assert out.startswith("t-1  01.12.2026 09:00-09:45  eis-im-01  Raum / room 1.04  vereinbart")
    code, _, err = run(
        "appointments", "cancel", "t-1", "--base", "2", "--by", "person", "--reason", "x", "--author", "a"
    )
    assert code == 1
    assert "version 1" in err
    code, out, _ = run("appointments", "missed", "t-1", "--base", "1", "--json")
    assert json.loads(out)["status"] == "missed"
    code, out, _ = run("appointments", "ical", "--municipality", AGS, "--manager", "eis-im-01")
    assert "BEGIN:VCALENDAR" in out
    code, _, err = run("appointments", "book", "t-9", "--municipality", AGS, "--manager", "eis-im-01",
                       "--start", "2026-12-01T09:00", "--author", "a")  # fmt: skip
    assert code == 2  # a place is required
