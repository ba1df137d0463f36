"""Turning cattrs' exception groups into one ValidationError with field paths (internal)."""

from __future__ import annotations

from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from integrationsplan.errors import FieldError, ValidationError


class InvalidValueError(ValueError):
    """Raised by the converter's hooks; the message never contains personal text.

    ``suffix`` points below the value the hook was given, e.g. ``.type`` for the tag
    of a tagged union.
    """

    def __init__(self, message: str, suffix: str = "") -> None:
        super().__init__(message)
        self.suffix = suffix


def type_name(value: object) -> str:
    names = {type(None): "null", str: "string", int: "integer", float: "number", bool: "boolean"}
    names |= {list: "array", dict: "object"}
    return names.get(type(value), type(value).__name__)


def field_errors(exc: BaseException, path: str = "$") -> list[FieldError]:
    """Every bad field in ``exc`` (raised by a detailed-validation converter) with its path."""
    if isinstance(exc, IterableValidationError):
        items, rest = exc.group_exceptions()
        errors = [error for sub, item in items for error in field_errors(sub, f"{path}[{item.index!r}]")]
        return errors + [error for sub in rest for error in field_errors(sub, path)]
    if isinstance(exc, ClassValidationError):
        attributes, rest = exc.group_exceptions()
        errors = [error for sub, attribute in attributes for error in field_errors(sub, f"{path}.{attribute.name}")]
        return errors + [error for sub in rest for error in field_errors(sub, path)]
    if isinstance(exc, ValidationError):
        # Raised by a domain validator; its paths are relative to the object it checked.
        return [FieldError(path + error.path.removeprefix("$"), error.message) for error in exc.errors]
    if isinstance(exc, InvalidValueError):
        return [FieldError(path + exc.suffix, str(exc))]
    return [FieldError(path, _describe(exc))]


def _describe(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, ForbiddenExtraKeysError):
        names = ", ".join(repr(name) for name in sorted(exc.extra_fields))
        return f"unknown field(s) {names}" if len(names) <= 200 else "unknown fields"
    # Anything else is a bug in a hook, not bad data; say so without echoing the data.
    return f"could not be read ({type(exc).__name__})"


def validation_error(subject: str, exc: BaseException) -> ValidationError:
    if isinstance(exc, ValidationError) and not isinstance(exc, (ClassValidationError, IterableValidationError)):
        return ValidationError(subject, exc.errors)
    return ValidationError(subject, field_errors(exc))
