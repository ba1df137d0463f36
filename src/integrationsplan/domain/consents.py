"""Consents (Einwilligungen) on the record: what a person agreed to, for whom, and until when.

A consent is given for one purpose, to named recipients, for named categories of data,
in a given version and language of the consent text, on a day, recorded by a staff
member. It is withdrawn (never deleted) with the day and who recorded the withdrawal:
both are changes in the plan's history (``GiveConsent``, ``WithdrawConsent``), so what
was valid on any past day can be answered, as GDPR Art. 7(1) asks the controller to show.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from integrationsplan.domain._validators import (
    calendar_date,
    fail,
    identifier,
    language_code,
    member_of,
    no_duplicates,
    optional,
    text,
    tuple_of,
)

__all__ = ["Consent", "DataCategory", "consents_valid_on"]


class DataCategory(enum.Enum):
    """Categories of data a consent covers (GDPR Art. 13(1)(e), 14(1)(d))."""

    IDENTITY = "identity"  # name, date of birth, nationality
    CONTACT_DATA = "contact_data"
    RESIDENCE_STATUS = "residence_status"
    QUALIFICATIONS = "qualifications"  # schooling, vocational degrees, recognition, languages
    GOALS_AND_MEASURES = "goals_and_measures"
    COUNSELLING_CONTACTS = "counselling_contacts"
    HEALTH = "health"  # special category, Art. 9


def _categories(instance: Consent, attribute: attrs.Attribute[Any], value: tuple[DataCategory, ...]) -> None:
    if not value:
        fail(instance, attribute, "a consent covers at least one category of data")


def _withdrawal(instance: Consent, attribute: attrs.Attribute[Any], value: dt.date | None) -> None:
    if value is not None and value < instance.given_on:
        fail(instance, attribute, "a consent cannot be withdrawn before it was given")
    if (value is None) != (instance.withdrawal_recorded_by is None):
        fail(instance, attribute, "a withdrawal names its day and who recorded it, or neither")


@attrs.frozen
class Consent:
    """One consent of the plan's person, as given (and, later, withdrawn).

    ``purpose`` and ``recipients`` name what and whom for (``"Vermittlung in Arbeit"``,
    ``"Jobcenter Göppingen"``): organisations and purposes, not people. ``text_version``
    names the consent form's version; ``text_language`` (ISO 639-3) the language it was
    read and signed in.
    """

    id: str = attrs.field(validator=identifier)
    purpose: str = attrs.field(validator=text(300))
    recipients: tuple[str, ...] = attrs.field(validator=[tuple_of(text(200), "recipients"), no_duplicates("recipient")])
    data_categories: tuple[DataCategory, ...] = attrs.field(
        validator=[tuple_of(member_of(DataCategory), "data categories"), no_duplicates("category"), _categories]
    )
    text_version: str = attrs.field(validator=text(50))
    text_language: str = attrs.field(validator=language_code)
    given_on: dt.date = attrs.field(validator=calendar_date)
    recorded_by: str = attrs.field(validator=identifier)
    withdrawn_on: dt.date | None = attrs.field(default=None, validator=[optional(calendar_date), _withdrawal])
    withdrawal_recorded_by: str | None = attrs.field(default=None, validator=optional(identifier))

    def valid_on(self, day: dt.date) -> bool:
        """Given on or before ``day`` and not withdrawn by then (a withdrawal counts from its day)."""
        return self.given_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)


def consents_valid_on(consents: tuple[Consent, ...], day: dt.date) -> tuple[Consent, ...]:
    """The consents valid on ``day``, in the order they were given."""
    return tuple(consent for consent in consents if consent.valid_on(day))
