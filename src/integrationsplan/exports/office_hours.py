"""Office hours as iCalendar (RFC 5545), OpenStreetMap ``opening_hours`` and schema.org.

* ``to_icalendar``: one recurring event per weekly slot and timetable
  (``RRULE:FREQ=WEEKLY``), with the holidays and closures in its range as ``EXDATE``s
  and the time zone included, built with the ``icalendar`` package.
* ``to_osm_opening_hours``: the OSM syntax for the timetable valid on a day, e.g.
  ``Tu 10:00-12:00; Th 14:00-17:00; PH off; 2025 Dec 24-2026 Jan 06 off``: public
  holidays and the town's own closures from that day on are off.
* ``to_schema_org``: a schema.org ``GovernmentOffice`` with
  ``OpeningHoursSpecification`` entries (JSON-LD as a dict); closures and the public
  holidays of the next year are closed days, so a consumer never shows the office open
  on Epiphany.

All three agree on when the office is closed: a test checks each closure day and each
public holiday in every export.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from integrationsplan.domain.office_hours import OfficeHours, Timetable, Weekday
from integrationsplan.rules.office_hours import holidays_between

__all__ = ["to_icalendar", "to_osm_opening_hours", "to_schema_org"]

_PRODID = "-//integrationsplan//office hours//DE"


def to_icalendar(hours: OfficeHours, *, until: dt.date, summary: str = "Sprechstunde Integrationsmanagement") -> bytes:
    """The office hours up to ``until`` (for open-ended timetables) as an iCalendar file."""
    import icalendar  # noqa: PLC0415 - loaded when a calendar is written, not with the library

    zone = zoneinfo.ZoneInfo(hours.timezone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    address = f"{hours.location.street}, {hours.location.postcode} {hours.location.city}"
    for table_index, table in enumerate(sorted(hours.timetables, key=lambda t: t.valid_from)):
        last = min(table.valid_until or until, until)
        if last < table.valid_from:
            continue
        closed = _closed_days(hours, table.valid_from, last)
        for slot_index, slot in enumerate(table.slots):
            first = table.valid_from + dt.timedelta(days=(slot.weekday - table.valid_from.weekday()) % 7)
            if first > last:
                continue
            event = icalendar.Event()
            event.add(
                "uid",
                f"{hours.municipality_ags}-{table.valid_from.isoformat()}-{table_index}-{slot_index}@integrationsplan",
            )
            event.add("summary", summary)
            event.add(
                "location",
                ", ".join(filter(None, [address, hours.location.floor, " ".join(slot.rooms or hours.location.rooms)])),
            )
            event.add("dtstamp", dt.datetime.combine(table.valid_from, dt.time(0), tzinfo=dt.UTC))
            event.add("dtstart", dt.datetime.combine(first, slot.start, tzinfo=zone))
            event.add("dtend", dt.datetime.combine(first, slot.end, tzinfo=zone))
            end_of_last = dt.datetime.combine(last, slot.end, tzinfo=zone).astimezone(dt.UTC)
            event.add("rrule", {"freq": "weekly", "byday": slot.weekday.ical, "until": end_of_last})
            excluded = sorted(day for day in closed if day.weekday() == slot.weekday and first <= day <= last)
            for day in excluded:
                event.add("exdate", dt.datetime.combine(day, slot.start, tzinfo=zone))
            calendar.add_component(event)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data


def _closed_days(hours: OfficeHours, first: dt.date, last: dt.date) -> set[dt.date]:
    days = set(holidays_between(hours, first, last))
    for closure in hours.closures:
        day = max(closure.start, first)
        while day <= min(closure.end, last):
            days.add(day)
            day += dt.timedelta(days=1)
    return days


def _table(hours: OfficeHours, on: dt.date) -> Timetable | None:
    return hours.timetable_on(on)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _osm_day(day: dt.date) -> str:
    return f"{day.year} {_MONTHS[day.month - 1]} {day.day:02d}"


def to_osm_opening_hours(hours: OfficeHours, on: dt.date) -> str:
    """The OSM ``opening_hours`` value of the timetable valid on ``on`` (``off`` if none).

    Public holidays are ``PH off``; each closure that has not ended by ``on`` follows as
    a date range ``off`` (a later rule overrides the weekdays, as the syntax reads).
    """
    table = _table(hours, on)
    if table is None or not table.slots:
        return "off"
    closures = [
        f"{_osm_day(c.start)}-{_osm_day(c.end)} off" if c.end > c.start else f"{_osm_day(c.start)} off"
        for c in sorted(hours.closures, key=lambda c: c.start)
        if c.end >= on
    ]
    parts = []
    for weekday in Weekday:
        spans = sorted((s.start, s.end) for s in table.slots if s.weekday is weekday)
        if spans:
            times = ",".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in spans)
            parts.append(f"{weekday.osm} {times}")
    return "; ".join([*parts, "PH off", *closures])


def to_schema_org(
    hours: OfficeHours, on: dt.date, *, name: str = "Integrationsmanagement", holidays_for_days: int = 366
) -> dict[str, Any]:
    """A schema.org ``GovernmentOffice`` (JSON-LD) with the hours valid on ``on``, later closures and holidays.

    The public holidays of the municipality's state from ``on`` for ``holidays_for_days``
    days are closed days (schema.org has no notion of "public holidays"; a consumer
    would otherwise show the office open on them).
    """
    table = _table(hours, on)
    specifications: list[dict[str, Any]] = []
    if table is not None:
        for slot in sorted(table.slots, key=lambda s: (s.weekday, s.start)):
            specification: dict[str, Any] = {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": slot.weekday.schema_org,
                "opens": f"{slot.start:%H:%M}",
                "closes": f"{slot.end:%H:%M}",
                "validFrom": table.valid_from.isoformat(),
            }
            if table.valid_until is not None:
                specification["validThrough"] = table.valid_until.isoformat()
            specifications.append(specification)
    specifications.extend(
        {
            "@type": "OpeningHoursSpecification",
            "opens": "00:00",
            "closes": "00:00",
            "validFrom": closure.start.isoformat(),
            "validThrough": closure.end.isoformat(),
        }
        for closure in sorted(hours.closures, key=lambda c: c.start)
        if closure.end >= on
    )
    specifications.extend(
        {
            "@type": "OpeningHoursSpecification",
            "opens": "00:00",
            "closes": "00:00",
            "validFrom": day.isoformat(),
            "validThrough": day.isoformat(),
            "description": "Feiertag",
        }
        for day in sorted(holidays_between(hours, on, on + dt.timedelta(days=holidays_for_days - 1)))
    )
    office: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice",
        "name": name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": hours.location.street,
            "postalCode": hours.location.postcode,
            "addressLocality": hours.location.city,
            "addressCountry": "DE",
        },
        "openingHoursSpecification": specifications,
    }
    if hours.phone is not None:
        office["telephone"] = hours.phone
    return office
