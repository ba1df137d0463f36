"""JSON Schema (2020-12) of the documents other systems exchange with the library.

Generated from the classes themselves — their type annotations for the structure (objects
with exactly their fields, arrays, enums, nulls, the tagged unions of changes and
competencies) and their validators for the constraints a schema can express (identifier
and code patterns, lengths of texts, bounds of numbers, date and instant forms, unique
items) — so a schema cannot drift from what the library reads. What a schema cannot say
(a date before another one, a goal whose measures must be unique across the plan, an ISO
code that must exist) the library still checks when it reads the document.

[`SCHEMAS`][integrationsplan.serialization.schema.SCHEMAS] names them;
``integrationsplan schema NAME`` prints one, and ``docs/schemas/`` holds them all.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from integrationsplan.domain import (
    Appointment,
    Competency,
    CreatePlan,
    IntegrationPlan,
    PartialDate,
    Person,
    PlanState,
    Revision,
)
from integrationsplan.domain._validators import SCHEMA
from integrationsplan.serialization.converter import CHANGE_TAGS, COMPETENCY_TAGS
from integrationsplan.serialization.documents import DOCUMENT_TYPES, SCHEMA_VERSION

__all__ = ["SCHEMAS", "schema"]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class _Builder:
    """Collects the definitions (``$defs``) of the classes one schema refers to."""

    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}

    def ref(self, cls: type[Any]) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            self.defs[name] = {}  # a placeholder first: classes may refer to themselves
            self.defs[name] = self.object(cls)
        return {"$ref": f"#/$defs/{name}"}

    def object(self, cls: type[Any], *, tag: tuple[str, str] | None = None) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        if tag is not None:
            properties[tag[0]] = {"const": tag[1]}
            required.append(tag[0])
        for field in attrs.fields(cls):
            properties[field.name] = self.value(hints[field.name], field.validator)
            if field.default is attrs.NOTHING:
                required.append(field.name)
        described: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        if cls.__doc__:
            described["description"] = " ".join(cls.__doc__.split("\n\n", 1)[0].split())
        return described

    def value(self, hint: Any, validator: Any) -> dict[str, Any]:
        """The schema of a value of type ``hint`` checked by ``validator``."""
        origin = typing.get_origin(hint)
        if origin in (typing.Union, types.UnionType):
            members = [member for member in typing.get_args(hint) if member is not type(None)]
            if len(members) < len(typing.get_args(hint)):  # X | None
                inner = _inner(validator)
                return {"anyOf": [self.value(_union(members), inner), {"type": "null"}]}
            return self.union(members)
        if origin is tuple:
            element = typing.get_args(hint)[0]
            described = {"type": "array", "items": self.value(element, _element(validator))}
            return described | _constraints(validator, "uniqueItems")
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            return {"enum": [member.value for member in hint]}
        if hint is PartialDate:
            return {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
        if isinstance(hint, type) and attrs.has(hint):
            return self.ref(hint)
        base = _SCALARS.get(hint)
        if base is None:
            raise TypeError(f"no JSON Schema for {hint!r}")
        return base | _constraints(validator)

    def union(self, members: list[Any]) -> dict[str, Any]:
        """A tagged union: each change by its ``change`` tag, each competency by its ``type``."""
        options = []
        for member in members:
            tag = _tag_of(member)
            if tag is None:
                options.append(self.value(member, None))
                continue
            name = f"{member.__name__}"
            if name not in self.defs:
                self.defs[name] = {}
                self.defs[name] = self.object(member, tag=tag)
            options.append({"$ref": f"#/$defs/{name}"})
        return {"oneOf": options}


_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    dt.date: {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    dt.datetime: {"type": "string", "format": "date-time", "pattern": r"(Z|[+-]\d{2}:\d{2})$"},
}


def _union(members: list[Any]) -> Any:
    if len(members) == 1:
        return members[0]
    union = members[0]
    for member in members[1:]:
        union = union | member
    return union


def _validators(validator: Any) -> list[Any]:
    """The single validators below attrs' ``and_`` (a list given to ``attrs.field``)."""
    if validator is None:
        return []
    inner = getattr(validator, "_validators", None)
    if inner is not None:
        return [single for part in inner for single in _validators(part)]
    return [validator]


def _inner(validator: Any) -> Any:
    """The validator of the value behind ``optional(...)`` (the others apply to it too)."""
    return _And([getattr(single, "optional_of", single) for single in _validators(validator)])


