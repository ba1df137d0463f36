"""Hypothesis strategies for every domain type of integrationsplan.

Each function returns a ``SearchStrategy`` of valid values: every invariant of the
domain model holds, so a plugin author can feed them straight into their own code and
property tests. They shrink towards small, plain values (short ASCII text, early
dates, no optional parts). Install with ``pip install "integrationsplan[testing]"``.

Example::

    from hypothesis import given
    from integrationsplan.testing import strategies as ips

    @given(ips.integration_plans())
    def test_my_export_accepts_every_plan(plan):
        my_export(plan)
"""

from __future__ import annotations

import datetime as dt
import string
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st

from integrationsplan.domain import (
    STATELESS,
    UNKNOWN_NATIONALITY,
    Absence,
    Achievement,
    AddGoal,
    AddMeasure,
    Allocation,
    Appointment,
    AppointmentStatus,
    AssignManager,
    BookingChannel,
    Cancellation,
    CancelledBy,
    CancelMeasure,
    CefrLevel,
    Change,
    ChangeGoalStatus,
    ClosePlan,
    ClosureReason,
    CompensationMeasure,
    Competency,
    CompleteMeasure,
    Consent,
    ContactMode,
    CounsellingContact,
    CreatePlan,
    DataCategory,
    Development,
    EligibilityRecord,
    EvidenceKind,
    ExtendSupport,
    FederalState,
    GiveConsent,
    Goal,
    GoalArea,
    GoalStatus,
    GoalStatusRecord,
    IntegrationManager,
    IntegrationPlan,
    IscedLevel,
    LanguageEvidence,
    LanguageSkill,
    Measure,
    MeasureStatus,
    Municipality,
    OtherSkill,
    Outcome,
    Override,
    PartialDate,
    PauseSupport,
    Person,
    PersonName,
    Place,
    PlaceKind,
    PlanState,
    PlanStatus,
    QualificationKind,
    Recognition,
    RecognitionLaw,
    RecognitionOutcome,
    RecognitionState,
    RecordAppointmentContact,
    RecordCompetency,
    RecordCounsellingContact,
    RecordDevelopment,
    RecordEligibilityDecision,
    ReplaceCompetency,
    ResidenceStatus,
    ResidenceStatusKind,
    Responsible,
    ResponsibleParty,
    ResumeSupport,
    ReviseGoal,
    Revision,
    Schooling,
    Sex,
    SkillKind,
    Stage,
    UpdatePersonalData,
    VocationalQualification,
    WithdrawCompetency,
    WithdrawConsent,
    WorkExperience,
    WorkingHours,
)
from integrationsplan.domain.iso_codes import _countries, _languages
from integrationsplan.domain.office_hours import (
    Access,
    Location,
    OfficeClosure,
    OfficeClosureKind,
    OfficeHours,
    Timetable,
    Weekday,
    WeeklySlot,
)
from integrationsplan.rules.support import SupportAnchor, SupportPolicy

__all__ = [
    "absences",
    "agss",
    "allocations",
    "appointments",
    "cancellations",
    "changes",
    "competencies",
    "consents",
    "counselling_contacts",
    "country_codes",
    "dates",
    "developments",
    "eligibility_records",
    "goal_status_records",
    "goals",
    "identifiers",
    "instants",
    "integration_managers",
    "integration_plans",
    "language_codes",
    "language_evidence",
    "language_skills",
    "locations",
    "measures",
    "municipalities",
    "nationalities",
    "office_closures",
    "office_hours",
    "other_skills",
    "overrides",
    "partial_dates",
    "person_names",
    "persons",
    "places",
    "plan_histories",
    "recognitions",
    "residence_statuses",
    "responsibles",
    "schoolings",
    "support_policies",
    "texts",
    "timetables",
    "vocational_qualifications",
    "weekly_slots",
    "work_experiences",
    "working_hours",
]

T = TypeVar("T")

_MIN_DATE = dt.date(1990, 1, 1)
_MAX_DATE = dt.date(2040, 12, 31)
_ID_FIRST = string.ascii_lowercase + string.digits
_ID_REST = _ID_FIRST + string.ascii_uppercase + "._:-"
_LATIN = string.ascii_letters + "ÄÖÜäöüßéèêçñøåÇŞşİıĞğ"


def identifiers() -> st.SearchStrategy[str]:
    """Opaque identifiers: 1-64 characters, letters, digits and ``._:-``."""
    return st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(_ID_FIRST),
        st.text(alphabet=_ID_REST, max_size=15),
    )


def _words(alphabet: st.SearchStrategy[str], max_size: int, separator: str) -> st.SearchStrategy[str]:
    word = st.text(alphabet=alphabet, min_size=1, max_size=12)
    return st.lists(word, min_size=1, max_size=6).map(separator.join).filter(lambda text: len(text) <= max_size)


