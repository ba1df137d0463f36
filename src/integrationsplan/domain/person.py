"""The person counselled: master data as written in their documents."""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from typing import Any

import attrs

from integrationsplan.domain._validators import (
    PERSONAL,
    ags,
    calendar_date,
    fail,
    identifier,
    instance_of,
    language_code,
    member_of,
    nationality_code,
    no_duplicates,
    optional,
    phone,
    redacted_repr,
    text,
    tuple_of,
)
from integrationsplan.domain.iso_codes import STATELESS, UNKNOWN_NATIONALITY
from integrationsplan.domain.partial_dates import PartialDate
from integrationsplan.domain.residence import ResidenceStatus

__all__ = ["Allocation", "Person", "PersonName", "Sex"]


class Sex(enum.Enum):
    """Sex as in the civil register (Geschlecht): weiblich, männlich, divers, ohne Angabe."""

    FEMALE = "female"
    MALE = "male"
    DIVERSE = "diverse"
    UNKNOWN = "unknown"


def _latin(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    for char in value:
        if char.isalpha() and not unicodedata.name(char, "").startswith("LATIN"):
            fail(instance, attribute, "contains letters that are not Latin script")


def _some_name(instance: PersonName, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None and instance.family_name is None:
        fail(instance, attribute, "a person needs a family name or given names")


def _transliteration(instance: PersonName, attribute: attrs.Attribute[Any], value: Any) -> None:
    original = getattr(instance, attribute.name.removeprefix("latin_"))
    if value is not None and original is None:
        fail(
            instance,
            attribute,
            f"a transliteration needs the {attribute.name.removeprefix('latin_')} it transliterates",
        )


def _name_field(*extra: Any) -> Any:
    return attrs.field(
        default=None,
        validator=[optional(text(200)), *extra],
        metadata=PERSONAL,
        repr=redacted_repr,
    )


@attrs.frozen
class PersonName:
    """Names exactly as written in the identity document, in any script.

    Many people have only one name, so either part may be missing, not both. The
    optional Latin transliteration is what German authorities print (for example in
    the Aufenthaltstitel); keeping both avoids re-spelling a name differently in every
    letter.
    """

    family_name: str | None = _name_field()
    given_names: str | None = _name_field(_some_name)
    latin_family_name: str | None = _name_field(optional(_latin), _transliteration)
    latin_given_names: str | None = _name_field(optional(_latin), _transliteration)


@attrs.frozen
class Allocation:
    """Allocation (Zuweisung) to follow-up housing (Anschlussunterbringung) in a municipality.

    It is the usual start of eligibility for integration management (§§ 17, 18 FlüAG).
    """

    allocated_on: dt.date = attrs.field(validator=calendar_date)
    municipality_ags: str = attrs.field(validator=ags)


def _nationalities(instance: Person, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    if not value:
        fail(instance, attribute, f"must not be empty (use {UNKNOWN_NATIONALITY!r} for unknown)")
    for special in (STATELESS, UNKNOWN_NATIONALITY):
        if special in value and len(value) > 1:
            fail(instance, attribute, f"{special!r} cannot be combined with other nationalities")


def _after_birth(instance: Person, attribute: attrs.Attribute[Any], value: dt.date | None) -> None:
    born = instance.date_of_birth
    if value is not None and born is not None and value < born.earliest:
        fail(instance, attribute, "the date is before the date of birth")


def _allocated_after_arrival(instance: Person, attribute: attrs.Attribute[Any], value: Allocation | None) -> None:
    if value is None:
        return
    if not isinstance(value, Allocation):
        fail(instance, attribute, f"expected an Allocation, got {type(value).__name__}")
    if instance.arrived_on is not None and value.allocated_on < instance.arrived_on:
        fail(instance, attribute, "allocated_on is before arrived_on", ".allocated_on")
    _after_birth(instance, attribute, value.allocated_on)


@attrs.frozen
class Person:
    """A person counselled by integration management, with master data (Stammdaten).

    Names, phone number and notes are personal data: they are hidden from ``repr`` and
    from every error message. Nationalities use ISO 3166-1 alpha-3 codes, or ``XXA``
    (stateless) and ``XXX`` (unknown) as in German travel documents; languages use
    ISO 639-3 codes (``prs`` Dari, ``kmr`` Kurmanji, ``ara`` Arabic ...).
    ``interpreter_language`` is set when an interpreter is needed, and says for which
    language.
    """

    id: str = attrs.field(validator=identifier)
    name: PersonName = attrs.field(validator=instance_of(PersonName))
    sex: Sex = attrs.field(validator=member_of(Sex))
    date_of_birth: PartialDate | None = attrs.field(default=None, validator=optional(instance_of(PartialDate)))
    nationalities: tuple[str, ...] = attrs.field(
        default=(UNKNOWN_NATIONALITY,),
        validator=[tuple_of(nationality_code, "nationality codes"), no_duplicates("nationality"), _nationalities],
    )
    languages: tuple[str, ...] = attrs.field(
        default=(), validator=[tuple_of(language_code, "language codes"), no_duplicates("language")]
    )
    residence_status: ResidenceStatus | None = attrs.field(
        default=None, validator=optional(instance_of(ResidenceStatus))
    )
    arrived_on: dt.date | None = attrs.field(default=None, validator=[optional(calendar_date), _after_birth])
    allocation: Allocation | None = attrs.field(default=None, validator=_allocated_after_arrival)
    household_id: str | None = attrs.field(default=None, validator=optional(identifier))
    phone: str | None = attrs.field(default=None, validator=optional(phone), metadata=PERSONAL, repr=redacted_repr)
    interpreter_language: str | None = attrs.field(default=None, validator=optional(language_code))

    @property
    def needs_interpreter(self) -> bool:
        return self.interpreter_language is not None
