"""Free appointment slots: a manager's working hours minus everything that takes the time.

A pure function of the manager's [`WorkingHours`][integrationsplan.WorkingHours], the
office's [`OfficeHours`][integrationsplan.OfficeHours] and the times already taken. Free
slots of ``length`` are found on each day from ``first`` to ``last`` (days in the
office's time zone) within the working hours, minus

* public holidays of the municipality's state and the office's closures,
* the manager's absences,
* the walk-in office hours (kept for people who come without an appointment), unless the
  working hours say the town makes them bookable,
* the times taken (existing appointments of the manager, and of the room if one is
  asked for), each widened by ``buffer`` on both sides.

Slots start on a grid of ``step`` (every quarter hour by default, counted in wall-clock
time from midnight) and follow one another with at least ``buffer`` between them, so
booking every slot found succeeds. Working hours are wall-clock times, so a slot at
09:00 stays at 09:00 across a daylight-saving change; lengths are elapsed time.
"""

from __future__ import annotations

import bisect
import datetime as dt
import zoneinfo
from collections.abc import Iterable

import attrs

from integrationsplan.domain import Access, OfficeHours
from integrationsplan.domain.appointments import WorkingHours
from integrationsplan.errors import FieldError, ValidationError
from integrationsplan.rules.office_hours import holidays_between, occurrences

__all__ = ["MAX_SLOT_DAYS", "Slot", "free_slots"]

#: The longest range of days one search covers (a year).
MAX_SLOT_DAYS = 366

_Interval = tuple[dt.datetime, dt.datetime]


@attrs.frozen
class Slot:
    """A free time: aware start and end in the office's time zone."""

    start: dt.datetime
    end: dt.datetime

    @property
    def length(self) -> dt.timedelta:
        return self.end - self.start


def free_slots(
    working_hours: WorkingHours,
    office_hours: OfficeHours,
    taken: Iterable[tuple[dt.datetime, dt.datetime]],
    *,
    first: dt.date,
    last: dt.date,
    length: dt.timedelta,
    buffer: dt.timedelta = dt.timedelta(0),
    step: dt.timedelta = dt.timedelta(minutes=15),
) -> list[Slot]:
    """The free slots of ``length`` from day ``first`` to ``last`` (see the module documentation)."""
    _check(first=first, last=last, length=length, buffer=buffer, step=step)
    zone = zoneinfo.ZoneInfo(office_hours.timezone)
    begin = dt.datetime.combine(first, dt.time(0), tzinfo=zone)
    finish = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    blocked = sorted(
        (start.astimezone(dt.UTC) - buffer, end.astimezone(dt.UTC) + buffer)
        for start, end in taken
        if _aware(start) and _aware(end)
    )
    if not working_hours.office_hours_bookable:
        blocked += [
            (occurrence.start.astimezone(dt.UTC), occurrence.end.astimezone(dt.UTC))
            for occurrence in occurrences(office_hours, begin, finish)
            if occurrence.access is Access.WALK_IN
        ]
        blocked.sort()
    ends = _running_max_ends(blocked)
    closed = holidays_between(office_hours, first, last)
    closures = [c for c in office_hours.closures if c.end >= first and c.start <= last]
    found: list[Slot] = []
    day = first
    while day <= last:
        table = working_hours.timetable_on(day)
        if (
            table is not None
            and day not in closed
            and not working_hours.absent_on(day)
            and not any(c.start <= day <= c.end for c in closures)
        ):
            for slot in sorted(table.slots, key=lambda slot: slot.start):
                if slot.weekday != day.weekday():
                    continue
                start = dt.datetime.combine(day, slot.start, tzinfo=zone).astimezone(dt.UTC)
                end = dt.datetime.combine(day, slot.end, tzinfo=zone).astimezone(dt.UTC)
                for free_start, free_end in _subtract((start, end), blocked, ends):
                    found += _fill(free_start, free_end, length=length, buffer=buffer, step=step, zone=zone)
        day += dt.timedelta(days=1)
    return found


def _running_max_ends(blocked: list[_Interval]) -> list[dt.datetime]:
    """For each position, the latest end among the intervals up to it (for a bisect lookup)."""
    ends: list[dt.datetime] = []
    latest: dt.datetime | None = None
    for _, end in blocked:
        latest = end if latest is None or end > latest else latest
        ends.append(latest)
    return ends