def texts(max_size: int = 200, *, multiline: bool = False) -> st.SearchStrategy[str]:
    """Free text as the domain accepts it: any script, not blank, no control characters.

    Words of letters, digits, punctuation and symbols, joined by single spaces (and line
    breaks when ``multiline``), so no text starts or ends with whitespace.
    """
    alphabet = st.characters(categories=["L", "N", "P", "S"])
    words = _words(alphabet, max_size, " ")
    if not multiline:
        return words
    return st.lists(words, min_size=1, max_size=3).map("\n".join).filter(lambda text: len(text) <= max_size)


def dates(min_value: dt.date = _MIN_DATE, max_value: dt.date = _MAX_DATE) -> st.SearchStrategy[dt.date]:
    """Calendar dates (never datetimes), by default between 1990 and 2040."""
    return st.dates(min_value=min_value, max_value=max(min_value, max_value))


@st.composite
def partial_dates(draw: st.DrawFn, min_year: int = 1930, max_year: int = 2030) -> PartialDate:
    """Partial dates: a year, a year and month, or a full date."""
    year = draw(st.integers(min_year, max_year))
    month = draw(st.none() | st.integers(1, 12))
    if month is None:
        return PartialDate(year)
    day = draw(st.none() | st.just(1) | st.integers(1, 31))
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return PartialDate(year, month, None if day is None else min(day, last))


def country_codes() -> st.SearchStrategy[str]:
    """ISO 3166-1 alpha-3 country codes (and withdrawn ones)."""
    return st.sampled_from(sorted(_countries()))


def language_codes() -> st.SearchStrategy[str]:
    """ISO 639-3 language codes, the common ones of refugees' languages first."""
    common = ["ara", "deu", "prs", "kmr", "ckb", "pus", "tir", "som", "ukr", "rus", "fas", "tur", "eng", "fra"]
    return st.sampled_from(common) | st.sampled_from(sorted(_languages()))


def nationalities() -> st.SearchStrategy[tuple[str, ...]]:
    """One or more distinct country codes, or exactly ``XXA`` (stateless) or ``XXX``."""
    several = st.lists(country_codes(), min_size=1, max_size=3, unique=True).map(tuple)
    return several | st.sampled_from([(STATELESS,), (UNKNOWN_NATIONALITY,)])


def agss(state: FederalState | None = None) -> st.SearchStrategy[str]:
    """Valid 8-digit municipality keys (AGS), optionally of one state."""
    states = st.just(state) if state is not None else st.sampled_from(list(FederalState))
    return st.builds(
        lambda s, rest: s.ags_prefix + rest, states, st.text(alphabet=string.digits, min_size=6, max_size=6)
    )


@st.composite
def municipalities(draw: st.DrawFn, state: FederalState | None = None) -> Municipality:
    """Municipalities with a valid AGS and the state that AGS belongs to."""
    ags = draw(agss(state))
    return Municipality(ags=ags, name=draw(texts(200)), district=draw(texts(200)), state=FederalState.from_ags(ags))


def integration_managers(municipality_ags: str | None = None) -> st.SearchStrategy[IntegrationManager]:
    """Integration managers on posts of 25 % to 100 %."""
    return st.builds(
        IntegrationManager,
        staff_id=identifiers(),
        name=texts(200),
        municipality_ags=st.just(municipality_ags) if municipality_ags else agss(),
        full_time_share=st.sampled_from([1.0, 0.5, 0.75, 0.25, 1]) | st.floats(0.25, 1.0),
    )


def _latin_names() -> st.SearchStrategy[str]:
    return _words(st.sampled_from(_LATIN), 200, " ")


@st.composite
def person_names(draw: st.DrawFn) -> PersonName:
    """Names in any script, with or without a Latin transliteration."""
    family = draw(st.none() | texts(200))
    given = draw(texts(200)) if family is None else draw(st.none() | texts(200))
    return PersonName(
        family_name=family,
        given_names=given,
        latin_family_name=None if family is None else draw(st.none() | _latin_names()),
        latin_given_names=None if given is None else draw(st.none() | _latin_names()),
    )


@st.composite
def residence_statuses(draw: st.DrawFn) -> ResidenceStatus:
    """Residence statuses with consistent dates (none expire that are permanent)."""
    kind = draw(st.sampled_from(list(ResidenceStatusKind)))
    issued = draw(st.none() | dates())
    until = None if kind.is_permanent else draw(st.none() | dates(min_value=issued or _MIN_DATE))
    return ResidenceStatus(kind, issued_on=issued, valid_until=until)


def allocations(after: dt.date = _MIN_DATE) -> st.SearchStrategy[Allocation]:
    """Allocations to follow-up housing on or after ``after``."""
    return st.builds(Allocation, allocated_on=dates(min_value=after), municipality_ags=agss())


