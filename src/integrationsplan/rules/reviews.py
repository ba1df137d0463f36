"""Reviews and deadlines: a manager's work list on a day, most urgent first.

The plan must be updated at least every ``review_interval_months`` (default 6); goals
have target dates, measures due dates, residence titles expire, and support ends.
[`work_list`][integrationsplan.work_list] turns a set
of plan states into the items a manager should act on, in this order: overdue, due
today, due within ``soon_days`` (7), support ending within ``ending_months`` (3),
review due. Within a kind, the earliest date comes first. A missed appointment that has
not been followed by a new one is overdue: call the person and arrange another.
"""

from __future__ import annotations

import datetime as dt
import enum
import zoneinfo
from collections.abc import Callable, Iterable
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from integrationsplan.domain import Appointment, AppointmentStatus, MeasureStatus, PlanState, PlanStatus
from integrationsplan.i18n import Message, Worded
from integrationsplan.rules.support import TWO_YEAR, SupportPolicy, support_period_of

__all__ = ["WorkItem", "WorkKind", "review_due_on", "work_list"]


class WorkKind(enum.Enum):
    """Kinds of work, in the order of urgency."""

    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    DUE_SOON = "due_soon"
    SUPPORT_ENDING = "support_ending"
    REVIEW_DUE = "review_due"

    @property
    def rank(self) -> int:
        return list(WorkKind).index(self)


@attrs.frozen
class WorkItem(Worded):
    """One thing to do: what kind, for which plan and item, by when, and what to tell the manager.

    ``subject`` is ``goal``, ``measure``, ``residence``, ``support``, ``review`` or
    ``appointment``; ``ref`` the id of the goal, measure or appointment (empty for the
    others). ``message`` holds ids and dates only; ``text(language)`` writes it in any
    language of the catalogs.
    """

    kind: WorkKind
    plan_id: str
    subject: str
    ref: str
    due_on: dt.date
    message: Message

    @property
    def sort_key(self) -> tuple[int, dt.date, str, str, str]:
        return (self.kind.rank, self.due_on, self.plan_id, self.subject, self.ref)


def review_due_on(state: PlanState, interval_months: int = 6) -> dt.date:
    """The day the plan must next be updated: ``interval_months`` after its latest update."""
    return state.effective_on + relativedelta(months=interval_months)


def _deadline(on: dt.date, due: dt.date, soon_days: int) -> WorkKind | None:
    if due < on:
        return WorkKind.OVERDUE
    if due == on:
        return WorkKind.DUE_TODAY
    if (due - on).days <= soon_days:
        return WorkKind.DUE_SOON
    return None


# Each a function of the values, so that the catalogs' extraction sees every msgid where
# it is written (``Message("...")``), as xgettext sees ``_("...")``.
_Values = dict[str, Any]
_GOAL: dict[WorkKind, Callable[[_Values], Message]] = {
    WorkKind.OVERDUE: lambda v: Message("Ziel {goal}: überfällig seit {day}", v),
    WorkKind.DUE_TODAY: lambda v: Message("Ziel {goal}: heute fällig ({day})", v),
    WorkKind.DUE_SOON: lambda v: Message("Ziel {goal}: fällig am {day}", v),
}
_MEASURE: dict[WorkKind, Callable[[_Values], Message]] = {
    WorkKind.OVERDUE: lambda v: Message("Maßnahme {measure}: überfällig seit {day}", v),
    WorkKind.DUE_TODAY: lambda v: Message("Maßnahme {measure}: heute fällig ({day})", v),
    WorkKind.DUE_SOON: lambda v: Message("Maßnahme {measure}: fällig am {day}", v),
}
_RESIDENCE: dict[WorkKind, Callable[[_Values], Message]] = {
    WorkKind.OVERDUE: lambda v: Message(
        "Aufenthaltsstatus abgelaufen seit {day}: Verlängerung oder neuen Status erfassen", v
    ),
    WorkKind.DUE_TODAY: lambda v: Message(
        "Aufenthaltsstatus läuft heute ab ({day}): Verlängerung oder neuen Status erfassen", v
    ),
    WorkKind.DUE_SOON: lambda v: Message(
        "Aufenthaltsstatus läuft ab am {day}: Verlängerung oder neuen Status erfassen", v
    ),
}


