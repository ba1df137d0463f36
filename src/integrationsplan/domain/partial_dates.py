"""Dates known only in part, as refugee documents often give them."""

from __future__ import annotations

import calendar
import datetime as dt
import re

import attrs

from integrationsplan.domain._validators import EARLIEST_DATE, LATEST_DATE, fail, integer, optional
from integrationsplan.errors import FieldError, ValidationError, value_shape

__all__ = ["PartialDate"]

_FORMAT = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _month_in_range(instance: PartialDate, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is None and instance.day is not None:
        fail(instance, attribute, "a day needs a month")


def _day_exists(instance: PartialDate, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and instance.month is not None:
        last = calendar.monthrange(instance.year, instance.month)[1]
        if value > last:
            fail(instance, attribute, f"{instance.year:04d}-{instance.month:02d} has no day {value}")


@attrs.frozen(order=False)
class PartialDate:
    """A date of which only the year, or the year and month, may be known.

    Birth dates in refugee documents are often given as a year only ("1990") or a year
    and month; official German forms then write ``00`` for the unknown parts. This
    type keeps exactly what is known. Its text form is ISO 8601 with reduced
    precision: ``1990``, ``1990-05`` or ``1990-05-17``. Compare partial dates through
    ``earliest`` and ``latest``: "born before X" is only certain when
    ``latest < X``.
    """

    year: int = attrs.field(validator=integer(EARLIEST_DATE.year, LATEST_DATE.year))
    month: int | None = attrs.field(default=None, validator=[optional(integer(1, 12)), _month_in_range])
    day: int | None = attrs.field(default=None, validator=[optional(integer(1, 31)), _day_exists])

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        match = _FORMAT.fullmatch(text) if isinstance(text, str) else None
        if match is None:
            shown = value_shape(text)
            raise ValidationError(
                "PartialDate", [FieldError("$", f"{shown} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")]
            )
        year, month, day = match.groups()
        try:
            return cls(int(year), None if month is None else int(month), None if day is None else int(day))
        except ValidationError as error:  # report the text as a whole, not its parts
            raise ValidationError("PartialDate", [FieldError("$", e.message) for e in error.errors]) from None

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    @property
    def is_complete(self) -> bool:
        """True when year, month and day are known."""
        return self.day is not None

    @property
    def earliest(self) -> dt.date:
        """The first day this partial date can stand for."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> dt.date:
        """The last day this partial date can stand for."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def isoformat(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __str__(self) -> str:
        return self.isoformat()
