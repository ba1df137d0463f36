"""Domain values as a person reads them: labelled fields, enum labels, dates in the reader's form.

A diff and a disclosure hold values of the stored documents. Shown as JSON they read
``"status": "achieved"`` and ``"2023-03-15"``; shown through this module they read
``Status: erreicht`` and ``15.03.2023``. Values are shown by their domain type — a JSON
value is read back into its class first — so ``"active"`` becomes ``in Arbeit`` for a
goal and ``aktiv`` for a plan, which no guess from the text alone could tell apart.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from typing import Any

import attrs
import orjson

from integrationsplan.domain import PartialDate
from integrationsplan.errors import IntegrationsplanError
from integrationsplan.i18n import Texts
from integrationsplan.serialization import structure

__all__ = ["concrete_type", "element_type", "field_label", "field_type", "inline", "json_inline", "tree"]

#: German and English labels of the fields people read, by field name.
LabelTable = typing.Mapping[str, tuple[str, str]]


def field_label(labels: LabelTable, name: str, language: str) -> str:
    """A field's label: German, or English for ``en`` (the field name where none is known)."""
    pair = labels.get(name)
    if pair is None:
        return name
    return pair[1] if language == "en" else pair[0]


def _strip_none(tp: Any) -> Any:
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        return members[0] if len(members) == 1 else typing.Union[tuple(members)]  # noqa: UP007 - built at runtime
    return tp


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def field_type(cls: Any, name: str) -> Any | None:
    """The declared type of field ``name`` of an attrs class (``None`` for anything else)."""
    if isinstance(cls, type) and attrs.has(cls):
        return _hints(cls).get(name)
    return None


def element_type(tp: Any) -> Any | None:
    """The item type of ``tuple[X, ...]`` (``None`` when ``tp`` is no such tuple)."""
    tp = _strip_none(tp)
    if typing.get_origin(tp) is tuple:
        args = typing.get_args(tp)
        return args[0] if args else None
    return None


def concrete_type(tp: Any, value: Any) -> Any | None:
    """The attrs class a JSON object ``value`` of type ``tp`` is (a union is resolved by reading it)."""
    tp = _strip_none(tp)
    if isinstance(tp, type) and attrs.has(tp):
        return tp
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and isinstance(value, dict):
        try:
            return type(structure(value, tp))
        except IntegrationsplanError:
            return None
    return None


def json_inline(value: Any, tp: Any | None, words: Texts, labels: LabelTable) -> str:
    """A JSON value of domain type ``tp`` on one line, as ``words``' language writes it.

    Without a type, or when the value does not read as one (an old document), the JSON
    text is shown: never an error in the middle of a listing.
    """
    if value is None:
        return "—"
    if tp is not None:
        try:
            return inline(structure(value, tp), words, labels)
        except IntegrationsplanError:
            pass
    return value if isinstance(value, str) else orjson.dumps(value).decode()


def _empty(value: Any) -> bool:
    return value is None or value in ((), "")


def inline(value: Any, words: Texts, labels: LabelTable) -> str:
    """A domain value on one line: ``Sprache: deu, Gesamtniveau: A2, Nachweis: (Art: Zertifikat, …)``."""
    if value is None:
        return "—"
    if isinstance(value, PartialDate):
        return _partial(value)
    if isinstance(value, int) and not isinstance(value, bool | enum.Enum):
        return str(value)  # counts, years, revision numbers: no thousands separator
    if isinstance(value, float):
        return words.number(value)
    if isinstance(value, enum.Enum | dt.date | bool | str):
        return words.value(value)
    if isinstance(value, tuple | list):
        parts = [inline(item, words, labels) for item in value]
        nested = any(attrs.has(type(item)) for item in value)
        return ("; " if nested else ", ").join(parts) if parts else "—"
    if attrs.has(type(value)):
        shown = []
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if _empty(item):
                continue
            text = inline(item, words, labels)
            if attrs.has(type(item)) and not isinstance(item, PartialDate):
                text = f"({text})"
            shown.append(f"{field_label(labels, field.name, words.code)}: {text}")
        return ", ".join(shown) or "—"
    return str(value)


def tree(value: Any, words: Texts, labels: LabelTable, *, indent: int) -> list[str]:
    """Every field of a domain value, labelled, nested by indentation (for letters and listings)."""
    pad = " " * indent
    if attrs.has(type(value)) and not isinstance(value, PartialDate):
        lines: list[str] = []
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            label = field_label(labels, field.name, words.code)
            if _nested(item):
                lines.append(f"{pad}{label}:")
                lines += tree(item, words, labels, indent=indent + 2)
            else:
                lines.append(f"{pad}{label}: {inline(item, words, labels) if not _empty(item) else '—'}")
        return lines
    if isinstance(value, tuple | list):
        lines = []
        for item in value:
            if _nested(item):
                nested = tree(item, words, labels, indent=indent + 2)
                lines.append(f"{pad}- {nested[0].lstrip()}" if nested else f"{pad}-")
                lines += nested[1:]
            else:
                lines.append(f"{pad}- {inline(item, words, labels)}")
        return lines
    return [f"{pad}{inline(value, words, labels)}"]


def _nested(value: Any) -> bool:
    if isinstance(value, PartialDate):
        return False
    if attrs.has(type(value)):
        return True
    return isinstance(value, tuple | list) and any(attrs.has(type(item)) for item in value)


def _partial(value: PartialDate) -> str:
    if value.day is not None and value.month is not None:
        return f"{value.day:02d}.{value.month:02d}.{value.year}"
    if value.month is not None:
        return f"{value.month:02d}.{value.year}"
    return str(value.year)
