"""The state of a plan: a pure fold of the changes of its revisions.

The state holds the plan's current content only, so it stays as large as the plan, not
as long as its history: records that only accumulate — counselling contacts, the dated
trail of goal statuses, eligibility decisions — are records beside it
(``records_of(revision)`` in ``domain/records.py``), which stores keep in side tables
indexed by plan and day. The state counts the contacts and keeps the latest decision.

``apply_revision(state, revision)`` is the only way a state moves on. It applies all
changes of a revision or none: a change that breaks a rule raises
[`PlanRuleViolation`][integrationsplan.PlanRuleViolation] naming the revision and the change,
and the caller still holds the unchanged state (states are immutable values).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable
from typing import Any

import attrs

from integrationsplan.domain._validators import (
    PERSONAL,
    calendar_date,
    fail,
    instance_of,
    integer,
    member_of,
    not_before,
    optional,
    redacted_repr,
    text,
)
from integrationsplan.domain.changes import (
    AddGoal,
    AddMeasure,
    AssignManager,
    CancelMeasure,
    Change,
    ChangeGoalStatus,
    ClosePlan,
    ClosureReason,
    CompleteMeasure,
    CreatePlan,
    ExtendSupport,
    GiveConsent,
    PauseSupport,
    RecordAppointmentContact,
    RecordCompetency,
    RecordCounsellingContact,
    RecordDevelopment,
    RecordEligibilityDecision,
    ReplaceCompetency,
    ResumeSupport,
    ReviseGoal,
    UpdatePersonalData,
    WithdrawCompetency,
    WithdrawConsent,
)
from integrationsplan.domain.consents import Consent
from integrationsplan.domain.decisions import EligibilityRecord
from integrationsplan.domain.goals import Goal, Measure, MeasureStatus
from integrationsplan.domain.plans import IntegrationPlan
from integrationsplan.domain.revisions import Revision, RevisionKind
from integrationsplan.errors import PlanRuleViolation, ValidationError

__all__ = [
    "Closure",
    "PlanState",
    "PlanStatus",
    "SupportExtension",
    "SupportPause",
    "apply_revision",
    "replay",
]


class PlanStatus(enum.Enum):
    """Whether support is running, paused, or over."""

    ACTIVE = "active"
    PAUSED = "paused"
    CLOSED = "closed"


@attrs.frozen
class SupportPause:
    """A pause of the support; ``ended_on`` is ``None`` while it lasts."""

    started_on: dt.date = attrs.field(validator=calendar_date)
    reason: str = attrs.field(validator=text(500, multiline=True), metadata=PERSONAL, repr=redacted_repr)
    ended_on: dt.date | None = attrs.field(default=None, validator=[optional(calendar_date), not_before("started_on")])


@attrs.frozen
class SupportExtension:
    """An extension of the support period by whole months, granted on a day, with a reason."""

    granted_on: dt.date = attrs.field(validator=calendar_date)
    months: int = attrs.field(validator=integer(1, 24))
    reason: str = attrs.field(validator=text(500, multiline=True), metadata=PERSONAL, repr=redacted_repr)


@attrs.frozen
class Closure:
    """When and why the plan was closed."""

    closed_on: dt.date = attrs.field(validator=calendar_date)
    reason: ClosureReason = attrs.field(validator=member_of(ClosureReason))


def _tuple(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    # Elements are built by apply_revision from validated values; checking each one
    # again on every revision would make a long history quadratic to replay.
    if type(value) is not tuple:
        fail(instance, attribute, f"expected a tuple, got {type(value).__name__}")


@attrs.frozen
class PlanState:
    """Everything known about a plan after some revision: the plan and its support.

    ``revision`` is the number of the last revision folded in, ``effective_on`` the
    latest effective date among them. The state is a pure function of the revisions;
    stores keep the latest one beside the history, so reading the current state never
    replays it.
    """

    plan: IntegrationPlan = attrs.field(validator=instance_of(IntegrationPlan))
    revision: int = attrs.field(validator=integer(1, 2**31))
    effective_on: dt.date = attrs.field(validator=calendar_date)
    status: PlanStatus = attrs.field(validator=member_of(PlanStatus))
    consent_given_on: dt.date = attrs.field(validator=calendar_date)
    support_starts_on: dt.date = attrs.field(validator=calendar_date)
    extensions: tuple[SupportExtension, ...] = attrs.field(default=(), validator=_tuple)
    pauses: tuple[SupportPause, ...] = attrs.field(default=(), validator=_tuple)
    closure: Closure | None = attrs.field(default=None, validator=optional(instance_of(Closure)))
    contact_count: int = attrs.field(default=0, validator=integer(0, 2**31))
    last_decision: EligibilityRecord | None = attrs.field(
        default=None, validator=optional(instance_of(EligibilityRecord))
    )
    consents: tuple[Consent, ...] = attrs.field(default=(), validator=_tuple)

    @property
    def plan_id(self) -> str:
        return self.plan.id


_STATE_FIELDS = tuple((attribute, getattr(PlanState, attribute.name).__set__) for attribute in attrs.fields(PlanState))


class _RefusedError(Exception):
    """A rule refused a change; turned into PlanRuleViolation with the position."""


_Updates = dict[str, Any]
_Handler = Callable[[PlanState, Any, Revision], _Updates]


def replay(revisions: Iterable[Revision], state: PlanState | None = None) -> PlanState | None:
    """Fold ``revisions`` (in order) onto ``state``; ``None`` for an empty history."""
    for revision in revisions:
        state = apply_revision(state, revision)
    return state


def apply_revision(state: PlanState | None, revision: Revision) -> PlanState:
    """The state after ``revision``: all of its changes, or a PlanRuleViolation."""
    current = state
    last = len(revision.changes)
    for index, change in enumerate(revision.changes, start=1):
        try:
            current = _apply(current, change, revision, final=index == last)
        except _RefusedError as refused:
            raise PlanRuleViolation(revision.number, index, type(change).__name__, str(refused)) from None
        except ValidationError as invalid:
            reason = "; ".join(str(error) for error in invalid.errors)
            raise PlanRuleViolation(revision.number, index, type(change).__name__, reason) from None
    assert current is not None  # noqa: S101 - a revision has at least one change
    return current


def _apply(state: PlanState | None, change: Change, revision: Revision, *, final: bool) -> PlanState:
    if state is None:
        if not isinstance(change, CreatePlan):
            raise _RefusedError("a plan must be created before it can change")
        return _create(change, revision)
    if isinstance(change, CreatePlan):
        raise _RefusedError(f"plan {state.plan_id!r} already exists")
    if state.status is PlanStatus.CLOSED and revision.kind is not RevisionKind.CORRECTION:
        raise _RefusedError("the plan is closed; only corrections can follow")
    updates = _HANDLERS[type(change)](state, change, revision)
    if final:  # one new state per revision: the bookkeeping goes with the last change
        updates["revision"] = revision.number
        updates["effective_on"] = max(state.effective_on, revision.effective_on)
    return _evolve(state, updates)


def _evolve(state: PlanState, updates: _Updates) -> PlanState:
    """``attrs.evolve`` for the fold's hot path: validates only the fields that change.

    Equivalent here because every validator of PlanState looks at its own field only;
    the unchanged fields were validated when the previous state was built.
    """
    new = object.__new__(PlanState)
    for attribute, setter in _STATE_FIELDS:
        name = attribute.name
        if name in updates:
            value = updates[name]
            if attribute.validator is not None:
                attribute.validator(state, attribute, value)
        else:
            value = getattr(state, name)
        setter(new, value)
    return new


def _create(change: CreatePlan, revision: Revision) -> PlanState:
    if change.consent_given_on > revision.effective_on:
        raise _RefusedError("consent must be given before the plan is drawn up")
    plan = IntegrationPlan(
        id=revision.plan_id,
        municipality_ags=change.municipality_ags,
        person=change.person,
        drawn_up_on=revision.effective_on,
        manager_id=change.manager_id,
    )
    return PlanState(
        plan=plan,
        revision=revision.number,
        effective_on=revision.effective_on,
        status=PlanStatus.ACTIVE,
        consent_given_on=change.consent_given_on,
        support_starts_on=change.support_starts_on,
    )


def _plan(state: PlanState, **changes: Any) -> _Updates:
    return {"plan": attrs.evolve(state.plan, **changes)}


def _update_person(state: PlanState, change: UpdatePersonalData, _: Revision) -> _Updates:
    if change.person.id != state.plan.person.id:
        raise _RefusedError(f"person id {change.person.id!r} is not {state.plan.person.id!r}; a plan has one person")
    return _plan(state, person=change.person)


def _index(items: tuple[Any, ...], item_id: str, what: str) -> int:
    for index, item in enumerate(items):
        if item.id == item_id:
            return index
    raise _RefusedError(f"no {what} {item_id!r} in the plan")


def _replace(items: tuple[Any, ...], index: int, item: Any) -> tuple[Any, ...]:
    return (*items[:index], item, *items[index + 1 :])


def _record_competency(state: PlanState, change: RecordCompetency, _: Revision) -> _Updates:
    return _plan(state, competencies=(*state.plan.competencies, change.competency))


def _replace_competency(state: PlanState, change: ReplaceCompetency, _: Revision) -> _Updates:
    competencies = state.plan.competencies
    index = _index(competencies, change.competency.id, "competency")
    return _plan(state, competencies=_replace(competencies, index, change.competency))


def _withdraw_competency(state: PlanState, change: WithdrawCompetency, _: Revision) -> _Updates:
    competencies = state.plan.competencies
    index = _index(competencies, change.competency_id, "competency")
    return _plan(state, competencies=competencies[:index] + competencies[index + 1 :])


def _add_goal(state: PlanState, change: AddGoal, _: Revision) -> _Updates:
    return _plan(state, goals=(*state.plan.goals, change.goal))


def _with_goal(state: PlanState, goal_id: str, update: Callable[[Goal], Goal]) -> _Updates:
    goals = state.plan.goals
    index = _index(goals, goal_id, "goal")
    return _plan(state, goals=_replace(goals, index, update(goals[index])))


def _revise_goal(state: PlanState, change: ReviseGoal, _: Revision) -> _Updates:
    return _with_goal(
        state,
        change.goal_id,
        lambda goal: attrs.evolve(goal, statement=change.statement, target_date=change.target_date),
    )


def _change_goal_status(state: PlanState, change: ChangeGoalStatus, _: Revision) -> _Updates:
    return _with_goal(
        state, change.goal_id, lambda goal: attrs.evolve(goal, status=change.status, achievement=change.achievement)
    )


def _add_measure(state: PlanState, change: AddMeasure, _: Revision) -> _Updates:
    def add(goal: Goal) -> Goal:
        if not goal.status.is_open:
            raise _RefusedError(f"goal {goal.id!r} is {goal.status.value}; measures go to open goals only")
        return attrs.evolve(goal, measures=(*goal.measures, change.measure))

    return _with_goal(state, change.goal_id, add)


def _finish_measure(state: PlanState, measure_id: str, status: MeasureStatus) -> _Updates:
    goals = state.plan.goals
    for goal_index, goal in enumerate(goals):
        for index, measure in enumerate(goal.measures):
            if measure.id == measure_id:
                if not goal.status.is_open:
                    raise _RefusedError(
                        f"measure {measure_id!r} belongs to goal {goal.id!r}, which is {goal.status.value}"
                    )
                if measure.status in (MeasureStatus.DONE, MeasureStatus.CANCELLED):
                    raise _RefusedError(f"measure {measure_id!r} is already {measure.status.value}")
                finished: Measure = attrs.evolve(measure, status=status)
                updated = attrs.evolve(goal, measures=_replace(goal.measures, index, finished))
                return _plan(state, goals=_replace(goals, goal_index, updated))
    raise _RefusedError(f"no measure {measure_id!r} in the plan")


def _complete_measure(state: PlanState, change: CompleteMeasure, _: Revision) -> _Updates:
    return _finish_measure(state, change.measure_id, MeasureStatus.DONE)


def _cancel_measure(state: PlanState, change: CancelMeasure, _: Revision) -> _Updates:
    return _finish_measure(state, change.measure_id, MeasureStatus.CANCELLED)


def _record_development(state: PlanState, change: RecordDevelopment, _: Revision) -> _Updates:
    return _plan(state, developments=(*state.plan.developments, change.development))


def _record_contact(
    state: PlanState, _change: RecordCounsellingContact | RecordAppointmentContact, _: Revision
) -> _Updates:
    return {"contact_count": state.contact_count + 1}  # the contact itself is a record beside the state


def _record_decision(state: PlanState, change: RecordEligibilityDecision, _: Revision) -> _Updates:
    return {"last_decision": change.decision}


def _assign_manager(state: PlanState, change: AssignManager, _: Revision) -> _Updates:
    return _plan(state, manager_id=change.manager_id)


def _extend(state: PlanState, change: ExtendSupport, revision: Revision) -> _Updates:
    extension = SupportExtension(granted_on=revision.effective_on, months=change.months, reason=change.reason)
    return {"extensions": (*state.extensions, extension)}


def _pause(state: PlanState, change: PauseSupport, revision: Revision) -> _Updates:
    if state.status is not PlanStatus.ACTIVE:
        raise _RefusedError(f"support is {state.status.value}; only active support can be paused")
    pause = SupportPause(started_on=revision.effective_on, reason=change.reason)
    return {"status": PlanStatus.PAUSED, "pauses": (*state.pauses, pause)}


def _end_pause(state: PlanState, on: dt.date) -> tuple[SupportPause, ...]:
    pause = state.pauses[-1]
    if on < pause.started_on:
        raise _RefusedError(f"a pause that began on {pause.started_on.isoformat()} cannot end before it")
    return (*state.pauses[:-1], attrs.evolve(pause, ended_on=on))


def _resume(state: PlanState, _change: ResumeSupport, revision: Revision) -> _Updates:
    if state.status is not PlanStatus.PAUSED:
        raise _RefusedError(f"support is {state.status.value}; only paused support can be resumed")
    return {"status": PlanStatus.ACTIVE, "pauses": _end_pause(state, revision.effective_on)}


def _give_consent(state: PlanState, change: GiveConsent, _: Revision) -> _Updates:
    consent = change.consent
    if consent.withdrawn_on is not None:
        raise _RefusedError("a consent is given without a withdrawal; record the withdrawal as a change of its own")
    if any(held.id == consent.id for held in state.consents):
        raise _RefusedError(f"consent {consent.id!r} is on the record already")
    return {"consents": (*state.consents, consent)}


def _withdraw_consent(state: PlanState, change: WithdrawConsent, _: Revision) -> _Updates:
    for index, consent in enumerate(state.consents):
        if consent.id != change.consent_id:
            continue
        if consent.withdrawn_on is not None:
            raise _RefusedError(f"consent {consent.id!r} was withdrawn already")
        if change.withdrawn_on < consent.given_on:
            raise _RefusedError(f"consent {consent.id!r} cannot be withdrawn before it was given")
        withdrawn = attrs.evolve(consent, withdrawn_on=change.withdrawn_on, withdrawal_recorded_by=change.recorded_by)
        return {"consents": (*state.consents[:index], withdrawn, *state.consents[index + 1 :])}
    raise _RefusedError(f"no consent {change.consent_id!r} in the plan")


def _close(state: PlanState, change: ClosePlan, revision: Revision) -> _Updates:
    if state.status is PlanStatus.CLOSED:  # a correction of the closure
        assert state.closure is not None  # noqa: S101 - closed states have a closure
        return {"closure": attrs.evolve(state.closure, reason=change.reason)}
    pauses = _end_pause(state, revision.effective_on) if state.status is PlanStatus.PAUSED else state.pauses
    closure = Closure(closed_on=revision.effective_on, reason=change.reason)
    return {"status": PlanStatus.CLOSED, "pauses": pauses, "closure": closure}


_HANDLERS: dict[type[Any], _Handler] = {
    UpdatePersonalData: _update_person,
    RecordCompetency: _record_competency,
    ReplaceCompetency: _replace_competency,
    WithdrawCompetency: _withdraw_competency,
    AddGoal: _add_goal,
    ReviseGoal: _revise_goal,
    ChangeGoalStatus: _change_goal_status,
    AddMeasure: _add_measure,
    CompleteMeasure: _complete_measure,
    CancelMeasure: _cancel_measure,
    RecordDevelopment: _record_development,
    RecordCounsellingContact: _record_contact,
    RecordAppointmentContact: _record_contact,
    AssignManager: _assign_manager,
    RecordEligibilityDecision: _record_decision,
    ExtendSupport: _extend,
    PauseSupport: _pause,
    ResumeSupport: _resume,
    ClosePlan: _close,
    GiveConsent: _give_consent,
    WithdrawConsent: _withdraw_consent,
}
