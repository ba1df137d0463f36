"""The one cattrs converter of the library, split into build and configure steps.

``configure_converter`` adds this library's hooks to any converter, the way cattrs'
preconf modules do, so an application or a plugin can start from a converter of its
own, or add hooks for its own types after ours. The hooks are strict: JSON gives a
string where a string is declared, a list where a tuple is declared, and so on. cattrs'
defaults would turn ``5`` into ``"5"`` or a string into a tuple of characters, which
would store a different value than the one written.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs._compat import is_optional
from cattrs.gen import make_dict_structure_fn

from integrationsplan.domain import (
    AddGoal,
    AddMeasure,
    AssignManager,
    CancelMeasure,
    Change,
    ChangeGoalStatus,
    ClosePlan,
    Competency,
    CompleteMeasure,
    CreatePlan,
    ExtendSupport,
    GiveConsent,
    LanguageSkill,
    OtherSkill,
    PartialDate,
    PauseSupport,
    RecordAppointmentContact,
    RecordCompetency,
    RecordCounsellingContact,
    RecordDevelopment,
    RecordEligibilityDecision,
    ReplaceCompetency,
    ResumeSupport,
    ReviseGoal,
    Schooling,
    UpdatePersonalData,
    VocationalQualification,
    WithdrawCompetency,
    WithdrawConsent,
    WorkExperience,
)
from integrationsplan.errors import value_shape
from integrationsplan.serialization._errors import InvalidValueError, type_name

__all__ = ["CHANGE_TAGS", "COMPETENCY_TAGS", "configure_converter", "make_converter", "register_tagged_union"]

T = TypeVar("T")

#: Tags that mark the type of each competency in a document (``"type": "language"``).
COMPETENCY_TAGS: Mapping[str, type[Any]] = {
    "language": LanguageSkill,
    "schooling": Schooling,
    "qualification": VocationalQualification,
    "work_experience": WorkExperience,
    "other_skill": OtherSkill,
}

#: Tags that mark the type of each change in a revision (``"change": "add_goal"``).
CHANGE_TAGS: Mapping[str, type[Any]] = {
    "create_plan": CreatePlan,
    "update_personal_data": UpdatePersonalData,
    "record_competency": RecordCompetency,
    "replace_competency": ReplaceCompetency,
    "withdraw_competency": WithdrawCompetency,
    "add_goal": AddGoal,
    "revise_goal": ReviseGoal,
    "change_goal_status": ChangeGoalStatus,
    "add_measure": AddMeasure,
    "complete_measure": CompleteMeasure,
    "cancel_measure": CancelMeasure,
    "record_development": RecordDevelopment,
    "record_counselling_contact": RecordCounsellingContact,
    "assign_manager": AssignManager,
    "record_eligibility_decision": RecordEligibilityDecision,
    "extend_support": ExtendSupport,
    "pause_support": PauseSupport,
    "resume_support": ResumeSupport,
    "close_plan": ClosePlan,
    "give_consent": GiveConsent,
    "withdraw_consent": WithdrawConsent,
    "record_appointment_contact": RecordAppointmentContact,
}


def make_converter(*, detailed_validation: bool = True) -> cattrs.Converter:
    """A new converter configured for this library's documents.

    With ``detailed_validation`` (the default) a failure reports every bad field with
    its path; without it structuring is faster and stops at the first problem. The
    document functions use the fast one and fall back to the detailed one to explain
    a failure.
    """
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed_validation)
    configure_converter(converter)
    return converter


def configure_converter(converter: cattrs.Converter) -> None:
    """Add the hooks of this library to ``converter``.

    * ``str``, ``int``, ``float``, ``bool`` are checked, never coerced;
    * dates are ISO ``YYYY-MM-DD`` strings, partial dates ``YYYY[-MM[-DD]]``;
    * instants are UTC ISO 8601 strings ending in ``Z`` (any offset is read and
      normalised to UTC; a naive time is refused);
    * enums are stored by value and read strictly;
    * tuples are JSON arrays;
    * attrs classes are JSON objects, extra keys refused;
    * a competency carries a ``type`` tag (``COMPETENCY_TAGS``), a change a
      ``change`` tag (``CHANGE_TAGS``).
    """
    # cattrs consults these class hooks before any factory, also for subclasses such as
    # an IntEnum or StrEnum; the hooks hand those on to the enum hook.
    converter.register_structure_hook(str, _structure_str)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_unstructure_hook(float, float)

    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_structure_hook(dt.datetime, _structure_instant)
    converter.register_unstructure_hook(dt.datetime, _unstructure_instant)
    converter.register_structure_hook(PartialDate, _structure_partial_date)
    converter.register_unstructure_hook(PartialDate, PartialDate.isoformat)

    converter.register_structure_hook_factory(_is_enum, _enum_structure_hook)
    # Factories take the converter they build for (cattrs passes it), never the one
    # configured here: a copy of this converter (the faster readers of the document
    # functions) then generates its hooks from its own settings.
    converter.register_unstructure_hook_factory(_is_enum, lambda _: _unstructure_enum)
    converter.register_structure_hook_factory(_is_homogeneous_tuple, _tuple_structure_factory)
    converter.register_structure_hook_factory(attrs.has, _class_structure_factory)
    converter.register_structure_hook_factory(is_optional, _optional_structure_factory)

    register_tagged_union(converter, Competency, COMPETENCY_TAGS, tag_name="type")
    register_tagged_union(converter, Change, CHANGE_TAGS, tag_name="change")


def register_tagged_union(
    converter: cattrs.Converter, union: Any, tags: Mapping[str, type[Any]], tag_name: str = "kind"
) -> None:
    """(Un)structure ``union`` as an object with a ``tag_name`` key naming its class.

    The tags are written out explicitly rather than derived from class names, so a
    class can be renamed without breaking stored documents.
    """
    by_class = {cls: tag for tag, cls in tags.items()}
    choices = ", ".join(repr(tag) for tag in tags)

    def is_union(candidate: Any) -> bool:
        return bool(candidate == union)

    def unstructure_factory(_: Any, conv: cattrs.Converter) -> Callable[[Any], dict[str, Any]]:
        def unstructure(value: Any) -> dict[str, Any]:
            cls = type(value)
            tag = by_class.get(cls)
            if tag is None:
                raise InvalidValueError(f"{cls.__name__} is not a member of the tagged union ({choices})")
            document: dict[str, Any] = conv.unstructure(value, unstructure_as=cls)
            document[tag_name] = tag
            return document

        return unstructure

    converter.register_unstructure_hook_factory(is_union, unstructure_factory)
    converter.register_structure_hook_factory(is_union, lambda _, conv: _tagged_structure_hook(conv, tags, tag_name))


def _tagged_structure_hook(
    converter: cattrs.Converter, tags: Mapping[str, type[Any]], tag_name: str
) -> Callable[[Any, Any], Any]:
    choices = ", ".join(repr(tag) for tag in tags)
    # Hooks are looked up on first use: hooks registered after the union still count.
    structure_hooks: dict[type[Any], Callable[[Any, Any], Any]] = {}

    def structure(value: Any, _: Any) -> Any:
        if type(value) is not dict:
            raise InvalidValueError(f"expected an object, got {type_name(value)}")
        tag = value.get(tag_name)
        cls = tags.get(tag) if type(tag) is str else None
        if cls is None:
            if tag_name not in value:
                raise InvalidValueError(f"required tag missing (one of {choices})", f".{tag_name}")
            shown = value_shape(tag)
            raise InvalidValueError(f"{shown} is not a valid {tag_name} (expected one of {choices})", f".{tag_name}")
        hook = structure_hooks.get(cls)
        if hook is None:
            hook = structure_hooks[cls] = converter.get_structure_hook(cls)
        fields = value.copy()
        del fields[tag_name]
        return hook(fields, cls)

    return structure


def _structure_str(value: Any, cls: Any) -> str:
    if type(value) is str and cls is str:
        return value
    if cls is not str:
        return _enum_structure_hook(cls)(value, cls)  # type: ignore[return-value]
    raise InvalidValueError(f"expected a string, got {type_name(value)}")


def _structure_int(value: Any, cls: Any) -> int:
    if type(value) is int and cls is int:
        return value
    if cls is not int:
        return _enum_structure_hook(cls)(value, cls)  # type: ignore[return-value]
    raise InvalidValueError(f"expected an integer, got {type_name(value)}")


def _structure_float(value: Any, _: Any) -> float:
    if type(value) is not float and type(value) is not int:
        raise InvalidValueError(f"expected a number, got {type_name(value)}")
    return float(value)


def _structure_bool(value: Any, _: Any) -> bool:
    if type(value) is not bool:
        raise InvalidValueError(f"expected true or false, got {type_name(value)}")
    return value


def _structure_date(value: Any, _: Any) -> dt.date:
    if type(value) is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    shown = value_shape(value)
    raise InvalidValueError(f"{shown} is not a date of the form YYYY-MM-DD")


def _structure_instant(value: Any, _: Any) -> dt.datetime:
    if type(value) is str and len(value) <= 40:
        try:
            instant = dt.datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if instant.tzinfo is None:
                raise InvalidValueError("the instant has no time zone; instants are stored in UTC ('Z')")
            return instant.astimezone(dt.UTC)
    shown = value_shape(value)
    raise InvalidValueError(f"{shown} is not an ISO 8601 instant such as '2026-11-24T09:30:00Z'")


def _unstructure_instant(value: dt.datetime) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValueError("a naive datetime cannot be stored; use an aware UTC instant")
    text = value.astimezone(dt.UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def _structure_partial_date(value: Any, _: Any) -> PartialDate:
    if type(value) is not str:
        raise InvalidValueError(f"expected a partial date string (YYYY, YYYY-MM or YYYY-MM-DD), got {type_name(value)}")
    return PartialDate.parse(value)


def _is_enum(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, enum.Enum)


def _unstructure_enum(value: enum.Enum) -> Any:
    return value.value


@functools.cache
def _enum_structure_hook(cls: type[enum.Enum]) -> Callable[[Any, Any], enum.Enum]:
    if not _is_enum(cls):
        raise InvalidValueError(f"no structuring hook for {cls!r}")
    members = {member.value: member for member in cls}
    value_type = type(next(iter(members)))
    choices = ", ".join(repr(value) for value in members)

    def structure(value: Any, _: Any) -> enum.Enum:
        if type(value) is value_type:
            member = members.get(value)
            if member is not None:
                return member
        shown = value_shape(value)
        raise InvalidValueError(f"{shown} is not a valid {cls.__name__} (expected one of {choices})")

    return structure


def _is_homogeneous_tuple(cls: Any) -> bool:
    args = get_args(cls)
    return get_origin(cls) is tuple and len(args) == 2 and args[1] is Ellipsis


def _tuple_structure_factory(cls: Any, converter: cattrs.Converter) -> Callable[[Any, Any], tuple[Any, ...]]:
    base = cattrs.cols.homogenous_tuple_structure_factory(cls, converter)

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise InvalidValueError(f"expected an array, got {type_name(value)}")
        result: tuple[Any, ...] = base(value, cls)
        return result

    return structure


def _optional_structure_factory(cls: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    # cattrs looks the inner hook up on every call; resolving it once is much faster.
    inner = next(arg for arg in get_args(cls) if arg is not type(None))
    hook = converter.get_structure_hook(inner)

    def structure(value: Any, _: Any) -> Any:
        return None if value is None else hook(value, inner)

    return structure


def _class_structure_factory(cls: type[T], converter: cattrs.Converter) -> Callable[[Any, Any], T]:
    generated = make_dict_structure_fn(cls, converter)

    def structure(value: Any, _: Any) -> T:
        if type(value) is not dict:
            raise InvalidValueError(f"expected an object, got {type_name(value)}")
        return generated(value, cls)

    return structure
