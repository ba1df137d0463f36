"""Counselling contacts (Beratungskontakte): when, how, how long, about what."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from integrationsplan.domain._validators import (
    boolean,
    fail,
    integer,
    member_of,
    no_duplicates,
    tuple_of,
    utc_instant,
)
from integrationsplan.domain.goals import GoalArea

__all__ = ["ContactMode", "CounsellingContact"]


class ContactMode(enum.Enum):
    """How a contact took place; the annual key figures count contacts by mode."""

    OFFICE_HOURS = "office_hours"
    PHONE = "phone"
    HOME_VISIT = "home_visit"
    VIDEO = "video"
    ACCOMPANIMENT = "accompaniment"


def _topics(instance: CounsellingContact, attribute: attrs.Attribute[Any], value: tuple[GoalArea, ...]) -> None:
    if not value:
        fail(instance, attribute, "a contact is about at least one topic")


@attrs.frozen
class CounsellingContact:
    """One counselling contact, as the key figures need it: no notes, only facts.

    ``at`` is the UTC instant it began; ``topics`` are goal areas, so reports can count
    contacts per topic (housing, children, labour market, language, health ...).
    """

    at: dt.datetime = attrs.field(validator=utc_instant)
    mode: ContactMode = attrs.field(validator=member_of(ContactMode))
    duration_minutes: int = attrs.field(validator=integer(1, 720))
    topics: tuple[GoalArea, ...] = attrs.field(
        validator=[tuple_of(member_of(GoalArea), "goal areas"), no_duplicates("topic"), _topics]
    )
    interpreter_used: bool = attrs.field(default=False, validator=boolean)
