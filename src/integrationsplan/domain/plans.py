"""The integration plan (Integrationsplan): personal data and the goals agreed."""

from __future__ import annotations

import datetime as dt
import itertools
import operator
from typing import Any

import attrs

from integrationsplan.domain._validators import (
    ags,
    calendar_date,
    fail,
    identifier,
    instance_of,
    optional,
    tuple_of,
    unique_ids,
)
from integrationsplan.domain.competencies import (
    Competency,
    Development,
    LanguageSkill,
    OtherSkill,
    Schooling,
    VocationalQualification,
    WorkExperience,
)
from integrationsplan.domain.goals import Goal
from integrationsplan.domain.person import Person

__all__ = ["IntegrationPlan"]

_COMPETENCY_TYPES = (LanguageSkill, Schooling, VocationalQualification, WorkExperience, OtherSkill)
_ID = operator.attrgetter("id")
_MEASURES = operator.attrgetter("measures")
_AGREED = operator.attrgetter("agreed_on")


def _unique(what: str) -> Any:
    def check(instance: IntegrationPlan, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        for index, duplicate in unique_ids(value, what):
            fail(instance, attribute, f"duplicate {what} id {duplicate!r}", f"[{index}].id")

    return check


def _goals_fit(instance: IntegrationPlan, attribute: attrs.Attribute[Any], value: tuple[Goal, ...]) -> None:
    _unique("goal")(instance, attribute, value)
    # The common case, checked in C: all goals agreed in time, all measure ids distinct.
    measure_ids = list(map(_ID, itertools.chain.from_iterable(map(_MEASURES, value))))
    agreed = list(map(_AGREED, value))
    if (not agreed or min(agreed) >= instance.drawn_up_on) and len(set(measure_ids)) == len(measure_ids):
        return
    seen: set[str] = set()
    for goal_index, goal in enumerate(value):
        if goal.agreed_on < instance.drawn_up_on:
            fail(instance, attribute, "agreed_on is before the plan was drawn up", f"[{goal_index}].agreed_on")
        for measure_index, measure in enumerate(goal.measures):
            if measure.id in seen:
                fail(
                    instance,
                    attribute,
                    f"duplicate measure id {measure.id!r}",
                    f"[{goal_index}].measures[{measure_index}].id",
                )
            seen.add(measure.id)


def _developments_fit(
    instance: IntegrationPlan, attribute: attrs.Attribute[Any], value: tuple[Development, ...]
) -> None:
    _unique("development")(instance, attribute, value)


@attrs.frozen
class IntegrationPlan:
    """The integration plan of one person in one municipality.

    It holds what the programme asks to be written down when counselling starts —
    personal data with competencies, schooling, vocational degrees and individual
    developments — and the goals agreed. Identifiers of competencies, developments,
    goals and measures are unique within the plan, so later changes can name them.
    How a plan changes over time (its revisions) is kept apart from this snapshot.
    """

    id: str = attrs.field(validator=identifier)
    municipality_ags: str = attrs.field(validator=ags)
    person: Person = attrs.field(validator=instance_of(Person))
    drawn_up_on: dt.date = attrs.field(validator=calendar_date)
    manager_id: str | None = attrs.field(default=None, validator=optional(identifier))
    competencies: tuple[Competency, ...] = attrs.field(
        default=(), validator=[tuple_of(_COMPETENCY_TYPES, "a competency"), _unique("competency")]
    )
    developments: tuple[Development, ...] = attrs.field(
        default=(), validator=[tuple_of(Development, "a Development"), _developments_fit]
    )
    goals: tuple[Goal, ...] = attrs.field(default=(), validator=[tuple_of(Goal, "a Goal"), _goals_fit])