@st.composite
def persons(draw: st.DrawFn) -> Person:
    """Persons whose dates are in order: born, arrived, allocated."""
    born = draw(st.none() | partial_dates(max_year=2025))
    earliest = max(_MIN_DATE, born.earliest) if born else _MIN_DATE
    arrived = draw(st.none() | dates(min_value=earliest))
    return Person(
        id=draw(identifiers()),
        name=draw(person_names()),
        sex=draw(st.sampled_from(list(Sex))),
        date_of_birth=born,
        nationalities=draw(nationalities()),
        languages=tuple(draw(st.lists(language_codes(), max_size=3, unique=True))),
        residence_status=draw(st.none() | residence_statuses()),
        arrived_on=arrived,
        allocation=draw(st.none() | allocations(after=arrived or earliest)),
        household_id=draw(st.none() | identifiers()),
        phone=draw(st.none() | st.from_regex(r"\+49 [1-9][0-9]{2,4} [0-9]{3,8}", fullmatch=True)),
        interpreter_language=draw(st.none() | language_codes()),
    )


@st.composite
def language_evidence(draw: st.DrawFn) -> LanguageEvidence:
    """Evidence of a language level; certificates always name exam and date."""
    kind = draw(st.sampled_from(list(EvidenceKind)))
    if kind is EvidenceKind.SELF_ASSESSED:
        return LanguageEvidence(kind)
    if kind is EvidenceKind.CERTIFICATE:
        return LanguageEvidence(
            kind, exam=draw(st.sampled_from(["DTZ", "telc Deutsch B2"]) | texts(50)), date=draw(dates())
        )
    return LanguageEvidence(kind, exam=draw(st.none() | texts(50)), date=draw(st.none() | dates()))


@st.composite
def language_skills(draw: st.DrawFn, id: st.SearchStrategy[str] | None = None) -> LanguageSkill:  # noqa: A002
    """Language skills with at least one CEFR level."""
    levels = st.none() | st.sampled_from(list(CefrLevel))
    overall = draw(st.sampled_from(list(CefrLevel)) | levels)
    parts = [draw(levels) for _ in range(4)]
    if overall is None and all(part is None for part in parts):
        parts[3] = CefrLevel.A1
    return LanguageSkill(
        id=draw(identifiers() if id is None else id),
        language=draw(language_codes()),
        evidence=draw(language_evidence()),
        overall=overall,
        listening=parts[0],
        reading=parts[1],
        writing=parts[2],
        speaking=parts[3],
    )


def schoolings(id: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Schooling]:  # noqa: A002
    """School education: country, 0-20 years, optional ISCED level and certificate."""
    return st.builds(
        Schooling,
        id=identifiers() if id is None else id,
        country=country_codes(),
        years=st.integers(0, 20),
        level=st.none() | st.sampled_from(list(IscedLevel)),
        highest_certificate=st.none() | texts(200),
    )


@st.composite
def recognitions(draw: st.DrawFn, *, allow_comparability_statement: bool = True) -> Recognition:
    """Recognition procedures whose outcome, compensation and date fit their state."""
    state = draw(st.sampled_from(list(RecognitionState)))
    law = draw(st.none() | st.sampled_from(list(RecognitionLaw)))
    if state is not RecognitionState.DECIDED:
        return Recognition(state, law=law)
    outcomes = list(RecognitionOutcome)
    if not allow_comparability_statement:
        outcomes.remove(RecognitionOutcome.COMPARABILITY_STATEMENT)
    outcome = draw(st.sampled_from(outcomes))
    compensation = (
        draw(st.sampled_from(list(CompensationMeasure)))
        if outcome is RecognitionOutcome.COMPENSATION_REQUIRED
        else None
    )
    return Recognition(state, law=law, outcome=outcome, compensation=compensation, decided_on=draw(st.none() | dates()))


@st.composite
def vocational_qualifications(draw: st.DrawFn, id: st.SearchStrategy[str] | None = None) -> VocationalQualification:  # noqa: A002
    """Qualifications; only non-regulated degrees get a comparability statement."""
    kind = draw(st.sampled_from(list(QualificationKind)))
    regulated = draw(st.booleans())
    statement_allowed = kind is QualificationKind.UNIVERSITY_DEGREE and not regulated
    return VocationalQualification(
        id=draw(identifiers() if id is None else id),
        title=draw(texts(200)),
        country=draw(country_codes()),
        kind=kind,
        regulated=regulated,
        completed=draw(st.booleans()),
        recognition=draw(recognitions(allow_comparability_statement=statement_allowed)),
    )


