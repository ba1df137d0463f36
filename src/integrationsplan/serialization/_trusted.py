"""Structuring hooks for trusted documents: types checked, invariants not re-run (internal).

A document this library wrote was validated when its value was built, and a store
checks its hash before reading it, so running every domain validator again on each
read only costs time. These hooks still check every type, enum value, date format,
required and unknown key through the converter's strict hooks (what a schema-driven
decoder such as msgspec checks); they set the attributes directly instead of calling
``__init__``, which is where the attrs validators run.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import types
from collections.abc import Callable
from typing import Any, Union, get_args, get_origin

import attrs
import cattrs

from integrationsplan.serialization._errors import InvalidValueError, type_name


def trusted_class_structure_factory(cls: type[Any], converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """A hook for documents in canonical form: an object with exactly the class's fields.

    Documents written by [`dumps`][integrationsplan.dumps] always are: every field is
    written. Anything else (a missing optional field, an unknown key, a wrong type)
    raises, and the caller falls back to the validating path, which accepts or
    explains it.
    """
    attrs.resolve_types(cls)
    fields = attrs.fields(cls)
    scope: dict[str, Any] = {
        "__cls": cls,
        "__new": object.__new__,
        "__setattr": object.__setattr__,
        "__not_canonical": _not_canonical,
    }
    lines = [
        f"    if type(o) is not dict or len(o) != {len(fields)}:",
        "        __not_canonical(o)",
        "    obj = __new(__cls)",
    ]
    for index, field in enumerate(fields):
        hook, kind = f"h{index}", f"t{index}"
        scope[hook] = converter.get_structure_hook(field.type)
        scope[kind] = field.type
        lines.append(f"    v = o[{field.name!r}]")
        lines += ["    " + line for line in _convert(converter, field.type, index, hook=hook, kind=kind, scope=scope)]
        slot = inspect.getattr_static(cls, field.name, None)
        if isinstance(slot, types.MemberDescriptorType):  # slotted class: set the slot itself
            scope[f"s{index}"] = slot.__set__
            lines.append(f"    s{index}(obj, v)")
        else:
            lines.append(f"    __setattr(obj, {field.name!r}, v)")
    lines.append("    return obj")
    # Everything the body uses is a closure variable: cheaper to load than a global,
    # and this function runs for every object read.
    scope |= {"type": type, "len": len, "dict": dict, "tuple": tuple, "all": all}
    names = list(scope)
    lines = [f"def make({', '.join(names)}):", "  def structure(o, _):", *("  " + line for line in lines)]
    lines.append("  return structure")
    exec(compile("\n".join(lines), f"<integrationsplan trusted structure {cls.__qualname__}>", "exec"), scope)  # noqa: S102
    structure: Callable[[Any, Any], Any] = scope["make"](*(scope[name] for name in names))
    return structure


def _convert(
    converter: cattrs.Converter, declared: Any, index: int, *, hook: str, kind: str, scope: dict[str, Any]
) -> list[str]:
    """Lines that turn ``v`` into the field's value, inlining the most common checks.

    Calling a hook per field is most of the cost of reading a document; for plain
    strings, integers, booleans and enums a type check or a dictionary lookup suffices,
    and anything unusual still goes through the hook, which explains a refusal.
    """
    optional = get_origin(declared) in (Union, types.UnionType) and type(None) in get_args(declared)
    inner = next((arg for arg in get_args(declared) if arg is not type(None)), declared) if optional else declared
    guard = "v is not None and " if optional else ""
    if inner in (str, int, bool):
        scope[f"p{index}"] = inner
        return [f"if {guard}type(v) is not p{index}:", f"    v = {hook}(v, {kind})"]
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        members = {member.value: member for member in inner}
        scope[f"e{index}"] = members
        if all(type(value) is str for value in members):
            # A non-string can never equal a string key: a failed lookup raises.
            lookup = [f"v = e{index}[v]"]
        else:  # 1 == 1.0 == True: check the type before the lookup
            scope[f"p{index}"] = type(next(iter(members)))
            lookup = [f"v = e{index}[v] if type(v) is p{index} else {hook}(v, {kind})"]
        return ["if v is not None:", *("    " + line for line in lookup)] if optional else lookup
    if inner is dt.date:
        scope["__fromiso"] = dt.date.fromisoformat
        parse = [
            "if type(v) is str and len(v) == 10 and v[4] == '-' and v[7] == '-':",
            "    v = __fromiso(v)",
            "else:",
            f"    v = {hook}(v, {kind})",
        ]
        return ["if v is not None:", *("    " + line for line in parse)] if optional else parse
    args = get_args(inner)
    if get_origin(inner) is tuple and len(args) == 2 and args[1] is Ellipsis and not optional:
        element = args[0]
        if element is str:
            check = "all([type(x) is str for x in v])"
            build = "tuple(v)"
        else:
            scope[f"eh{index}"] = converter.get_structure_hook(element)
            scope[f"et{index}"] = element
            check = "True"
            build = f"tuple([eh{index}(x, et{index}) for x in v])"
        return [
            f"if type(v) is list and {check}:",
            f"    v = {build}",
            "else:",
            f"    v = {hook}(v, {kind})",
        ]
    if optional:
        scope[f"i{index}"] = converter.get_structure_hook(inner)
        scope[f"it{index}"] = inner
        return ["if v is not None:", f"    v = i{index}(v, it{index})"]
    return [f"v = {hook}(v, {kind})"]


def _not_canonical(value: Any) -> None:
    raise InvalidValueError(f"not a canonical document object ({type_name(value)})")
