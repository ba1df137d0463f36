"""Argument types of the command line: every number and date is checked where it is typed.

A value outside what the library accepts is a usage error naming the option, not an
``OverflowError`` from deep inside a computation after part of the work was done.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from collections.abc import Callable

__all__ = ["bounded", "date", "moment", "ratio", "revision", "revision_or_zero"]

_MAX_REVISION = 2**31


def _bounds() -> tuple[dt.date, dt.date]:
    # The domain loads when a date is typed, not for ``--help``.
    from integrationsplan.domain import EARLIEST_DATE, LATEST_DATE  # noqa: PLC0415

    return EARLIEST_DATE, LATEST_DATE


def date(text: str) -> dt.date:
    """A day as ``YYYY-MM-DD`` within the years the domain accepts."""
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text[:40]!r}") from None
    EARLIEST_DATE, LATEST_DATE = _bounds()  # noqa: N806 - the domain's names
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise argparse.ArgumentTypeError(f"{value.isoformat()} lies outside {EARLIEST_DATE.year}-{LATEST_DATE.year}")
    return value


def moment(text: str) -> dt.datetime:
    """A date and time, ``YYYY-MM-DDTHH:MM``: the office's local time, or with an offset."""
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date and time (YYYY-MM-DDTHH:MM): {text[:40]!r}") from None
    EARLIEST_DATE, LATEST_DATE = _bounds()  # noqa: N806 - the domain's names
    if not EARLIEST_DATE <= value.date() <= LATEST_DATE:
        raise argparse.ArgumentTypeError(
            f"{value.date().isoformat()} lies outside {EARLIEST_DATE.year}-{LATEST_DATE.year}"
        )
    return value


def bounded(minimum: int, maximum: int) -> Callable[[str], int]:
    """A whole number from ``minimum`` to ``maximum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text[:40]!r}") from None
        if not minimum <= value <= maximum:
            raise argparse.ArgumentTypeError(f"must be {minimum}-{maximum}")
        return value

    parse.__name__ = "whole number"
    return parse


revision = bounded(1, _MAX_REVISION)
revision_or_zero = bounded(0, _MAX_REVISION)


def ratio(text: str) -> float:
    """Cases per full-time post: a finite number above 0 and at most 10,000."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text[:40]!r}") from None
    if not (math.isfinite(value) and 0 < value <= 10_000):
        raise argparse.ArgumentTypeError("must be a number above 0 and at most 10000")
    return value
