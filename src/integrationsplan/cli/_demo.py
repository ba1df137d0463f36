"""``integrationsplan demo``: one realistic case in Eislingen/Fils, start to finish, in seconds.

A person allocated to follow-up housing in Eislingen is checked for eligibility, the
plan is drawn up and updated three times (Fortschreibungen), a counselling contact is
recorded, and a mistake is corrected. It runs in a fresh SQLite store in a temporary
directory (or the file given with ``--keep``) and prints the history, a diff, the
support period and the next office hours.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import zoneinfo
from pathlib import Path
from typing import Any

import attrs

from integrationsplan.cli import _render
from integrationsplan.cli._context import Context, UsageError
from integrationsplan.clock import ManualClock
from integrationsplan.domain import (
    Achievement,
    AddMeasure,
    AssignManager,
    ChangeGoalStatus,
    CompleteMeasure,
    ContactMode,
    CounsellingContact,
    CreatePlan,
    GoalArea,
    GoalStatus,
    Measure,
    PartialDate,
    RecordCompetency,
    RecordCounsellingContact,
    Responsible,
    ResponsibleParty,
    ReviseGoal,
    UpdatePersonalData,
)
from integrationsplan.domain.changes import AddGoal
from integrationsplan.errors import ConfigurationError
from integrationsplan.examples import EISLINGEN, EISLINGEN_OFFICE_HOURS, example_plan
from integrationsplan.rules import EligibilityCase, next_occurrences, support_period_of
from integrationsplan.serialization import unstructure
from integrationsplan.storage.sqlite import SQLiteStore

__all__ = ["demo"]

_AGS = EISLINGEN.ags
_MANAGER = "eis-im-01"


def demo(ctx: Context) -> int:
    keep: str | None = ctx.args.keep
    if keep is not None:
        if Path(keep).exists():
            raise UsageError(f"{keep!r} exists; the demo writes a fresh store and never touches an existing file")
        return _run(ctx, Path(keep))
    with tempfile.TemporaryDirectory(prefix="integrationsplan-demo-") as folder:
        return _run(ctx, Path(folder) / "demo.db")


def _run(ctx: Context, path: Path) -> int:  # noqa: PLR0915 - the story, told in order
    app = ctx.app
    example = example_plan()
    person = example.person
    day = dt.date(2023, 3, 15)
    clock = ManualClock(dt.datetime(2023, 3, 15, 9, tzinfo=dt.UTC))
    out: list[str] = []
    data: dict[str, Any] = {"store": f"sqlite:///{path}"} if ctx.args.keep else {}

    # 1. Eligibility: follow-up housing in Eislingen, good prospects of staying.
    decision = app.eligibility_rules(_AGS).decide(EligibilityCase(person, _AGS, day))
    data["eligibility"] = unstructure(decision)
    out += ["== 1. Anspruch / eligibility ==", _render.decision_text(decision)]

    with SQLiteStore(path) as store:
        service = app.service(store, clock=clock)
        plan_id = example.id
        # 2. The plan is drawn up (revision 1) with the goal agreement (revision 2).
        service.create_plan(
            plan_id,
            CreatePlan(person, _AGS, consent_given_on=day, support_starts_on=day, manager_id=_MANAGER),
            author=_MANAGER,
            effective_on=day,
            reason="Erstgespräch",
        )
        clock.advance(dt.timedelta(hours=1))
        agreement = [AddGoal(goal) for goal in example.goals] + [RecordCompetency(c) for c in example.competencies]
        service.revise(plan_id, agreement, base=1, author=_MANAGER, effective_on=day, reason="Zielvereinbarung")

        # 3. A counselling contact in the office hours: the family doctor is found.
        clock.set(dt.datetime(2023, 4, 18, 10, 30, tzinfo=dt.UTC))
        contact = CounsellingContact(
            at=dt.datetime(2023, 4, 18, 8, 15, tzinfo=dt.UTC),
            mode=ContactMode.OFFICE_HOURS,
            duration_minutes=45,
            topics=(GoalArea.HEALTH, GoalArea.HOUSING),
            interpreter_used=True,
        )
        service.revise(
            plan_id,
            [
                RecordCounsellingContact(contact),
                CompleteMeasure("m-doctor"),
                ChangeGoalStatus("g-health", GoalStatus.ACHIEVED, Achievement.FULL),
            ],
            base=2,
            author=_MANAGER,
            effective_on=dt.date(2023, 4, 18),
            reason="Sprechstunde: Hausarzt gefunden",
        )

        # 4. Two more Fortschreibungen: the language goal moves on, a colleague takes over.
        clock.set(dt.datetime(2023, 9, 12, 13, tzinfo=dt.UTC))
        exam = Measure(
            id="m-dtz",
            description="DTZ exam at the Volkshochschule",
            responsible=Responsible(ResponsibleParty.PERSON),
            due_on=dt.date(2023, 12, 8),
        )
        service.revise(
            plan_id,
            [
                ReviseGoal("g-language", "B1 in the DTZ in December, then the B2 course for nursing.", None),
                AddMeasure("g-language", exam),
            ],
            base=3,
            author=_MANAGER,
            effective_on=dt.date(2023, 9, 12),
            reason="Fortschreibung nach Kursende",
        )
        clock.set(dt.datetime(2023, 10, 2, 8, tzinfo=dt.UTC))
        service.revise(
            plan_id,
            AssignManager("eis-im-02"),
            base=4,
            author="eis-im-02",
            effective_on=dt.date(2023, 10, 2),
            reason="Vertretung",
        )

        # 5. A correction: the date of birth was entered wrongly; nothing earlier is rewritten.
        clock.set(dt.datetime(2023, 10, 5, 9, tzinfo=dt.UTC))
        corrected = attrs.evolve(person, date_of_birth=PartialDate(1990, 7))
        state = service.correct(
            plan_id,
            UpdatePersonalData(corrected),
            corrects=1,
            base=5,
            author="eis-im-02",
            reason="Geburtsdatum laut Pass",
        )
        history = service.history(plan_id)
        diff = service.diff(plan_id, 2, 3)
        checked = service.verify(plan_id)

    data["history"] = [unstructure(revision) for revision in history]
    data["diff_2_3"] = [unstructure(change) for change in diff.changes]
    data["plan"] = unstructure(state)
    out += ["== 2. Der Plan heute / the plan now ==", _render.plan_text(state.plan)]
    out += ["== 3. Verlauf / history ==", _render.history_text(history)]
    out += ["== 4. Änderungen von Revision 2 zu 3 / changes from revision 2 to 3 ==", _render.diff_text(diff, "de")]
    data["verified_revisions"] = checked
    out.append(f"Hash-Kette geprüft / hash chain verified: {checked} Revisionen / revisions\n")

    policy = app.support_policy(_AGS)
    period = support_period_of(state, policy)
    data["support_period"] = None if period is None else unstructure(period)
    out += ["== 5. Förderzeitraum / support period ==", (_render.support_text(period) if period else "-") + "\n"]

    try:
        hours = app.office_hours(_AGS)
    except ConfigurationError:  # the Eislingen plugin is not installed: the library's example
        hours = EISLINGEN_OFFICE_HOURS
    after = dt.datetime.combine(ctx.today(), dt.time(0), tzinfo=zoneinfo.ZoneInfo(hours.timezone))
    upcoming = next_occurrences(hours, after, 3)
    data["next_office_hours"] = [unstructure(occurrence) for occurrence in upcoming]
    where = f"{hours.location.street}, {hours.location.postcode} {hours.location.city}"
    out += [f"== 6. Nächste Sprechstunden / next office hours ({where}) ==", _render.occurrences_text(upcoming)]
    if ctx.args.keep:
        out.append(f"Store: sqlite:///{path}\n")
    ctx.emit(data, "\n".join(out))
    return 0
