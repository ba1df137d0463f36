"""Serialization: one cattrs converter, canonical JSON documents, clear errors.

[`CONVERTER`][integrationsplan.serialization.CONVERTER] is the library's one converter;
the document functions read valid documents through faster readers generated from it
(``CONVERTER.copy``) and fall back to it to name every bad field.
"""

from integrationsplan.serialization.converter import (
    CHANGE_TAGS,
    COMPETENCY_TAGS,
    configure_converter,
    make_converter,
    register_tagged_union,
)
from integrationsplan.serialization.documents import (
    CONVERTER,
    DOCUMENT_TYPES,
    SCHEMA_VERSION,
    SchemaVersionError,
    canonical_json,
    dumps,
    dumps_changes,
    loads,
    loads_changes,
    structure,
    unstructure,
)

__all__ = [
    "CHANGE_TAGS",
    "COMPETENCY_TAGS",
    "CONVERTER",
    "DOCUMENT_TYPES",
    "SCHEMA_VERSION",
    "SchemaVersionError",
    "canonical_json",
    "configure_converter",
    "dumps",
    "dumps_changes",
    "loads",
    "loads_changes",
    "make_converter",
    "register_tagged_union",
    "structure",
    "unstructure",
]
