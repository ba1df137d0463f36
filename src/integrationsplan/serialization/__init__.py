"""Serialization: one cattrs converter, canonical JSON documents, clear errors."""

from integrationsplan.serialization.converter import (
    CHANGE_TAGS,
    COMPETENCY_TAGS,
    configure_converter,
    make_converter,
    register_tagged_union,
)
from integrationsplan.serialization.documents import (
    DOCUMENT_TYPES,
    SCHEMA_VERSION,
    SchemaVersionError,
    canonical_json,
    dumps,
    loads,
    structure,
    unstructure,
)

__all__ = [
    "CHANGE_TAGS",
    "COMPETENCY_TAGS",
    "DOCUMENT_TYPES",
    "SCHEMA_VERSION",
    "SchemaVersionError",
    "canonical_json",
    "configure_converter",
    "dumps",
    "loads",
    "make_converter",
    "register_tagged_union",
    "structure",
    "unstructure",
]
