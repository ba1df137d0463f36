"""A realistic, fictional example: a plan for a person in Eislingen/Fils.

Used by the ``demo`` command, the documentation and the benchmarks. The person is
invented; any likeness to a real person is coincidental.
"""

from __future__ import annotations

import datetime as dt

from integrationsplan.domain import (
    Achievement,
    Allocation,
    CefrLevel,
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
    QualificationKind,
    Recognition,
    RecognitionLaw,
    RecognitionState,
    ResidenceStatus,
    ResidenceStatusKind,
    Responsible,
    ResponsibleParty,
    Schooling,
    Sex,
    VocationalQualification,
    WorkExperience,
)
from integrationsplan.domain.office_hours import Location, OfficeHours, Timetable, Weekday, WeeklySlot

__all__ = ["EISLINGEN", "EISLINGEN_MANAGER", "EISLINGEN_OFFICE_HOURS", "example_plan"]

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
