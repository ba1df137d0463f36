"""The plan API through examples: create, revise, correct, read back, refuse."""

from __future__ import annotations

import datetime as dt
import pickle

import attrs
import pytest

import integrationsplan as ip
import integrationsplan.domain as ip_domain
import integrationsplan.services as ip_services
from integrationsplan.testing.examples import example_plan

MANAGER = "eis-im-01"
START = dt.date(2023, 3, 15)


@pytest.fixture
def service(app: ip.App) -> ip.PlanService:
    """The plan service of the shared app fixture: every test runs on memory and on SQLite."""
    return app.plans


@pytest.fixture
def plan_id(service: ip.PlanService, clock: ip_services.ManualClock) -> str:
    plan = example_plan()
    create = ip.CreatePlan(
        person=plan.person,
        municipality_ags=plan.municipality_ags,
        consent_given_on=START,
        support_starts_on=START,
        manager_id=MANAGER,
    )
    service.create_plan(plan.id, create, author=MANAGER, effective_on=START, reason="Erstgespräch")
    clock.advance(dt.timedelta(hours=2))
    changes = [ip.AddGoal(goal) for goal in plan.goals] + [ip.RecordCompetency(c) for c in plan.competencies]
    service.revise(plan.id, changes, base=1, author=MANAGER, effective_on=START, reason="Zielvereinbarung")
    return plan.id


def _revise(
    service: ip.PlanService, plan_id: str, *changes: ip.Change, on: dt.date, base: int | None = None
) -> ip.PlanState:
    head = service.state(plan_id).revision if base is None else base
    return service.revise(plan_id, list(changes), base=head, author=MANAGER, effective_on=on, reason="Fortschreibung")


def test_create_and_revise(service: ip.PlanService, plan_id: str) -> None:
    state = service.state(plan_id)
    assert state.revision == 2
    assert state.status is ip.PlanStatus.ACTIVE
    assert len(state.plan.goals) == 7
    assert state.plan.drawn_up_on == START
    history = service.history(plan_id)
    assert [r.number for r in history] == [1, 2]
    assert history[1].previous_hash == history[0].hash
    assert service.verify(plan_id) == 2


def test_a_revision_is_all_or_nothing(service: ip.PlanService, plan_id: str) -> None:
    before = service.state(plan_id)
    documents = service.store.read(plan_id)
    achieved = ip.ChangeGoalStatus("g-health", ip.GoalStatus.ACHIEVED, ip.Achievement.FULL)
    unknown = ip.ChangeGoalStatus("g-unknown", ip.GoalStatus.ACHIEVED, ip.Achievement.FULL)
    with pytest.raises(
        ip.PlanRuleViolation, match=r"revision 3, change 2 \(ChangeGoalStatus\): no goal 'g-unknown'"
    ) as raised:
        _revise(service, plan_id, achieved, unknown, on=dt.date(2023, 5, 1))
    assert (raised.value.revision, raised.value.change_index) == (3, 2)
    assert service.state(plan_id) == before
    assert service.store.read(plan_id) == documents


def test_stale_base_is_refused_and_writes_nothing(service: ip.PlanService, plan_id: str) -> None:
    contact = ip.RecordCounsellingContact(
        ip.CounsellingContact(
            dt.datetime(2023, 4, 4, 8, tzinfo=dt.UTC), ip.ContactMode.OFFICE_HOURS, 30, (ip.GoalArea.HOUSING,)
        )
    )
    _revise(service, plan_id, contact, on=dt.date(2023, 4, 4))
    with pytest.raises(
        ip.ConcurrentRevisionError, match="based on revision 2, but the plan is at revision 3"
    ) as raised:
        _revise(service, plan_id, contact, on=dt.date(2023, 4, 4), base=2)
    assert (raised.value.expected, raised.value.actual) == (2, 3)
    assert len(service.history(plan_id)) == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            [ip.AddMeasure("g-school", ip.Measure("m-new", "x", ip.Responsible(ip.ResponsibleParty.PERSON)))],
            "is achieved",
        ),
        ([ip.CompleteMeasure("m-course")], "already done"),
        ([ip.CompleteMeasure("m-enrol")], "belongs to goal 'g-school', which is achieved"),
        ([ip.CancelMeasure("m-nothing")], "no measure 'm-nothing'"),
        ([ip.WithdrawCompetency("c-none")], "no competency 'c-none'"),
        ([ip.ResumeSupport("back")], "only paused support can be resumed"),
        ([ip.PauseSupport("ill"), ip.PauseSupport("again")], "only active support can be paused"),
        ([ip.RecordCompetency(example_plan().competencies[0])], "duplicate competency id 'c-deu'"),
        ([ip.UpdatePersonalData(attrs.evolve(example_plan().person, id="someone-else"))], "a plan has one person"),
        (
            [ip.ChangeGoalStatus("g-health", ip.GoalStatus.ACHIEVED, ip.Achievement.PARTIAL)],
            "an achieved goal has achievement 'full'",
        ),
    ],
)
def test_rules_refuse_changes(service: ip.PlanService, plan_id: str, changes: list[ip.Change], message: str) -> None:
    with pytest.raises(ip.PlanRuleViolation, match=message):
        _revise(service, plan_id, *changes, on=dt.date(2023, 5, 1))
    assert service.state(plan_id).revision == 2


