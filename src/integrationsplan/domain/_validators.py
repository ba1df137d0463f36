"""Validators shared by the domain classes (internal).

Each validator raises [`ValidationError`][integrationsplan.ValidationError] naming the
field path, so a bad value fails the same way whether it comes from Python code or
from a stored document. Fields that hold personal text are marked with
``personal`` metadata: their values never appear in messages or reprs.
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn

import attrs

from integrationsplan.domain.iso_codes import is_country_code, is_language_code, is_nationality_code
from integrationsplan.errors import FieldError, ValidationError, value_shape

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

#: Metadata key marking a field whose value is personal text (names, notes, contact).
SENSITIVE = "integrationsplan.sensitive"
PERSONAL: dict[str, bool] = {SENSITIVE: True}

_REDACTED = "<redacted>"
IDENTIFIER_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")
_PHONE = re.compile(r"\+?[0-9][0-9 ()/.-]{2,30}")
_AGS = re.compile(r"(0[1-9]|1[0-6])\d{6}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CONTROL_WITH_NEWLINE = re.compile(r"[\x00-\x1f\x7f]")


#: The attribute a validator carries with the JSON Schema of what it accepts (for
#: ``integrationsplan.serialization.schema``): a fragment for the value, or ``optional``'s
#: inner validator.
SCHEMA = "__json_schema__"


def _described(check: Validator, fragment: dict[str, Any]) -> Validator:
    setattr(check, SCHEMA, fragment)
    return check


def redacted_repr(value: object) -> str:
    """``repr`` for personal fields: shows that a value is there, never the value."""
    return "None" if value is None else _REDACTED


def is_sensitive(attribute: attrs.Attribute[Any]) -> bool:
    return bool(attribute.metadata.get(SENSITIVE, False))


def show(value: object, attribute: attrs.Attribute[Any] | None = None) -> str:
    """Describe a bad value for a message by its type and shape, never by its content.

    A value that fails validation may be personal text typed into the wrong field (a
    surname in a date field, a phone number in an id), so no error message shows the
    value itself, whatever the field: only what kind of value it was and how long, which
    is enough to find the mistake in the input and says nothing about the person.
    """
    return value_shape(value)


def fail(instance: object, attribute: attrs.Attribute[Any], message: str, suffix: str = "") -> NoReturn:
    raise ValidationError(type(instance).__name__, [FieldError(f"$.{attribute.name}{suffix}", message)])


def type_name(value: object) -> str:
    return "null" if value is None else type(value).__name__


def optional(validator: Validator) -> Validator:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            validator(instance, attribute, value)

    check.optional_of = validator  # type: ignore[attr-defined]
    return check


def boolean(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not bool:
        fail(instance, attribute, f"expected a boolean, got {type_name(value)}")


def identifier(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """Identifiers are opaque codes: 1-64 letters, digits and ``. _ : -``.

    They must not encode names or other personal data; the pattern keeps them short
    and safe to log.
    """
    if type(value) is not str:
        fail(instance, attribute, f"expected an identifier string, got {type_name(value)}")
    if IDENTIFIER_PATTERN.fullmatch(value) is None:
        fail(
            instance,
            attribute,
            f"{show(value)} is not an identifier (1-64 characters: letters, digits, '._:-', "
            "starting with a letter or digit)",
        )


def text(max_length: int, *, multiline: bool = False) -> Validator:
    """A non-blank string without control characters, at most ``max_length`` long."""
    control = _CONTROL if multiline else _CONTROL_WITH_NEWLINE

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        # Fast path for the common case; the checks below explain any refusal.
        if (
            type(value) is str
            and 0 < len(value) <= max_length
            and value.isprintable()
            and " " not in (value[0], value[-1])
        ):
            return
        if type(value) is not str:
            fail(instance, attribute, f"expected a string, got {type_name(value)}")
        if not value.strip():
            fail(instance, attribute, "must not be blank")
        if value != value.strip():
            fail(instance, attribute, "must not start or end with whitespace")
        if len(value) > max_length:
            fail(instance, attribute, f"is {len(value)} characters long, at most {max_length} allowed")
        if control.search(value) is not None:
            kind = "control characters" if multiline else "line breaks or control characters"
            fail(instance, attribute, f"must not contain {kind}")

    line = r"^\S(?:[\s\S]*\S)?$" if multiline else r"^\S(?:[^\n\r]*\S)?$"
    return _described(check, {"type": "string", "minLength": 1, "maxLength": max_length, "pattern": line})


def member_of(enum_type: type[enum.Enum]) -> Validator:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, enum_type):
            fail(instance, attribute, enum_message(value, enum_type))

    return check


def enum_message(value: object, enum_type: type[enum.Enum]) -> str:
    choices = ", ".join(repr(member.value) for member in enum_type)
    return f"{show(value)} is not a valid {enum_type.__name__} (expected one of {choices})"


#: The days a plan can speak of. Anything outside is a typing error (a year 2205, 0023),
#: and refusing it at the boundary keeps date arithmetic (a deadline 24 months later)
#: from overflowing far from where the bad value came in.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)


def calendar_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not dt.date:
        fail(instance, attribute, f"expected a date, got {type_name(value)}")
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        fail(instance, attribute, f"the date lies outside {EARLIEST_DATE.year}-{LATEST_DATE.year}")


def utc_instant(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not dt.datetime:
        fail(instance, attribute, f"expected a datetime, got {type_name(value)}")
    if value.tzinfo is not dt.UTC:
        fail(instance, attribute, "is not a UTC instant (tzinfo must be datetime.UTC)")
    if not EARLIEST_DATE <= value.date() <= LATEST_DATE:
        fail(instance, attribute, f"the instant lies outside {EARLIEST_DATE.year}-{LATEST_DATE.year}")


def integer(minimum: int, maximum: int) -> Validator:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is not int:
            fail(instance, attribute, f"expected an integer, got {type_name(value)}")
        if not minimum <= value <= maximum:
            fail(instance, attribute, f"{show(value)} is not between {minimum} and {maximum}")

    return _described(check, {"type": "integer", "minimum": minimum, "maximum": maximum})


def number(minimum: float, maximum: float) -> Validator:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) not in (int, float):
            fail(instance, attribute, f"expected a number, got {type_name(value)}")
        if not minimum <= value <= maximum:  # also rejects NaN
            fail(instance, attribute, f"the number is not between {minimum} and {maximum}")

    return _described(check, {"type": "number", "minimum": minimum, "maximum": maximum})


def tuple_of(element: Validator | type[Any] | tuple[type[Any], ...], what: str) -> Validator:
    """A tuple whose every element is an instance of ``element`` (or passes it)."""
    exact = frozenset((element,) if isinstance(element, type) else element if isinstance(element, tuple) else ())

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if type(value) is not tuple:
            fail(instance, attribute, f"expected a tuple of {what}, got {type_name(value)}")
        # Fast path (runs in C): every element is exactly of an accepted class. A plan's
        # tuples grow with its history, and this check runs on every revision.
        if exact and exact.issuperset(map(type, value)):
            return
        for index, item in enumerate(value):
            if isinstance(element, (type, tuple)):
                if not isinstance(item, element):
                    fail(instance, attribute, f"expected {what}, got {type_name(item)}", f"[{index}]")
            else:
                try:
                    element(instance, attribute, item)
                except ValidationError as error:
                    raise _at_index(error, attribute.name, index) from None

    if not isinstance(element, (type, tuple)):
        check.element = element  # type: ignore[attr-defined]
    return check


def _at_index(error: ValidationError, name: str, index: int) -> ValidationError:
    prefix = f"$.{name}"
    return ValidationError(
        error.subject,
        (
            FieldError(f"{prefix}[{index}]{e.path[len(prefix) :]}", e.message) if e.path.startswith(prefix) else e
            for e in error.errors
        ),
    )


def no_duplicates(what: str) -> Validator:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        seen: set[Any] = set()
        for index, item in enumerate(value):
            if item in seen:
                fail(instance, attribute, f"duplicate {what} {show(item, attribute)}", f"[{index}]")
            seen.add(item)

    return _described(check, {"uniqueItems": True})


_ID = operator.attrgetter("id")


def unique_ids(items: Sequence[Any], what: str) -> Iterable[tuple[int, str]]:
    """Yield ``(index, id)`` of every item whose ``id`` was already seen."""
    if len(set(map(_ID, items))) == len(items):  # the common case, counted in C
        return
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item.id in seen:
            yield index, item.id
        seen.add(item.id)


def not_before(other: str) -> Validator:
    """The date must not be before the date in field ``other`` (when both are set)."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        earlier = getattr(instance, other)
        if value is not None and earlier is not None and value < earlier:
            fail(instance, attribute, f"the date is before {other}")

    return check


