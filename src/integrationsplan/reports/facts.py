"""What the annual report needs of a plan, read straight from its head document.

The key figures count persons, plans, closures and goals. Decoding every plan's whole
state into validated domain objects costs about 60 µs a plan, most of it for fields the
report never reads. ``PlanFacts`` holds the few it does; ``from_state`` takes them from a
state, ``from_head`` from a stored head's canonical JSON, without building the state.
A property test holds the two to the same facts for generated histories, so the fast
reader cannot drift from the documents the converter writes. The facts are named tuples,
not attrs classes: they are the report's scratch values, made 100,000 times a report.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

import orjson

from integrationsplan.domain import CounsellingContact, GoalStatusRecord, PlanRecord, PlanState
from integrationsplan.errors import ConfigurationError, StorageError

__all__ = ["ContactFacts", "GoalFacts", "PlanFacts", "StatusFacts", "record_facts"]


class GoalFacts(NamedTuple):
    """A goal as the report counts it."""

    goal_id: str
    area: str
    agreed_on: dt.date
    status: str


class PlanFacts(NamedTuple):
    """A plan as the report counts it: its person, dates, closure, manager and goals."""

    plan_id: str
    person_id: str
    sex: str
    birth_year: int | None
    nationality: str
    drawn_up_on: dt.date
    effective_on: dt.date
    closed_on: dt.date | None
    closure_reason: str | None
    manager_id: str | None
    goals: tuple[GoalFacts, ...]

    @classmethod
    def from_state(cls, state: PlanState) -> PlanFacts:
        """The facts of a plan state."""
        plan, person, closure = state.plan, state.plan.person, state.closure
        return cls(
            plan_id=plan.id,
            person_id=person.id,
            sex=person.sex.value,
            birth_year=person.date_of_birth.year if person.date_of_birth else None,
            nationality=person.nationalities[0] if person.nationalities else "unknown",
            drawn_up_on=plan.drawn_up_on,
            effective_on=state.effective_on,
            closed_on=None if closure is None else closure.closed_on,
            closure_reason=None if closure is None else closure.reason.value,
            manager_id=plan.manager_id,
            goals=tuple(GoalFacts(g.id, g.area.value, g.agreed_on, g.status.value) for g in plan.goals),
        )

    @classmethod
    def from_head(cls, plan_id: str, document: bytes) -> PlanFacts:
        """The facts of a stored head document (canonical JSON of a ``PlanState``).

        Raises StorageError naming the plan when the document is not such a head.
        """
        try:
            return cls._read(orjson.loads(document)["data"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, IndexError):
            if document.startswith(b"IPE1"):
                raise ConfigurationError(
                    f"the head of plan {plan_id!r} is encrypted: open its store with keys=<key provider URL>"
                ) from None
            raise StorageError(f"the head of plan {plan_id!r} is corrupt; run 'integrationsplan plan verify'") from None

    @classmethod
    def _read(cls, data: dict[str, Any]) -> PlanFacts:
        plan, closure = data["plan"], data["closure"]
        person = plan["person"]
        born = person["date_of_birth"]
        nationalities = person["nationalities"]
        day = dt.date.fromisoformat
        return cls(
            plan_id=plan["id"],
            person_id=person["id"],
            sex=person["sex"],
            birth_year=None if born is None else int(born[:4]),
            nationality=nationalities[0] if nationalities else "unknown",
            drawn_up_on=day(plan["drawn_up_on"]),
            effective_on=day(data["effective_on"]),
            closed_on=None if closure is None else day(closure["closed_on"]),
            closure_reason=None if closure is None else closure["reason"],
            manager_id=plan["manager_id"],
            goals=tuple(GoalFacts(g["id"], g["area"], day(g["agreed_on"]), g["status"]) for g in plan["goals"]),
        )


class ContactFacts(NamedTuple):
    """A counselling contact as the report counts it."""

    plan_id: str
    at: dt.datetime
    mode: str
    topics: tuple[str, ...]

    @classmethod
    def from_document(cls, plan_id: str, document: bytes) -> ContactFacts:
        """The facts of a stored contact record; StorageError naming the plan if it is not one."""
        try:
            data = orjson.loads(document)["data"]
            return cls(plan_id, dt.datetime.fromisoformat(data["at"]), data["mode"], tuple(data["topics"]))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            raise StorageError(
                f"a contact of plan {plan_id!r} is corrupt; run 'integrationsplan plan verify'"
            ) from None


class StatusFacts(NamedTuple):
    """A goal's change of status as the report counts it."""

    plan_id: str
    goal_id: str
    status: str
    on: dt.date

    @classmethod
    def from_document(cls, plan_id: str, document: bytes) -> StatusFacts:
        """The facts of a stored goal status record; StorageError naming the plan if it is not one."""
        try:
            data = orjson.loads(document)["data"]
            return cls(plan_id, data["goal_id"], data["status"], dt.date.fromisoformat(data["on"]))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            raise StorageError(
                f"a goal status of plan {plan_id!r} is corrupt; run 'integrationsplan plan verify'"
            ) from None


def record_facts(plan_id: str, record: PlanRecord) -> ContactFacts | StatusFacts | None:
    """The facts of a record beside a plan (``None`` for a kind the report does not count)."""
    if isinstance(record, CounsellingContact):
        return ContactFacts(plan_id, record.at, record.mode.value, tuple(topic.value for topic in record.topics))
    if isinstance(record, GoalStatusRecord):
        return StatusFacts(plan_id, record.goal_id, record.status.value, record.on)
    return None
