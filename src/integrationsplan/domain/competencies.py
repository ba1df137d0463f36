"""Competencies: languages, schooling, qualifications, work experience, other skills.

Together with the dated individual developments they are the personal part of the
integration plan ("Qualifikationen und Kompetenzen, Schul- und Berufsabschluss,
individuelle Entwicklungen").
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, TypeAlias

import attrs

from integrationsplan.domain._validators import (
    PERSONAL,
    boolean,
    calendar_date,
    country_code,
    fail,
    identifier,
    instance_of,
    integer,
    language_code,
    member_of,
    optional,
    redacted_repr,
    text,
)
from integrationsplan.domain.goals import GoalArea

__all__ = [
    "CefrLevel",
    "CompensationMeasure",
    "Competency",
    "Development",
    "EvidenceKind",
    "IscedLevel",
    "LanguageEvidence",
    "LanguageSkill",
    "OtherSkill",
    "QualificationKind",
    "Recognition",
    "RecognitionLaw",
    "RecognitionOutcome",
    "RecognitionState",
    "Schooling",
    "SkillKind",
    "VocationalQualification",
    "WorkExperience",
]


class CefrLevel(enum.Enum):
    """A level of the Common European Framework of Reference for Languages (GER)."""

    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"

    @property
    def rank(self) -> int:
        """1 for A1 up to 6 for C2, for comparing levels."""
        return list(CefrLevel).index(self) + 1


class EvidenceKind(enum.Enum):
    """How a language level is known: self-assessed, from a course, or certified."""

    SELF_ASSESSED = "self_assessed"
    COURSE = "course"
    CERTIFICATE = "certificate"


def _certificate_details(instance: LanguageEvidence, attribute: attrs.Attribute[Any], value: Any) -> None:
    if instance.kind is EvidenceKind.CERTIFICATE and value is None:
        fail(instance, attribute, f"a certificate needs its {attribute.name}")
    if instance.kind is EvidenceKind.SELF_ASSESSED and value is not None:
        fail(instance, attribute, f"a self-assessment has no {attribute.name}")


@attrs.frozen
class LanguageEvidence:
    """Where a language level comes from.

    A certificate names its exam (e.g. ``DTZ``, the Deutsch-Test für Zuwanderer that
    ends the integration course, or ``telc Deutsch B2``) and the exam date; a course
    may name the course and its end date.
    """

    kind: EvidenceKind = attrs.field(validator=member_of(EvidenceKind))
    exam: str | None = attrs.field(default=None, validator=[optional(text(200)), _certificate_details])
    date: dt.date | None = attrs.field(default=None, validator=[optional(calendar_date), _certificate_details])


def _some_level(instance: LanguageSkill, attribute: attrs.Attribute[Any], value: Any) -> None:
    levels = (instance.overall, instance.listening, instance.reading, instance.writing, value)
    if all(level is None for level in levels):
        fail(instance, attribute, "a language skill needs an overall level or a level for one skill")


_level = optional(member_of(CefrLevel))


@attrs.frozen
class LanguageSkill:
    """Command of one language: an overall CEFR level and levels per skill.

    The per-skill levels matter because exams grade them apart: the DTZ awards B1 only
    with B1 in speaking and in one other part.
    """

    id: str = attrs.field(validator=identifier)
    language: str = attrs.field(validator=language_code)
    evidence: LanguageEvidence = attrs.field(validator=instance_of(LanguageEvidence))
    overall: CefrLevel | None = attrs.field(default=None, validator=_level)
    listening: CefrLevel | None = attrs.field(default=None, validator=_level)
    reading: CefrLevel | None = attrs.field(default=None, validator=_level)
    writing: CefrLevel | None = attrs.field(default=None, validator=_level)
    speaking: CefrLevel | None = attrs.field(default=None, validator=[_level, _some_level])


class IscedLevel(enum.IntEnum):
    """ISCED 2011 level of education (UNESCO), 0 to 8."""

    EARLY_CHILDHOOD = 0
    PRIMARY = 1
    LOWER_SECONDARY = 2
    UPPER_SECONDARY = 3
    POST_SECONDARY_NON_TERTIARY = 4
    SHORT_CYCLE_TERTIARY = 5
    BACHELOR = 6
    MASTER = 7
    DOCTORAL = 8


@attrs.frozen
class Schooling:
    """School education (Schulbildung): where, how many years, and the highest certificate."""

    id: str = attrs.field(validator=identifier)
    country: str = attrs.field(validator=country_code)
    years: int = attrs.field(validator=integer(0, 20))
    level: IscedLevel | None = attrs.field(default=None, validator=optional(member_of(IscedLevel)))
    highest_certificate: str | None = attrs.field(default=None, validator=optional(text(200)))


class QualificationKind(enum.Enum):
    """Vocational training (Berufsausbildung), a degree (Studium), or other."""

    VOCATIONAL_TRAINING = "vocational_training"
    UNIVERSITY_DEGREE = "university_degree"
    OTHER = "other"


class RecognitionLaw(enum.Enum):
    """The law a recognition procedure runs under."""

    BQFG = "bqfg"
    """Berufsqualifikationsfeststellungsgesetz (federal professions)."""
    BQFG_BW = "bqfg_bw"
    """BQFG of Baden-Württemberg (professions regulated by the state)."""
    PROFESSION_LAW = "profession_law"
    """A profession's own law (Fachgesetz), e.g. for doctors or nurses."""


