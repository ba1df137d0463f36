"""Eligibility decisions as the plan's history keeps them.

The rules ([`integrationsplan.rules.eligibility`][integrationsplan.rules.eligibility])
compute a [`Decision`][integrationsplan.Decision] with reasons in German and English;
what goes on the record is the part that must still be shown years later: the outcome,
the reason codes, the stage, the rule set and its version, the day decided, and a manual
override with who made it and why. The texts are not stored: they follow from the codes
and would otherwise freeze one release's wording into the history.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from integrationsplan.domain._validators import (
    PERSONAL,
    calendar_date,
    fail,
    identifier,
    member_of,
    redacted_repr,
    text,
    tuple_of,
)

__all__ = ["EligibilityRecord", "Outcome", "Override", "Stage"]


class Outcome(enum.Enum):
    """What an eligibility decision says; reasons push towards one of these."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_REVIEW = "needs_review"


class Stage(enum.Enum):
    """When a rule is checked: once when a plan starts, or on every review."""

    ENTRY = "entry"
    ONGOING = "ongoing"


@attrs.frozen
class Override:
    """A manual decision that replaces the computed outcome: who, when, why.

    The justification is free text about the person and is redacted like every note.
    """

    outcome: Outcome = attrs.field(validator=member_of(Outcome))
    decided_by: str = attrs.field(validator=identifier)
    decided_on: dt.date = attrs.field(validator=calendar_date)
    justification: str = attrs.field(validator=text(2_000, multiline=True), metadata=PERSONAL, repr=redacted_repr)


def _reason_code(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if (
        type(value) is not str
        or not value
        or len(value) > 60
        or not (value.isascii() and value.replace("_", "").isalnum())
    ):
        fail(instance, attribute, "a reason code is 1-60 letters, digits and underscores")


def _override_matches(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        if instance.outcome is not instance.computed_outcome:
            fail(instance, attribute, "an outcome other than the computed one needs an override")
        return
    if not isinstance(value, Override):
        fail(instance, attribute, f"expected an Override, got {type(value).__name__}")
    if value.outcome is not instance.outcome:
        fail(instance, attribute, f"the override says {value.outcome.value}, the record {instance.outcome.value}")


@attrs.frozen
class EligibilityRecord:
    """An eligibility decision on the record of a plan.

    ``outcome`` is what holds; ``computed_outcome`` what the rules said. They differ only
    with an ``override``, whose outcome is the record's.
    """

    decided_on: dt.date = attrs.field(validator=calendar_date)
    stage: Stage = attrs.field(validator=member_of(Stage))
    outcome: Outcome = attrs.field(validator=member_of(Outcome))
    computed_outcome: Outcome = attrs.field(validator=member_of(Outcome))
    reason_codes: tuple[str, ...] = attrs.field(validator=tuple_of(_reason_code, "reason codes"))
    rule_set: str = attrs.field(validator=identifier)
    rule_set_version: str = attrs.field(validator=text(40))
    override: Override | None = attrs.field(default=None, validator=_override_matches)