def test_a_second_create_is_refused(service: ip.PlanService, plan_id: str) -> None:
    create = ip.CreatePlan(example_plan().person, "08117019", START, START)
    with pytest.raises(ip.PlanRuleViolation, match="already exists"):
        _revise(service, plan_id, create, on=START)
    with pytest.raises(ip.ConcurrentRevisionError):
        service.create_plan(plan_id, create, author=MANAGER, effective_on=START, reason="again")


def test_first_change_must_create_and_consent_comes_first(service: ip.PlanService) -> None:
    create = ip.CreatePlan(example_plan().person, "08117019", consent_given_on=START, support_starts_on=START)
    with pytest.raises(ip.PlanRuleViolation, match="consent must be given before"):
        service.create_plan("p2", create, author=MANAGER, effective_on=START - dt.timedelta(days=1), reason="x")
    with pytest.raises(ip.UnknownPlanError):
        service.state("p2")


def test_pause_resume_extend_and_close(service: ip.PlanService, plan_id: str) -> None:
    _revise(service, plan_id, ip.PauseSupport("hospital stay"), on=dt.date(2023, 6, 1))
    paused = _revise(
        service, plan_id, ip.ResumeSupport("back home"), ip.ExtendSupport(3, "course pending"), on=dt.date(2023, 7, 1)
    )
    assert paused.status is ip.PlanStatus.ACTIVE
    assert paused.pauses == (ip_domain.SupportPause(dt.date(2023, 6, 1), "hospital stay", dt.date(2023, 7, 1)),)
    assert paused.extensions[0].months == 3
    closed = _revise(service, plan_id, ip.ClosePlan(ip.ClosureReason.MOVED_AWAY), on=dt.date(2023, 8, 1))
    assert closed.closure == ip_domain.Closure(dt.date(2023, 8, 1), ip.ClosureReason.MOVED_AWAY)
    with pytest.raises(ip.PlanRuleViolation, match="only corrections"):
        _revise(service, plan_id, ip.AssignManager("other"), on=dt.date(2023, 8, 2))
    corrected = service.correct(
        plan_id,
        ip.ClosePlan(ip.ClosureReason.WITHDREW),
        base=closed.revision,
        corrects=closed.revision,
        author=MANAGER,
        reason="she withdrew; the move came later",
    )
    assert corrected.closure == ip_domain.Closure(dt.date(2023, 8, 1), ip.ClosureReason.WITHDREW)


def test_updates_cannot_be_backdated(service: ip.PlanService, plan_id: str) -> None:
    _revise(service, plan_id, ip.AssignManager("eis-im-02"), on=dt.date(2023, 6, 1))
    with pytest.raises(ip.PlanRuleViolation, match="record a correction instead"):
        _revise(service, plan_id, ip.AssignManager("eis-im-03"), on=dt.date(2023, 5, 1))


