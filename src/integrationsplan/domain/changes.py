"""Typed changes: the small steps a plan revision is made of.

A revision carries one or more changes; the plan's state is the fold of all of them
(``state``). Each change names what it touches by id, so a
change reads on its own in the history ("goal g-language: status achieved").
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, TypeAlias

import attrs

from integrationsplan.domain._validators import (
    PERSONAL,
    ags,
    calendar_date,
    identifier,
    instance_of,
    integer,
    member_of,
    optional,
    redacted_repr,
    text,
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
from integrationsplan.domain.consents import Consent
from integrationsplan.domain.contacts import CounsellingContact
from integrationsplan.domain.decisions import EligibilityRecord
from integrationsplan.domain.goals import Achievement, Goal, GoalStatus, Measure
from integrationsplan.domain.person import Person

__all__ = [
    "AddGoal",
    "AddMeasure",
    "AssignManager",
    "CancelMeasure",
    "Change",
    "ChangeGoalStatus",
    "ClosePlan",
    "ClosureReason",
    "CompleteMeasure",
    "CreatePlan",
    "ExtendSupport",
    "GiveConsent",
    "PauseSupport",
    "RecordAppointmentContact",
    "RecordCompetency",
    "RecordCounsellingContact",
    "RecordDevelopment",
    "RecordEligibilityDecision",
    "ReplaceCompetency",
    "ResumeSupport",
    "ReviseGoal",
    "UpdatePersonalData",
    "WithdrawCompetency",
    "WithdrawConsent",
]

_COMPETENCY = instance_of((LanguageSkill, Schooling, VocationalQualification, WorkExperience, OtherSkill))


def _reason() -> Any:
    return attrs.field(validator=text(500, multiline=True), metadata=PERSONAL, repr=redacted_repr)


@attrs.frozen
class CreatePlan:
    """Start the plan: the person, where, who counsels, consent and start of support.

    Participation is voluntary: the day of the person's written consent is recorded.
    The plan is drawn up on the revision's effective date.
    """

    person: Person = attrs.field(validator=instance_of(Person))
    municipality_ags: str = attrs.field(validator=ags)
    consent_given_on: dt.date = attrs.field(validator=calendar_date)
    support_starts_on: dt.date = attrs.field(validator=calendar_date)
    manager_id: str | None = attrs.field(default=None, validator=optional(identifier))


@attrs.frozen
class UpdatePersonalData:
    """Replace the person's master data; the person's id stays the same."""

    person: Person = attrs.field(validator=instance_of(Person))


@attrs.frozen
class RecordCompetency:
    """Record a new competency (its id must be new in the plan)."""

    competency: Competency = attrs.field(validator=_COMPETENCY)


@attrs.frozen
class ReplaceCompetency:
    """Replace a recorded competency by a new version with the same id."""

    competency: Competency = attrs.field(validator=_COMPETENCY)


@attrs.frozen
class WithdrawCompetency:
    """Remove a competency from the current plan (it stays in the history)."""

    competency_id: str = attrs.field(validator=identifier)


@attrs.frozen
class AddGoal:
    """Agree a new goal, possibly with its first measures."""

    goal: Goal = attrs.field(validator=instance_of(Goal))


@attrs.frozen
class ReviseGoal:
    """Reword a goal or move its target date (``None`` removes the target date)."""

    goal_id: str = attrs.field(validator=identifier)
    statement: str = attrs.field(validator=text(2_000, multiline=True), metadata=PERSONAL, repr=redacted_repr)
    target_date: dt.date | None = attrs.field(default=None, validator=optional(calendar_date))


@attrs.frozen
class ChangeGoalStatus:
    """Move a goal through its lifecycle and assess how far it was reached."""

    goal_id: str = attrs.field(validator=identifier)
    status: GoalStatus = attrs.field(validator=member_of(GoalStatus))
    achievement: Achievement = attrs.field(validator=member_of(Achievement))


@attrs.frozen
class AddMeasure:
    """Add a measure to an open goal."""

    goal_id: str = attrs.field(validator=identifier)
    measure: Measure = attrs.field(validator=instance_of(Measure))


@attrs.frozen
class CompleteMeasure:
    """Mark a planned or running measure as done."""

    measure_id: str = attrs.field(validator=identifier)


@attrs.frozen
class CancelMeasure:
    """Cancel a planned or running measure."""

    measure_id: str = attrs.field(validator=identifier)


@attrs.frozen
class RecordDevelopment:
    """Note an individual development."""

    development: Development = attrs.field(validator=instance_of(Development))


@attrs.frozen
class RecordCounsellingContact:
    """Record a counselling contact."""

    contact: CounsellingContact = attrs.field(validator=instance_of(CounsellingContact))


@attrs.frozen
class RecordAppointmentContact:
    """Record the counselling contact of a completed appointment, linked to the appointment.

    The same as ``RecordCounsellingContact`` for the plan (a contact beside it, counted
    in the key figures); the appointment's id links the plan's history to the
    appointment, which links back to this revision.
    """

    appointment_id: str = attrs.field(validator=identifier)
    contact: CounsellingContact = attrs.field(validator=instance_of(CounsellingContact))


@attrs.frozen
class AssignManager:
    """Hand the case to another integration manager."""

    manager_id: str = attrs.field(validator=identifier)


@attrs.frozen
class RecordEligibilityDecision:
    """Put an eligibility decision (and any manual override) on the plan's record."""

    decision: EligibilityRecord = attrs.field(validator=instance_of(EligibilityRecord))