def _subtract(window: _Interval, blocked: list[_Interval], ends: list[dt.datetime]) -> list[_Interval]:
    """``window`` minus every blocked interval meeting it, as ordered free intervals."""
    start, end = window
    # the first interval that may still reach into the window: the running maximum of ends passes its start
    index = bisect.bisect_right(ends, start)
    free: list[_Interval] = []
    cursor = start
    while index < len(blocked) and blocked[index][0] < end:
        taken_start, taken_end = blocked[index]
        if taken_end > cursor:
            if taken_start > cursor:
                free.append((cursor, taken_start))
            cursor = max(cursor, taken_end)
        index += 1
    if cursor < end:
        free.append((cursor, end))
    return free


def _fill(
    start: dt.datetime,
    end: dt.datetime,
    *,
    length: dt.timedelta,
    buffer: dt.timedelta,
    step: dt.timedelta,
    zone: zoneinfo.ZoneInfo,
) -> list[Slot]:
    """Slots of ``length`` on the grid in the free interval ``[start, end)`` (UTC)."""
    offset = start.astimezone(zone).utcoffset()
    if offset is None or end.astimezone(zone).utcoffset() != offset:
        return _fill_across_a_change(start, end, length=length, buffer=buffer, step=step, zone=zone)
    # One UTC offset throughout: wall-clock arithmetic is elapsed time, on naive datetimes.
    wall, wall_end = start.replace(tzinfo=None) + offset, end.replace(tzinfo=None) + offset
    midnight = wall.replace(hour=0, minute=0, second=0, microsecond=0)
    at = midnight + -(-(wall - midnight) // step) * step
    slots: list[Slot] = []
    while at + length <= wall_end:
        slots.append(Slot(at.replace(tzinfo=zone), (at + length).replace(tzinfo=zone)))
        at = midnight + -(-(at + length + buffer - midnight) // step) * step
    return slots


def _fill_across_a_change(
    start: dt.datetime,
    end: dt.datetime,
    *,
    length: dt.timedelta,
    buffer: dt.timedelta,
    step: dt.timedelta,
    zone: zoneinfo.ZoneInfo,
) -> list[Slot]:
    """The same for an interval across a daylight-saving change: elapsed time, local grid."""
    slots: list[Slot] = []
    at = _on_grid(start, step, zone)
    while at + length <= end:
        slots.append(Slot(at.astimezone(zone), (at + length).astimezone(zone)))
        at = _on_grid(at + length + buffer, step, zone)
    return slots


def _on_grid(at: dt.datetime, step: dt.timedelta, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    """The first instant at or after ``at`` whose wall-clock time is a multiple of ``step``."""
    local = at.astimezone(zone)
    wall = local.replace(tzinfo=None)
    midnight = wall.replace(hour=0, minute=0, second=0, microsecond=0)
    rounded = midnight + -(-(wall - midnight) // step) * step
    candidate = rounded.replace(tzinfo=zone).astimezone(dt.UTC)
    return candidate if candidate >= at else at


def _aware(at: dt.datetime) -> bool:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValidationError("free slots", [FieldError("$.taken", "every taken time needs aware instants")])
    return True


def _check(*, first: dt.date, last: dt.date, length: dt.timedelta, buffer: dt.timedelta, step: dt.timedelta) -> None:
    problems = []
    if last < first:
        problems.append(FieldError("$.last", "is before first"))
    elif (last - first).days >= MAX_SLOT_DAYS:
        problems.append(FieldError("$.last", f"a search covers at most {MAX_SLOT_DAYS} days"))
    if not dt.timedelta(minutes=5) <= length <= dt.timedelta(hours=8):
        problems.append(FieldError("$.length", "must be between 5 minutes and 8 hours"))
    if not dt.timedelta(0) <= buffer <= dt.timedelta(hours=2):
        problems.append(FieldError("$.buffer", "must be between 0 and 2 hours"))
    if not dt.timedelta(minutes=1) <= step <= dt.timedelta(hours=1):
        problems.append(FieldError("$.step", "must be between 1 minute and 1 hour"))
    if problems:
        raise ValidationError("free slots", problems)
