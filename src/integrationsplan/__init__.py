"""integrationsplan: integration plans for the integration management of refugees.

Typed, validated, append-only records of the counselling of refugees in follow-up
housing (Anschlussunterbringung) in German municipalities, starting with
Baden-Württemberg's Integrationsmanagement (Pakt für Integration).
"""

from integrationsplan.caseload_service import CaseloadService, Handover
from integrationsplan.clock import Clock, ManualClock, SystemClock
from integrationsplan.domain import *  # noqa: F403 - the domain's __all__ is public API
from integrationsplan.domain import __all__ as _domain_names
from integrationsplan.errors import (
    ConcurrentRevisionError,
    ConfigurationError,
    FieldError,
    IntegrationsplanError,
    IntegrityError,
    PlanRuleViolation,
    PluginError,
    StorageError,
    UnknownPlanError,
    ValidationError,
)
from integrationsplan.exports import to_icalendar, to_osm_opening_hours, to_schema_org
from integrationsplan.history import (
    FieldChange,
    PlanDiff,
    diff_revisions,
    diff_states,
    revision_hash,
    seal,
    seal_with_document,
    state_as_of,
    state_as_recorded,
    verify,
    verify_documents,
)
from integrationsplan.hookspecs import hookimpl
from integrationsplan.plugins import App, PluginInfo
from integrationsplan.reports import KeyFigure, KeyFigures, kennzahlen, key_figures
from integrationsplan.rules import *  # noqa: F403 - the rules' __all__ is public API
from integrationsplan.rules import __all__ as _rule_names
from integrationsplan.serialization import (
    SCHEMA_VERSION,
    SchemaVersionError,
    canonical_json,
    configure_converter,
    dumps,
    loads,
    make_converter,
    structure,
    unstructure,
)
from integrationsplan.service import PlanService
from integrationsplan.storage import BatchAppend, MemoryStore, PlanStore, StoredHead, StoredRevision, open_store

__version__ = "0.1.0"

__all__ = [  # noqa: PLE0604 - the domain names are listed in integrationsplan.domain
    *_domain_names,
    *_rule_names,
    "SCHEMA_VERSION",
    "App",
    "BatchAppend",
    "CaseloadService",
    "Clock",
    "ConcurrentRevisionError",
    "ConfigurationError",
    "FieldChange",
    "FieldError",
    "Handover",
    "KeyFigure",
    "KeyFigures",
    "IntegrationsplanError",
    "IntegrityError",
    "ManualClock",
    "MemoryStore",
    "PlanStore",
    "PluginError",
    "PluginInfo",
    "StoredHead",
    "StoredRevision",
    "open_store",
    "kennzahlen",
    "key_figures",
    "PlanDiff",
    "PlanRuleViolation",
    "PlanService",
    "SchemaVersionError",
    "StorageError",
    "SystemClock",
    "UnknownPlanError",
    "ValidationError",
    "__version__",
    "canonical_json",
    "configure_converter",
    "diff_revisions",
    "hookimpl",
    "diff_states",
    "dumps",
    "loads",
    "make_converter",
    "revision_hash",
    "seal",
    "seal_with_document",
    "state_as_of",
    "state_as_recorded",
    "structure",
    "to_icalendar",
    "to_osm_opening_hours",
    "to_schema_org",
    "unstructure",
    "verify",
    "verify_documents",
]