class RecognitionState(enum.Enum):
    """Where a recognition procedure (Anerkennungsverfahren) stands."""

    NOT_APPLIED = "not_applied"
    ADVISED = "advised"
    APPLIED = "applied"
    DOCUMENTS_REQUESTED = "documents_requested"
    DECIDED = "decided"


class RecognitionOutcome(enum.Enum):
    """The decision of a recognition procedure.

    ``COMPARABILITY_STATEMENT`` is the Zeugnisbewertung of the ZAB for academic degrees in
    non-regulated fields, where no recognition in the narrow sense exists.
    """

    FULL_EQUIVALENCE = "full_equivalence"
    PARTIAL_EQUIVALENCE = "partial_equivalence"
    COMPENSATION_REQUIRED = "compensation_required"
    REJECTED = "rejected"
    COMPARABILITY_STATEMENT = "comparability_statement"


class CompensationMeasure(enum.Enum):
    """What a decision requires before full recognition (Ausgleichsmaßnahme)."""

    ADAPTATION_COURSE = "adaptation_course"
    APTITUDE_TEST = "aptitude_test"
    KNOWLEDGE_TEST = "knowledge_test"


def _outcome(instance: Recognition, attribute: attrs.Attribute[Any], value: Any) -> None:
    decided = instance.state is RecognitionState.DECIDED
    if decided and value is None:
        fail(instance, attribute, "a decided procedure needs an outcome")
    if not decided and value is not None:
        fail(instance, attribute, f"a procedure in state {instance.state.value!r} has no outcome yet")


def _decided_on(instance: Recognition, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and instance.state is not RecognitionState.DECIDED:
        fail(instance, attribute, "only a decided procedure has a decision date")


def _compensation(instance: Recognition, attribute: attrs.Attribute[Any], value: Any) -> None:
    required = instance.outcome is RecognitionOutcome.COMPENSATION_REQUIRED
    if required and value is None:
        fail(instance, attribute, "the outcome 'compensation_required' needs the compensation measure")
    if not required and value is not None:
        fail(instance, attribute, "only the outcome 'compensation_required' has a compensation measure")


@attrs.frozen
class Recognition:
    """The recognition of a foreign qualification (Anerkennung, BQFG / BQFG-BW)."""

    state: RecognitionState = attrs.field(default=RecognitionState.NOT_APPLIED, validator=member_of(RecognitionState))
    law: RecognitionLaw | None = attrs.field(default=None, validator=optional(member_of(RecognitionLaw)))
    outcome: RecognitionOutcome | None = attrs.field(
        default=None, validator=[optional(member_of(RecognitionOutcome)), _outcome]
    )
    compensation: CompensationMeasure | None = attrs.field(
        default=None, validator=[optional(member_of(CompensationMeasure)), _compensation]
    )
    decided_on: dt.date | None = attrs.field(default=None, validator=[optional(calendar_date), _decided_on])


def _recognition_fits(instance: VocationalQualification, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Recognition):
        fail(instance, attribute, f"expected a Recognition, got {type(value).__name__}")
    if value.outcome is RecognitionOutcome.COMPARABILITY_STATEMENT and (
        instance.regulated or instance.kind is not QualificationKind.UNIVERSITY_DEGREE
    ):
        fail(
            instance,
            attribute,
            "a comparability statement exists only for university degrees in non-regulated fields",
            ".outcome",
        )


@attrs.frozen
class VocationalQualification:
    """A vocational or academic qualification acquired abroad or in Germany.

    Recognition is mandatory only for regulated professions (``regulated``: nurse,
    doctor, teacher, engineer ...); for others it is an option that helps on the
    labour market.
    """

    id: str = attrs.field(validator=identifier)
    title: str = attrs.field(validator=text(200))
    country: str = attrs.field(validator=country_code)
    kind: QualificationKind = attrs.field(validator=member_of(QualificationKind))
    regulated: bool = attrs.field(default=False, validator=boolean)
    completed: bool = attrs.field(default=True, validator=boolean)
    recognition: Recognition = attrs.field(factory=Recognition, validator=_recognition_fits)


@attrs.frozen
class WorkExperience:
    """Work experience in an occupation (Berufserfahrung), in whole years."""

    id: str = attrs.field(validator=identifier)
    occupation: str = attrs.field(validator=text(200))
    years: int = attrs.field(validator=integer(0, 70))
    country: str = attrs.field(validator=country_code)


class SkillKind(enum.Enum):
    """Kinds of other skills worth recording."""

    DRIVING_LICENCE = "driving_licence"
    DIGITAL = "digital"
    CRAFT = "craft"
    OTHER = "other"


@attrs.frozen
class OtherSkill:
    """Any other skill, e.g. ``SkillKind.DRIVING_LICENCE`` with detail ``"B, C1E"``."""

    id: str = attrs.field(validator=identifier)
    kind: SkillKind = attrs.field(validator=member_of(SkillKind))
    detail: str = attrs.field(validator=text(500))


Competency: TypeAlias = LanguageSkill | Schooling | VocationalQualification | WorkExperience | OtherSkill
"""Any competency recorded in a plan; stored with a ``kind`` tag."""


@attrs.frozen
class Development:
    """A dated note on an individual development (individuelle Entwicklung).

    The note is free text and may hold special-category data, so it is never shown in
    a ``repr``, log or error message.
    """

    id: str = attrs.field(validator=identifier)
    occurred_on: dt.date = attrs.field(validator=calendar_date)
    note: str = attrs.field(validator=text(10_000, multiline=True), metadata=PERSONAL, repr=redacted_repr)
    area: GoalArea | None = attrs.field(default=None, validator=optional(member_of(GoalArea)))
