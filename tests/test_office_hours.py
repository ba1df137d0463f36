"""Office hours: occurrences, holidays and closures, DST, and the iCalendar round trip."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

import attrs
import icalendar
import opening_hours
import pytest
import recurring_ical_events
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import integrationsplan as ip
import integrationsplan.exports as ip_exports
import integrationsplan.rules as ip_rules
from integrationsplan.testing import strategies as ips
from integrationsplan.testing.examples import EISLINGEN_OFFICE_HOURS

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
HOURS = ips.office_hours()


def _window(hours: ip.OfficeHours, days: int = 120) -> tuple[dt.datetime, dt.datetime]:
    first = hours.timetables[0].valid_from - dt.timedelta(days=10)
    start = dt.datetime.combine(first, dt.time(0), tzinfo=BERLIN)
    return start, start + dt.timedelta(days=days)


@given(HOURS, st.integers(7, 400))
def test_occurrences_are_sorted_apart_inside_validity_and_never_on_closed_days(
    hours: ip.OfficeHours, days: int
) -> None:
    start, end = _window(hours, days)
    found = ip_rules.occurrences(hours, start, end)
    closed = ip_rules.holidays_between(hours, start.date(), end.date())
    assert [o.start for o in found] == sorted(o.start for o in found)
    for before, after in itertools.pairwise(found):
        assert before.end <= after.start
    for occurrence in found:
        day = occurrence.start.date()
        assert start <= occurrence.start < end
        assert hours.timetable_on(day) is not None
        assert day not in closed
        assert not any(c.start <= day <= c.end for c in hours.closures)
        assert occurrence.start.tzinfo is not None


@given(HOURS, st.integers(1, 12))
def test_next_agrees_with_between(hours: ip.OfficeHours, count: int) -> None:
    start, _ = _window(hours)
    following = ip_rules.next_occurrences(hours, start, count)
    assert following == ip_rules.occurrences(hours, start, start + dt.timedelta(days=3 * 366))[:count]


@given(HOURS, st.data())
def test_open_at_finds_the_occurrence_containing_the_instant(hours: ip.OfficeHours, data: st.DataObject) -> None:
    start, end = _window(hours)
    found = ip_rules.occurrences(hours, start, end)
    if not found:
        return
    occurrence = data.draw(st.sampled_from(found))
    inside = occurrence.start + (occurrence.end - occurrence.start) / 2
    assert ip_rules.occurrence_at(hours, inside.astimezone(dt.UTC)) == occurrence
    assert ip_rules.occurrence_at(hours, occurrence.end) != occurrence


def _ical_occurrences(
    hours: ip.OfficeHours, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    calendar = icalendar.Calendar.from_ical(ip_exports.to_icalendar(hours, until=end.date()))
    events = recurring_ical_events.of(calendar).between(start, end)
    return sorted((event["DTSTART"].dt, event["DTEND"].dt) for event in events)


@given(HOURS)
def test_the_icalendar_export_read_back_gives_the_same_occurrences_over_a_year(hours: ip.OfficeHours) -> None:
    start, end = _window(hours, 366)
    expected = [(o.start, o.end) for o in ip_rules.occurrences(hours, start, end)]
    assert _ical_occurrences(hours, start, end) == expected


def test_osm_and_schema_org_of_eislingen() -> None:
    assert (
        ip_exports.to_osm_opening_hours(EISLINGEN_OFFICE_HOURS, dt.date(2025, 1, 1))
        == "Tu 10:00-12:00; Th 14:00-17:00; PH off"
    )
    assert ip_exports.to_osm_opening_hours(EISLINGEN_OFFICE_HOURS, dt.date(2022, 1, 1)) == "off"
    office = ip_exports.to_schema_org(EISLINGEN_OFFICE_HOURS, dt.date(2025, 1, 1))
    assert office["@type"] == "GovernmentOffice"
    assert office["openingHoursSpecification"][0] == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/Tuesday",
        "opens": "10:00",
        "closes": "12:00",
        "validFrom": "2023-01-01",
    }


@given(HOURS, ips.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)))
def test_the_exports_agree_on_every_closed_day(hours: ip.OfficeHours, on: dt.date) -> None:
    """Closures and public holidays are closed in iCalendar, OpenStreetMap and schema.org alike."""
    osm = ip_exports.to_osm_opening_hours(hours, on)
    office = ip_exports.to_schema_org(hours, on)
    closed_ranges = {
        (spec["validFrom"], spec["validThrough"])
        for spec in office["openingHoursSpecification"]
        if spec.get("opens") == spec.get("closes") == "00:00"
    }
    for closure in hours.closures:
        if closure.end < on:
            continue
        assert (closure.start.isoformat(), closure.end.isoformat()) in closed_ranges
        if osm != "off":
            month = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[
                closure.start.month - 1
            ]
            assert f"{closure.start.year} {month} {closure.start.day:02d}" in osm
    holidays = ip_rules.holidays_between(hours, on, on + dt.timedelta(days=365))
    for day in holidays:
        assert (day.isoformat(), day.isoformat()) in closed_ranges
    if osm != "off":
        assert "PH off" in osm
    start = dt.datetime.combine(on, dt.time(0), tzinfo=BERLIN)
    ical_days = {begin.date() for begin, _ in _ical_occurrences(hours, start, start + dt.timedelta(days=366))}
    assert not ical_days & holidays
    assert not any(c.start <= day <= c.end for c in hours.closures for day in ical_days)


@settings(max_examples=min(40, settings().max_examples), deadline=None)
@given(HOURS, ips.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)))
def test_an_independent_osm_parser_reads_the_same_open_times_over_a_year(hours: ip.OfficeHours, on: dt.date) -> None:
    """opening-hours-py reads the OSM value; it must open exactly when the occurrences do.

    The parser knows Germany's nationwide public holidays only, so days that are holidays
    in Baden-Württemberg alone are left out of the comparison; the town's closures are not.
    """
    value = ip_exports.to_osm_opening_hours(hours, on)
    table = hours.timetable_on(on)
    assume(table is not None and value != "off")
    assert table is not None
    last = min(on + dt.timedelta(days=365), table.valid_until or dt.date.max)
    start = dt.datetime.combine(on, dt.time(0))
    end = dt.datetime.combine(last, dt.time(0))
    parsed = opening_hours.OpeningHours(value, country="DE")
    holidays = ip_rules.holidays_between(hours, on, last)
    theirs = {
        (begin, until)
        for begin, until, state, _ in parsed.intervals(start, end)
        if state == opening_hours.State.OPEN and begin.date() not in holidays
    }
    ours = {
        (o.start.replace(tzinfo=None), o.end.replace(tzinfo=None))
        for o in ip_rules.occurrences(hours, start.replace(tzinfo=BERLIN), end.replace(tzinfo=BERLIN))
        if o.start.date() not in holidays
    }
    assert theirs == ours


def test_eislingens_exports_close_on_epiphany_and_over_christmas() -> None:
    christmas = ip.OfficeClosure(dt.date(2025, 12, 24), dt.date(2026, 1, 6), ip.OfficeClosureKind.VACATION)
    hours = attrs.evolve(EISLINGEN_OFFICE_HOURS, closures=(christmas,))
    assert (
        ip_exports.to_osm_opening_hours(hours, dt.date(2025, 12, 1))
        == "Tu 10:00-12:00; Th 14:00-17:00; PH off; 2025 Dec 24-2026 Jan 06 off"
    )
    office = ip_exports.to_schema_org(hours, dt.date(2025, 12, 1))
    closed = [(s["validFrom"], s["validThrough"]) for s in office["openingHoursSpecification"] if "dayOfWeek" not in s]
    assert ("2025-12-24", "2026-01-06") in closed
    assert ("2026-01-06", "2026-01-06") in closed  # Heilige Drei Könige, a holiday in Baden-Württemberg


def test_bad_office_hours_are_refused_with_their_field() -> None:
    with pytest.raises(ip.ValidationError, match=r"\$\.end"):
        ip.WeeklySlot(ip.Weekday.MONDAY, dt.time(12), dt.time(10))
    slot = ip.WeeklySlot(ip.Weekday.MONDAY, dt.time(10), dt.time(12))
    with pytest.raises(ip.ValidationError, match="overlaps another slot"):
        ip.Timetable(dt.date(2025, 1, 1), (slot, ip.WeeklySlot(ip.Weekday.MONDAY, dt.time(11), dt.time(13))))
    with pytest.raises(ip.ValidationError, match="not an IANA time zone"):
        ip.OfficeHours("08117019", EISLINGEN_OFFICE_HOURS.location, (), timezone="Mars/Olympus")
    with pytest.raises(ip.ValidationError, match="needs an aware datetime"):
        ip_rules.occurrences(EISLINGEN_OFFICE_HOURS, dt.datetime(2025, 1, 1), dt.datetime(2025, 2, 1, tzinfo=BERLIN))  # noqa: DTZ001
