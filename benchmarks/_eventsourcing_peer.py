"""The eventsourcing peer: an aggregate holding the same nested plan state as the library.

The aggregate is created with the unstructured ``PlanState`` (a nested dict of the plan,
its person, competencies, goals and measures) and each ``Revised`` event carries the same
change document the library appends, applied to that state. Its SQLite persistence runs
plain, or taking a snapshot on every save (the guarantee of the library's head).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event


class PlanAggregate(Aggregate):
    """The plan state as a nested dict; a revision rewords the language goal, as ours does."""

    @event("Created")
    def __init__(self, state: dict[str, Any]) -> None:
        self.state = state

    @event("Revised")
    def revise(self, change: dict[str, Any]) -> None:
        for goal in self.state["plan"]["goals"]:
            if goal["id"] == change["goal_id"]:
                goal["statement"] = change["statement"]
                goal["target_date"] = change["target_date"]


def plan_aggregate(state: dict[str, Any]) -> PlanAggregate:
    """A new aggregate with its own copy of ``state``."""
    return PlanAggregate(copy.deepcopy(state))


class _Plans(Application[Any]):
    is_snapshotting_enabled = True


def open_plans(path: Path, *, snapshots: bool) -> Any:
    """An eventsourcing application on an SQLite file (WAL, synchronous=FULL by default).

    ``snapshots`` enables snapshotting; the benchmark takes one after every save.
    """
    app = _Plans(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)})
    app.is_snapshotting_enabled = snapshots
    return app
