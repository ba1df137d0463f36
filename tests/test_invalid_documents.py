"""Every validator refuses a generated invalid variant, naming the field path.

Each case takes a valid value from the public strategies, breaks one rule in its JSON
form and checks that reading it back raises one ValidationError that names exactly
the broken field, for the validating and the trusted reader alike.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import integrationsplan as ip
import integrationsplan.domain as ip_domain
import integrationsplan.serialization as ip_serialization
from integrationsplan.testing import strategies as ips

Mutation = Callable[[dict[str, Any], st.DataObject], str]

MARKER = "SECRET-PERSONAL-TEXT"


@attrs.frozen
class Case:
    name: str
    cls: type[Any]
    values: st.SearchStrategy[Any]
    mutate: Mutation
    #: A wrong type, enum value, format or key, which even the trusted reader refuses;
    #: the other cases break a domain invariant, which only the validating reader checks.
    structural: bool = False


def _set(path: str, value: Any, expect: str | None = None) -> Mutation:
    """Set a dotted path (``person.name.family_name``) to ``value``.

    Returns the JSON path the error must name: ``expect``, or the path set.
    """

    def mutate(document: dict[str, Any], _: st.DataObject) -> str:
        *parents, last = path.split(".")
        target: Any = document
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
        return expect or "$." + path.replace(".0", "[0]").replace(".1", "[1]")

    return mutate


def _with(check: Callable[[Any], bool], strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return strategy.filter(check)


def _persons_with(check: Callable[[ip.Person], bool]) -> st.SearchStrategy[ip.Person]:
    return ips.persons().filter(check)


def _first_goal(document: dict[str, Any]) -> dict[str, Any]:
    goal: dict[str, Any] = document["goals"][0]
    return goal


def _goal_before_plan(document: dict[str, Any], _: st.DataObject) -> str:
    _first_goal(document)["agreed_on"] = "1980-01-01"
    for measure in _first_goal(document)["measures"]:
        measure["due_on"] = None
    document["drawn_up_on"] = "1990-01-01"
    return "$.goals[0].agreed_on"


def _duplicate(collection: str) -> Mutation:
    def mutate(document: dict[str, Any], _: st.DataObject) -> str:
        items = document[collection]
        items.append(copy.deepcopy(items[0]))
        if collection == "goals":  # keep measure ids unique so only the goal id clashes
            items[-1]["measures"] = []
        return f"$.{collection}[{len(items) - 1}].id"

    return mutate


def _duplicate_measure_across_goals(document: dict[str, Any], _: st.DataObject) -> str:
    goals = document["goals"]
    second = copy.deepcopy(goals[0])
    second["id"] = goals[0]["id"] + "x"
    goals.append(second)
    return f"$.goals[{len(goals) - 1}].measures[0].id"


def _duplicate_measure_in_goal(document: dict[str, Any], _: st.DataObject) -> str:
    measures = document["measures"]
    measures.append(copy.deepcopy(measures[0]))
    return f"$.measures[{len(measures) - 1}].id"


def _too_long(path: str, length: int) -> Mutation:
    return _set(path, MARKER + "x" * length)


@st.composite
def _plans_with(draw: st.DrawFn, field: str, min_measures: int = 0) -> ip.IntegrationPlan:
    """Plans whose list ``field`` has an item first (with ``min_measures`` for a goal).

    Built rather than filtered: most generated plans lack one kind of item or another,
    and a filter on whole plans spends seconds per example rejecting them.
    """
    plan = draw(ips.integration_plans())
    item: Any
    if field == "goals":
        item = draw(ips.goals(not_before=plan.drawn_up_on).filter(lambda goal: len(goal.measures) >= min_measures))
    elif field == "competencies":
        item = draw(ips.competencies())
    else:
        item = draw(ips.developments())
    taken = {thing.id for thing in (*plan.goals, *plan.competencies, *plan.developments)}
    taken |= {measure.id for goal in plan.goals for measure in goal.measures}
    fresh = (f"added-{n}" for n in itertools.count() if f"added-{n}" not in taken)
    if field == "goals":
        item = attrs.evolve(item, measures=tuple(attrs.evolve(m, id=next(fresh)) for m in item.measures))
    item = attrs.evolve(item, id=next(fresh))
    changed: dict[str, Any] = {field: (item, *getattr(plan, field))}
    return attrs.evolve(plan, **changed)


def _plans_with_goal(min_measures: int = 0) -> st.SearchStrategy[ip.IntegrationPlan]:
    return _plans_with("goals", min_measures)


REVISIONS = ips.plan_histories(max_revisions=4).flatmap(st.sampled_from)
STATES = ips.plan_histories(max_revisions=4).map(ip_domain.replay)

CASES = [
    # Person and its parts
    Case("person id", ip.Person, ips.persons(), _set("id", "no spaces allowed")),
    Case("person id type", ip.Person, ips.persons(), _set("id", 42), structural=True),
    Case("sex", ip.Person, ips.persons(), _set("sex", "m"), structural=True),
    Case(
        "no name",
        ip.PersonName,
        ips.person_names(),
        lambda d, _: _set("family_name", None)(d, _) and (d.update(given_names=None) or "$.given_names"),
    ),
    Case(
        "name too long",
        ip.PersonName,
        ips.person_names().filter(lambda n: n.given_names is not None),
        _too_long("given_names", 200),
    ),
    Case(
        "name with line break",
        ip.PersonName,
        ips.person_names().filter(lambda n: n.family_name is not None),
        _set("family_name", MARKER + "\nx"),
    ),
    Case(
        "blank name",
        ip.PersonName,
        ips.person_names().filter(lambda n: n.family_name is not None),
        _set("family_name", "   "),
    ),
    Case(
        "non-Latin transliteration",
        ip.PersonName,
        ips.person_names().filter(lambda n: n.family_name is not None),
        _set("latin_family_name", "Хаддад"),
    ),
    Case(
        "transliteration of nothing",
        ip.PersonName,
        ips.person_names().filter(lambda n: n.family_name is None),
        _set("latin_family_name", "Haddad"),
    ),
    Case("date of birth format", ip.Person, ips.persons(), _set("date_of_birth", "17.05.1990"), structural=True),
    Case(
        "date of birth that does not exist",
        ip.Person,
        ips.persons(),
        _set("date_of_birth", "2023-02-29"),
        structural=True,
    ),
    Case("no nationality", ip.Person, ips.persons(), _set("nationalities", [])),
    Case(
        "unknown nationality code",
        ip.Person,
        ips.persons(),
        _set("nationalities", ["SYR", "ZZZ"], "$.nationalities[1]"),
    ),
    Case(
        "duplicate nationality", ip.Person, ips.persons(), _set("nationalities", ["SYR", "SYR"], "$.nationalities[1]")
    ),
    Case("stateless and a nationality", ip.Person, ips.persons(), _set("nationalities", ["XXA", "SYR"])),
    Case("nationalities not a list", ip.Person, ips.persons(), _set("nationalities", "SYR"), structural=True),
    Case("unknown language", ip.Person, ips.persons(), _set("languages", ["xx"], "$.languages[0]")),
    Case("duplicate language", ip.Person, ips.persons(), _set("languages", ["ara", "ara"], "$.languages[1]")),
    Case("interpreter language", ip.Person, ips.persons(), _set("interpreter_language", "arabic")),
    Case("phone", ip.Person, ips.persons(), _set("phone", MARKER)),
    Case("household id", ip.Person, ips.persons(), _set("household_id", "")),
    Case(
        "arrival before birth",
        ip.Person,
        _persons_with(lambda p: p.date_of_birth is not None and p.date_of_birth.year > 1930),
        _set("arrived_on", "1920-01-01"),
    ),
    Case(
        "allocation before arrival",
        ip.Person,
        _persons_with(lambda p: p.arrived_on is not None and p.allocation is not None and p.arrived_on.year > 1990),
        _set("allocation.allocated_on", "1990-01-01"),
    ),
    Case("allocation AGS", ip.Allocation, ips.allocations(), _set("municipality_ags", "8117019")),
    Case("residence kind", ip.ResidenceStatus, ips.residence_statuses(), _set("kind", "duldung"), structural=True),
    Case(
        "residence valid before issued",
        ip.ResidenceStatus,
        ips.residence_statuses().filter(lambda s: not s.kind.is_permanent),
        lambda d, _: d.update(issued_on="2024-01-02") or _set("valid_until", "2024-01-01")(d, _),
    ),
    Case(
        "permanent status with expiry",
        ip.ResidenceStatus,
        ips.residence_statuses(),
        lambda d, _: d.update(kind="naturalised", issued_on=None) or _set("valid_until", "2030-01-01")(d, _),
    ),
    # Competencies
    Case("CEFR level", ip.LanguageSkill, ips.language_skills(), _set("overall", "B3"), structural=True),
    Case(
        "no level at all",
        ip.LanguageSkill,
        ips.language_skills(),
        lambda d, _: d.update(overall=None, listening=None, reading=None, writing=None) or _set("speaking", None)(d, _),
    ),
    Case(
        "certificate without exam",
        ip.LanguageEvidence,
        ips.language_evidence(),
        lambda d, _: d.update(kind="certificate", date="2020-01-01") or _set("exam", None)(d, _),
    ),
    Case(
        "self-assessment with exam",
        ip.LanguageEvidence,
        ips.language_evidence(),
        lambda d, _: d.update(kind="self_assessed", date=None) or _set("exam", "DTZ")(d, _),
    ),
    Case("school years", ip.Schooling, ips.schoolings(), _set("years", 21)),
    Case("school years type", ip.Schooling, ips.schoolings(), _set("years", 12.5), structural=True),
    Case("school country", ip.Schooling, ips.schoolings(), _set("country", "SY")),
    Case("ISCED level", ip.Schooling, ips.schoolings(), _set("level", 9), structural=True),
    Case(
        "recognition outcome before decision",
        ip.Recognition,
        ips.recognitions(),
        lambda d, _: d.update(state="applied", compensation=None, decided_on=None) or _set("outcome", "rejected")(d, _),
    ),
    Case(
        "decision without outcome",
        ip.Recognition,
        ips.recognitions(),
        lambda d, _: d.update(state="decided", compensation=None, decided_on=None) or _set("outcome", None)(d, _),
    ),
    Case(
        "compensation without its outcome",
        ip.Recognition,
        ips.recognitions(),
        lambda d, _: (
            d.update(state="decided", outcome="rejected", decided_on=None)
            or _set("compensation", "aptitude_test")(d, _)
        ),
    ),
    Case(
        "decision date while pending",
        ip.Recognition,
        ips.recognitions(),
        lambda d, _: (
            d.update(state="advised", outcome=None, compensation=None) or _set("decided_on", "2024-01-01")(d, _)
        ),
    ),
    Case(
        "comparability statement for a regulated degree",
        ip.VocationalQualification,
        ips.vocational_qualifications(),
        lambda d, _: (
            d.update(
                kind="university_degree",
                regulated=True,
                recognition={
                    "state": "decided",
                    "law": None,
                    "outcome": "comparability_statement",
                    "compensation": None,
                    "decided_on": None,
                },
            )
            or "$.recognition.outcome"
        ),
    ),
    Case(
        "regulated flag type",
        ip.VocationalQualification,
        ips.vocational_qualifications(),
        _set("regulated", "yes"),
        structural=True,
    ),
    Case("work years", ip.WorkExperience, ips.work_experiences(), _set("years", -1)),
    Case("other skill kind", ip.OtherSkill, ips.other_skills(), _set("kind", "cooking"), structural=True),
    Case("development note too long", ip.Development, ips.developments(), _too_long("note", 10_000)),
    Case("development date", ip.Development, ips.developments(), _set("occurred_on", "2024-13-01"), structural=True),
    # Goals and measures
    Case("goal area", ip.Goal, ips.goals(), _set("area", "languages"), structural=True),
    Case(
        "target before agreement",
        ip.Goal,
        ips.goals(),
        lambda d, _: d.update(agreed_on="2024-01-02", measures=[]) or _set("target_date", "2024-01-01")(d, _),
    ),
    Case(
        "achieved but not fully",
        ip.Goal,
        ips.goals(),
        lambda d, _: d.update(status="achieved") or _set("achievement", "partial")(d, _),
    ),
    Case(
        "not achieved but fully",
        ip.Goal,
        ips.goals(),
        lambda d, _: d.update(status="not_achieved") or _set("achievement", "full")(d, _),
    ),
    Case("statement blank", ip.Goal, ips.goals(), _set("statement", "")),
    Case(
        "duplicate measure in goal", ip.Goal, ips.goals().filter(lambda g: bool(g.measures)), _duplicate_measure_in_goal
    ),
    Case(
        "measure due before agreement",
        ip.Goal,
        ips.goals().filter(lambda g: bool(g.measures) and g.agreed_on.year > 1990),
        _set("measures.0.due_on", "1990-01-01"),
    ),
    Case(
        "external without service",
        ip.Responsible,
        ips.responsibles(),
        lambda d, _: d.update(party="external") or _set("service", None)(d, _),
    ),
    Case(
        "service for the person",
        ip.Responsible,
        ips.responsibles(),
        lambda d, _: d.update(party="person") or _set("service", "Jobcenter")(d, _),
    ),
    Case("measure status", ip.Measure, ips.measures(), _set("status", "finished"), structural=True),
    # Plan
    Case("plan AGS", ip.IntegrationPlan, ips.integration_plans(), _set("municipality_ags", "17000000")),
    Case("duplicate goal id", ip.IntegrationPlan, _plans_with_goal(), _duplicate("goals")),
    Case(
        "duplicate competency id",
        ip.IntegrationPlan,
        _plans_with("competencies"),
        _duplicate("competencies"),
    ),
    Case(
        "duplicate development id",
        ip.IntegrationPlan,
        _plans_with("developments"),
        _duplicate("developments"),
    ),
    Case(
        "duplicate measure across goals",
        ip.IntegrationPlan,
        _plans_with_goal(min_measures=1),
        _duplicate_measure_across_goals,
    ),
    Case("goal agreed before the plan", ip.IntegrationPlan, _plans_with_goal(), _goal_before_plan),
    Case(
        "competency type tag",
        ip.IntegrationPlan,
        _plans_with("competencies"),
        _set("competencies.0.type", "hobby"),
        structural=True,
    ),
    Case("person inside plan", ip.IntegrationPlan, ips.integration_plans(), _set("person.sex", 1), structural=True),
    # Contacts, support, revisions and states
    Case("contact duration", ip.CounsellingContact, ips.counselling_contacts(), _set("duration_minutes", 0)),
    Case("contact without topics", ip.CounsellingContact, ips.counselling_contacts(), _set("topics", [])),
    Case(
        "contact topic twice",
        ip.CounsellingContact,
        ips.counselling_contacts(),
        _set("topics", ["health", "health"], "$.topics[1]"),
    ),
    Case(
        "contact at local time",
        ip.CounsellingContact,
        ips.counselling_contacts(),
        _set("at", "2024-01-01T10:00:00"),
        structural=True,
    ),
    Case("contact mode", ip.CounsellingContact, ips.counselling_contacts(), _set("mode", "email"), structural=True),
    Case(
        "pause ends before it starts",
        ip_domain.SupportPause,
        st.builds(ip_domain.SupportPause, started_on=ips.dates(min_value=dt.date(2000, 1, 2)), reason=ips.texts(20)),
        _set("ended_on", "2000-01-01"),
    ),
    Case(
        "extension months",
        ip_domain.SupportExtension,
        st.builds(ip_domain.SupportExtension, granted_on=ips.dates(), months=st.integers(1, 24), reason=ips.texts(20)),
        _set("months", 25),
    ),
    Case(
        "closure reason",
        ip_domain.Closure,
        st.builds(ip_domain.Closure, closed_on=ips.dates(), reason=st.sampled_from(list(ip.ClosureReason))),
        _set("reason", "finished"),
        structural=True,
    ),
    Case(
        "eligibility outcome without an override",
        ip.EligibilityRecord,
        ips.eligibility_records().filter(lambda r: r.override is None and r.outcome is not ip.Outcome.NEEDS_REVIEW),
        lambda d, _: d.update(outcome="needs_review") or "$.override",  # the missing override is named
    ),
    Case(
        "goal status record status",
        ip_domain.GoalStatusRecord,
        ips.goal_status_records(),
        _set("status", "done"),
        structural=True,
    ),
    Case("eligibility stage", ip.EligibilityRecord, ips.eligibility_records(), _set("stage", "later"), structural=True),
    Case(
        "eligibility reason code",
        ip.EligibilityRecord,
        ips.eligibility_records(),
        lambda d, _: d.update(reason_codes=["a b"]) or "$.reason_codes[0]",
    ),
    Case("revision without changes", ip.Revision, REVISIONS, _set("changes", [])),
    Case("revision number", ip.Revision, REVISIONS, _set("number", 0)),
    Case(
        "correction naming nothing",
        ip.Revision,
        REVISIONS,
        lambda d, _: d.update(kind="correction") or _set("corrects", None)(d, _),
    ),
    Case(
        "update naming a corrected revision",
        ip.Revision,
        REVISIONS,
        lambda d, _: d.update(kind="update") or _set("corrects", 1)(d, _),
    ),
    Case(
        "first revision with a previous hash",
        ip.Revision,
        REVISIONS.filter(lambda r: r.number == 1),
        _set("previous_hash", "a" * 64),
    ),
    Case(
        "later revision without a previous hash",
        ip.Revision,
        REVISIONS.filter(lambda r: r.number > 1),
        _set("previous_hash", None),
    ),
    Case("hash", ip.Revision, REVISIONS, _set("hash", "ABC")),
    Case("unknown change", ip.Revision, REVISIONS, _set("changes.0.change", "rename_plan"), structural=True),
    Case("recorded at local time", ip.Revision, REVISIONS, _set("recorded_at", "2024-01-01T10:00:00"), structural=True),
    Case("plan state status", ip.PlanState, STATES, _set("status", "open"), structural=True),
    Case("plan state revision", ip.PlanState, STATES, _set("revision", 0)),
    # Municipality and staff
    Case("AGS", ip.Municipality, ips.municipalities(), _set("ags", "08117O19")),
    Case(
        "state does not match AGS",
        ip.Municipality,
        ips.municipalities(),
        lambda d, _: d.update(ags="08117019") or _set("state", "BY")(d, _),
    ),
    Case("full-time share", ip.IntegrationManager, ips.integration_managers(), _set("full_time_share", 0.2)),
    Case(
        "full-time share type",
        ip.IntegrationManager,
        ips.integration_managers(),
        _set("full_time_share", "0.5"),
        structural=True,
    ),
    Case("manager name", ip.IntegrationManager, ips.integration_managers(), _too_long("name", 200)),
    # Appointments and working hours
    Case("appointment status", ip.Appointment, ips.appointments(), _set("status", "postponed"), structural=True),
    Case(
        "appointment start", ip.Appointment, ips.appointments(), _set("start", "2026-12-01T09:00:00"), structural=True
    ),
    Case("appointment note", ip.Appointment, ips.appointments(), _too_long("note", 2_000)),
    Case(
        "appointment room by phone",
        ip.Appointment,
        ips.appointments().filter(lambda a: a.place.kind is not ip.PlaceKind.ROOM),
        _set("place.room", MARKER),
    ),
    Case("appointment version", ip.Appointment, ips.appointments(), _set("version", 0)),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
@settings(max_examples=max(10, settings().max_examples // 5))  # ~95 cases, each its own property
@given(data=st.data())
def test_invalid_variant_is_refused_with_its_path(case: Case, data: st.DataObject) -> None:
    value = data.draw(case.values)
    document = ip.unstructure(value)
    path = case.mutate(document, data)
    assume(document != ip.unstructure(value))

    with pytest.raises(ip.ValidationError) as raised:
        ip.structure(document, case.cls)
    paths = [error.path for error in raised.value.errors]
    assert path in paths, f"{path} not in {paths}"
    assert MARKER not in str(raised.value)

    # The same document, stored, fails the same way, under $.data; a structural fault
    # also when read as trusted.
    stored = ip_serialization.canonical_json(
        {"data": document, "schema_version": 1, "type": ip.serialization.DOCUMENT_TYPES[case.cls]}
    )
    for trusted in (False, True) if case.structural else (False,):
        with pytest.raises(ip.ValidationError) as raised:
            ip.loads(stored, case.cls, trusted=trusted)
        assert "$.data" + path[1:] in [error.path for error in raised.value.errors]
        assert MARKER not in str(raised.value)


def test_cases_cover_every_document_type() -> None:
    covered = {case.cls for case in CASES}
    missing = set(ip.serialization.DOCUMENT_TYPES) - covered - {ip.PartialDate}
    assert not missing, missing
