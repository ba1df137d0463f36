"""The appointments section: free slots over four weeks against the office hours of a year.

One manager in Eislingen with 100 appointments already booked over the four weeks (45
minutes each, in and out of the office), the walk-in office hours, the public holidays
and a closure: the free 45-minute slots of four weeks, found through the public service
over the memory store (the store query, the working hours through the directory, the
pure rule). The peer is the office-hours figure of the ``office_hours`` section — all
occurrences of 52 weeks — measured in the same process, interleaved in rounds
(free slots, office hours, free slots, …); the ratio is the median of per-round ratios.
"""

from __future__ import annotations

import datetime as dt
import statistics
import zoneinfo
from typing import Any

import attrs

import integrationsplan as ip
from _common import Figures, timed
from integrationsplan.testing.examples import EISLINGEN_OFFICE_HOURS

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
FIRST = dt.date(2025, 12, 1)
OFFICE = attrs.evolve(
    EISLINGEN_OFFICE_HOURS,
    closures=(ip.OfficeClosure(dt.date(2025, 12, 24), dt.date(2025, 12, 31), ip.OfficeClosureKind.VACATION),),
)


class _Eislingen:
    @ip.hookimpl
    def integrationsplan_office_hours(self, municipality_ags: str) -> ip.OfficeHours | None:
        return OFFICE if municipality_ags == "08117019" else None


def _booked(app: ip.App) -> int:
    """Book 100 appointments of the manager over the four weeks, wherever they fit."""
    slots = app.appointments.free("08117019", "eis-im-01", first=FIRST, last=FIRST + dt.timedelta(days=27))
    step = max(1, len(slots) // 100)
    for number, slot in enumerate(slots[::step][:100]):
        place = ip.Place.in_room("1.04") if number % 2 else ip.Place(ip.PlaceKind.PHONE)
        app.appointments.book(
            f"t-{number}",
            municipality_ags="08117019",
            manager_id="eis-im-01",
            start=slot.start,
            end=slot.end,
            place=place,
            booked_by="eis-im-01",
        )
    return len(app.appointments.find(first=FIRST, last=FIRST + dt.timedelta(days=27)))


def appointments(quick: bool) -> Figures:
    """Free slots of four weeks with 100 appointments, against a year of office hours."""
    app = ip.App([_Eislingen()], autoload=False)
    booked = _booked(app)
    assert booked == 100, booked
    start = dt.datetime(2025, 11, 24, 8, tzinfo=BERLIN)

    def free() -> Any:
        return app.appointments.free(
            "08117019", "eis-im-01", first=FIRST, last=FIRST + dt.timedelta(days=27), length=dt.timedelta(minutes=45)
        )

    def office_hours() -> Any:
        return ip.rules.occurrences(OFFICE, start, start + dt.timedelta(weeks=52))

    assert free(), "no free slots"
    rounds = 5 if quick else 40
    calls = 2 if quick else 20
    measured: list[tuple[float, float]] = []
    for _ in range(rounds):
        ours = timed(lambda: [free() for _ in range(calls)]) / calls
        peer = timed(lambda: [office_hours() for _ in range(calls)]) / calls
        measured.append((ours, peer))
    return {
        "free_slots_4_weeks_ms": statistics.median(ours for ours, _ in measured) * 1_000,
        # ours / peer (the goal is at most 2): the median of per-round ratios
        "free_slots_vs_office_hours_52_weeks": statistics.median(ours / peer for ours, peer in measured),
    }
