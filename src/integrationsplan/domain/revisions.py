"""Plan revisions: the immutable, numbered, hash-chained entries of a plan's history."""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Any

import attrs

from integrationsplan.domain._validators import (
    PERSONAL,
    calendar_date,
    fail,
    identifier,
    integer,
    member_of,
    redacted_repr,
    text,
    tuple_of,
    utc_instant,
)
from integrationsplan.domain.changes import CHANGE_TYPES, Change

__all__ = ["Revision", "RevisionKind"]

_HASH = re.compile(r"[0-9a-f]{64}")


class RevisionKind(enum.Enum):
    """An update (Fortschreibung) moves the plan forward; a correction fixes a mistake."""

    UPDATE = "update"
    CORRECTION = "correction"


def _sha256(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not str or _HASH.fullmatch(value) is None:
        fail(instance, attribute, "is not a SHA-256 hex digest (64 lowercase hex digits)")


def _previous_hash(instance: Revision, attribute: attrs.Attribute[Any], value: Any) -> None:
    if instance.number == 1 and value is not None:
        fail(instance, attribute, "the first revision has no previous hash")
    if instance.number > 1:
        if value is None:
            fail(instance, attribute, f"revision {instance.number} needs the hash of revision {instance.number - 1}")
        _sha256(instance, attribute, value)


def _corrects(instance: Revision, attribute: attrs.Attribute[Any], value: Any) -> None:
    if instance.kind is RevisionKind.CORRECTION:
        if value is None:
            fail(instance, attribute, "a correction names the revision it corrects")
        integer(1, instance.number - 1)(instance, attribute, value)
    elif value is not None:
        fail(instance, attribute, "only a correction names a revision it corrects")


def _changes(instance: Revision, attribute: attrs.Attribute[Any], value: tuple[Change, ...]) -> None:
    if not value:
        fail(instance, attribute, "a revision has at least one change")


@attrs.frozen
class Revision:
    """One entry of a plan's history: who changed what, when, and why.

    ``recorded_at`` is when it was written (a UTC instant, set by the service's clock);
    ``effective_on`` the day it is true from. Keeping the two apart makes a late entry
    or a correction honest: "known since ``recorded_at``, true since ``effective_on``".
    ``hash`` is the SHA-256 of the revision's canonical JSON without the hash itself and
    includes ``previous_hash``: changing any earlier revision breaks the chain.
    """

    plan_id: str = attrs.field(validator=identifier)
    number: int = attrs.field(validator=integer(1, 2**31))
    recorded_at: dt.datetime = attrs.field(validator=utc_instant)
    effective_on: dt.date = attrs.field(validator=calendar_date)
    author: str = attrs.field(validator=identifier)
    kind: RevisionKind = attrs.field(validator=member_of(RevisionKind))
    reason: str = attrs.field(validator=text(500, multiline=True), metadata=PERSONAL, repr=redacted_repr)
    changes: tuple[Change, ...] = attrs.field(validator=[tuple_of(CHANGE_TYPES, "a change"), _changes])
    corrects: int | None = attrs.field(validator=_corrects)
    previous_hash: str | None = attrs.field(validator=_previous_hash)
    hash: str = attrs.field(validator=_sha256)