def work_experiences(id: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[WorkExperience]:  # noqa: A002
    """Work experience of 0-70 years in an occupation."""
    return st.builds(
        WorkExperience,
        id=identifiers() if id is None else id,
        occupation=texts(200),
        years=st.integers(0, 70),
        country=country_codes(),
    )


def other_skills(id: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[OtherSkill]:  # noqa: A002
    """Other skills such as driving licences."""
    return st.builds(
        OtherSkill, id=identifiers() if id is None else id, kind=st.sampled_from(list(SkillKind)), detail=texts(500)
    )


def competencies(id: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Competency]:  # noqa: A002
    """Any competency: language, schooling, qualification, work experience, other."""
    return st.one_of(
        language_skills(id), schoolings(id), vocational_qualifications(id), work_experiences(id), other_skills(id)
    )


def developments(id: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Development]:  # noqa: A002
    """Dated notes on individual developments."""
    return st.builds(
        Development,
        id=identifiers() if id is None else id,
        occurred_on=dates(),
        note=texts(10_000, multiline=True),
        area=st.none() | st.sampled_from(list(GoalArea)),
    )


def responsibles() -> st.SearchStrategy[Responsible]:
    """The person, the manager, or a named external service."""
    return st.sampled_from([Responsible(ResponsibleParty.PERSON), Responsible(ResponsibleParty.MANAGER)]) | st.builds(
        Responsible.external, st.sampled_from(["Jobcenter", "Ausländerbehörde", "Volkshochschule"]) | texts(200)
    )


def measures(
    not_before: dt.date = _MIN_DATE,
    id: st.SearchStrategy[str] | None = None,  # noqa: A002
) -> st.SearchStrategy[Measure]:
    """Measures due (if at all) on or after ``not_before``."""
    return st.builds(
        Measure,
        id=identifiers() if id is None else id,
        description=texts(2_000, multiline=True),
        responsible=responsibles(),
        due_on=st.none() | dates(min_value=not_before),
        status=st.sampled_from(list(MeasureStatus)),
    )


_ACHIEVEMENTS = {
    GoalStatus.ACHIEVED: [Achievement.FULL],
    GoalStatus.NOT_ACHIEVED: [Achievement.NONE, Achievement.PARTIAL],
}


@st.composite
def goals(draw: st.DrawFn, not_before: dt.date = _MIN_DATE, max_measures: int = 3) -> Goal:
    """Goals agreed on or after ``not_before`` with unique measures."""
    agreed = draw(dates(min_value=not_before))
    status = draw(st.sampled_from(list(GoalStatus)))
    measure_ids = draw(st.lists(identifiers(), max_size=max_measures, unique=True))
    return Goal(
        id=draw(identifiers()),
        area=draw(st.sampled_from(list(GoalArea))),
        statement=draw(texts(2_000, multiline=True)),
        agreed_on=agreed,
        target_date=draw(st.none() | dates(min_value=agreed)),
        status=status,
        achievement=draw(st.sampled_from(_ACHIEVEMENTS.get(status, list(Achievement)))),
        measures=tuple(draw(measures(agreed, st.just(measure_id))) for measure_id in measure_ids),
    )


def _distinct(values: list[T], ids: list[str]) -> tuple[T, ...]:
    return tuple(attrs.evolve(value, id=new_id) for value, new_id in zip(values, ids, strict=True))  # type: ignore[misc]


@st.composite
def integration_plans(draw: st.DrawFn, max_goals: int = 4, max_competencies: int = 4) -> IntegrationPlan:
    """Whole plans: a person, competencies, developments, goals with measures.

    Identifiers are unique within the plan, goals are agreed on or after the day the
    plan was drawn up, and measures are due on or after their goal's agreement.
    """
    drawn_up = draw(dates(max_value=dt.date(2035, 12, 31)))
    goal_list = draw(st.lists(goals(not_before=drawn_up), max_size=max_goals))
    measure_count = sum(len(goal.measures) for goal in goal_list)
    measure_ids = iter(draw(st.lists(identifiers(), min_size=measure_count, max_size=measure_count, unique=True)))
    goal_list = [
        attrs.evolve(goal, measures=tuple(attrs.evolve(m, id=next(measure_ids)) for m in goal.measures))
        for goal in goal_list
    ]
    competency_list: list[Any] = draw(st.lists(competencies(), max_size=max_competencies))
    development_list = draw(st.lists(developments(), max_size=2))

    def unique_ids(count: int) -> list[str]:
        return draw(st.lists(identifiers(), min_size=count, max_size=count, unique=True))

    return IntegrationPlan(
        id=draw(identifiers()),
        municipality_ags=draw(agss()),
        person=draw(persons()),
        drawn_up_on=drawn_up,
        manager_id=draw(st.none() | identifiers()),
        competencies=_distinct(competency_list, unique_ids(len(competency_list))),
        developments=_distinct(development_list, unique_ids(len(development_list))),
        goals=_distinct(goal_list, unique_ids(len(goal_list))),
    )


# -- counselling contacts, changes and whole histories ---------------------------------

_INSTANT_MIN = dt.datetime(2000, 1, 1)  # noqa: DTZ001 - hypothesis takes naive bounds with a timezones strategy
_INSTANT_MAX = dt.datetime(2040, 12, 31)  # noqa: DTZ001


def instants() -> st.SearchStrategy[dt.datetime]:
    """UTC instants (``tzinfo`` is ``datetime.UTC``) between 2000 and 2040."""
    return st.datetimes(min_value=_INSTANT_MIN, max_value=_INSTANT_MAX, timezones=st.just(dt.UTC))


def counselling_contacts(on: dt.date | None = None) -> st.SearchStrategy[CounsellingContact]:
    """Counselling contacts, optionally on a given day."""
    if on is None:
        at = instants()
    else:
        start = dt.datetime.combine(on, dt.time(6), tzinfo=dt.UTC)
        at = st.integers(0, 12 * 60).map(lambda minutes: start + dt.timedelta(minutes=minutes))
    return st.builds(
        CounsellingContact,
        at=at,
        mode=st.sampled_from(list(ContactMode)),
        duration_minutes=st.integers(1, 240),
        topics=st.lists(st.sampled_from(list(GoalArea)), min_size=1, max_size=3, unique=True).map(tuple),
        interpreter_used=st.booleans(),
    )


@st.composite
def eligibility_records(draw: st.DrawFn, decided_on: dt.date | None = None) -> EligibilityRecord:
    """Eligibility decisions as a plan records them: an override whenever the outcome differs."""
    computed = draw(st.sampled_from(list(Outcome)))
    overridden = draw(st.booleans())
    outcome = draw(st.sampled_from(list(Outcome))) if overridden else computed
    day = decided_on if decided_on is not None else draw(dates())
    override = None
    if overridden:
        override = Override(outcome, draw(identifiers()), day, draw(texts(200, multiline=True)))
    codes = st.from_regex(r"[A-Z][A-Z0-9_]{0,29}", fullmatch=True)
    return EligibilityRecord(
        decided_on=day,
        stage=draw(st.sampled_from(list(Stage))),
        outcome=outcome,
        computed_outcome=computed,
        reason_codes=tuple(draw(st.lists(codes, max_size=4))),
        rule_set=draw(identifiers()),
        rule_set_version=draw(st.sampled_from(["2023", "2017", "1.0", "-"])),
        override=override,
    )


def goal_status_records() -> st.SearchStrategy[GoalStatusRecord]:
    """Dated goal status changes, as the records beside a plan keep them."""
    return st.builds(GoalStatusRecord, goal_id=identifiers(), status=st.sampled_from(list(GoalStatus)), on=dates())


@st.composite
def consents(draw: st.DrawFn, given_on: dt.date | None = None, id: st.SearchStrategy[str] | None = None) -> Consent:  # noqa: A002
    """A consent as given (not withdrawn): purpose, recipients, categories, text version and language."""
    return Consent(
        id=draw(id if id is not None else identifiers()),
        purpose=draw(texts(300)),
        recipients=tuple(draw(st.lists(texts(200), max_size=3, unique=True))),
        data_categories=tuple(draw(st.lists(st.sampled_from(list(DataCategory)), min_size=1, max_size=4, unique=True))),
        text_version=draw(texts(50)),
        text_language=draw(language_codes()),
        given_on=given_on if given_on is not None else draw(dates()),
        recorded_by=draw(identifiers()),
    )


def changes() -> st.SearchStrategy[Change]:
    """Single change values of every type, valid as values (not against any plan)."""
    reason = texts(500, multiline=True)
    status = st.sampled_from(list(GoalStatus)).flatmap(
        lambda s: st.builds(
            ChangeGoalStatus,
            goal_id=identifiers(),
            status=st.just(s),
            achievement=st.sampled_from(_ACHIEVEMENTS.get(s, list(Achievement))),
        )
    )
    return st.one_of(
        st.builds(
            CreatePlan,
            person=persons(),
            municipality_ags=agss(),
            consent_given_on=dates(),
            support_starts_on=dates(),
            manager_id=st.none() | identifiers(),
        ),
        st.builds(UpdatePersonalData, person=persons()),
        st.builds(RecordCompetency, competency=competencies()),
        st.builds(ReplaceCompetency, competency=competencies()),
        st.builds(WithdrawCompetency, competency_id=identifiers()),
        st.builds(AddGoal, goal=goals()),
        st.builds(
            ReviseGoal, goal_id=identifiers(), statement=texts(2_000, multiline=True), target_date=st.none() | dates()
        ),
        status,
        st.builds(AddMeasure, goal_id=identifiers(), measure=measures()),
        st.builds(CompleteMeasure, measure_id=identifiers()),
        st.builds(CancelMeasure, measure_id=identifiers()),
        st.builds(RecordDevelopment, development=developments()),
        st.builds(RecordCounsellingContact, contact=counselling_contacts()),
        st.builds(RecordAppointmentContact, appointment_id=identifiers(), contact=counselling_contacts()),
        st.builds(AssignManager, manager_id=identifiers()),
        st.builds(RecordEligibilityDecision, decision=eligibility_records()),
        st.builds(ExtendSupport, months=st.integers(1, 24), reason=reason),
        st.builds(PauseSupport, reason=reason),
        st.builds(ResumeSupport, reason=reason),
        st.builds(ClosePlan, reason=st.sampled_from(list(ClosureReason))),
        st.builds(GiveConsent, consent=consents()),
        st.builds(WithdrawConsent, consent_id=identifiers(), withdrawn_on=dates(), recorded_by=identifiers()),
    )


class _Ids:
    """Fresh ids for a generated history: unique, short, and readable in a failure."""

    def __init__(self) -> None:
        self.count = 0

    def new(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"


def _next_change(draw: st.DrawFn, state: PlanState, day: dt.date, ids: _Ids) -> Change:
    """A change that applies to ``state`` on ``day``."""
    plan = state.plan
    open_goals = [goal for goal in plan.goals if goal.status.is_open]
    running = [
        measure
        for goal in open_goals
        for measure in goal.measures
        if measure.status in (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)
    ]
    options = ["contact", "goal", "development", "competency", "manager", "extend", "person", "decision"]
    options += ["status", "revise", "measure"] if plan.goals else []
    options += ["add_measure"] if open_goals else []
    options += ["finish"] if running else []
    options += ["replace", "withdraw"] if plan.competencies else []
    options += ["pause"] if state.status is PlanStatus.ACTIVE else ["resume"]
    options += ["consent"]
    standing = [consent for consent in state.consents if consent.withdrawn_on is None]
    options += ["withdraw_consent"] if standing else []
    choice = draw(st.sampled_from(options))
    if choice == "contact":
        if draw(st.booleans()):
            return RecordAppointmentContact(ids.new("t"), draw(counselling_contacts(on=day)))
        return RecordCounsellingContact(draw(counselling_contacts(on=day)))
    if choice == "goal":
        goal = draw(goals(not_before=day, max_measures=2))
        fresh = tuple(attrs.evolve(m, id=ids.new("m")) for m in goal.measures)
        return AddGoal(attrs.evolve(goal, id=ids.new("g"), agreed_on=max(goal.agreed_on, day), measures=fresh))
    if choice == "development":
        return RecordDevelopment(attrs.evolve(draw(developments()), id=ids.new("d")))
    if choice == "competency":
        return RecordCompetency(draw(competencies(st.just(ids.new("c")))))
    if choice == "replace":
        target = draw(st.sampled_from(plan.competencies))
        return ReplaceCompetency(draw(competencies(st.just(target.id))))
    if choice == "withdraw":
        return WithdrawCompetency(draw(st.sampled_from(plan.competencies)).id)
    if choice == "manager":
        return AssignManager(draw(identifiers()))
    if choice == "decision":
        return RecordEligibilityDecision(draw(eligibility_records(decided_on=day)))
    if choice == "extend":
        return ExtendSupport(months=draw(st.integers(1, 12)), reason=draw(texts(100)))
    if choice == "person":
        return UpdatePersonalData(attrs.evolve(draw(persons()), id=plan.person.id))
    if choice == "status":
        goal = draw(st.sampled_from(plan.goals))
        status = draw(st.sampled_from(list(GoalStatus)))
        achievement = draw(st.sampled_from(_ACHIEVEMENTS.get(status, list(Achievement))))
        return ChangeGoalStatus(goal.id, status, achievement)
    if choice in ("revise", "measure"):
        goal = draw(st.sampled_from(plan.goals))
        target_date = draw(st.none() | dates(min_value=goal.agreed_on))
        return ReviseGoal(goal.id, draw(texts(200)), target_date)
    if choice == "add_measure":
        goal = draw(st.sampled_from(open_goals))
        return AddMeasure(goal.id, draw(measures(goal.agreed_on, st.just(ids.new("m")))))
    if choice == "finish":
        measure = draw(st.sampled_from(running))
        finished: Change = CompleteMeasure(measure.id) if draw(st.booleans()) else CancelMeasure(measure.id)
        return finished
    if choice == "consent":
        return GiveConsent(draw(consents(given_on=day, id=st.just(ids.new("k")))))
    if choice == "withdraw_consent":
        consent = draw(st.sampled_from(standing))
        return WithdrawConsent(consent.id, max(day, consent.given_on), draw(identifiers()))
    if choice == "pause":
        return PauseSupport(draw(texts(100)))
    return ResumeSupport(draw(texts(100)))


@st.composite
def plan_histories(draw: st.DrawFn, max_revisions: int = 12, *, corrections: bool = True) -> tuple[Revision, ...]:
    """Valid, sealed histories of one plan: a create, then updates (and corrections).

    Built through [`PlanService`][integrationsplan.PlanService] with a manual clock,
    so every history is one the library itself would write: numbers without gaps, a
    correct hash chain, effective dates of updates never going back, recorded-at
    instants never going back. The last revision may close the plan.
    """
    from integrationsplan.services import ManualClock, PlanService  # noqa: PLC0415 - avoids an import cycle

    start = draw(dates(max_value=dt.date(2030, 12, 31)))
    clock = ManualClock(dt.datetime.combine(start, dt.time(8), tzinfo=dt.UTC))
    service = PlanService(clock=clock)
    plan_id = draw(identifiers())
    author = draw(identifiers())
    person = draw(persons())
    state = service.create_plan(
        plan_id,
        CreatePlan(
            person=person,
            municipality_ags=draw(agss()),
            consent_given_on=start - dt.timedelta(days=draw(st.integers(0, 30))),
            support_starts_on=start,
            manager_id=author,
        ),
        author=author,
        effective_on=start,
        reason=draw(texts(100)),
    )
    ids = _Ids()
    day = start
    for _ in range(draw(st.integers(0, max_revisions - 1))):
        clock.advance(dt.timedelta(hours=draw(st.integers(0, 72))))
        if corrections and state.revision > 1 and draw(st.integers(0, 9)) == 0:
            corrected = draw(st.integers(1, state.revision))
            change: Change = (
                UpdatePersonalData(attrs.evolve(draw(persons()), id=person.id))
                if draw(st.booleans())
                else RecordCounsellingContact(draw(counselling_contacts()))
            )
            state = service.correct(
                plan_id, [change], base=state.revision, corrects=corrected, author=author, reason=draw(texts(100))
            )
            continue
        day += dt.timedelta(days=draw(st.integers(0, 45)))
        batch = [_next_change(draw, state, day, ids)]
        state = service.revise(
            plan_id, batch, base=state.revision, author=author, effective_on=day, reason=draw(texts(100))
        )
    if state.status is not PlanStatus.CLOSED and draw(st.integers(0, 4)) == 0:
        clock.advance(dt.timedelta(hours=1))
        reason = draw(st.sampled_from(list(ClosureReason)))
        service.revise(
            plan_id, ClosePlan(reason), base=state.revision, author=author, effective_on=day, reason="closed"
        )
    return service.history(plan_id)


def support_policies() -> st.SearchStrategy[SupportPolicy]:
    """Support policies with any anchor, 1-60 months, extension limits and pause rules."""
    return st.builds(
        SupportPolicy,
        name=st.sampled_from(["custom", "town-policy"]),
        version=st.sampled_from(["1", "2025-01-01"]),
        anchor=st.sampled_from(list(SupportAnchor)),
        months=st.integers(1, 60),
        max_extension_months=st.integers(0, 24),
        extension_needs_justification=st.booleans(),
        pauses_suspend=st.booleans(),
        basis=st.just("Satzung der Gemeinde"),
    )


@st.composite
def weekly_slots(draw: st.DrawFn, weekday: Weekday | None = None) -> WeeklySlot:
    """A weekly slot of 30 minutes to 4 hours between 07:00 and 20:00."""
    start = draw(st.integers(7 * 4, 16 * 4)) * 15
    length = draw(st.integers(2, 16)) * 15
    return WeeklySlot(
        weekday=weekday if weekday is not None else draw(st.sampled_from(list(Weekday))),
        start=dt.time(start // 60, start % 60),
        end=dt.time((start + length) // 60, (start + length) % 60),
        rooms=tuple(draw(st.lists(st.sampled_from(["1.04", "1.05", "E.12"]), max_size=2, unique=True))),
        access=draw(st.sampled_from(list(Access))),
    )


def locations() -> st.SearchStrategy[Location]:
    """An office's address, with a floor and rooms sometimes."""
    return st.builds(
        Location,
        street=texts(200),
        postcode=st.from_regex(r"\A[0-9]{5}\Z"),
        city=texts(100),
        floor=st.none() | texts(50),
        rooms=st.lists(st.sampled_from(["1.04", "1.05", "E.12", "2.01"]), max_size=3, unique=True).map(tuple),
    )


def office_closures() -> st.SearchStrategy[OfficeClosure]:
    """A closure of 1 to 21 days."""
    return st.builds(
        lambda first, days, kind: OfficeClosure(first, first + dt.timedelta(days=days), kind),
        dates(dt.date(2020, 1, 1), dt.date(2035, 12, 1)),
        st.integers(0, 20),
        st.sampled_from(list(OfficeClosureKind)),
    )


@st.composite
def timetables(draw: st.DrawFn) -> Timetable:
    """Weekly slots on different weekdays, valid from a day on (until a later one, sometimes)."""
    weekdays = draw(st.lists(st.sampled_from(list(Weekday)), min_size=1, max_size=4, unique=True))
    start = draw(dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)))
    until = draw(st.none() | st.integers(0, 2_000).map(lambda days: start + dt.timedelta(days=days)))
    return Timetable(start, tuple(draw(weekly_slots(day)) for day in weekdays), until)


def overrides() -> st.SearchStrategy[Override]:
    """A manual eligibility decision with its justification."""
    return st.builds(
        Override,
        outcome=st.sampled_from(list(Outcome)),
        decided_by=identifiers(),
        decided_on=dates(),
        justification=texts(2_000, multiline=True),
    )


def cancellations() -> st.SearchStrategy[Cancellation]:
    """Who cancelled an appointment, why, who recorded it and when."""
    return st.builds(
        Cancellation,
        by=st.sampled_from(list(CancelledBy)),
        reason=texts(300),
        recorded_by=identifiers(),
        recorded_at=instants(),
    )


@st.composite
def office_hours(draw: st.DrawFn, municipality_ags: str | None = None) -> OfficeHours:
    """Office hours with one or two timetables (the second from a later date), closures."""
    weekdays = draw(st.lists(st.sampled_from(list(Weekday)), min_size=1, max_size=4, unique=True))
    slots = [draw(weekly_slots(weekday)) for weekday in weekdays]
    start = draw(dates(dt.date(2020, 1, 1), dt.date(2026, 1, 1)))
    tables = [Timetable(valid_from=start, slots=tuple(slots))]
    if draw(st.booleans()):
        change = start + dt.timedelta(days=draw(st.integers(7, 400)))
        tables = [
            attrs.evolve(tables[0], valid_until=change - dt.timedelta(days=1)),
            Timetable(valid_from=change, slots=(draw(weekly_slots()),)),
        ]
    closures = []
    for _ in range(draw(st.integers(0, 3))):
        first = draw(dates(start, start + dt.timedelta(days=700)))
        closures.append(
            OfficeClosure(
                first,
                first + dt.timedelta(days=draw(st.integers(0, 20))),
                draw(st.sampled_from(list(OfficeClosureKind))),
            )
        )
    return OfficeHours(
        municipality_ags=municipality_ags or draw(agss()),
        location=Location(street="Rathausplatz 1", postcode="73054", city="Eislingen/Fils", rooms=("1.04",)),
        timetables=tuple(tables),
        closures=tuple(closures),
    )


# -- appointments ------------------------------------------------------------------------------


def places() -> st.SearchStrategy[Place]:
    """A room of the office, or by phone, by video, a home visit."""
    return st.one_of(
        st.sampled_from(["1.04", "1.05", "E.12"]).map(Place.in_room),
        st.sampled_from([PlaceKind.PHONE, PlaceKind.VIDEO, PlaceKind.HOME_VISIT]).map(Place),
    )


@st.composite
def appointments(draw: st.DrawFn, status: AppointmentStatus | None = None) -> Appointment:
    """A valid appointment in any status (a cancelled one with its cancellation)."""
    chosen = status if status is not None else draw(st.sampled_from(list(AppointmentStatus)))
    start = draw(instants()).replace(second=0, microsecond=0)
    length = dt.timedelta(minutes=draw(st.integers(1, 32)) * 15)
    booked_at = start - dt.timedelta(days=draw(st.integers(0, 60)), minutes=draw(st.integers(0, 600)))
    plan_id = draw(st.none() | identifiers())
    cancellation = None
    if chosen is AppointmentStatus.CANCELLED:
        cancellation = Cancellation(
            draw(st.sampled_from(list(CancelledBy))), draw(texts(300)), draw(identifiers()), booked_at
        )
    contact_revision = None
    if chosen is AppointmentStatus.COMPLETED and plan_id is not None:
        contact_revision = draw(st.none() | st.integers(1, 1_000))
    return Appointment(
        id=draw(identifiers()),
        municipality_ags=draw(agss()),
        manager_id=draw(identifiers()),
        start=start,
        end=start + length,
        place=draw(places()),
        status=chosen,
        booked_by=draw(identifiers()),
        booked_at=booked_at,
        channel=draw(st.sampled_from(list(BookingChannel))),
        version=draw(st.integers(1, 20)),
        plan_id=plan_id,
        interpreter_language=draw(st.none() | language_codes()),
        cancellation=cancellation,
        contact_revision=contact_revision,
        note=draw(st.none() | texts(2_000, multiline=True)),
    )


def absences(after: dt.date = dt.date(2020, 1, 1)) -> st.SearchStrategy[Absence]:
    """An absence of 1 to 30 days."""
    return st.builds(
        lambda first, days: Absence(first, first + dt.timedelta(days=days)),
        dates(after, after + dt.timedelta(days=1_500)),
        st.integers(0, 29),
    )


@st.composite
def working_hours(draw: st.DrawFn, valid_from: dt.date = dt.date(2020, 1, 1)) -> WorkingHours:
    """Working hours on 1 to 5 weekdays (one or two stretches a day), with absences."""
    slots: list[WeeklySlot] = []
    for weekday in draw(st.lists(st.sampled_from(list(Weekday)[:5]), min_size=1, max_size=5, unique=True)):
        morning = draw(st.integers(7 * 4, 9 * 4)) * 15
        noon = draw(st.integers(11 * 4, 13 * 4)) * 15
        slots.append(WeeklySlot(weekday, _clock(morning), _clock(noon)))
        if draw(st.booleans()):
            afternoon = noon + draw(st.integers(2, 4)) * 15
            evening = draw(st.integers(15 * 4, 18 * 4)) * 15
            slots.append(WeeklySlot(weekday, _clock(afternoon), _clock(evening)))
    return WorkingHours(
        timetables=(Timetable(valid_from=valid_from, slots=tuple(slots)),),
        absences=tuple(draw(st.lists(absences(valid_from), max_size=3))),
        office_hours_bookable=draw(st.booleans()),
    )


def _clock(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)
