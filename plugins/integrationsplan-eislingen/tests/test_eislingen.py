"""Eislingen's plugin, reached only through the plugin manager, as a town's app would."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

import integrationsplan as ip
from integrationsplan import exports, rules

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
AGS = "08117019"


@pytest.fixture(scope="module")
def app() -> ip.App:
    return ip.App()  # loads the installed plugin through its entry point


def _week(app: ip.App, monday: dt.date) -> list[tuple[str, str, str]]:
    hours = app.office_hours(AGS)
    start = dt.datetime.combine(monday, dt.time(0), tzinfo=BERLIN)
    return [
        (o.start.date().isoformat(), f"{o.start:%H:%M}", f"{o.start.utcoffset()}")
        for o in rules.occurrences(hours, start, start + dt.timedelta(days=7))
    ]


def test_the_plugin_is_found_through_its_entry_point(app: ip.App) -> None:
    info = next(info for info in app.plugins() if info.name == "eislingen")
    assert info.distribution == "integrationsplan-eislingen"
    assert "integrationsplan_office_hours" in info.hooks
    assert app.municipality(AGS).district == "Landkreis Göppingen"
    assert [m.staff_id for m in app.staff(AGS)] == ["eis-im-01", "eis-im-02"]
    assert app.support_policy(AGS) is ip.TWO_YEAR


def test_an_ordinary_week(app: ip.App) -> None:
    assert _week(app, dt.date(2025, 5, 5)) == [("2025-05-06", "10:00", "2:00:00"), ("2025-05-08", "14:00", "2:00:00")]


@pytest.mark.parametrize(
    ("monday", "expected"),
    [
        (dt.date(2025, 6, 16), [("2025-06-17", "10:00", "2:00:00")]),  # Fronleichnam, Thursday 19 June
        (dt.date(2026, 6, 1), [("2026-06-02", "10:00", "2:00:00")]),  # Fronleichnam, Thursday 4 June
        (
            dt.date(2025, 10, 27),
            [("2025-10-28", "10:00", "1:00:00"), ("2025-10-30", "14:00", "1:00:00")],
        ),  # Allerheiligen Sat
        (
            dt.date(2026, 10, 26),
            [("2026-10-27", "10:00", "1:00:00"), ("2026-10-29", "14:00", "1:00:00")],
        ),  # Allerheiligen Sun
    ],
)
def test_holiday_weeks(app: ip.App, monday: dt.date, expected: list[tuple[str, str, str]]) -> None:
    assert _week(app, monday) == expected


@pytest.mark.parametrize(
    ("monday", "offsets"),
    [
        (dt.date(2025, 3, 24), ("1:00:00", "1:00:00")),  # DST begins on Sunday 30 March: this week still CET
        (dt.date(2025, 3, 31), ("2:00:00", "2:00:00")),
        (dt.date(2025, 10, 20), ("2:00:00", "2:00:00")),  # DST ends on Sunday 26 October
        (dt.date(2025, 10, 27), ("1:00:00", "1:00:00")),
        (dt.date(2026, 3, 30), ("2:00:00", "2:00:00")),  # DST began on 29 March 2026
        (dt.date(2026, 10, 26), ("1:00:00", "1:00:00")),  # DST ended on 25 October 2026
    ],
)
def test_daylight_saving_weeks_keep_the_wall_clock(app: ip.App, monday: dt.date, offsets: tuple[str, str]) -> None:
    week = _week(app, monday)
    assert [hour for _, hour, _ in week] == ["10:00", "14:00"]
    assert tuple(offset for _, _, offset in week) == offsets


def test_christmas_closure(app: ip.App) -> None:
    hours = app.office_hours(AGS)
    start = dt.datetime(2025, 12, 20, tzinfo=BERLIN)
    during = rules.occurrences(hours, start, dt.datetime(2026, 1, 7, tzinfo=BERLIN))
    assert during == []
    after = rules.next_occurrences(hours, start, 1)
    assert after[0].start == dt.datetime(2026, 1, 8, 14, tzinfo=BERLIN)  # Thursday after Epiphany


def test_open_at_and_in_which_rooms(app: ip.App) -> None:
    hours = app.office_hours(AGS)
    now = rules.occurrence_at(hours, dt.datetime(2025, 5, 6, 9, 15, tzinfo=dt.UTC))  # 11:15 in Eislingen
    assert now is not None
    assert now.rooms == ("1.04", "1.05")
    assert rules.occurrence_at(hours, dt.datetime(2025, 5, 6, 10, 0, tzinfo=dt.UTC)) is None  # 12:00: closed


def test_exports(app: ip.App) -> None:
    hours = app.office_hours(AGS)
    assert exports.to_osm_opening_hours(hours, dt.date(2025, 5, 1)) == (
        "Tu 10:00-12:00; Th 14:00-17:00; PH off; 2025 Dec 22-2026 Jan 06 off; 2026 Dec 21-2027 Jan 06 off"
    )
    office = exports.to_schema_org(hours, dt.date(2025, 5, 1))
    assert office["address"]["postalCode"] == "73054"
    days = [spec.get("dayOfWeek") for spec in office["openingHoursSpecification"]]
    assert days[:2] == ["https://schema.org/Tuesday", "https://schema.org/Thursday"]
    assert b"RRULE:FREQ=WEEKLY;UNTIL=" in exports.to_icalendar(hours, until=dt.date(2026, 12, 31))


@given(st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2026, 12, 31)))
def test_no_occurrence_on_a_holiday_or_closure(day: dt.date) -> None:
    hours = ip.App().office_hours(AGS)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=BERLIN)
    found = rules.occurrences(hours, start, start + dt.timedelta(days=1))
    closed = day in rules.holidays_between(hours, day, day) or any(c.start <= day <= c.end for c in hours.closures)
    if closed:
        assert found == []