def work_list(
    states: Iterable[PlanState],
    on: dt.date,
    *,
    policy: SupportPolicy | Callable[[PlanState], SupportPolicy] = TWO_YEAR,
    review_interval_months: int = 6,
    soon_days: int = 7,
    ending_months: int = 3,
    missed: Iterable[Appointment] = (),
    timezone: str = "Europe/Berlin",
) -> tuple[WorkItem, ...]:
    """The work list on ``on`` over ``states`` (closed plans are skipped), most urgent first.

    Besides goals, measures, the support period and the review, a residence status that
    has expired (or expires within ``soon_days``) is an item: eligibility may change.

    ``policy`` is the support policy, or a function choosing it per plan (each
    municipality picks its own). ``missed`` are missed appointments still to follow up
    (``subject`` ``appointment``, ``ref`` its id, overdue since its day in ``timezone``).
    """
    items: list[WorkItem] = [_missed_item(appointment, timezone) for appointment in missed]
    for state in states:
        if state.status is PlanStatus.CLOSED:
            continue
        plan_id = state.plan_id
        for goal in state.plan.goals:
            if not goal.status.is_open:
                continue
            if goal.target_date is not None and (kind := _deadline(on, goal.target_date, soon_days)):
                message = _GOAL[kind]({"goal": goal.id, "day": goal.target_date})
                items.append(WorkItem(kind, plan_id, "goal", goal.id, goal.target_date, message))
            for measure in goal.measures:
                if measure.status not in (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS) or measure.due_on is None:
                    continue
                if kind := _deadline(on, measure.due_on, soon_days):
                    message = _MEASURE[kind]({"measure": measure.id, "day": measure.due_on})
                    items.append(WorkItem(kind, plan_id, "measure", measure.id, measure.due_on, message))
        status = state.plan.person.residence_status
        if (
            status is not None
            and status.valid_until is not None
            and (kind := _deadline(on, status.valid_until, soon_days))
        ):
            message = _RESIDENCE[kind]({"day": status.valid_until})
            items.append(WorkItem(kind, plan_id, "residence", "", status.valid_until, message))
        chosen = policy(state) if callable(policy) else policy
        period = support_period_of(state, chosen, on)
        if period is not None:
            last = {"day": period.last_day}
            if period.last_day < on:
                message = Message("Begleitung endete am {day}: Plan abschließen", last)
                items.append(WorkItem(WorkKind.OVERDUE, plan_id, "support", "", period.last_day, message))
            elif period.last_day <= on + relativedelta(months=ending_months):
                message = Message("Begleitung endet am {day}", last)
                items.append(WorkItem(WorkKind.SUPPORT_ENDING, plan_id, "support", "", period.last_day, message))
        review = review_due_on(state, review_interval_months)
        if review <= on:
            message = Message("Fortschreibung fällig seit {day}", {"day": review})
            items.append(WorkItem(WorkKind.REVIEW_DUE, plan_id, "review", "", review, message))
    return tuple(sorted(items, key=lambda item: item.sort_key))


def _missed_item(appointment: Appointment, timezone: str) -> WorkItem:
    if appointment.status is not AppointmentStatus.MISSED:
        raise ValueError(f"appointment {appointment.id!r} is {appointment.status.value}, not missed")
    day = appointment.start.astimezone(zoneinfo.ZoneInfo(timezone)).date()
    return WorkItem(
        WorkKind.OVERDUE,
        appointment.plan_id or "",
        "appointment",
        appointment.id,
        day,
        Message(
            "Termin {appointment} am {day} versäumt: neuen Termin vereinbaren",
            {"appointment": appointment.id, "day": day},
        ),
    )
