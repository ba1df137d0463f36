"""Encoding a plan state by reusing what did not change since the state before it.

A Fortschreibung changes one goal, or adds a contact count; the fold builds the new
state with ``attrs.evolve``, so every unchanged part — the person, the competencies, the
other goals — is the *same object* as in the state before. Values are immutable, so the
same object has the same JSON-ready form: it can be taken from the previous encoding
instead of being unstructured again. That makes writing the head of a plan cost what
the revision changed, not what the plan holds.

``unstructure_state(state, previous, previous_data)`` gives what ``unstructure(state)``
gives, with parts already written as canonical JSON (``orjson.Fragment``), so the
document is the same (a property test holds the two to the same bytes); it only goes
two levels deep — the state's fields, the plan's fields, and the items of the plan's
tuples — and falls back to the converter for everything else.
"""

from __future__ import annotations

import functools
import typing
from typing import Any

import attrs
import orjson

from integrationsplan.domain import IntegrationPlan, PlanState
from integrationsplan.serialization.documents import CONVERTER, canonical_json

__all__ = ["unstructure_state"]


@functools.cache
def _fields(cls: type[Any]) -> tuple[tuple[str, Any, Any], ...]:
    """Each field's name, declared type, and element type when it is ``tuple[X, ...]``."""
    attrs.resolve_types(cls)
    described = []
    for field in attrs.fields(cls):
        element = None
        if typing.get_origin(field.type) is tuple:
            arguments = typing.get_args(field.type)
            if len(arguments) == 2 and arguments[1] is Ellipsis:
                element = arguments[0]
        described.append((field.name, field.type, element))
    return tuple(described)


def _encoded(value: Any, declared: Any) -> Any:
    """The JSON-ready form of a fresh part, objects and lists already as canonical bytes.

    An ``orjson.Fragment`` is written verbatim, so the next head that shares this part
    pays neither for unstructuring it nor for sorting and writing its keys again.
    """
    data = CONVERTER.unstructure(value, declared)
    return orjson.Fragment(canonical_json(data)) if isinstance(data, (dict, list)) else data


def _field(value: Any, previous: Any, previous_data: Any, declared: Any, element: Any) -> Any:
    if value is previous:
        return previous_data
    if element is not None and type(previous) is tuple and type(previous_data) is list:
        known = {id(item): data for item, data in zip(previous, previous_data, strict=True)}
        return [known[id(item)] if id(item) in known else _encoded(item, element) for item in value]
    if element is not None:
        return [_encoded(item, element) for item in value]
    return _encoded(value, declared)


def unstructure_state(state: PlanState, previous: PlanState | None, previous_data: dict[str, Any] | None) -> Any:
    """``unstructure(state)``, reusing the parts ``state`` shares with ``previous`` (encoded as ``previous_data``)."""
    if previous is None or previous_data is None:
        return CONVERTER.unstructure(state)
    data: dict[str, Any] = {}
    for name, declared, element in _fields(PlanState):
        value, before = getattr(state, name), getattr(previous, name)
        if name == "plan" and value is not before:
            data[name] = _plan(value, before, previous_data[name])
        else:
            data[name] = _field(value, before, previous_data[name], declared, element)
    return data


def _plan(plan: IntegrationPlan, previous: IntegrationPlan, previous_data: dict[str, Any]) -> dict[str, Any]:
    return {
        name: _field(getattr(plan, name), getattr(previous, name), previous_data[name], declared, element)
        for name, declared, element in _fields(IntegrationPlan)
    }
