"""Records beside the plan: what only accumulates, kept out of the state.

A counselling contact, a goal's change of status, an eligibility decision: each is
recorded once and never changes, and over two to four years of weekly counselling there
are hundreds. Kept inside the plan's state they would make every read and every write
of the head slower with each week. So the fold keeps the plan's current content, and
[`records_of`][integrationsplan.domain.records.records_of] gives the records a revision
adds; stores keep them beside the head, indexed by plan, municipality, kind and day, in
the same transaction as the revision. They are a pure function of the history, like the
head, and verification checks them against it.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TypeAlias

import attrs

from integrationsplan.domain._validators import calendar_date, identifier, member_of
from integrationsplan.domain.changes import (
    ChangeGoalStatus,
    RecordAppointmentContact,
    RecordCounsellingContact,
    RecordEligibilityDecision,
)
from integrationsplan.domain.contacts import CounsellingContact
from integrationsplan.domain.decisions import EligibilityRecord
from integrationsplan.domain.goals import GoalStatus
from integrationsplan.domain.revisions import Revision

__all__ = ["GoalStatusRecord", "PlanRecord", "RecordKind", "record_day", "record_kind", "records_of"]


@attrs.frozen
class GoalStatusRecord:
    """A goal's status changed on a day: the dated trail the annual key figures count.

    Goals themselves carry only their current status; the trail says when each change
    took effect (the revision's effective day), so "goals achieved in 2025" needs no
    replay of the history.
    """

    goal_id: str = attrs.field(validator=identifier)
    status: GoalStatus = attrs.field(validator=member_of(GoalStatus))
    on: dt.date = attrs.field(validator=calendar_date)


PlanRecord: TypeAlias = CounsellingContact | GoalStatusRecord | EligibilityRecord
"""Any record beside a plan."""


class RecordKind(enum.Enum):
    """The kinds of records, as stores index them."""

    CONTACT = "contact"
    GOAL_STATUS = "goal_status"
    ELIGIBILITY_DECISION = "eligibility_decision"


_KINDS: dict[type, RecordKind] = {
    CounsellingContact: RecordKind.CONTACT,
    GoalStatusRecord: RecordKind.GOAL_STATUS,
    EligibilityRecord: RecordKind.ELIGIBILITY_DECISION,
}


def records_of(revision: Revision) -> tuple[PlanRecord, ...]:
    """The records ``revision`` adds beside the plan, in the order of its changes."""
    records: list[PlanRecord] = []
    for change in revision.changes:
        if isinstance(change, RecordCounsellingContact | RecordAppointmentContact):
            records.append(change.contact)
        elif isinstance(change, ChangeGoalStatus):
            records.append(GoalStatusRecord(change.goal_id, change.status, revision.effective_on))
        elif isinstance(change, RecordEligibilityDecision):
            records.append(change.decision)
    return tuple(records)


def record_kind(record: PlanRecord) -> RecordKind:
    """The kind of a record."""
    return _KINDS[type(record)]


def record_day(record: PlanRecord) -> dt.date:
    """The day a record is indexed under: a contact's UTC day, a status change's, a decision's.

    A contact's day in the office's time zone can be the next one (a call at 23:30 UTC on
    31 December is on 1 January in Berlin): who asks for a range of local days asks the
    store for one day more on each side and filters exactly.
    """
    if isinstance(record, CounsellingContact):
        return record.at.date()
    if isinstance(record, GoalStatusRecord):
        return record.on
    return record.decided_on