def test_correction_and_time_travel(service: ip.PlanService, plan_id: str, clock: ip_services.ManualClock) -> None:
    clock.advance(dt.timedelta(days=40))
    _revise(
        service,
        plan_id,
        ip.ChangeGoalStatus("g-health", ip.GoalStatus.ACHIEVED, ip.Achievement.FULL),
        on=dt.date(2023, 4, 20),
    )
    before_correction = clock.now()
    clock.advance(dt.timedelta(days=10))
    person = service.state(plan_id).plan.person
    corrected = service.correct(
        plan_id,
        ip.UpdatePersonalData(attrs.evolve(person, date_of_birth=ip.PartialDate(1990, 7))),
        base=3,
        corrects=1,
        author=MANAGER,
        reason="Geburtsdatum laut Pass",
    )
    history = service.history(plan_id)
    assert history[-1].kind is ip.RevisionKind.CORRECTION
    assert history[-1].corrects == 1
    assert history[-1].effective_on == START  # effective when the corrected revision was
    assert corrected.plan.person.date_of_birth == ip.PartialDate(1990, 7)
    # As of the start, we now know the right date of birth, but not the later goal status.
    as_of_start = service.state_as_of(plan_id, START)
    assert as_of_start is not None
    assert as_of_start.plan.person.date_of_birth == ip.PartialDate(1990, 7)
    assert as_of_start.plan.goals[-1].status is ip.GoalStatus.ACTIVE
    # As recorded before the correction, the old date of birth was what we knew.
    as_recorded = service.state_as_recorded(plan_id, before_correction)
    assert as_recorded is not None
    assert as_recorded.plan.person.date_of_birth == ip.PartialDate(1991)
    assert service.state_as_of(plan_id, START - dt.timedelta(days=1)) is None


def test_a_backdated_correction_must_fit_every_day_it_reaches(service: ip.PlanService, plan_id: str) -> None:
    _revise(
        service,
        plan_id,
        ip.AddGoal(ip.Goal("g-late", ip.GoalArea.OTHER, "later goal", dt.date(2023, 6, 1))),
        on=dt.date(2023, 6, 1),
    )
    status = ip.ChangeGoalStatus("g-late", ip.GoalStatus.CANCELLED, ip.Achievement.NONE)
    with pytest.raises(ip.PlanRuleViolation, match="no goal 'g-late'"):
        service.correct(plan_id, status, base=3, corrects=2, author=MANAGER, reason="x")
    assert service.state(plan_id).revision == 3


def test_diff_is_readable_in_german_and_english(service: ip.PlanService, plan_id: str) -> None:
    _revise(
        service,
        plan_id,
        ip.CompleteMeasure("m-doctor"),
        ip.ChangeGoalStatus("g-health", ip.GoalStatus.ACHIEVED, ip.Achievement.FULL),
        on=dt.date(2023, 4, 20),
    )
    diff = service.diff(plan_id, 2, 3)
    assert [change.path for change in diff.changes] == [
        "plan.goals[g-health].achievement",
        "plan.goals[g-health].measures[m-doctor].status",
        "plan.goals[g-health].status",
        "goal_statuses[+1]",  # the dated trail beside the plan
    ]
    german = diff.describe("de")
    assert "Plan > Ziele > g-health > Status: in Arbeit → erreicht" in german
    assert "Plan > Ziele > g-health > Maßnahmen > m-doctor > Status: geplant → erledigt" in german
    assert "Statusverlauf der Ziele > neu: — → Ziel: g-health, Status: erreicht, am: 20.04.2023" in german
    assert "plan > goals > g-health > status: in progress → achieved" in diff.describe("en")
    assert "Plan > Ziele > g-health > Status: قيد التنفيذ → تحقق" in diff.describe("ar")
    # The same code reads by its field's type: a plan's "active" is not a goal's.
    assert "Status: — → aktiv" in service.diff(plan_id, 0, 1).describe("de")
    assert not any(code in german for code in ("active", "achieved", "planned", "2023-04-20"))
    assert service.diff(plan_id, 3, 3).changes == ()
    assert [c.kind for c in service.diff(plan_id, 0, 1).changes][:1] == ["added"]
    with pytest.raises(ip.ValidationError, match="to_revision"):
        service.diff(plan_id, 1, 9)


def test_recorded_at_never_goes_backwards(
    service: ip.PlanService, plan_id: str, clock: ip_services.ManualClock
) -> None:
    last = service.history(plan_id)[-1].recorded_at
    clock.set(last - dt.timedelta(hours=5))  # the machine's clock jumped back
    _revise(service, plan_id, ip.AssignManager("eis-im-02"), on=START)
    assert service.history(plan_id)[-1].recorded_at == last


def test_errors_pickle(service: ip.PlanService, plan_id: str) -> None:
    for error in (
        ip.PlanRuleViolation(3, 1, "AddGoal", "x"),
        ip.ConcurrentRevisionError("p", 1, 2),
        ip.UnknownPlanError("p"),
        ip.IntegrityError("p", 2, "x"),
    ):
        copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own exceptions
        assert str(copy) == str(error)


def test_unknown_plan(service: ip.PlanService) -> None:
    with pytest.raises(ip.UnknownPlanError, match="no plan 'nope'"):
        service.history("nope")
    with pytest.raises(LookupError):
        service.state("nope")


