"""Time travel: a plan as it was true on a day, or as it was recorded at an instant.

A plan has two time axes. *Effective time* is the day a fact became true
(``Revision.effective_on``); *recorded time* is the instant the service wrote it down
(``Revision.recorded_at``). A correction recorded today can be effective months ago, so
"as of" and "as recorded" differ, and both are pure folds of the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from integrationsplan.domain.revisions import Revision
from integrationsplan.domain.state import PlanState, replay

__all__ = ["state_as_of", "state_as_recorded"]


def state_as_of(revisions: Iterable[Revision], on: dt.date) -> PlanState | None:
    """The plan as it was true on ``on`` (effective time), as known now.

    Folds the revisions effective on or before that day, in their order, so a later
    correction of an earlier day counts; ``None`` if nothing was effective yet.
    """
    return replay(revision for revision in revisions if revision.effective_on <= on)


def state_as_recorded(revisions: Iterable[Revision], at: dt.datetime) -> PlanState | None:
    """The plan as it was recorded at instant ``at`` (transaction time): what was known then."""
    known: list[Revision] = []
    for revision in revisions:
        if revision.recorded_at > at:
            break
        known.append(revision)
    return replay(known)
