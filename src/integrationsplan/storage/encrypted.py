"""Encryption at rest: a store that encrypts every document with its plan's own key.

``EncryptedStore(inner, keys)`` keeps the contract of
[`integrationsplan.storage.contract`][integrationsplan.storage.contract] and hands the
inner store (memory, SQLite, PostgreSQL or a town's own) ciphertext only. Open it by
adding ``keys=`` to a store URL: ``sqlite:///plans.db?keys=keyfile:///srv/ip-keys``.

* **What is encrypted**: every revision document, head document and record document,
  with AES-256-GCM under the plan's data key from the
  [key provider][integrationsplan.storage.keys.KeyProvider] and a fresh 96-bit nonce.
  The associated data binds each ciphertext to its place (kind, plan, number,
  position), so a ciphertext copied to another plan or revision does not decrypt.
* **What stays in clear** — the index columns a store needs to find, order and filter
  without keys: plan id, revision number, recorded-at instant, the revision's hash,
  the head's municipality (AGS), status, manager id and person id (the person index
  of data-subject requests), and a record's kind and day. They hold no names, notes or
  contact data (ids are opaque codes by rule); the days of contacts, the plan's status
  and which plans belong to one person id are visible to whoever reads the database.
* **The hash chain is over the plaintext.** The revision hash is the domain's SHA-256
  over the canonical document, so verification decrypts (it needs the keys) and proves
  the content, not the bytes at rest; the ciphertext has its own authentication tag.
* **Tampering** with a ciphertext (or the wrong key) fails the tag: an
  [`IntegrityError`][integrationsplan.IntegrityError] naming the plan and the revision.
* **Erasure is key destruction.** ``erase`` first destroys the plan's key at the
  provider (with an erasure record), then deletes the rows. Every copy made before —
  a backup, a replica — is unreadable for that plan from then on.

Each encrypted document starts with ``IPE1``: a store opened without ``keys=`` refuses
to decode it with a clear error instead of reading ciphertext as JSON.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Self
from urllib.parse import parse_qsl, urlencode

import attrs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from integrationsplan.errors import (
    ConcurrentRevisionError,
    ConfigurationError,
    IntegrityError,
    KeyUnavailableError,
    StorageError,
)
from integrationsplan.serialization.documents import ENCRYPTED_MAGIC
from integrationsplan.storage.contract import (
    AccessEntry,
    AccessLog,
    AppointmentStore,
    BatchAppend,
    PlanStore,
    StoredAppointment,
    StoredHead,
    StoredRecord,
    StoredRevision,
)
from integrationsplan.storage.keys import ErasureRecord, KeyProvider

__all__ = ["MAGIC", "EncryptedBatchStore", "EncryptedStore", "encrypted", "split_keys"]

#: The first bytes of every encrypted document (format version 1).
MAGIC = ENCRYPTED_MAGIC
_NONCE = 12
_CACHED_KEYS = 4_096


class EncryptedStore:
    """A store decorator: plaintext outside, ciphertext in ``inner``; keys from ``keys``."""

    def __init__(self, inner: PlanStore, keys: KeyProvider, *, today: Callable[[], dt.date]) -> None:
        """``today`` tells the day an erasure record carries (the app passes its clock's)."""
        self.inner = inner
        self.keys = keys
        self._ciphers: OrderedDict[str, AESGCM] = OrderedDict()  # the oldest leaves first
        self._lock = threading.Lock()
        self._today = today

    # -- sealed exports ----------------------------------------------------------------

    def seal_export(self, plan_id: str, number: int, data: bytes) -> bytes:
        """Seal a plan's export (its revisions up to ``number``) with the plan's data key.

        An export sealed this way is readable only while the key provider holds the key:
        erasing the plan makes every earlier export of it unreadable, like a backup.
        """
        return self._seal(self._cipher(plan_id), data, self._aad(b"export", plan_id, number, 0))

    def open_export(self, plan_id: str, number: int, data: bytes) -> bytes:
        """The plaintext of a sealed export; IntegrityError if it was changed or moved,
        KeyUnavailableError if the plan's key is gone (erased) or unknown to this provider."""
        return self._open(self._cipher(plan_id), data, self._aad(b"export", plan_id, number, 0))

    # -- the contract ------------------------------------------------------------------

    def append(self, revision: StoredRevision, head: StoredHead, records: Sequence[StoredRecord] = ()) -> None:
        cipher = self._writing_cipher(revision.plan_id, revision.number)
        self.inner.append(
            self._seal_revision(cipher, revision), self._seal_head(cipher, head), self._seal_records(cipher, records)
        )

    def read(self, plan_id: str, start: int = 1, stop: int | None = None) -> list[StoredRevision]:
        stored = self.inner.read(plan_id, start, stop)
        if not stored:
            return stored
        cipher = self._cipher(plan_id)
        return [
            attrs.evolve(s, document=self._open(cipher, s.document, self._aad(b"revision", plan_id, s.number, 0)))
            for s in stored
        ]

    def head(self, plan_id: str, known_hash: str | None = None) -> StoredHead:
        head = self.inner.head(plan_id, known_hash)
        if head.document is None:
            return head
        return self._open_head(head)

    def version(self, plan_id: str) -> int:
        return self.inner.version(plan_id)

    def plans(
        self,
        *,
        municipality_ags: str | None = None,
        status: str | None = None,
        manager_id: str | None = None,
        person_id: str | None = None,
    ) -> list[str]:
        return self.inner.plans(
            municipality_ags=municipality_ags, status=status, manager_id=manager_id, person_id=person_id
        )

    def erase(self, plan_id: str, *, legal_basis: str = "Art. 17 DSGVO", actor: str = "unknown") -> int:
        """Destroy the plan's key (keeping a non-personal erasure record), then delete its rows.

        Key first: if deleting the rows fails afterwards, the plan is already unreadable
        everywhere, and erasing again removes the rows.
        """
        self.inner.read(plan_id, 1, 1)  # an unknown plan raises UnknownPlanError, and nothing happens
        record = ErasureRecord(self.keys.digest(plan_id), self._today(), legal_basis, actor)
        self.keys.destroy(plan_id, record)
        with self._lock:
            self._ciphers.pop(plan_id, None)
        return self.inner.erase(plan_id)

    def streams(self) -> list[str]:
        return self.inner.streams()

    def log_access(self, entries: Sequence[AccessEntry]) -> None:
        """The inner store's access log (entries hold ids and codes only: nothing to encrypt)."""
        if not isinstance(self.inner, AccessLog):
            raise StorageError(f"{self.inner!r} keeps no access log")
        self.inner.log_access(entries)

    def accesses(self, plan_id: str | None = None) -> list[AccessEntry]:
        if not isinstance(self.inner, AccessLog):
            raise StorageError(f"{self.inner!r} keeps no access log")
        return self.inner.accesses(plan_id)

    # -- appointments: sealed with the plan's key, or one of their own ----------------

    def add_appointment(self, appointment: StoredAppointment) -> None:
        self._appointment_store().add_appointment(self._seal_appointment(appointment, create=True))

    def change_appointment(self, appointment: StoredAppointment) -> None:
        self._appointment_store().change_appointment(self._seal_appointment(appointment, create=True))

    def appointment(self, appointment_id: str) -> StoredAppointment:
        return self._open_appointment(self._appointment_store().appointment(appointment_id))

    def appointments(
        self,
        *,
        municipality_ags: str | None = None,
        manager_id: str | None = None,
        room: str | None = None,
        plan_id: str | None = None,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        cancelled: bool = False,
    ) -> list[StoredAppointment]:
        found = self._appointment_store().appointments(
            municipality_ags=municipality_ags,
            manager_id=manager_id,
            room=room,
            plan_id=plan_id,
            start=start,
            end=end,
            cancelled=cancelled,
        )
        return [self._open_appointment(stored) for stored in found]

    def erase_appointment(self, appointment_id: str, *, actor: str = "unknown") -> None:
        """Delete the appointment; one without a plan also loses its own key (with an erasure record)."""
        store = self._appointment_store()
        stored = store.appointment(appointment_id)
        store.erase_appointment(appointment_id)
        if stored.plan_id is None:
            key_id = _appointment_key(appointment_id)
            try:
                self.keys.data_key(key_id)
            except KeyUnavailableError:
                return
            self.keys.destroy(key_id, ErasureRecord(self.keys.digest(key_id), self._today(), "Art. 17 DSGVO", actor))
            with self._lock:
                self._ciphers.pop(key_id, None)

    def _appointment_store(self) -> AppointmentStore:
        if not isinstance(self.inner, AppointmentStore):
            raise StorageError(f"{self.inner!r} holds no appointments")
        return self.inner

    def _seal_appointment(self, appointment: StoredAppointment, *, create: bool) -> StoredAppointment:
        """An appointment of a plan is sealed with the plan's key (erased with it); one before a plan with its own."""
        key_id = appointment.plan_id or _appointment_key(appointment.id)
        cipher = self._cipher(key_id, create=create)
        aad = self._aad(b"appointment", appointment.id, appointment.version, 0)
        return attrs.evolve(appointment, document=self._seal(cipher, appointment.document, aad))

    def _open_appointment(self, stored: StoredAppointment) -> StoredAppointment:
        cipher = self._cipher(stored.plan_id or _appointment_key(stored.id))
        aad = self._aad(b"appointment", stored.id, stored.version, 0)
        return attrs.evolve(stored, document=self._open(cipher, stored.document, aad))

    def heads(self, *, municipality_ags: str | None = None) -> Iterator[StoredHead]:
        for head in self.inner.heads(municipality_ags=municipality_ags):
            yield head if head.document is None else self._open_head(head)

    def records(
        self,
        plan_id: str | None = None,
        *,
        municipality_ags: str | None = None,
        kind: str | None = None,
        first: dt.date | None = None,
        last: dt.date | None = None,
    ) -> list[StoredRecord]:
        stored = self.inner.records(plan_id, municipality_ags=municipality_ags, kind=kind, first=first, last=last)
        return [
            attrs.evolve(
                r,
                document=self._open(
                    self._cipher(r.plan_id), r.document, self._aad(b"record", r.plan_id, r.number, r.position)
                ),
            )
            for r in stored
        ]

    def close(self) -> None:
        try:
            self.inner.close()
        finally:
            self.keys.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"EncryptedStore({self.inner!r})"

    # -- internals ---------------------------------------------------------------------

    def _cipher(self, plan_id: str, *, create: bool = False) -> AESGCM:
        cipher = self._ciphers.get(plan_id)  # a dict read is atomic: no lock on the hot path
        if cipher is not None:
            return cipher
        cipher = AESGCM(self.keys.data_key(plan_id, create=create))
        with self._lock:
            self._ciphers[plan_id] = cipher
            if len(self._ciphers) > _CACHED_KEYS:
                self._ciphers.popitem(last=False)
        return cipher

    def _writing_cipher(self, plan_id: str, first: int) -> AESGCM:
        """The key to write revision ``first`` on: a new plan gets one; a missing plan is a stale base."""
        try:
            return self._cipher(plan_id, create=first == 1)
        except KeyUnavailableError:
            if self.inner.version(plan_id) == 0:  # nothing to continue: the contract's concurrency error
                raise ConcurrentRevisionError(plan_id, first - 1, 0) from None
            raise

    @staticmethod
    def _aad(kind: bytes, plan_id: str, number: int, position: int) -> bytes:
        return b"%s|%s|%d|%d" % (kind, plan_id.encode(), number, position)

    @staticmethod
    def _seal(cipher: AESGCM, document: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return MAGIC + nonce + cipher.encrypt(nonce, document, aad)

    @staticmethod
    def _open(cipher: AESGCM, document: bytes, aad: bytes) -> bytes:
        kind, rest = aad.decode().split("|", 1)
        plan_id, number, _ = rest.rsplit("|", 2)
        if not document.startswith(MAGIC):
            raise IntegrityError(plan_id, int(number), f"a {kind} document in an encrypted store is not encrypted")
        body = document[len(MAGIC) :]
        try:
            return cipher.decrypt(body[:_NONCE], body[_NONCE:], aad)
        except InvalidTag:
            message = f"the encrypted {kind} does not authenticate: it was changed, moved, or sealed with another key"
            raise IntegrityError(plan_id, int(number), message) from None

    def _seal_revision(self, cipher: AESGCM, revision: StoredRevision) -> StoredRevision:
        document = self._seal(cipher, revision.document, self._aad(b"revision", revision.plan_id, revision.number, 0))
        return attrs.evolve(revision, document=document)

    def _seal_head(self, cipher: AESGCM, head: StoredHead) -> StoredHead:
        if head.document is None:
            raise StorageError(f"the head of plan {head.plan_id!r} has no document to store")
        return attrs.evolve(
            head, document=self._seal(cipher, head.document, self._aad(b"head", head.plan_id, head.number, 0))
        )

    def _seal_records(self, cipher: AESGCM, records: Sequence[StoredRecord]) -> list[StoredRecord]:
        return [
            attrs.evolve(
                r, document=self._seal(cipher, r.document, self._aad(b"record", r.plan_id, r.number, r.position))
            )
            for r in records
        ]

    def _open_head(self, head: StoredHead) -> StoredHead:
        assert head.document is not None  # noqa: S101 - checked by the callers
        cipher = self._cipher(head.plan_id)
        document = self._open(cipher, head.document, self._aad(b"head", head.plan_id, head.number, 0))
        return attrs.evolve(head, document=document)


class EncryptedBatchStore(EncryptedStore):
    """An encrypting store over a store with the ``BatchAppend`` capability, which it keeps."""

    def append_batch(
        self, batch: Sequence[tuple[Sequence[StoredRevision], StoredHead, Sequence[StoredRecord]]]
    ) -> None:
        sealed = []
        for revisions, head, records in batch:
            cipher = self._writing_cipher(head.plan_id, revisions[0].number if revisions else 1)
            sealed.append(
                (
                    [self._seal_revision(cipher, revision) for revision in revisions],
                    self._seal_head(cipher, head),
                    self._seal_records(cipher, records),
                )
            )
        assert isinstance(self.inner, BatchAppend)  # noqa: S101 - made only over such a store
        self.inner.append_batch(sealed)


def split_keys(url: str) -> tuple[str, str | None]:
    """A store URL without its ``keys=`` parameter, and that parameter (``None`` if absent)."""
    base, _, query = url.partition("?")  # not urlunsplit: it would drop a slash of sqlite:////abs
    pairs = parse_qsl(query, keep_blank_values=True)
    keys = [value for key, value in pairs if key == "keys"]
    if not keys:
        return url, None
    if len(keys) > 1 or not keys[0]:
        raise ConfigurationError("a store URL names one key provider: keys=keyfile:///folder")
    rest = urlencode([(key, value) for key, value in pairs if key != "keys"])
    return base + (f"?{rest}" if rest else ""), keys[0]


def encrypted(inner: PlanStore, keys: KeyProvider, *, today: Callable[[], dt.date]) -> EncryptedStore:
    """``inner`` behind encryption, keeping its batch capability if it has one."""
    kind = EncryptedBatchStore if isinstance(inner, BatchAppend) else EncryptedStore
    return kind(inner, keys, today=today)


def _appointment_key(appointment_id: str) -> str:
    """The key id of an appointment without a plan: ``/`` never occurs in a plan id."""
    return f"appointment/{appointment_id}"
