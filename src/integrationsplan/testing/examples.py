"""A realistic, fictional example: a plan for a person in Eislingen/Fils, and its story.

Used by the ``demo`` command, the documentation, the tests and the benchmarks. The
person is invented; any likeness to a real person is coincidental.
[`demo_case`][integrationsplan.testing.examples.demo_case] tells the whole story through
the public use cases, so the demo shows exactly what an application can do.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import TYPE_CHECKING

import attrs

from integrationsplan.domain import (
    Achievement,
    AddGoal,
    AddMeasure,
    Allocation,
    AssignManager,
    CefrLevel,
    ChangeGoalStatus,
    CompleteMeasure,
    ContactMode,
    CounsellingContact,
    CreatePlan,
    EvidenceKind,
    FederalState,
    Goal,
    GoalArea,
    GoalStatus,
    IntegrationManager,
    IntegrationPlan,
    IscedLevel,
    LanguageEvidence,
    LanguageSkill,
    Measure,
    MeasureStatus,
    Municipality,
    PartialDate,
    Person,
    PersonName,
    PlanState,
    QualificationKind,
    Recognition,
    RecognitionLaw,
    RecognitionState,
    RecordCompetency,
    RecordCounsellingContact,
    ResidenceStatus,
    ResidenceStatusKind,
    Responsible,
    ResponsibleParty,
    ReviseGoal,
    Revision,
    Schooling,
    Sex,
    Stage,
    UpdatePersonalData,
    VocationalQualification,
    WorkExperience,
)
from integrationsplan.domain.office_hours import Location, OfficeHours, Timetable, Weekday, WeeklySlot
from integrationsplan.errors import ConfigurationError
from integrationsplan.history import PlanDiff
from integrationsplan.rules import Decision, Occurrence, next_occurrences
from integrationsplan.services import ManualClock, PlanView

if TYPE_CHECKING:
    from integrationsplan.app import App

__all__ = [
    "DEMO_AGS",
    "DEMO_TODAY",
    "EISLINGEN",
    "EISLINGEN_MANAGER",
    "EISLINGEN_OFFICE_HOURS",
    "DemoCase",
    "demo_case",
    "example_plan",
]

#: Eislingen/Fils, Landkreis Göppingen (AGS 08117019).
EISLINGEN = Municipality(
    ags="08117019", name="Eislingen/Fils", district="Landkreis Göppingen", state=FederalState.BADEN_WUERTTEMBERG
)

#: A fictional integration manager of Eislingen on a 75 % post.
EISLINGEN_MANAGER = IntegrationManager(
    staff_id="eis-im-01", name="Integrationsmanagement Eislingen", municipality_ags="08117019", full_time_share=0.75
)

_MANAGER = Responsible(ResponsibleParty.MANAGER)
_PERSON = Responsible(ResponsibleParty.PERSON)


def example_plan() -> IntegrationPlan:
    """The integration plan of a fictional Syrian refugee allocated to Eislingen in 2023.

    A person with four competencies and seven goals holding ten measures: about 3 KB as
    a stored document.
    """
    person = Person(
        id="p-2023-0042",
        name=PersonName(family_name="حداد", given_names="أمل", latin_family_name="Haddad", latin_given_names="Amal"),
        sex=Sex.FEMALE,
        date_of_birth=PartialDate(1991),
        nationalities=("SYR",),
        languages=("ara", "kmr"),
        residence_status=ResidenceStatus(
            ResidenceStatusKind.REFUGEE, issued_on=dt.date(2022, 11, 14), valid_until=dt.date(2025, 11, 13)
        ),
        arrived_on=dt.date(2022, 3, 8),
        allocation=Allocation(allocated_on=dt.date(2023, 3, 1), municipality_ags="08117019"),
        household_id="hh-0017",
        phone="+49 7161 000000",
        interpreter_language="ara",
    )
    competencies = (
        LanguageSkill(
            id="c-deu",
            language="deu",
            evidence=LanguageEvidence(EvidenceKind.CERTIFICATE, exam="DTZ", date=dt.date(2023, 2, 10)),
            overall=CefrLevel.A2,
            listening=CefrLevel.B1,
            reading=CefrLevel.A2,
            writing=CefrLevel.A2,
            speaking=CefrLevel.A2,
        ),
        Schooling(
            id="c-school",
            country="SYR",
            years=12,
            level=IscedLevel.UPPER_SECONDARY,
            highest_certificate="Baccalaureate",
        ),
        VocationalQualification(
            id="c-nursing",
            title="Nursing diploma (3 years)",
            country="SYR",
            kind=QualificationKind.VOCATIONAL_TRAINING,
            regulated=True,
            recognition=Recognition(RecognitionState.ADVISED, law=RecognitionLaw.PROFESSION_LAW),
        ),
        WorkExperience(id="c-work", occupation="Nurse, surgical ward", years=6, country="SYR"),
    )
    start = dt.date(2023, 3, 15)
    goals = (
        Goal(
            id="g-language",
            area=GoalArea.LANGUAGE,
            statement="Reach B1 in the DTZ, then a B2 course for nursing.",
            agreed_on=start,
            target_date=dt.date(2024, 3, 31),
            measures=(
                Measure(
                    id="m-course",
                    description="Register for the integration course.",
                    responsible=Responsible.external("Volkshochschule Eislingen"),
                    due_on=dt.date(2023, 4, 15),
                    status=MeasureStatus.DONE,
                ),
                Measure(
                    id="m-childcare",
                    description="Apply for childcare during the course.",
                    responsible=_PERSON,
                    due_on=dt.date(2023, 4, 30),
                    status=MeasureStatus.DONE,
                ),
            ),
        ),
        Goal(
            id="g-recognition",
            area=GoalArea.RECOGNITION,
            statement="Apply for recognition of the nursing diploma.",
            agreed_on=start,
            target_date=dt.date(2023, 12, 31),
            measures=(
                Measure(
                    id="m-iq",
                    description="See the IQ recognition counselling.",
                    responsible=Responsible.external("IQ Netzwerk Baden-Württemberg"),
                    due_on=dt.date(2023, 5, 31),
                ),
                Measure(
                    id="m-translate",
                    description="Have the diploma translated.",
                    responsible=_MANAGER,
                    due_on=dt.date(2023, 6, 30),
                ),
            ),
        ),
        Goal(
            id="g-work",
            area=GoalArea.LABOUR_MARKET,
            statement="Work as a nursing assistant meanwhile.",
            agreed_on=start,
            target_date=dt.date(2024, 6, 30),
            measures=(
                Measure(
                    id="m-jobcenter",
                    description="Discuss a placement with the Jobcenter.",
                    responsible=Responsible.external("Jobcenter Landkreis Göppingen"),
                    due_on=dt.date(2023, 5, 15),
                ),
                Measure(
                    id="m-cv", description="Write a CV in German.", responsible=_MANAGER, due_on=dt.date(2023, 6, 1)
                ),
            ),
        ),
        Goal(
            id="g-housing",
            area=GoalArea.HOUSING,
            statement="Find a flat of her own for the family.",
            agreed_on=start,
            target_date=dt.date(2024, 12, 31),
            measures=(
                Measure(
                    id="m-wbs",
                    description="Apply for a housing entitlement certificate.",
                    responsible=_PERSON,
                    due_on=dt.date(2023, 6, 30),
                ),
            ),
        ),
        Goal(
            id="g-school",
            area=GoalArea.SCHOOL_AND_EDUCATION,
            statement="Enrol the daughter in primary school.",
            agreed_on=start,
            target_date=dt.date(2023, 9, 15),
            status=GoalStatus.ACHIEVED,
            achievement=Achievement.FULL,
            measures=(
                Measure(
                    id="m-enrol",
                    description="Enrolment at the primary school.",
                    responsible=_PERSON,
                    due_on=dt.date(2023, 7, 31),
                    status=MeasureStatus.DONE,
                ),
            ),
        ),
        Goal(
            id="g-social",
            area=GoalArea.SOCIAL_PARTICIPATION,
            statement="Join a local club or volunteer group.",
            agreed_on=start,
            status=GoalStatus.PROPOSED,
            measures=(
                Measure(
                    id="m-clubs",
                    description="Visit the volunteer fair in the town hall.",
                    responsible=_MANAGER,
                    due_on=dt.date(2023, 10, 1),
                ),
            ),
        ),
        Goal(
            id="g-health",
            area=GoalArea.HEALTH,
            statement="Find a family doctor.",
            agreed_on=start,
            target_date=dt.date(2023, 6, 30),
            measures=(
                Measure(
                    id="m-doctor",
                    description="List practices taking new patients.",
                    responsible=_MANAGER,
                    due_on=dt.date(2023, 4, 30),
                ),
            ),
        ),
    )
    return IntegrationPlan(
        id="ip-08117019-2023-0042",
        municipality_ags="08117019",
        person=person,
        drawn_up_on=start,
        manager_id=EISLINGEN_MANAGER.staff_id,
        competencies=competencies,
        goals=goals,
    )


#: Office hours of Eislingen/Fils as published: Tuesday 10-12 and Thursday 14-17,
#: Bahnhofstraße 15, 1st floor, rooms 1.04 and 1.05; appointments by phone.
EISLINGEN_OFFICE_HOURS = OfficeHours(
    municipality_ags="08117019",
    location=Location(
        street="Bahnhofstraße 15", postcode="73054", city="Eislingen/Fils", floor="1. OG", rooms=("1.04", "1.05")
    ),
    timetables=(
        Timetable(
            valid_from=dt.date(2023, 1, 1),
            slots=(
                WeeklySlot(Weekday.TUESDAY, dt.time(10), dt.time(12)),
                WeeklySlot(Weekday.THURSDAY, dt.time(14), dt.time(17)),
            ),
        ),
    ),
)


#: The municipality of the demo case (Eislingen/Fils).
DEMO_AGS = EISLINGEN.ags
#: The one "today" of the demo story: the day of its last entry.
DEMO_TODAY = dt.date(2023, 10, 5)


@attrs.frozen
class DemoCase:
    """What the demo story leaves behind, for the command line (or a notebook) to show."""

    entry_decision: Decision
    plan_id: str
    state: PlanState
    history: tuple[Revision, ...]
    diff: PlanDiff
    diff_from: int
    verified: int
    view: PlanView
    office_hours: OfficeHours
    next_office_hours: tuple[Occurrence, ...]
    today: dt.date


def demo_case(app: App, clock: ManualClock) -> DemoCase:
    """Tell the demo story through the app's use cases: eligibility, plan, Fortschreibungen, correction.

    ``clock`` must be the app's clock; the story moves it from March to October 2023, and
    everything is shown as on [`DEMO_TODAY`][integrationsplan.testing.examples.DEMO_TODAY],
    the office hours included. The app's store should be new and empty.
    """
    example = example_plan()
    person = example.person
    plan_id = example.id
    manager, colleague = "eis-im-01", "eis-im-02"
    day = dt.date(2023, 3, 15)
    clock.set(dt.datetime(2023, 3, 15, 9, tzinfo=dt.UTC))

    # 1. Eligibility at the first contact: follow-up housing in Eislingen, protection granted.
    entry = app.eligibility.check(person, DEMO_AGS, day)

    # 2. The plan is drawn up (revision 1), the decision goes on its record (2), the goals are agreed (3).
    plans = app.plans
    plans.create_plan(
        plan_id,
        CreatePlan(person, DEMO_AGS, consent_given_on=day, support_starts_on=day, manager_id=manager),
        author=manager,
        effective_on=day,
        reason="Erstgespräch",
    )
    app.eligibility.decide(
        plan_id, on=day, stage=Stage.ENTRY, base=1, author=manager, reason="Anspruch bei Beginn geprüft"
    )
    clock.advance(dt.timedelta(hours=1))
    agreement = [AddGoal(goal) for goal in example.goals] + [RecordCompetency(c) for c in example.competencies]
    plans.revise(plan_id, agreement, base=2, author=manager, effective_on=day, reason="Zielvereinbarung")

    # 3. A counselling contact in the office hours: the family doctor is found (revision 4).
    clock.set(dt.datetime(2023, 4, 18, 10, 30, tzinfo=dt.UTC))
    contact = CounsellingContact(
        at=dt.datetime(2023, 4, 18, 8, 15, tzinfo=dt.UTC),
        mode=ContactMode.OFFICE_HOURS,
        duration_minutes=45,
        topics=(GoalArea.HEALTH, GoalArea.HOUSING),
        interpreter_used=True,
    )
    plans.revise(
        plan_id,
        [
            RecordCounsellingContact(contact),
            CompleteMeasure("m-doctor"),
            ChangeGoalStatus("g-health", GoalStatus.ACHIEVED, Achievement.FULL),
        ],
        base=3,
        author=manager,
        effective_on=dt.date(2023, 4, 18),
        reason="Sprechstunde: Hausarzt gefunden",
    )

    # 4. Two more Fortschreibungen: the language goal moves on (5), a colleague takes over (6).
    clock.set(dt.datetime(2023, 9, 12, 13, tzinfo=dt.UTC))
    exam = Measure(
        id="m-dtz",
        description="DTZ exam at the Volkshochschule",
        responsible=Responsible(ResponsibleParty.PERSON),
        due_on=dt.date(2023, 12, 8),
    )
    plans.revise(
        plan_id,
        [
            ReviseGoal("g-language", "B1 in the DTZ in December, then the B2 course for nursing.", None),
            AddMeasure("g-language", exam),
        ],
        base=4,
        author=manager,
        effective_on=dt.date(2023, 9, 12),
        reason="Fortschreibung nach Kursende",
    )
    clock.set(dt.datetime(2023, 10, 2, 8, tzinfo=dt.UTC))
    plans.revise(
        plan_id,
        AssignManager(colleague),
        base=5,
        author=colleague,
        effective_on=dt.date(2023, 10, 2),
        reason="Vertretung",
    )

    # 5. A correction (7): the date of birth was entered wrongly; nothing earlier is rewritten.
    clock.set(dt.datetime(2023, 10, 5, 9, tzinfo=dt.UTC))
    corrected = attrs.evolve(person, date_of_birth=PartialDate(1990, 7))
    state = plans.correct(
        plan_id, UpdatePersonalData(corrected), corrects=1, base=6, author=colleague, reason="Geburtsdatum laut Pass"
    )

    try:
        hours = app.office_hours(DEMO_AGS)
    except ConfigurationError:  # the Eislingen plugin is not installed: the library's example
        hours = EISLINGEN_OFFICE_HOURS
    after = dt.datetime.combine(DEMO_TODAY, dt.time(0), tzinfo=zoneinfo.ZoneInfo(hours.timezone))
    return DemoCase(
        entry_decision=entry,
        plan_id=plan_id,
        state=state,
        history=plans.history(plan_id),
        diff=plans.diff(plan_id, 3, 4),
        diff_from=3,
        verified=plans.verify(plan_id),
        view=plans.show(plan_id, on=DEMO_TODAY),
        office_hours=hours,
        next_office_hours=tuple(next_occurrences(hours, after, 3)),
        today=DEMO_TODAY,
    )
