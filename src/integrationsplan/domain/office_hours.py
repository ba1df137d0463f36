"""Office hours (Sprechstunden) of a municipality's integration management.

Weekly slots at a location, valid from a date on (a timetable changes from a date on),
minus closures and the public holidays of the municipality's state. Times are wall-clock
times in the municipality's time zone (Europe/Berlin by default), so a slot stays at
10:00 across daylight-saving changes.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import re
import zoneinfo
from typing import Any

import attrs

from integrationsplan.domain._validators import (
    ags,
    boolean,
    calendar_date,
    fail,
    instance_of,
    member_of,
    not_before,
    optional,
    phone,
    show,
    text,
    tuple_of,
)

__all__ = [
    "Access",
    "Location",
    "OfficeClosure",
    "OfficeClosureKind",
    "OfficeHours",
    "Timetable",
    "Weekday",
    "WeeklySlot",
]

_POSTCODE = re.compile(r"\d{5}")


class Weekday(enum.IntEnum):
    """Days of the week, Monday = 0 as in ``date.weekday``."""

    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6

    @property
    def osm(self) -> str:
        """The OpenStreetMap ``opening_hours`` abbreviation (``Tu``)."""
        return ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")[self]

    @property
    def ical(self) -> str:
        """The iCalendar ``BYDAY`` code (``TU``)."""
        return self.osm.upper()

    @property
    def schema_org(self) -> str:
        """The schema.org ``DayOfWeek`` URL."""
        return "https://schema.org/" + self.name.capitalize()


class Access(enum.Enum):
    """Whether people can come without an appointment."""

    WALK_IN = "walk_in"
    APPOINTMENT = "appointment"


def _time(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not dt.time or value.tzinfo is not None:
        fail(instance, attribute, "expected a wall-clock time (datetime.time without tzinfo)")


def _after_start(instance: WeeklySlot, attribute: attrs.Attribute[Any], value: dt.time) -> None:
    if value <= instance.start:
        fail(
            instance,
            attribute,
            f"{value.isoformat('minutes')} is not after start {instance.start.isoformat('minutes')}",
        )


@attrs.frozen
class WeeklySlot:
    """A weekly slot: on ``weekday`` from ``start`` to ``end`` (local time), in ``rooms``."""

    weekday: Weekday = attrs.field(validator=member_of(Weekday))
    start: dt.time = attrs.field(validator=_time)
    end: dt.time = attrs.field(validator=[_time, _after_start])
    rooms: tuple[str, ...] = attrs.field(default=(), validator=tuple_of(text(20), "room numbers"))
    access: Access = attrs.field(default=Access.WALK_IN, validator=member_of(Access))


def _slots_apart(instance: Timetable, attribute: attrs.Attribute[Any], value: tuple[WeeklySlot, ...]) -> None:
    ordered = sorted(enumerate(value), key=lambda pair: (pair[1].weekday, pair[1].start))
    for (_, first), (index, second) in itertools.pairwise(ordered):
        if first.weekday == second.weekday and second.start < first.end:
            fail(instance, attribute, "overlaps another slot on the same day", f"[{index}]")


@attrs.frozen
class Timetable:
    """The weekly slots valid from ``valid_from`` until ``valid_until`` (inclusive, if set)."""

    valid_from: dt.date = attrs.field(validator=calendar_date)
    slots: tuple[WeeklySlot, ...] = attrs.field(validator=[tuple_of(WeeklySlot, "WeeklySlot"), _slots_apart])
    valid_until: dt.date | None = attrs.field(
        default=None, validator=[optional(calendar_date), not_before("valid_from")]
    )

    def valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class OfficeClosureKind(enum.Enum):
    """Why the office is closed."""

    HOLIDAY = "holiday"
    VACATION = "vacation"
    TRAINING = "training"
    OTHER = "other"


@attrs.frozen
class OfficeClosure:
    """Closed from ``start`` to ``end`` (inclusive days), e.g. over Christmas."""

    start: dt.date = attrs.field(validator=calendar_date)
    end: dt.date = attrs.field(validator=[calendar_date, not_before("start")])
    kind: OfficeClosureKind = attrs.field(default=OfficeClosureKind.OTHER, validator=member_of(OfficeClosureKind))


def _postcode(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not str or _POSTCODE.fullmatch(value) is None:
        fail(instance, attribute, f"{show(value)} is not a German postcode (5 digits)")


@attrs.frozen
class Location:
    """Where office hours take place: address, building, floor and rooms."""

    street: str = attrs.field(validator=text(200))
    postcode: str = attrs.field(validator=_postcode)
    city: str = attrs.field(validator=text(100))
    floor: str | None = attrs.field(default=None, validator=optional(text(50)))
    rooms: tuple[str, ...] = attrs.field(default=(), validator=tuple_of(text(20), "room numbers"))
    building: str | None = attrs.field(default=None, validator=optional(text(200)))


def _timezone(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        fail(instance, attribute, f"{show(value)} is not an IANA time zone")


def _timetables_apart(instance: OfficeHours, attribute: attrs.Attribute[Any], value: tuple[Timetable, ...]) -> None:
    ordered = sorted(value, key=lambda table: table.valid_from)
    for first, second in itertools.pairwise(ordered):
        if first.valid_until is None or second.valid_from <= first.valid_until:
            fail(instance, attribute, f"timetables overlap from {second.valid_from.isoformat()}")


@attrs.frozen
class OfficeHours:
    """The office hours of a municipality's integration management.

    ``phone`` is the office's public number for appointments (Termine nach telefonischer
    Vereinbarung) — an office number, not personal data.
    """

    municipality_ags: str = attrs.field(validator=ags)
    location: Location = attrs.field(validator=instance_of(Location))
    timetables: tuple[Timetable, ...] = attrs.field(validator=[tuple_of(Timetable, "Timetable"), _timetables_apart])
    closures: tuple[OfficeClosure, ...] = attrs.field(default=(), validator=tuple_of(OfficeClosure, "OfficeClosure"))
    timezone: str = attrs.field(default="Europe/Berlin", validator=_timezone)
    phone: str | None = attrs.field(default=None, validator=optional(phone))
    appointments_by_phone: bool = attrs.field(default=True, validator=boolean)

    def timetable_on(self, day: dt.date) -> Timetable | None:
        """The timetable valid on ``day``, if any."""
        for table in self.timetables:
            if table.valid_on(day):
                return table
        return None
