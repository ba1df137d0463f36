"""Goals of the goal agreement (Zielvereinbarung) and the measures to reach them."""

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
    instance_of,
    member_of,
    not_before,
    optional,
    redacted_repr,
    show,
    text,
    tuple_of,
    unique_ids,
)

__all__ = [
    "Achievement",
    "Goal",
    "GoalArea",
    "GoalStatus",
    "Measure",
    "MeasureStatus",
    "Responsible",
    "ResponsibleParty",
]


class GoalArea(enum.Enum):
    """Areas (Handlungsfelder) of an integration plan.

    The first five are named by the programme itself; social participation comes from
    the state's practice portal, health and family from the published counselling
    topics.
    """

    LANGUAGE = "language"
    LABOUR_MARKET = "labour_market"
    RECOGNITION = "recognition"
    HOUSING = "housing"
    SCHOOL_AND_EDUCATION = "school_and_education"
    SOCIAL_PARTICIPATION = "social_participation"
    HEALTH = "health"
    FAMILY_AND_CHILDREN = "family_and_children"
    OTHER = "other"


class GoalStatus(enum.Enum):
    """Lifecycle of a goal; how far it was achieved is [`Achievement`][integrationsplan.Achievement]."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        """True while work on the goal can go on (proposed, active, on hold)."""
        return self in (GoalStatus.PROPOSED, GoalStatus.ACTIVE, GoalStatus.ON_HOLD)


class Achievement(enum.Enum):
    """How far a goal is reached, assessed apart from its status.

    A cancelled goal may still have been partly reached, and an active one may be
    half-way: keeping the two apart lets reports count progress honestly.
    """

    NOT_ASSESSED = "not_assessed"
    NONE = "none"
    PARTIAL = "partial"
    FULL = "full"


class ResponsibleParty(enum.Enum):
    """Who carries out a measure: the person, the manager, or an external service."""

    PERSON = "person"
    MANAGER = "manager"
    EXTERNAL = "external"


def _service(instance: Responsible, attribute: attrs.Attribute[Any], value: Any) -> None:
    external = instance.party is ResponsibleParty.EXTERNAL
    if external and value is None:
        fail(instance, attribute, "an external responsible party needs the name of the service")
    if not external and value is not None:
        fail(instance, attribute, f"only an external party has a service name, not {instance.party.value!r}")


@attrs.frozen
class Responsible:
    """Who does a measure: ``Responsible.external("Jobcenter")`` names a service.

    Typical services: Jobcenter, Agentur für Arbeit, Ausländerbehörde, Volkshochschule
    (adult education centre), Anerkennungsberatung (IQ network), Migrationsberatung
    (MBE), Jugendmigrationsdienst, schools and kindergartens.
    """

    party: ResponsibleParty = attrs.field(validator=member_of(ResponsibleParty))
    service: str | None = attrs.field(default=None, validator=[optional(text(200)), _service])

    @classmethod
    def external(cls, service: str) -> Responsible:
        return cls(ResponsibleParty.EXTERNAL, service)


class MeasureStatus(enum.Enum):
    """State of a measure (Maßnahme / Schritt)."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


@attrs.frozen
class Measure:
    """A step towards a goal: what, who is responsible, by when."""

    id: str = attrs.field(validator=identifier)
    description: str = attrs.field(validator=text(2_000, multiline=True), metadata=PERSONAL, repr=redacted_repr)
    responsible: Responsible = attrs.field(validator=instance_of(Responsible))
    due_on: dt.date | None = attrs.field(default=None, validator=optional(calendar_date))
    status: MeasureStatus = attrs.field(default=MeasureStatus.PLANNED, validator=member_of(MeasureStatus))


def _achievement_fits(instance: Goal, attribute: attrs.Attribute[Any], value: Achievement) -> None:
    if instance.status is GoalStatus.ACHIEVED and value is not Achievement.FULL:
        fail(instance, attribute, f"an achieved goal has achievement 'full', not {show(value)}")
    if instance.status is GoalStatus.NOT_ACHIEVED and value not in (Achievement.NONE, Achievement.PARTIAL):
        fail(instance, attribute, f"a goal not achieved has achievement 'none' or 'partial', not {show(value)}")


def _measures_fit(instance: Goal, attribute: attrs.Attribute[Any], value: tuple[Measure, ...]) -> None:
    for index, measure_id in unique_ids(value, "measure"):
        fail(instance, attribute, f"duplicate measure id {measure_id!r}", f"[{index}].id")
    for index, measure in enumerate(value):
        if measure.due_on is not None and measure.due_on < instance.agreed_on:
            fail(instance, attribute, "due_on is before the goal's agreed_on", f"[{index}].due_on")


@attrs.frozen
class Goal:
    """A goal agreed with the person, in one area, with the measures to reach it.

    ``agreed_on`` is the day of the agreement; ``target_date`` the day it should be
    reached by, never before the agreement.
    """

    id: str = attrs.field(validator=identifier)
    area: GoalArea = attrs.field(validator=member_of(GoalArea))
    statement: str = attrs.field(validator=text(2_000, multiline=True), metadata=PERSONAL, repr=redacted_repr)
    agreed_on: dt.date = attrs.field(validator=calendar_date)
    target_date: dt.date | None = attrs.field(
        default=None, validator=[optional(calendar_date), not_before("agreed_on")]
    )
    status: GoalStatus = attrs.field(default=GoalStatus.ACTIVE, validator=member_of(GoalStatus))
    achievement: Achievement = attrs.field(
        default=Achievement.NOT_ASSESSED, validator=[member_of(Achievement), _achievement_fits]
    )
    measures: tuple[Measure, ...] = attrs.field(default=(), validator=[tuple_of(Measure, "Measure"), _measures_fit])
