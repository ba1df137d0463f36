"""Sealing revisions and verifying a plan's hash chain.

Pure functions over sequences of [`Revision`][integrationsplan.Revision] (ordered by
number). The plan service uses them on what a store returns; an application can use them
on any history it holds. The hash is SHA-256 over the revision's canonical JSON (without
its own ``hash``), and each revision names the hash of the one before: changing any byte
of any revision breaks every link after it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import attrs
import orjson

from integrationsplan.domain import Revision
from integrationsplan.errors import IntegrityError, ValidationError
from integrationsplan.serialization import DOCUMENT_TYPES, SCHEMA_VERSION, canonical_json, loads, unstructure

__all__ = [
    "VerifiedHistory",
    "revision_hash",
    "seal",
    "seal_with_document",
    "verified_history",
    "verified_revisions",
    "verify",
    "verify_documents",
]


def revision_hash(revision: Revision) -> str:
    """SHA-256 (hex) of the revision's canonical JSON without its own ``hash`` field.

    The previous revision's hash is part of what is hashed, which chains the history:
    changing any field of any revision changes every hash after it.
    """
    data = unstructure(revision)
    del data["hash"]
    return hashlib.sha256(canonical_json(data)).hexdigest()


def seal(revision: Revision) -> Revision:
    """The revision with its ``hash`` computed (whatever it held before)."""
    return attrs.evolve(revision, hash=revision_hash(revision))


def seal_with_document(revision: Revision) -> tuple[Revision, bytes]:
    """The sealed revision and its stored document (``dumps`` of it), built in one pass.

    Equal to ``(seal(revision), dumps(seal(revision)))``; a store's append path uses it
    to unstructure each revision once instead of twice.
    """
    data = unstructure(revision)
    del data["hash"]
    digest = hashlib.sha256(canonical_json(data)).hexdigest()
    data["hash"] = digest
    document = canonical_json({"data": data, "schema_version": SCHEMA_VERSION, "type": DOCUMENT_TYPES[Revision]})
    return attrs.evolve(revision, hash=digest), document


def verify(revisions: Iterable[Revision], plan_id: str | None = None) -> int:
    """Check numbering, plan id, chain and time of a history; return how many verified.

    Raises [`IntegrityError`][integrationsplan.IntegrityError] naming the first bad
    revision: a gap or repeat in the numbering, another plan's revision, a hash that
    does not match the content, a broken link to the previous hash, or a recorded-at
    instant earlier than the one before.
    """
    previous: Revision | None = None
    count = 0
    for revision in revisions:
        plan_id = plan_id or revision.plan_id
        _check_link(plan_id, previous, revision)
        if revision_hash(revision) != revision.hash:
            raise IntegrityError(plan_id, revision.number, "the content does not match its hash")
        previous = revision
        count += 1
    return count


def _check_link(plan_id: str, previous: Revision | None, revision: Revision) -> None:
    expected = 1 if previous is None else previous.number + 1
    if revision.plan_id != plan_id:
        raise IntegrityError(plan_id, revision.number, f"belongs to plan {revision.plan_id!r}")
    if revision.number != expected:
        raise IntegrityError(plan_id, expected, f"revision {expected} is missing (found {revision.number})")
    if previous is not None:
        if revision.previous_hash != previous.hash:
            raise IntegrityError(plan_id, revision.number, "does not link to the hash of the revision before")
        if revision.recorded_at < previous.recorded_at:
            raise IntegrityError(plan_id, revision.number, "recorded before the revision before it")


def verify_documents(plan_id: str, documents: Iterable[bytes]) -> int:
    """Verify stored revision documents byte for byte; return how many verified.

    Besides what ``verify`` checks, each document must be readable and exactly the
    canonical encoding of its content, so that changing any byte is detected at the
    revision where it happened.
    """
    return len(verified_revisions(plan_id, documents))


@attrs.frozen
class VerifiedHistory:
    """A plan's whole history, verified byte for byte, with the documents it was read from.

    Made only by [`verified_history`][integrationsplan.history.verified_history], so an
    importer can store the given bytes without encoding or verifying them again.
    """

    plan_id: str
    revisions: tuple[Revision, ...]
    documents: tuple[bytes, ...] = attrs.field(repr=lambda documents: f"<{len(documents)} documents>")


def verified_history(plan_id: str, documents: Iterable[bytes]) -> VerifiedHistory:
    """Verify stored revision documents (as ``verify_documents`` does) and keep them with their revisions."""
    kept = tuple(bytes(document) for document in documents)
    return VerifiedHistory(plan_id, tuple(verified_revisions(plan_id, kept)), kept)


def verified_revisions(plan_id: str, documents: Iterable[bytes]) -> list[Revision]:
    """The revisions of stored documents, verified as ``verify_documents`` does, for a replay."""
    revisions: list[Revision] = []
    for position, document in enumerate(documents, start=1):
        try:
            revision = loads(document, Revision)
        except ValidationError as error:
            raise IntegrityError(plan_id, position, f"unreadable ({len(error.errors)} bad field(s))") from None
        if canonical_json(orjson.loads(document)) != bytes(document):
            raise IntegrityError(plan_id, position, "not in canonical form")
        _check_link(plan_id, revisions[-1] if revisions else None, revision)
        if revision_hash(revision) != revision.hash:
            raise IntegrityError(plan_id, revision.number, "the content does not match its hash")
        revisions.append(revision)
    return revisions
