"""The eventsourcing peer: one aggregate, one event per save, its SQLite persistence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event


class PlanAggregate(Aggregate):
    """An aggregate whose events carry a document-sized payload, like a plan revision."""

    @event("Created")
    def __init__(self, payload: str) -> None:
        self.payload = payload

    @event("Revised")
    def revise(self, payload: str) -> None:
        self.payload = payload


class Plans(Application[Any]):
    is_snapshotting_enabled = True


def open_plans(path: Path) -> Any:
    """An eventsourcing application on an SQLite file (WAL, default synchronous=FULL)."""
    return Plans(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)})
