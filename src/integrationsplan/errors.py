"""The exception hierarchy: everything this library raises on purpose.

Catch :class:`IntegrationsplanError` to handle any refusal of the library. Messages
carry identifiers, field paths, codes and enum values only: never names, notes or
contact data, so they are safe to log (the library holds special-category personal
data of refugees, GDPR Art. 9).
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "FieldError",
    "IntegrationsplanError",
    "ValidationError",
]


class IntegrationsplanError(Exception):
    """Root of every exception this library raises on purpose."""


@attrs.frozen
class FieldError:
    """One bad field: where it is and what is wrong with it.

    ``path`` is a JSONPath-like location such as ``$.goals[2].target_date``; ``$`` is the
    value being built or the document being read. ``message`` never contains the value of
    a field that holds personal text (names, notes, contact data).
    """

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class ValidationError(IntegrationsplanError, ValueError):
    """A value or document broke one or more rules of the domain model.

    ``errors`` lists every bad field found, each with its path and what is wrong, so a
    caller can show all problems at once instead of one per attempt. It is also a
    :class:`ValueError`, as a bad argument is one.
    """

    subject: str
    errors: tuple[FieldError, ...]

    def __init__(self, subject: str, errors: Iterable[FieldError]) -> None:
        self.subject = subject
        self.errors = tuple(errors)
        lines = "\n".join(f"  {error}" for error in self.errors)
        count = len(self.errors)
        noun = "error" if count == 1 else "errors"
        super().__init__(f"invalid {subject} ({count} {noun}):\n{lines}")

    def __reduce__(self) -> tuple[type[ValidationError], tuple[str, tuple[FieldError, ...]]]:
        return (type(self), (self.subject, self.errors))
