"""Office hours of a municipality as use cases: the next ones, and the exports.

The office hours come from the plugins (through the
[`Directory`][integrationsplan.services.Directory]); the occurrences are computed by the pure
rules in the office's own time zone, so a day given by a caller is that day in the
office (Europe/Berlin for every town in Baden-Württemberg), not in UTC.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from integrationsplan.domain import OfficeHours
from integrationsplan.errors import FieldError, ValidationError
from integrationsplan.exports import to_icalendar, to_osm_opening_hours, to_schema_org
from integrationsplan.rules import Occurrence, next_occurrences
from integrationsplan.services.directory import Directory

__all__ = ["MAX_OCCURRENCES", "MAX_WEEKS", "OfficeHoursService"]

#: The most occurrences one call lists (about ten years of two weekly office hours).
MAX_OCCURRENCES = 1_000
#: The furthest ahead an export reaches, in weeks (ten years).
MAX_WEEKS = 520


class OfficeHoursService:
    """The office hours of the municipalities a directory knows."""

    def __init__(self, directory: Directory) -> None:
        self.directory = directory

    def hours(self, municipality_ags: str) -> OfficeHours:
        """The municipality's office hours; ConfigurationError when no plugin provides them."""
        return self.directory.office_hours(municipality_ags)

    def next(self, municipality_ags: str, count: int, *, after: dt.datetime | dt.date) -> tuple[Occurrence, ...]:
        """The next ``count`` office hours after an instant, or from the start of a day in the office."""
        _bounded("count", count, MAX_OCCURRENCES)
        hours = self.hours(municipality_ags)
        if not isinstance(after, dt.datetime):
            after = dt.datetime.combine(after, dt.time(0), tzinfo=zoneinfo.ZoneInfo(hours.timezone))
        return tuple(next_occurrences(hours, after, count))

    def icalendar(self, municipality_ags: str, *, on: dt.date, weeks: int = 52) -> bytes:
        """The office hours from ``on`` for ``weeks`` weeks as an iCalendar file."""
        _bounded("weeks", weeks, MAX_WEEKS)
        return to_icalendar(self.hours(municipality_ags), until=on + dt.timedelta(weeks=weeks))

    def opening_hours(self, municipality_ags: str, *, on: dt.date) -> str:
        """The OpenStreetMap ``opening_hours`` value of the timetable valid on ``on``."""
        return to_osm_opening_hours(self.hours(municipality_ags), on)

    def schema_org(self, municipality_ags: str, *, on: dt.date) -> dict[str, Any]:
        """The schema.org ``GovernmentOffice`` document of the timetable valid on ``on``."""
        return to_schema_org(self.hours(municipality_ags), on)


def _bounded(name: str, value: int, maximum: int) -> None:
    if type(value) is not int or not 1 <= value <= maximum:
        raise ValidationError("office hours request", [FieldError(f"$.{name}", f"must be 1-{maximum}")])