def _element(validator: Any) -> Any:
    return _And([single.element for single in _validators(validator) if hasattr(single, "element")])


def _constraints(validator: Any, *only: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for single in _validators(validator):
        fragment = getattr(single, SCHEMA, None)
        if fragment:
            merged |= {key: value for key, value in fragment.items() if not only or key in only}
    return merged


class _And:
    """Several validators of one value (what attrs' ``and_`` holds)."""

    def __init__(self, validators: list[Any]) -> None:
        self._validators = tuple(validators)


def _tag_of(cls: type[Any]) -> tuple[str, str] | None:
    for key, tags in (("change", CHANGE_TAGS), ("type", COMPETENCY_TAGS)):
        for tag, tagged in tags.items():
            if tagged is cls:
                return key, tag
    return None


def _envelope(cls: type[Any], builder: _Builder) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "type": {"const": DOCUMENT_TYPES[cls]},
            "schema_version": {"const": SCHEMA_VERSION},
            "data": builder.ref(cls),
        },
        "required": ["data", "schema_version", "type"],
        "additionalProperties": False,
    }


def _document(cls: type[Any], name: str, title: str) -> Callable[[], dict[str, Any]]:
    def build() -> dict[str, Any]:
        builder = _Builder()
        return _finish(_envelope(cls, builder), builder, name, title)

    return build


def _change() -> dict[str, Any]:
    builder = _Builder()
    body = builder.union(list(CHANGE_TAGS.values()))
    return _finish(body, builder, "change", "One change of a revision, as `plan revise` reads them")


def _changes() -> dict[str, Any]:
    builder = _Builder()
    body = {"type": "array", "minItems": 1, "items": builder.union(list(CHANGE_TAGS.values()))}
    return _finish(body, builder, "changes", "The list of changes `plan revise` reads")


def _create_plan() -> dict[str, Any]:
    builder = _Builder()
    body = builder.object(CreatePlan)
    body["properties"]["change"] = {"const": "create_plan"}  # `plan create` accepts the tag too
    return _finish(body, builder, "create_plan", "The create_plan document `plan create` reads")


def _export_line() -> dict[str, Any]:
    builder = _Builder()
    revision = _envelope(Revision, builder)
    plain = {
        "type": "object",
        "properties": {
            "plan_id": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"},
            "revisions": {"type": "array", "minItems": 1, "items": revision},
        },
        "required": ["plan_id", "revisions"],
        "additionalProperties": False,
    }
    sealed = {
        "type": "object",
        "properties": {
            "plan_id": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"},
            "number": {"type": "integer", "minimum": 1},
            "sealed": {"type": "string", "contentEncoding": "base64"},
        },
        "required": ["plan_id", "number", "sealed"],
        "additionalProperties": False,
    }
    body = {"oneOf": [plain, sealed]}
    return _finish(body, builder, "export_line", "One line of `export` (plain, or sealed with the plan's key)")


def _competency() -> dict[str, Any]:
    builder = _Builder()
    body = builder.union(list(typing.get_args(Competency)))
    return _finish(body, builder, "competency", "A competency, tagged by its type")


def _finish(body: dict[str, Any], builder: _Builder, name: str, title: str) -> dict[str, Any]:
    described: dict[str, Any] = {
        "$schema": _DIALECT,
        "$id": f"urn:integrationsplan:schema:{name}",
        "title": title,
        **body,
    }
    if builder.defs:
        described["$defs"] = dict(sorted(builder.defs.items()))
    return described


#: The documents with a schema, by name (``integrationsplan schema NAME``).
SCHEMAS: Mapping[str, Callable[[], dict[str, Any]]] = {
    "appointment": _document(Appointment, "appointment", "An appointment document"),
    "change": _change,
    "changes": _changes,
    "competency": _competency,
    "create_plan": _create_plan,
    "export_line": _export_line,
    "person": _document(Person, "person", "A person document"),
    "plan": _document(IntegrationPlan, "plan", "An integration plan document"),
    "plan_state": _document(PlanState, "plan_state", "A plan state (head) document"),
    "revision": _document(Revision, "revision", "A revision document, as stored and exported"),
}


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema of the document ``name`` (one of ``SCHEMAS``)."""
    build = SCHEMAS.get(name)
    if build is None:
        from integrationsplan.errors import ConfigurationError  # noqa: PLC0415 - only for this message

        raise ConfigurationError(f"no schema {name[:30]!r}; the schemas are {', '.join(SCHEMAS)}")
    return build()
