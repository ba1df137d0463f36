"""Stored documents: canonical JSON with a type name and a schema version.

Every document has the same envelope::

    {"data": {...}, "schema_version": 1, "type": "integration_plan"}

Canonical means: keys sorted, no insignificant whitespace, UTF-8, dates as
``YYYY-MM-DD``, instants in UTC ending in ``Z``, every field written (``null`` when
empty). The same value therefore always gives the same bytes, which is what makes a
hash over a document meaningful.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar, overload

import attrs
import cattrs
import orjson

from integrationsplan.domain import (
    CHANGE_TYPES,
    Allocation,
    Appointment,
    Change,
    Closure,
    CounsellingContact,
    Development,
    EligibilityRecord,
    Goal,
    GoalStatusRecord,
    IntegrationManager,
    IntegrationPlan,
    LanguageEvidence,
    LanguageSkill,
    Measure,
    Municipality,
    OtherSkill,
    PartialDate,
    Person,
    PersonName,
    PlanState,
    Recognition,
    ResidenceStatus,
    Responsible,
    Revision,
    Schooling,
    SupportExtension,
    SupportPause,
    VocationalQualification,
    WorkExperience,
)
from integrationsplan.errors import ConfigurationError, FieldError, ValidationError, value_shape
from integrationsplan.serialization._errors import type_name, validation_error
from integrationsplan.serialization._trusted import trusted_class_structure_factory
from integrationsplan.serialization.converter import make_converter

#: The first bytes of a document encrypted at rest (``integrationsplan.storage.encrypted``).
ENCRYPTED_MAGIC = b"IPE1"

__all__ = [
    "CONVERTER",
    "DOCUMENT_TYPES",
    "SCHEMA_VERSION",
    "SchemaVersionError",
    "canonical_json",
    "dumps",
    "dumps_changes",
    "loads",
    "loads_changes",
    "structure",
    "unstructure",
]

T = TypeVar("T")

#: Version of the stored document format this release writes and reads.
SCHEMA_VERSION = 1

#: The name under which each domain type is stored; a stored name never changes.
DOCUMENT_TYPES: Mapping[type[Any], str] = {
    Allocation: "allocation",
    Appointment: "appointment",
    Closure: "closure",
    CounsellingContact: "counselling_contact",
    PlanState: "plan_state",
    Revision: "revision",
    SupportExtension: "support_extension",
    SupportPause: "support_pause",
    Development: "development",
    EligibilityRecord: "eligibility_record",
    Goal: "goal",
    GoalStatusRecord: "goal_status_record",
    IntegrationManager: "integration_manager",
    IntegrationPlan: "integration_plan",
    LanguageEvidence: "language_evidence",
    LanguageSkill: "language_skill",
    Measure: "measure",
    Municipality: "municipality",
    OtherSkill: "other_skill",
    PartialDate: "partial_date",
    Person: "person",
    PersonName: "person_name",
    Recognition: "recognition",
    ResidenceStatus: "residence_status",
    Responsible: "responsible",
    Schooling: "schooling",
    VocationalQualification: "vocational_qualification",
    WorkExperience: "work_experience",
}

_ENVELOPE = frozenset({"data", "schema_version", "type"})


class SchemaVersionError(ValidationError):
    """A document was written by a newer release (or has no usable schema version).

    Nothing is lost: the document is left as it is; upgrade integrationsplan to read it.
    """


#: The converter of the library: it writes every document and explains every bad one.
CONVERTER = make_converter(detailed_validation=True)


@functools.cache
def _fast() -> cattrs.Converter:
    """A reader generated from CONVERTER that stops at the first problem: valid documents are the rule."""
    return CONVERTER.copy(detailed_validation=False)


@functools.cache
def _trusted() -> cattrs.Converter:
    """A reader generated from the fast one that does not re-run invariants (see ``loads``)."""
    converter = _fast().copy()
    converter.register_structure_hook_factory(attrs.has, trusted_class_structure_factory)
    return converter


def _document_type(cls: type[Any]) -> str:
    name = DOCUMENT_TYPES.get(cls)
    if name is None:
        message = f"{getattr(cls, '__name__', type_name(cls))} is not a document type of integrationsplan"
        raise ValidationError("document", [FieldError("$", message)])
    return name


def unstructure(value: Any) -> Any:
    """The JSON-ready form (dicts, lists, strings, numbers) of a domain value."""
    return CONVERTER.unstructure(value)


@overload
def structure(data: Any, cls: type[T]) -> T: ...


@overload
def structure(data: Any, cls: Any) -> Any: ...  # a union such as Change


def structure(data: Any, cls: Any) -> Any:
    """Build and validate a ``cls`` from its JSON-ready form.

    Raises [`ValidationError`][integrationsplan.ValidationError] listing every bad field,
    and nothing else, whatever ``data`` is.
    """
    subject = "change" if cls == Change else getattr(cls, "__name__", "value")  # a union has no name
    return _structure(data, cls, subject, "$")


def _structure(data: Any, cls: type[T], subject: str, root: str) -> T:
    # Valid documents are the rule: read them with the fast converter, and only when
    # that fails pay for the detailed one, which names every bad field.
    try:
        return _fast().structure(data, cls)
    except Exception:  # noqa: BLE001, S110 - the detailed pass below explains it
        pass
    try:
        return CONVERTER.structure(data, cls)
    except Exception as exc:  # noqa: BLE001 - turned into one ValidationError
        error = validation_error(subject, exc)
        raise ValidationError(subject, [FieldError(root + e.path[1:], e.message) for e in error.errors]) from None


def canonical_json(data: Any) -> bytes:
    """Canonical JSON bytes of JSON-ready data: sorted keys, compact, UTF-8.

    Raises [`ValidationError`][integrationsplan.ValidationError] for data JSON cannot hold
    (a non-string key, an integer beyond 64 bits, an unknown type).
    """
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError as exc:
        raise ValidationError("JSON data", [FieldError("$", f"cannot be written as JSON ({exc})")]) from None


def dumps(value: Any) -> bytes:
    """The canonical document of a domain value (see the module docs)."""
    document = {"data": unstructure(value), "schema_version": SCHEMA_VERSION, "type": _document_type(type(value))}
    return canonical_json(document)


def loads(data: bytes | bytearray | memoryview | str, cls: type[T], *, trusted: bool = False) -> T:
    """Read a document written by [`dumps`][integrationsplan.dumps] back into a validated ``cls``.

    Raises [`ValidationError`][integrationsplan.ValidationError] for malformed JSON, a
    wrong envelope, a document of another type or any bad field, and
    ``SchemaVersionError`` for a document from a newer release.

    ``trusted=True`` is for documents this library wrote and whose integrity the
    caller has checked (a store does, through the revision hash): types, enum values,
    date formats and the set of keys are still checked, but the domain invariants,
    which held when the value was built, are not run again. That makes reading about
    three times faster. A document that is not in canonical form falls back to full
    validation, so a bad document is still refused with every bad field named.
    """
    expected = _document_type(cls)
    subject = f"{expected} document"
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if isinstance(data, bytes | bytearray | memoryview) and bytes(data[:4]) == ENCRYPTED_MAGIC:
            raise ConfigurationError(
                f"the {expected} document is encrypted: open its store with keys=<key provider URL>"
            ) from None
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ValidationError(subject, [FieldError("$", f"not valid JSON ({where})")]) from None
    if type(document) is not dict:
        raise ValidationError(subject, [FieldError("$", f"expected a document object, got {type_name(document)}")])
    if not (
        len(document) == 3
        and document.get("type") == expected
        and document.get("schema_version") == SCHEMA_VERSION
        and type(document.get("schema_version")) is int
        and "data" in document
    ):
        _check_envelope(document, expected, subject)
    if trusted:
        try:
            return _trusted().structure(document["data"], cls)
        except Exception:  # noqa: BLE001, S110 - the validating path accepts or explains it
            pass
    return _structure(document["data"], cls, subject, "$.data")


def dumps_changes(changes: Change | Sequence[Change]) -> bytes:
    """Changes as a canonical JSON list, each object tagged with its ``"change"`` kind.

    This is the document ``integrationsplan plan revise`` reads, and what an application
    sends to another that applies the changes:
    ``[{"change": "complete_measure", "measure_id": "m-1"}]``.
    """
    items: list[Any] = [changes] if isinstance(changes, CHANGE_TYPES) else list(changes)  # type: ignore[arg-type]
    return canonical_json(CONVERTER.unstructure(items, list[Change]))


def loads_changes(data: bytes | bytearray | memoryview | str) -> tuple[Change, ...]:
    """Read changes written by [`dumps_changes`][integrationsplan.dumps_changes] (a list, or one object).

    Raises [`ValidationError`][integrationsplan.ValidationError] naming every bad field,
    e.g. ``$[1].goal.target_date``.
    """
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise ValidationError("changes", [FieldError("$", f"not valid JSON (column {exc.colno})")]) from None
    items = parsed if type(parsed) is list else [parsed]
    if not items:
        raise ValidationError("changes", [FieldError("$", "a revision needs at least one change")])
    return tuple(_structure(items, list[Change], "changes", "$"))


def _check_envelope(document: dict[str, Any], expected: str, subject: str) -> None:
    errors = [FieldError(f"$.{key}", "required field missing") for key in sorted(_ENVELOPE - document.keys())]
    extra = sorted(str(key) for key in document.keys() - _ENVELOPE)
    if extra:
        errors.append(FieldError("$", "unknown field(s) " + ", ".join(repr(key) for key in extra[:10])))
    version = document.get("schema_version")
    if "schema_version" in document and (type(version) is not int or version < 1):
        errors.append(FieldError("$.schema_version", f"expected a positive integer, got {type_name(version)}"))
    kind = document.get("type")
    if "type" in document and kind != expected:
        shown = value_shape(kind)
        errors.append(FieldError("$.type", f"{shown} is not {expected!r}"))
    if errors:
        raise ValidationError(subject, errors)
    if type(version) is int and version > SCHEMA_VERSION:
        raise SchemaVersionError(
            subject,
            [
                FieldError(
                    "$.schema_version",
                    f"{version} is newer than {SCHEMA_VERSION}, the newest this release reads; "
                    "upgrade integrationsplan",
                )
            ],
        )