def country_code(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not is_country_code(value):
        fail(instance, attribute, f"{show(value)} is not an ISO 3166-1 alpha-3 country code")


def nationality_code(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not is_nationality_code(value):
        fail(
            instance,
            attribute,
            f"{show(value)} is not an ISO 3166-1 alpha-3 country code, 'XXA' (stateless) or 'XXX' (unknown)",
        )


def language_code(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not is_language_code(value):
        fail(instance, attribute, f"{show(value)} is not an ISO 639-3 language code")


def instance_of(cls: type[Any] | tuple[type[Any], ...]) -> Validator:
    what = cls.__name__ if isinstance(cls, type) else " or ".join(c.__name__ for c in cls)

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, cls):
            fail(instance, attribute, f"expected a {what}, got {type_name(value)}")

    return check


def is_ags(value: object) -> bool:
    """True for an 8-digit Amtlicher Gemeindeschlüssel with a valid state key (01-16)."""
    return isinstance(value, str) and _AGS.fullmatch(value) is not None


def ags(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """An 8-digit AGS (state, government region, district and municipality key)."""
    if not is_ags(value):
        fail(
            instance,
            attribute,
            f"{show(value)} is not an Amtlicher Gemeindeschlüssel (8 digits starting with a state key 01-16)",
        )


def phone(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A phone number: digits, spaces and ``+()/.-``; the value is never echoed."""
    if type(value) is not str or _PHONE.fullmatch(value) is None:
        fail(instance, attribute, "is not a phone number (digits, spaces, '+()/.-', 3-32 characters)")


for _check, _fragment in (
    (boolean, {"type": "boolean"}),
    (identifier, {"type": "string", "pattern": "^" + IDENTIFIER_PATTERN.pattern + "$"}),
    (calendar_date, {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
    (utc_instant, {"type": "string", "format": "date-time", "pattern": r"(Z|[+-]\d{2}:\d{2})$"}),
    (country_code, {"type": "string", "pattern": "^[A-Z]{3}$"}),
    (nationality_code, {"type": "string", "pattern": "^[A-Z]{3}$"}),
    (language_code, {"type": "string", "pattern": "^[a-z]{3}$"}),
    (ags, {"type": "string", "pattern": "^" + _AGS.pattern + "$"}),
    (phone, {"type": "string", "pattern": "^" + _PHONE.pattern + "$"}),
):
    setattr(_check, SCHEMA, _fragment)