@attrs.frozen
class ExtendSupport:
    """Extend the support period by whole months, with the justification the policy asks for."""

    months: int = attrs.field(validator=integer(1, 24))
    reason: str = _reason()


@attrs.frozen
class PauseSupport:
    """Pause the support from the revision's effective date on."""

    reason: str = _reason()


@attrs.frozen
class ResumeSupport:
    """End a pause on the revision's effective date."""

    reason: str = _reason()


@attrs.frozen
class GiveConsent:
    """Record a consent the person gave (its ``withdrawn_on`` is empty)."""

    consent: Consent = attrs.field(validator=instance_of(Consent))


@attrs.frozen
class WithdrawConsent:
    """Record that the person withdrew a consent, from ``withdrawn_on`` on."""

    consent_id: str = attrs.field(validator=identifier)
    withdrawn_on: dt.date = attrs.field(validator=calendar_date)
    recorded_by: str = attrs.field(validator=identifier)


class ClosureReason(enum.Enum):
    """Why a plan was closed."""

    GOALS_REACHED = "goals_reached"
    MOVED_AWAY = "moved_away"
    SUPPORT_PERIOD_ENDED = "support_period_ended"
    WITHDREW = "withdrew"
    OTHER = "other"


@attrs.frozen
class ClosePlan:
    """Close the plan on the revision's effective date; afterwards only corrections."""

    reason: ClosureReason = attrs.field(validator=member_of(ClosureReason))


Change: TypeAlias = (
    CreatePlan
    | UpdatePersonalData
    | RecordCompetency
    | ReplaceCompetency
    | WithdrawCompetency
    | AddGoal
    | ReviseGoal
    | ChangeGoalStatus
    | AddMeasure
    | CompleteMeasure
    | CancelMeasure
    | RecordDevelopment
    | RecordCounsellingContact
    | RecordAppointmentContact
    | AssignManager
    | RecordEligibilityDecision
    | ExtendSupport
    | PauseSupport
    | ResumeSupport
    | ClosePlan
    | GiveConsent
    | WithdrawConsent
)
"""Any change; stored with a ``change`` tag (see ``CHANGE_TAGS`` in serialization)."""

CHANGE_TYPES: tuple[type[Any], ...] = (
    CreatePlan,
    UpdatePersonalData,
    RecordCompetency,
    ReplaceCompetency,
    WithdrawCompetency,
    AddGoal,
    ReviseGoal,
    ChangeGoalStatus,
    AddMeasure,
    CompleteMeasure,
    CancelMeasure,
    RecordDevelopment,
    RecordCounsellingContact,
    AssignManager,
    RecordEligibilityDecision,
    ExtendSupport,
    PauseSupport,
    ResumeSupport,
    ClosePlan,
    GiveConsent,
    WithdrawConsent,
    RecordAppointmentContact,
)
