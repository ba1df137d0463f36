"""Counselling appointments (Beratungstermine), booked by phone besides the office hours.

An appointment belongs to a municipality and a manager, and — once there is one — to a
person's plan (a first call often comes before the plan). It has a start and an end
(UTC instants, shown in the office's time zone), a place, whether an interpreter is
needed, who booked it, when and how, and a status that moves only along its lifecycle:

```text
requested ──> booked ──> confirmed ──> completed
    │            │            │
    │            ├────────────┴──────> missed
    └────────────┴────────────┴──────> cancelled (by whom, why)
```

Every status but ``cancelled`` holds its time: a manager and a room have at most one
such appointment at a time (the stores enforce it). Completed, missed and cancelled are
final. Notes are personal data: hidden from ``repr`` and errors like every note.

Working hours and absences are what the free slots are found in: a manager's
[`WorkingHours`][integrationsplan.WorkingHours] come through a hook, with a default.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from integrationsplan.domain._validators import (
    PERSONAL,
    ags,
    boolean,
    calendar_date,
    fail,
    identifier,
    instance_of,
    integer,
    language_code,
    member_of,
    not_before,
    optional,
    redacted_repr,
    text,
    tuple_of,
    utc_instant,
)
from integrationsplan.domain.office_hours import Timetable, Weekday, WeeklySlot

__all__ = [
    "DEFAULT_WORKING_HOURS",
    "Absence",
    "Appointment",
    "AppointmentStatus",
    "BookingChannel",
    "Cancellation",
    "CancelledBy",
    "Place",
    "PlaceKind",
    "WorkingHours",
    "transition_allowed",
]

#: The longest appointment: a home visit with an interpreter can take a morning, no more.
MAX_APPOINTMENT = dt.timedelta(hours=8)


class AppointmentStatus(enum.Enum):
    """Where an appointment stands in its lifecycle (see the module documentation)."""

    REQUESTED = "requested"
    BOOKED = "booked"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    MISSED = "missed"
    CANCELLED = "cancelled"

    @property
    def holds_time(self) -> bool:
        """Whether the appointment occupies its manager and room (all but cancelled)."""
        return self is not AppointmentStatus.CANCELLED

    @property
    def final(self) -> bool:
        return self in _FINAL


_FINAL = frozenset({AppointmentStatus.COMPLETED, AppointmentStatus.MISSED, AppointmentStatus.CANCELLED})

_NEXT: dict[AppointmentStatus, frozenset[AppointmentStatus]] = {
    AppointmentStatus.REQUESTED: frozenset({AppointmentStatus.BOOKED, AppointmentStatus.CANCELLED}),
    AppointmentStatus.BOOKED: frozenset(
        {
            AppointmentStatus.CONFIRMED,
            AppointmentStatus.COMPLETED,
            AppointmentStatus.MISSED,
            AppointmentStatus.CANCELLED,
        }
    ),
    AppointmentStatus.CONFIRMED: frozenset(
        {AppointmentStatus.COMPLETED, AppointmentStatus.MISSED, AppointmentStatus.CANCELLED}
    ),
}


def transition_allowed(before: AppointmentStatus, after: AppointmentStatus) -> bool:
    """Whether the lifecycle allows moving from ``before`` to ``after`` (final ones never move)."""
    return after in _NEXT.get(before, frozenset())


class PlaceKind(enum.Enum):
    """Where the counselling takes place."""

    ROOM = "room"
    PHONE = "phone"
    VIDEO = "video"
    HOME_VISIT = "home_visit"


def _room_for_rooms(instance: Place, attribute: attrs.Attribute[Any], value: str | None) -> None:
    if instance.kind is PlaceKind.ROOM and value is None:
        fail(instance, attribute, "an appointment in the office names its room")
    if instance.kind is not PlaceKind.ROOM and value is not None:
        fail(instance, attribute, f"a {instance.kind.value} appointment has no room")


@attrs.frozen
class Place:
    """A room of the office (``Place.in_room("1.04")``), or by phone, by video, a home visit.

    A home visit's address is the person's and is not kept here (it is in their plan).
    """

    kind: PlaceKind = attrs.field(validator=member_of(PlaceKind))
    room: str | None = attrs.field(default=None, validator=[optional(text(20)), _room_for_rooms])

    @classmethod
    def in_room(cls, room: str) -> Place:
        return cls(PlaceKind.ROOM, room)


class BookingChannel(enum.Enum):
    """How the appointment was arranged."""

    PHONE = "phone"
    IN_PERSON = "in_person"
    EMAIL = "email"
    REFERRAL = "referral"
    ONLINE = "online"


class CancelledBy(enum.Enum):
    """Who called the appointment off."""

    PERSON = "person"
    MANAGER = "manager"
    OFFICE = "office"


@attrs.frozen
class Cancellation:
    """Who cancelled, the reason (a short text for the file), who recorded it and when."""

    by: CancelledBy = attrs.field(validator=member_of(CancelledBy))
    reason: str = attrs.field(validator=text(300), metadata=PERSONAL, repr=redacted_repr)
    recorded_by: str = attrs.field(validator=identifier)
    recorded_at: dt.datetime = attrs.field(validator=utc_instant)


def _after_start(instance: Appointment, attribute: attrs.Attribute[Any], value: dt.datetime) -> None:
    start = instance.start
    if isinstance(value, dt.datetime) and isinstance(start, dt.datetime) and value.tzinfo and start.tzinfo:
        if value <= start:
            fail(instance, attribute, "the end is not after the start")
        if value - start > MAX_APPOINTMENT:
            fail(instance, attribute, f"an appointment lasts at most {MAX_APPOINTMENT.seconds // 3600} hours")


def _cancellation_matches(instance: Appointment, attribute: attrs.Attribute[Any], value: Cancellation | None) -> None:
    if value is not None and not isinstance(value, Cancellation):
        fail(instance, attribute, f"expected a Cancellation, got {type(value).__name__}")
    cancelled = instance.status is AppointmentStatus.CANCELLED
    if cancelled and value is None:
        fail(instance, attribute, "a cancelled appointment says who cancelled it and why")
    if not cancelled and value is not None:
        fail(instance, attribute, f"a {instance.status.value} appointment has no cancellation")


def _contact_when_completed(instance: Appointment, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and instance.status is not AppointmentStatus.COMPLETED:
        fail(instance, attribute, "only a completed appointment links to a recorded contact")
    if value is not None and instance.plan_id is None:
        fail(instance, attribute, "a recorded contact belongs to a plan: the appointment has none")


@attrs.frozen
class Appointment:
    """One counselling appointment; see the module documentation.

    ``version`` counts its changes (1 when booked): a change names the version it was
    based on, like a plan revision, and a moved version refuses it. ``contact_revision``
    is the plan revision that recorded the counselling contact when it was completed.
    """

    id: str = attrs.field(validator=identifier)
    municipality_ags: str = attrs.field(validator=ags)
    manager_id: str = attrs.field(validator=identifier)
    start: dt.datetime = attrs.field(validator=utc_instant)
    end: dt.datetime = attrs.field(validator=[utc_instant, _after_start])
    place: Place = attrs.field(validator=instance_of(Place))
    status: AppointmentStatus = attrs.field(validator=member_of(AppointmentStatus))
    booked_by: str = attrs.field(validator=identifier)
    booked_at: dt.datetime = attrs.field(validator=utc_instant)
    channel: BookingChannel = attrs.field(validator=member_of(BookingChannel))
    version: int = attrs.field(default=1, validator=integer(1, 1_000_000))
    plan_id: str | None = attrs.field(default=None, validator=optional(identifier))
    interpreter_language: str | None = attrs.field(default=None, validator=optional(language_code))
    cancellation: Cancellation | None = attrs.field(default=None, validator=_cancellation_matches)
    contact_revision: int | None = attrs.field(
        default=None, validator=[optional(integer(1, 10_000_000)), _contact_when_completed]
    )
    note: str | None = attrs.field(
        default=None, validator=optional(text(2_000, multiline=True)), metadata=PERSONAL, repr=redacted_repr
    )

    @property
    def room(self) -> str | None:
        return self.place.room

    @property
    def duration(self) -> dt.timedelta:
        return self.end - self.start

    def overlaps(self, start: dt.datetime, end: dt.datetime) -> bool:
        """Whether the appointment's time meets ``[start, end)`` (back-to-back does not)."""
        return self.start < end and start < self.end


