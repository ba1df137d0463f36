"""The domain model: frozen, validated values with no I/O, JSON or plugins.

Every class validates itself on construction and on :func:`attrs.evolve`; a bad value
raises :class:`~integrationsplan.errors.ValidationError` naming the field.
"""

from integrationsplan.domain.competencies import (
    CefrLevel,
    CompensationMeasure,
    Competency,
    Development,
    EvidenceKind,
    IscedLevel,
    LanguageEvidence,
    LanguageSkill,
    OtherSkill,
    QualificationKind,
    Recognition,
    RecognitionLaw,
    RecognitionOutcome,
    RecognitionState,
    Schooling,
    SkillKind,
    VocationalQualification,
    WorkExperience,
)
from integrationsplan.domain.goals import (
    Achievement,
    Goal,
    GoalArea,
    GoalStatus,
    Measure,
    MeasureStatus,
    Responsible,
    ResponsibleParty,
)
from integrationsplan.domain.iso_codes import (
    KOSOVO,
    STATELESS,
    UNKNOWN_NATIONALITY,
    is_country_code,
    is_language_code,
    is_nationality_code,
)
from integrationsplan.domain.municipalities import FederalState, Municipality, is_ags
from integrationsplan.domain.partial_dates import PartialDate
from integrationsplan.domain.person import Allocation, Person, PersonName, Sex
from integrationsplan.domain.plans import IntegrationPlan
from integrationsplan.domain.residence import ResidenceStatus, ResidenceStatusKind
from integrationsplan.domain.staff import IntegrationManager

__all__ = [
    "KOSOVO",
    "STATELESS",
    "UNKNOWN_NATIONALITY",
    "Achievement",
    "Allocation",
    "CefrLevel",
    "CompensationMeasure",
    "Competency",
    "Development",
    "EvidenceKind",
    "FederalState",
    "Goal",
    "GoalArea",
    "GoalStatus",
    "IntegrationManager",
    "IntegrationPlan",
    "IscedLevel",
    "LanguageEvidence",
    "LanguageSkill",
    "Measure",
    "MeasureStatus",
    "Municipality",
    "OtherSkill",
    "PartialDate",
    "Person",
    "PersonName",
    "QualificationKind",
    "Recognition",
    "RecognitionLaw",
    "RecognitionOutcome",
    "RecognitionState",
    "ResidenceStatus",
    "ResidenceStatusKind",
    "Responsible",
    "ResponsibleParty",
    "Schooling",
    "Sex",
    "SkillKind",
    "VocationalQualification",
    "WorkExperience",
    "is_ags",
    "is_country_code",
    "is_language_code",
    "is_nationality_code",
]
