"""The exception hierarchy: everything this library raises on purpose.

Catch [`IntegrationsplanError`][integrationsplan.IntegrationsplanError] to handle any refusal of the library. Messages
carry identifiers, field paths, codes and enum values only: never names, notes or
contact data, so they are safe to log (the library holds special-category personal
data of refugees, GDPR Art. 9).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

__all__ = [
    "AccessDeniedError",
    "AppointmentStateError",
    "ConcurrentAppointmentError",
    "ConcurrentRevisionError",
    "ConfigurationError",
    "ConsentRequiredError",
    "FieldError",
    "IntegrationsplanError",
    "IntegrityError",
    "KeyUnavailableError",
    "PlanRuleViolation",
    "PluginError",
    "SlotTakenError",
    "StorageError",
    "UnknownAppointmentError",
    "UnknownPlanError",
    "ValidationError",
    "value_shape",
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
    ``ValueError``, as a bad argument is one.
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


class PlanRuleViolation(IntegrationsplanError):  # noqa: N818 - a violation, named as in the domain docs
    """A change cannot be applied to the plan as it stands; nothing was changed.

    Names the revision number, the position of the change in it and the change type,
    e.g. ``revision 7, change 2 (ChangeGoalStatus): no goal 'g-9' in the plan``.
    """

    revision: int
    change_index: int
    change_type: str
    reason: str

    def __init__(self, revision: int, change_index: int, change_type: str, reason: str) -> None:
        self.revision = revision
        self.change_index = change_index
        self.change_type = change_type
        self.reason = reason
        super().__init__(f"revision {revision}, change {change_index} ({change_type}): {reason}")

    def __reduce__(self) -> tuple[type[PlanRuleViolation], tuple[int, int, str, str]]:
        return (type(self), (self.revision, self.change_index, self.change_type, self.reason))


class ConcurrentRevisionError(IntegrationsplanError):
    """The plan moved on since the revision an edit was based on; nothing was written.

    Reload the plan, look at what changed, and revise again on the new head.
    """

    plan_id: str
    expected: int
    actual: int

    def __init__(self, plan_id: str, expected: int, actual: int) -> None:
        self.plan_id = plan_id
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"plan {plan_id!r}: the edit was based on revision {expected}, but the plan is at revision {actual}; "
            "reload and revise again"
        )

    def __reduce__(self) -> tuple[type[ConcurrentRevisionError], tuple[str, int, int]]:
        return (type(self), (self.plan_id, self.expected, self.actual))


class SlotTakenError(IntegrationsplanError):
    """The time is taken: the manager, or the room, has another appointment then. Nothing was written.

    ``holder`` is ``"manager"`` or ``"room"``; ``other_id`` the appointment that holds the
    time, when the store can tell (ids only). Find another slot (``appointments free``).
    """

    appointment_id: str
    holder: str
    other_id: str | None

    def __init__(self, appointment_id: str, holder: str, other_id: str | None = None) -> None:
        self.appointment_id = appointment_id
        self.holder = holder
        self.other_id = other_id
        other = f" (appointment {other_id!r})" if other_id else ""
        super().__init__(
            f"appointment {appointment_id!r}: the {holder} has another appointment at that time{other}; "
            "choose another slot"
        )

    def __reduce__(self) -> tuple[type[SlotTakenError], tuple[str, str, str | None]]:
        return (type(self), (self.appointment_id, self.holder, self.other_id))


class AppointmentStateError(IntegrationsplanError):
    """The appointment's lifecycle does not allow this step (a completed one cannot be moved).

    Nothing was written. ``status`` is where the appointment stands, ``step`` what was asked.
    """

    appointment_id: str
    status: str
    step: str

    def __init__(self, appointment_id: str, status: str, step: str) -> None:
        self.appointment_id = appointment_id
        self.status = status
        self.step = step
        super().__init__(f"appointment {appointment_id!r} is {status}: it cannot be {step}")

    def __reduce__(self) -> tuple[type[AppointmentStateError], tuple[str, str, str]]:
        return (type(self), (self.appointment_id, self.status, self.step))


class ConcurrentAppointmentError(IntegrationsplanError):
    """The appointment changed since the version a change was based on; nothing was written.

    The same optimistic concurrency as for plans: reload it and change it again.
    ``held`` is the version the store holds (0 if it is new and the id is taken: 1).
    """

    appointment_id: str
    expected: int
    held: int

    def __init__(self, appointment_id: str, expected: int, held: int) -> None:
        self.appointment_id = appointment_id
        self.expected = expected
        self.held = held
        if expected == 0:
            message = f"appointment {appointment_id!r} exists already (version {held}); book it under another id"
        else:
            message = (
                f"appointment {appointment_id!r}: the change was based on version {expected}, "
                f"but the store holds version {held}; reload and change it again"
            )
        super().__init__(message)

    def __reduce__(self) -> tuple[type[ConcurrentAppointmentError], tuple[str, int, int]]:
        return (type(self), (self.appointment_id, self.expected, self.held))


class UnknownAppointmentError(IntegrationsplanError, LookupError):
    """There is no appointment with this id (or none the caller may see)."""

    appointment_id: str

    def __init__(self, appointment_id: str) -> None:
        self.appointment_id = appointment_id
        super().__init__(f"no appointment {appointment_id!r}")

    def __reduce__(self) -> tuple[type[UnknownAppointmentError], tuple[str]]:
        return (type(self), (self.appointment_id,))


class UnknownPlanError(IntegrationsplanError, LookupError):
    """There is no plan with this id (or none yet on the day asked for)."""

    plan_id: str
    detail: str | None

    def __init__(self, plan_id: str, detail: str | None = None) -> None:
        self.plan_id = plan_id
        self.detail = detail
        super().__init__(f"no plan {plan_id!r}" + (f": {detail}" if detail else ""))

    def __reduce__(self) -> tuple[type[UnknownPlanError], tuple[str, str | None]]:
        return (type(self), (self.plan_id, self.detail))


class IntegrityError(IntegrationsplanError):
    """A stored history does not verify: a broken hash chain, a gap, time going backwards.

    ``revision`` is the first bad revision; everything before it verified.
    """

    plan_id: str
    revision: int
    reason: str

    def __init__(self, plan_id: str, revision: int, reason: str) -> None:
        self.plan_id = plan_id
        self.revision = revision
        self.reason = reason
        super().__init__(f"plan {plan_id!r}, revision {revision}: {reason}")

    def __reduce__(self) -> tuple[type[IntegrityError], tuple[str, int, str]]:
        return (type(self), (self.plan_id, self.revision, self.reason))


class ConfigurationError(IntegrationsplanError):
    """The library was set up wrongly: an unknown store URL scheme, a missing directory.

    Also raised for arguments outside what the library accepts (a ratio of 0 cases per
    post, a count of a billion office hours).
    """


class StorageError(IntegrationsplanError):
    """A store could not do what was asked: a locked or corrupt file, a newer schema.

    The message names the store and what to do; nothing stored was changed or lost.
    """


class ConsentRequiredError(IntegrationsplanError):
    """An operation needs a consent the person has not given, or has withdrawn.

    The message names the plan, the purpose or recipient asked for, the day, and why
    (no such consent, or withdrawn on which day) — never the person.
    """

    def __init__(self, plan_id: str, needed: str, on: str, reason: str) -> None:
        super().__init__(f"plan {plan_id!r} has no consent valid on {on} for {needed}: {reason}")
        self.plan_id = plan_id
        self.needed = needed
        self.on = on
        self.reason = reason

    def __reduce__(self) -> tuple[type[ConsentRequiredError], tuple[str, str, str, str]]:
        return (type(self), (self.plan_id, self.needed, self.on, self.reason))


class KeyUnavailableError(StorageError):
    """A plan's data key is not available: destroyed by erasure, or never made.

    Raised when an encrypted plan is read whose key the key provider no longer holds —
    for example a plan found in a database backup restored after it was erased. The
    message names the plan id and why (erased on which day), never its content.
    """

    def __init__(self, plan_id: str, reason: str) -> None:
        super().__init__(f"plan {plan_id!r} cannot be decrypted: {reason}")
        self.plan_id = plan_id
        self.reason = reason

    def __reduce__(self) -> tuple[type[KeyUnavailableError], tuple[str, str]]:
        return (type(self), (self.plan_id, self.reason))


class PluginError(ConfigurationError):
    """A plugin failed to load, implements an unknown hook, or returned the wrong thing.

    The message names the plugin (and its distribution, when it came from one) and how
    to start without it. A broken plugin is a deployment's configuration problem, so
    this is a [`ConfigurationError`][integrationsplan.ConfigurationError].
    """


class AccessDeniedError(StorageError):
    """The store refused because the caller may not touch that municipality's plans.

    Raised by a store that separates municipalities (PostgreSQL with row-level security)
    when a town's role writes a plan of another municipality, or opens the store for a
    municipality it is not mapped to. The message names the municipality (AGS) and the
    action, never the plan's content. Reading another town's plan is not an access
    error: to that town the plan does not exist
    ([`UnknownPlanError`][integrationsplan.UnknownPlanError]).
    """


def value_shape(value: object) -> str:
    """How an error describes a bad value: its type and shape, never its content.

    ``a text of 6 characters (letters)``, ``an integer of 11 digits``, ``a list of 3
    items``. A value that fails validation may be personal data typed into the wrong
    field, so messages, logs and reprs use this instead of the value.
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"  # a member of our own enums is a code
    if isinstance(value, str):
        count = len(value)
        return f"a text of {count} character{'' if count == 1 else 's'}{_classes(value)}"
    if isinstance(value, int):
        return f"an integer of {len(str(abs(value)))} digit{'' if -10 < value < 10 else 's'}"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, dt.datetime):
        return "an instant"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, list | tuple | set | frozenset):
        return f"a list of {len(value)} item{'' if len(value) == 1 else 's'}"
    if isinstance(value, dict):
        return f"an object with {len(value)} field{'' if len(value) == 1 else 's'}"
    return f"a {type(value).__name__}"


def _classes(text: str) -> str:
    kinds = [
        name
        for name, present in (
            ("letters", any(c.isalpha() for c in text)),
            ("digits", any(c.isdigit() for c in text)),
            ("spaces", any(c.isspace() for c in text)),
            ("other characters", any(not (c.isalnum() or c.isspace()) for c in text)),
        )
        if present
    ]
    return f" ({', '.join(kinds)})" if kinds else ""
