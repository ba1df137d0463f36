"""msgspec Structs equivalent to the stored plan document: the serialization peer.

Same field names, types, enums, dates, tagged union and envelope as the document
that :func:`integrationsplan.dumps` writes for an ``IntegrationPlan``. msgspec checks
types, enum values and date formats, but none of the domain invariants.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from integrationsplan import (
    Achievement,
    CefrLevel,
    CompensationMeasure,
    EvidenceKind,
    GoalArea,
    GoalStatus,
    IscedLevel,
    MeasureStatus,
    QualificationKind,
    RecognitionLaw,
    RecognitionOutcome,
    RecognitionState,
    ResidenceStatusKind,
    ResponsibleParty,
    Sex,
    SkillKind,
)


class _Struct(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    pass


class PersonName(_Struct, frozen=True):
    family_name: str | None
    given_names: str | None
    latin_family_name: str | None
    latin_given_names: str | None


class ResidenceStatus(_Struct, frozen=True):
    kind: ResidenceStatusKind
    issued_on: dt.date | None
    valid_until: dt.date | None


class Allocation(_Struct, frozen=True):
    allocated_on: dt.date
    municipality_ags: str


class Person(_Struct, frozen=True):
    id: str
    name: PersonName
    sex: Sex
    date_of_birth: str | None
    nationalities: tuple[str, ...]
    languages: tuple[str, ...]
    residence_status: ResidenceStatus | None
    arrived_on: dt.date | None
    allocation: Allocation | None
    household_id: str | None
    phone: str | None
    interpreter_language: str | None


class LanguageEvidence(_Struct, frozen=True):
    kind: EvidenceKind
    exam: str | None
    date: dt.date | None


class _Competency(_Struct, tag_field="type", frozen=True):
    pass


class LanguageSkill(_Competency, tag="language", frozen=True):
    id: str
    language: str
    evidence: LanguageEvidence
    overall: CefrLevel | None
    listening: CefrLevel | None
    reading: CefrLevel | None
    writing: CefrLevel | None
    speaking: CefrLevel | None


class Schooling(_Competency, tag="schooling", frozen=True):
    id: str
    country: str
    years: int
    level: IscedLevel | None
    highest_certificate: str | None


class Recognition(_Struct, frozen=True):
    state: RecognitionState
    law: RecognitionLaw | None
    outcome: RecognitionOutcome | None
    compensation: CompensationMeasure | None
    decided_on: dt.date | None


class VocationalQualification(_Competency, tag="qualification", frozen=True):
    id: str
    title: str
    country: str
    kind: QualificationKind
    regulated: bool
    completed: bool
    recognition: Recognition


class WorkExperience(_Competency, tag="work_experience", frozen=True):
    id: str
    occupation: str
    years: int
    country: str


class OtherSkill(_Competency, tag="other_skill", frozen=True):
    id: str
    kind: SkillKind
    detail: str


class Development(_Struct, frozen=True):
    id: str
    occurred_on: dt.date
    note: str
    area: GoalArea | None


class Responsible(_Struct, frozen=True):
    party: ResponsibleParty
    service: str | None


class Measure(_Struct, frozen=True):
    id: str
    description: str
    responsible: Responsible
    due_on: dt.date | None
    status: MeasureStatus


class Goal(_Struct, frozen=True):
    id: str
    area: GoalArea
    statement: str
    agreed_on: dt.date
    target_date: dt.date | None
    status: GoalStatus
    achievement: Achievement
    measures: tuple[Measure, ...]


class IntegrationPlan(_Struct, frozen=True):
    id: str
    municipality_ags: str
    person: Person
    drawn_up_on: dt.date
    manager_id: str | None
    competencies: tuple[LanguageSkill | Schooling | VocationalQualification | WorkExperience | OtherSkill, ...]
    developments: tuple[Development, ...]
    goals: tuple[Goal, ...]


class PlanDocument(_Struct, frozen=True):
    data: IntegrationPlan
    schema_version: int
    type: str


DECODER = msgspec.json.Decoder(PlanDocument)

_ = enum  # enums come from integrationsplan so both sides validate the same values
