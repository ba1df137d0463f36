"""Eislingen/Fils as an integrationsplan plugin.

Facts from the town's page on integration management: two integration managers support
refugees in follow-up housing for two years; office hours on Tuesdays 10:00-12:00 and
Thursdays 14:00-17:00 at Bahnhofstraße 15, 1st floor, rooms 1.04 and 1.05; appointments
by phone. The Christmas closure is an example of the town's own closures.
"""

from __future__ import annotations

import datetime as dt

import integrationsplan as ip

__all__ = ["EISLINGEN", "MANAGERS", "OFFICE_HOURS"]

AGS = "08117019"

EISLINGEN = ip.Municipality(
    ags=AGS, name="Eislingen/Fils", district="Landkreis Göppingen", state=ip.FederalState.BADEN_WUERTTEMBERG
)

#: The integration managers named on the town's page (their share of a full post is not published).
#: Staff ids are opaque numbers, never derived from names: they appear in logs and histories.
MANAGERS = (
    ip.IntegrationManager(staff_id="eis-im-01", name="Renate Völlinger", municipality_ags=AGS),
    ip.IntegrationManager(staff_id="eis-im-02", name="Güney Timur", municipality_ags=AGS),
)

OFFICE_HOURS = ip.OfficeHours(
    municipality_ags=AGS,
    location=ip.Location(
        street="Bahnhofstraße 15", postcode="73054", city="Eislingen/Fils", floor="1. OG", rooms=("1.04", "1.05")
    ),
    timetables=(
        ip.Timetable(
            valid_from=dt.date(2023, 1, 1),
            slots=(
                ip.WeeklySlot(ip.Weekday.TUESDAY, dt.time(10), dt.time(12)),
                ip.WeeklySlot(ip.Weekday.THURSDAY, dt.time(14), dt.time(17)),
            ),
        ),
    ),
    closures=(
        ip.OfficeClosure(dt.date(2025, 12, 22), dt.date(2026, 1, 6), ip.OfficeClosureKind.VACATION),
        ip.OfficeClosure(dt.date(2026, 12, 21), dt.date(2027, 1, 6), ip.OfficeClosureKind.VACATION),
    ),
    appointments_by_phone=True,
)


@ip.hookimpl
def integrationsplan_municipalities() -> list[ip.Municipality]:
    return [EISLINGEN]


@ip.hookimpl
def integrationsplan_staff(municipality_ags: str) -> list[ip.IntegrationManager]:
    return list(MANAGERS) if municipality_ags == AGS else []


@ip.hookimpl
def integrationsplan_office_hours(municipality_ags: str) -> ip.OfficeHours | None:
    return OFFICE_HOURS if municipality_ags == AGS else None


@ip.hookimpl
def integrationsplan_support_policy(municipality_ags: str) -> ip.SupportPolicy | None:
    return ip.TWO_YEAR if municipality_ags == AGS else None
