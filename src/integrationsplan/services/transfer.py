"""Export and import: whole plan histories as JSON Lines, streamed, verified, idempotent.

One line per plan: ``{"plan_id": "...", "revisions": [<stored revision documents>]}``.
The revision documents are the stored bytes, so an export is a faithful copy that the
importing side verifies (numbering, hash chain, canonical form) before it writes
anything.

From an encrypted store, an export is **sealed** by default: each line is
``{"plan_id": "...", "number": N, "sealed": "<base64>"}``, the revisions array encrypted
with the plan's own data key (AES-256-GCM, bound to the plan id and ``N``). It is read
back only through a store opened with the same key provider, and once a plan is erased
(its key destroyed) no earlier export of it can be read any more — the same as a backup.
An export for a named recipient (who holds no keys) is plaintext, and needs the
person's consent.

Both directions stream: memory stays bounded by one batch of plans, whatever the size
of the store or the file.

Import is safe to repeat: a plan the store already holds with the same last hash and
number is counted as unchanged; a plan it holds with a different history is refused
([`ConcurrentRevisionError`][integrationsplan.ConcurrentRevisionError]), never merged.
Every error names the line (and the revision and field) where it was found.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO

import attrs
import orjson

from integrationsplan.domain import Revision
from integrationsplan.errors import (
    ConcurrentRevisionError,
    ConfigurationError,
    FieldError,
    IntegrityError,
    ValidationError,
)
from integrationsplan.history import VerifiedHistory, verified_history
from integrationsplan.serialization import canonical_json, loads
from integrationsplan.services.plans import PlanService
from integrationsplan.storage.encrypted import EncryptedStore

__all__ = ["ImportSummary", "TransferService"]


@attrs.frozen
class ImportSummary:
    """What an import did: plans written, and plans the store already held unchanged."""

    imported: int
    unchanged: int


class TransferService:
    """Export a store's plans as JSON Lines, and import such lines into a store."""

    def __init__(self, plans: PlanService) -> None:
        self.plans = plans

    def export(
        self,
        out: BinaryIO,
        plan_ids: Sequence[str] | None = None,
        *,
        recipient: str | None = None,
        on: dt.date | None = None,
        progress: Callable[[int, int], None] | None = None,
        sealed: bool | None = None,
    ) -> int:
        """Write one line per plan (all plans by default) to ``out``; return how many.

        ``sealed`` (default: whenever the store is encrypted and there is no recipient)
        encrypts each line with its plan's data key; see the module documentation.

        With ``recipient`` (an export shared with someone outside the integration
        management), every plan must have a consent valid on ``on`` that names that
        recipient; otherwise nothing is written and
        [`ConsentRequiredError`][integrationsplan.ConsentRequiredError] names the first plan
        without one and why. ``progress(done, total)`` is called after each plan.
        """
        ids = list(plan_ids) if plan_ids is not None else self.plans.store.plans()
        if recipient is not None:
            if on is None:
                raise ConfigurationError("an export for a recipient needs the day its consents must be valid on")
            self.require_consents(ids, recipient=recipient, on=on)
        if sealed is None:
            sealed = recipient is None and isinstance(self.plans.store, EncryptedStore)
        if sealed and not isinstance(self.plans.store, EncryptedStore):
            raise ConfigurationError("a sealed export needs an encrypted store (open it with keys=)")
        for done, line in enumerate(self.lines(ids, sealed=sealed), start=1):
            out.write(line)
            if progress is not None:
                progress(done, len(ids))
        return len(ids)

    def require_consents(self, plan_ids: Sequence[str] | None, *, recipient: str, on: dt.date) -> None:
        """Check that every plan (all by default) has a consent valid on ``on`` naming ``recipient``.

        Raises [`ConsentRequiredError`][integrationsplan.ConsentRequiredError] for the first
        plan without one; a caller checks before it creates anything (an output file).
        """
        for plan_id in self.plans.store.plans() if plan_ids is None else plan_ids:
            self.plans.require_consent(plan_id, recipient=recipient, on=on)

    def lines(self, plan_ids: Iterable[str] | None = None, *, sealed: bool = False) -> Iterator[bytes]:
        """The export lines of ``plan_ids`` (all plans by default), one at a time.

        ``sealed`` encrypts each plan's revisions with its data key (an encrypted store only).
        """
        store = self.plans.store
        for plan_id in store.plans() if plan_ids is None else plan_ids:
            documents = [stored.document for stored in store.read(plan_id)]
            revisions = b"[" + b",".join(documents) + b"]"
            if sealed and isinstance(store, EncryptedStore):
                ciphertext = base64.b64encode(store.seal_export(plan_id, len(documents), revisions)).decode()
                yield orjson.dumps({"plan_id": plan_id, "number": len(documents), "sealed": ciphertext}) + b"\n"
            else:
                yield b'{"plan_id":' + orjson.dumps(plan_id) + b',"revisions":' + revisions + b"}\n"

    def copy_from(
        self,
        source: TransferService,
        *,
        batch_size: int = 500,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportSummary:
        """Copy every plan of ``source``'s store into this one: verified, in atomic batches.

        The same path as an export piped into an import, without the file: each plan's
        history is verified (numbering, hash chain, canonical form) before it is written,
        and ``batch_size`` plans go into one atomic batch. Safe to repeat: plans already
        copied unchanged are counted as unchanged. A plan this store holds with another
        history is refused ([`ConcurrentRevisionError`][integrationsplan.ConcurrentRevisionError]),
        never merged or overwritten. ``progress(done, total)`` is called after each batch.
        """
        ids = source.plans.store.plans()
        return self.import_lines(
            source.lines(ids),
            source="source store",
            batch_size=batch_size,
            progress=None if progress is None else (lambda done: progress(done, len(ids))),
        )

    def import_lines(
        self,
        lines: Iterable[bytes],
        *,
        source: str = "input",
        batch_size: int = 500,
        progress: Callable[[int], None] | None = None,
    ) -> ImportSummary:
        """Import JSON Lines written by [`export`][integrationsplan.TransferService.export].

        Lines are read one at a time and written ``batch_size`` plans per atomic batch
        (on a store with the batch capability). An error stops the import at the line
        that caused it; the batches before it are kept, so running the import again
        after fixing the line completes it. ``progress(lines_done)`` is called after
        each batch.
        """
        store = self.plans.store
        opener = store.open_export if isinstance(store, EncryptedStore) else None
        unchanged = 0
        seen = 0

        def histories() -> Iterator[VerifiedHistory]:
            nonlocal unchanged, seen
            first_line: dict[str, int] = {}  # plan id -> its line: a plan appears once per file
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                seen += 1
                where = f"{source}, line {number}"
                history = read_line(line, where, opener=opener)
                plan_id, revisions = history.plan_id, history.revisions
                if plan_id in first_line:
                    message = f"the plan of line {first_line[plan_id]} again; a plan appears once per file"
                    raise ValidationError(where, [FieldError("$.plan_id", message)])
                first_line[plan_id] = number
                held = store.version(plan_id)
                if held and held == len(revisions) and store.head(plan_id).hash == revisions[-1].hash:
                    unchanged += 1  # the same history again: importing twice is harmless
                    continue
                if held:
                    raise ConcurrentRevisionError(plan_id, 0, held)
                yield history

        def step(_: int) -> None:
            if progress is not None:
                progress(seen)

        imported = self.plans.import_histories(histories(), batch_size=batch_size, progress=step)
        if progress is not None:
            progress(seen)
        return ImportSummary(imported, unchanged)


def read_line(line: bytes, where: str, *, opener: Callable[[str, int, bytes], bytes] | None = None) -> VerifiedHistory:
    """The verified history of one export line; ValidationError or IntegrityError naming ``where``.

    Each revision is read, checked and hashed once; its canonical bytes are what the
    store will keep. A sealed line is opened with ``opener`` (an encrypted store's
    ``open_export``).
    """
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        raise ValidationError(where, [FieldError("$", f"not valid JSON (column {error.colno})")]) from None
    if isinstance(data, dict) and "sealed" in data:
        data = _opened(data, where, opener)
    if not isinstance(data, dict) or not isinstance(data.get("revisions"), list) or not data["revisions"]:
        message = 'expected {"plan_id": ..., "revisions": [...]} with at least one revision'
        raise ValidationError(where, [FieldError("$", message)])
    documents = []
    for index, document in enumerate(data["revisions"]):
        encoded = canonical_json(document)
        try:
            loads(encoded, Revision, trusted=True)  # the fast check; a bad one is explained below
        except ValidationError as error:
            raise ValidationError(
                where, [FieldError(f"$.revisions[{index}]{e.path.removeprefix('$')}", e.message) for e in error.errors]
            ) from None
        documents.append(encoded)
    plan_id = data.get("plan_id")
    if not isinstance(plan_id, str):
        raise ValidationError(where, [FieldError("$.plan_id", "expected the plan's id")])
    try:
        history = verified_history(plan_id, documents)
    except IntegrityError as error:
        if error.reason.startswith("belongs to plan"):
            raise ValidationError(
                where, [FieldError("$.plan_id", "every revision must belong to the line's plan_id")]
            ) from None
        raise IntegrityError(error.plan_id, error.revision, f"{error.reason} ({where})") from None
    return history


def _opened(data: dict[str, Any], where: str, opener: Callable[[str, int, bytes], bytes] | None) -> dict[str, Any]:
    """A sealed export line, opened with the plan's data key: ``{"plan_id", "revisions"}``."""
    plan_id, number, sealed = data.get("plan_id"), data.get("number"), data.get("sealed")
    if not isinstance(plan_id, str):
        raise ValidationError(where, [FieldError("$.plan_id", "expected the plan's id")])
    if type(number) is not int or number < 1:
        raise ValidationError(where, [FieldError("$.number", "expected the number of revisions sealed")])
    try:
        ciphertext = base64.b64decode(sealed, validate=True) if isinstance(sealed, str) else None
    except binascii.Error:
        ciphertext = None
    if ciphertext is None:
        raise ValidationError(where, [FieldError("$.sealed", "expected the sealed revisions in base64")])
    if opener is None:
        raise ConfigurationError(
            f"{where}: the export of plan {plan_id!r} is sealed with its data key; import it into a store "
            "opened with keys= of the key provider that sealed it"
        )
    try:
        revisions = orjson.loads(opener(plan_id, number, ciphertext))
    except orjson.JSONDecodeError:
        raise IntegrityError(plan_id, number, f"the sealed export does not hold JSON ({where})") from None
    except IntegrityError as error:
        raise IntegrityError(error.plan_id, error.revision, f"{error.reason} ({where})") from None
    if not isinstance(revisions, list) or len(revisions) != number:
        raise IntegrityError(plan_id, number, f"the sealed export does not hold {number} revisions ({where})")
    return {"plan_id": plan_id, "revisions": revisions}