@attrs.frozen
class Absence:
    """A manager is away from ``start`` to ``end`` (inclusive days): leave, training, illness."""

    start: dt.date = attrs.field(validator=calendar_date)
    end: dt.date = attrs.field(validator=[calendar_date, not_before("start")])


def _weekdays(*days: Weekday, start: dt.time, end: dt.time) -> tuple[WeeklySlot, ...]:
    return tuple(WeeklySlot(day, start, end) for day in days)


@attrs.frozen
class WorkingHours:
    """When a manager can take appointments: weekly timetables, absences, and the walk-ins.

    The timetables' slots are working time (their ``rooms`` and ``access`` are not used).
    Walk-in office hours are kept free for people who come without an appointment,
    unless ``office_hours_bookable`` says the town lets appointments be booked into them.
    """

    timetables: tuple[Timetable, ...] = attrs.field(validator=tuple_of(Timetable, "Timetable"))
    absences: tuple[Absence, ...] = attrs.field(default=(), validator=tuple_of(Absence, "Absence"))
    office_hours_bookable: bool = attrs.field(default=False, validator=boolean)

    def timetable_on(self, day: dt.date) -> Timetable | None:
        for table in self.timetables:
            if table.valid_on(day):
                return table
        return None

    def absent_on(self, day: dt.date) -> bool:
        return any(absence.start <= day <= absence.end for absence in self.absences)


#: The default when a town's plugin says nothing: Monday to Thursday 8:00-16:00, Friday
#: 8:00-12:00 — a common core time in German town halls, not a rule.
DEFAULT_WORKING_HOURS = WorkingHours(
    timetables=(
        Timetable(
            valid_from=dt.date(1900, 1, 1),
            slots=(
                *_weekdays(
                    Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY,
                    start=dt.time(8), end=dt.time(16),
                ),
                WeeklySlot(Weekday.FRIDAY, dt.time(8), dt.time(12)),
            ),
        ),
    )
)  # fmt: skip
