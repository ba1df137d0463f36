"""Countries of origin with good prospects of staying (gute Bleibeperspektive), by date.

Federal practice counts nationals of countries whose overall protection rate exceeds
50 %; it matters only while the asylum procedure runs (Aufenthaltsgestattung). The list
changed over time and the current one could not be confirmed from a primary source, so
it ships as dated data with its sources, and a municipality (through a plugin, once the
plugin issue lands) or an application can pass its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from integrationsplan.domain._validators import calendar_date, country_code, not_before, optional, text, tuple_of

__all__ = ["DEFAULT_GOOD_PROSPECTS", "GoodProspectsEntry", "GoodProspectsList"]


@attrs.frozen
class GoodProspectsEntry:
    """One country on the list from ``valid_from`` until ``valid_until`` (inclusive, if set)."""

    country: str = attrs.field(validator=country_code)
    valid_from: dt.date = attrs.field(validator=calendar_date)
    valid_until: dt.date | None = attrs.field(
        default=None, validator=[optional(calendar_date), not_before("valid_from")]
    )
    source: str = attrs.field(default="", validator=optional(text(300)))


@attrs.frozen
class GoodProspectsList:
    """A dated list of countries; ``countries_on(day)`` gives the list on that day."""

    name: str = attrs.field(validator=text(100))
    entries: tuple[GoodProspectsEntry, ...] = attrs.field(validator=tuple_of(GoodProspectsEntry, "entries"))
    unconfirmed_after: dt.date | None = attrs.field(default=None, validator=optional(calendar_date))

    def countries_on(self, day: dt.date) -> frozenset[str]:
        return frozenset(
            entry.country
            for entry in self.entries
            if entry.valid_from <= day and (entry.valid_until is None or day <= entry.valid_until)
        )

    def includes(self, country: str, day: dt.date) -> bool:
        return country in self.countries_on(day)

    def sources(self, countries: Sequence[str] = ()) -> tuple[str, ...]:
        return tuple(sorted({e.source for e in self.entries if e.source and (not countries or e.country in countries)}))


_BAMF = "BAMF / Bundesregierung, Länder mit guter Bleibeperspektive (Schutzquote über 50 %)"
_DROPPED = _BAMF + ", 2015/16; dropped by 2021"

# Built without running the validators: checking six country codes would load pycountry's
# databases on every import of the library. tests/test_rules_eligibility.py builds the
# same list with validation on and compares.
with attrs.validators.disabled():
    DEFAULT_GOOD_PROSPECTS = GoodProspectsList(
        name="federal-practice-2015-2022",
        entries=(
            GoodProspectsEntry("SYR", dt.date(2015, 1, 1), source=_BAMF + ", 2015/16"),
            GoodProspectsEntry("ERI", dt.date(2015, 1, 1), source=_BAMF + ", 2015/16"),
            GoodProspectsEntry(
                "IRQ", dt.date(2015, 1, 1), dt.date(2020, 12, 31), source=_BAMF + ", 2015/16; dropped by 2021"
            ),
            GoodProspectsEntry(
                "IRN", dt.date(2015, 1, 1), dt.date(2020, 12, 31), source=_BAMF + ", 2015/16; dropped by 2021"
            ),
            GoodProspectsEntry("SOM", dt.date(2016, 8, 1), source=_BAMF + ", from 1 August 2016"),
            GoodProspectsEntry("AFG", dt.date(2022, 1, 1), source=_BAMF + ", added January 2022"),
        ),
        unconfirmed_after=dt.date(2022, 12, 31),
    )
"""The list as far as public sources were found. The exact day Iraq and Iran dropped out
is not known (between 2016 and 2021; taken as the end of 2020), and nothing after 2022
is confirmed: decisions relying on it say so."""