def test_every_field_of_a_plan_state_has_diff_labels() -> None:
    from integrationsplan.history import LABELS  # noqa: PLC0415

    seen: set[type] = set()
    missing: set[str] = set()

    def visit(cls: type) -> None:
        if cls in seen or not attrs.has(cls) or cls is ip.PartialDate:  # a partial date is one string
            return
        seen.add(cls)
        for field in attrs.fields(cls):
            if field.name not in LABELS:
                missing.add(f"{cls.__name__}.{field.name}")
        for field in attrs.fields(attrs.resolve_types(cls)):
            for inner in _types_in(field.type):
                visit(inner)

    visit(ip.PlanState)
    for competency in ip.serialization.COMPETENCY_TAGS.values():
        visit(competency)
    assert not missing


def _types_in(annotation: object) -> list[type]:
    from typing import get_args  # noqa: PLC0415

    found = [annotation] if isinstance(annotation, type) else []
    for arg in get_args(annotation):
        found += _types_in(arg)
    return found


def test_four_threads_appending_to_one_plan_lose_nothing(service: ip.PlanService, plan_id: str) -> None:
    import threading  # noqa: PLC0415

    acknowledged: list[int] = []
    lock = threading.Lock()

    def writer(number: int) -> None:
        for round_ in range(25):
            minutes = number * 100 + round_ + 1
            contact = ip.CounsellingContact(
                dt.datetime(2023, 4, 1, tzinfo=dt.UTC), ip.ContactMode.PHONE, minutes, (ip.GoalArea.OTHER,)
            )
            while True:
                base = service.state(plan_id).revision
                try:
                    service.revise(
                        plan_id,
                        ip.RecordCounsellingContact(contact),
                        base=base,
                        author=MANAGER,
                        effective_on=START,
                        reason="Anruf",
                    )
                except ip.ConcurrentRevisionError:
                    continue
                with lock:
                    acknowledged.append(minutes)
                break

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    history = service.history(plan_id)
    assert [r.number for r in history] == list(range(1, 103))
    contacts = service.records(plan_id, kind=ip_domain.RecordKind.CONTACT)
    recorded = [c.duration_minutes for _, c in contacts if isinstance(c, ip.CounsellingContact)]
    assert sorted(recorded) == sorted(acknowledged)
    assert len(set(recorded)) == 100
    assert service.verify(plan_id) == 102
    assert service.state(plan_id) == ip_domain.replay(history)


def test_a_naive_clock_is_refused() -> None:
    class NaiveClock:
        def now(self) -> dt.datetime:
            return dt.datetime(2023, 3, 15, 9)  # noqa: DTZ001 - the point of the test

    service = ip.PlanService(clock=NaiveClock())
    create = ip.CreatePlan(example_plan().person, "08117019", START, START)
    with pytest.raises(ip.ValidationError, match="naive datetime"):
        service.create_plan("p", create, author=MANAGER, effective_on=START, reason="r")
    assert service.plans() == []


def test_the_records_beside_the_plan_remember_when_each_goal_status_took_effect() -> None:
    plan = example_plan()
    goal = plan.goals[0]
    day = plan.drawn_up_on
    create = ip.CreatePlan(plan.person, plan.municipality_ags, day, day, "eis-im-01")
    service = ip.PlanService(ip.MemoryStore(), clock=ip_services.ManualClock(dt.datetime(2023, 3, 15, tzinfo=dt.UTC)))
    service.create_plan(plan.id, create, author="eis-im-01", effective_on=day, reason="Erstgespräch")
    service.revise(plan.id, ip.AddGoal(goal), base=1, author="eis-im-01", effective_on=day, reason="Ziel")
    assert service.records(plan.id) == []
    later = day + dt.timedelta(days=100)
    done = ip.ChangeGoalStatus(goal.id, ip.GoalStatus.ACHIEVED, ip.Achievement.FULL)
    service.revise(plan.id, done, base=2, author="eis-im-01", effective_on=later, reason="erreicht")
    record = ip_domain.GoalStatusRecord(goal.id, ip.GoalStatus.ACHIEVED, later)
    assert service.records(plan.id) == [(plan.id, record)]
    assert service.records(kind=ip_domain.RecordKind.GOAL_STATUS, first=later, last=later) == [(plan.id, record)]
    assert service.records(kind=ip_domain.RecordKind.CONTACT) == []
