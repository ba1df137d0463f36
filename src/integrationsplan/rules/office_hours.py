"""Office-hour queries: concrete occurrences, the next ones, open at an instant.

Pure functions of [`OfficeHours`][integrationsplan.OfficeHours] and the
instants asked about. Public holidays come from the ``holidays`` package for the state
the municipality's AGS belongs to; closures and holidays never have occurrences. Slots
are wall-clock times in the office's time zone, so they stay put across daylight-saving
changes; instants passed in may be in any time zone (they must be aware).
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from collections.abc import Iterator

import attrs

from integrationsplan.domain import FederalState
from integrationsplan.domain.office_hours import Access, OfficeHours
from integrationsplan.errors import FieldError, ValidationError

__all__ = ["Occurrence", "holidays_between", "next_occurrences", "occurrence_at", "occurrences"]


@attrs.frozen
class Occurrence:
    """One concrete office hour: aware start and end (office time zone), rooms, access."""

    start: dt.datetime
    end: dt.datetime
    rooms: tuple[str, ...]
    access: Access

    def contains(self, at: dt.datetime) -> bool:
        return self.start <= at < self.end


@functools.lru_cache(maxsize=256)
def _holidays(state: str, year: int) -> frozenset[dt.date]:
    import holidays  # noqa: PLC0415 - its calendars load when a holiday is first asked for

    return frozenset(holidays.country_holidays("DE", subdiv=state, years=year))


def holidays_between(hours: OfficeHours, first: dt.date, last: dt.date) -> frozenset[dt.date]:
    """The public holidays of the municipality's state from ``first`` to ``last``."""
    state = FederalState.from_ags(hours.municipality_ags).value
    days: set[dt.date] = set()
    for year in range(first.year, last.year + 1):
        days |= {day for day in _holidays(state, year) if first <= day <= last}
    return frozenset(days)


def _aware(at: dt.datetime, name: str) -> dt.datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValidationError("office hours query", [FieldError(f"$.{name}", "needs an aware datetime")])
    return at


def _days(hours: OfficeHours, first: dt.date, last: dt.date) -> Iterator[Occurrence]:
    zone = zoneinfo.ZoneInfo(hours.timezone)
    closed = holidays_between(hours, first, last)
    closures = [closure for closure in hours.closures if closure.end >= first and closure.start <= last]
    day = first
    while day <= last:
        table = hours.timetable_on(day)
        if table is not None and day not in closed and not any(c.start <= day <= c.end for c in closures):
            weekday = day.weekday()
            for slot in sorted(table.slots, key=lambda slot: slot.start):
                if slot.weekday == weekday:
                    yield Occurrence(
                        start=dt.datetime.combine(day, slot.start, tzinfo=zone),
                        end=dt.datetime.combine(day, slot.end, tzinfo=zone),
                        rooms=slot.rooms or hours.location.rooms,
                        access=slot.access,
                    )
        day += dt.timedelta(days=1)


def occurrences(hours: OfficeHours, start: dt.datetime, end: dt.datetime) -> list[Occurrence]:
    """The office hours beginning at or after ``start`` and before ``end``, in order."""
    start, end = _aware(start, "start"), _aware(end, "end")
    zone = zoneinfo.ZoneInfo(hours.timezone)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    return [occurrence for occurrence in _days(hours, first, last) if start <= occurrence.start < end]


def next_occurrences(hours: OfficeHours, after: dt.datetime, count: int) -> list[Occurrence]:
    """The next ``count`` office hours beginning at or after ``after`` (fewer if none follow)."""
    after = _aware(after, "after")
    found: list[Occurrence] = []
    window = dt.timedelta(weeks=8)
    start = after
    horizon = after + dt.timedelta(days=3 * 366)
    while len(found) < count and start < horizon:
        found += occurrences(hours, start, start + window)
        start += window
    return found[:count]


def occurrence_at(hours: OfficeHours, at: dt.datetime) -> Occurrence | None:
    """The office hour going on at ``at`` — open then, and in which rooms — or ``None``.

    Also answers which office hour a counselling contact at ``at`` belongs to.
    """
    at = _aware(at, "at")
    zone = zoneinfo.ZoneInfo(hours.timezone)
    day = at.astimezone(zone).date()
    for occurrence in _days(hours, day, day):
        if occurrence.contains(at):
            return occurrence
    return None
