"""Clocks: the one place the library learns what time it is.

Domain values and rules never read a clock; the services ask the clock they were given,
so tests and replays can fix time.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from integrationsplan.errors import FieldError, ValidationError

__all__ = ["Clock", "ManualClock", "SystemClock"]


class Clock(Protocol):
    """Anything with ``now()`` returning a timezone-aware UTC instant."""

    def now(self) -> dt.datetime: ...


class SystemClock:
    """The machine's clock, in UTC."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class ManualClock:
    """A clock that stands still until moved: for tests, examples and imports of old data."""

    def __init__(self, start: dt.datetime) -> None:
        if not isinstance(start, dt.datetime) or start.tzinfo is None or start.utcoffset() is None:
            raise ValidationError("ManualClock", [FieldError("$.start", "expected an aware datetime")])
        self._now = start.astimezone(dt.UTC)

    def now(self) -> dt.datetime:
        return self._now

    def advance(self, delta: dt.timedelta) -> dt.datetime:
        """Move the clock on by ``delta`` and return the new time."""
        self._now += delta
        return self._now

    def set(self, instant: dt.datetime) -> None:
        """Move the clock to ``instant`` (backwards too, to test how that is handled)."""
        if not isinstance(instant, dt.datetime) or instant.tzinfo is None or instant.utcoffset() is None:
            raise ValidationError("ManualClock", [FieldError("$.instant", "expected an aware datetime")])
        self._now = instant.astimezone(dt.UTC)
