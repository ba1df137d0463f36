"""Per-plan data keys: the key provider contract and the built-in key file provider.

Every plan's documents are encrypted with a data key of their own (see
[`integrationsplan.storage.encrypted`][integrationsplan.storage.encrypted]). A
**key provider** hands out those keys and destroys them: erasing a plan destroys its key,
and from then on no copy of the plan's documents — in a database backup, a replica or
a dump made before the erasure — can be read again, as long as the provider itself
keeps no copy of the key (its own backups included; see the privacy documentation).

Towns plug in their own provider (a KMS, an HSM, their data centre's vault) through the
hook ``integrationsplan_open_key_provider``; the built-in one is
[`KeyFileProvider`][integrationsplan.storage.keys.KeyFileProvider]
(``keyfile:///path/to/folder``), kept apart from the database.

Each erasure leaves an [`ErasureRecord`][integrationsplan.storage.keys.ErasureRecord] with
the plan id's keyed digest, the day, the legal basis and who erased it: nothing personal,
but enough to tell, after a backup is restored, that a plan found in it was erased.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
import os
import sqlite3
import threading
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self, runtime_checkable
from urllib.parse import urlsplit

import attrs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from integrationsplan.errors import ConfigurationError, KeyUnavailableError, StorageError

__all__ = ["DATA_KEY_BYTES", "ErasureRecord", "KeyFileProvider", "KeyProvider", "open_builtin_key_provider"]

_log = logging.getLogger(__name__)

#: AES-256: every data key is 32 random bytes.
DATA_KEY_BYTES = 32


@attrs.frozen
class ErasureRecord:
    """What remains of an erased plan: no personal content.

    ``plan_digest`` is a keyed digest (HMAC-SHA-256) of the plan id, so the record does
    not name the plan to whoever reads it, yet the provider can match a plan id against
    it. ``legal_basis`` is a code or citation (``"Art. 17 DSGVO"``), ``actor`` a staff id.
    """

    plan_digest: str
    erased_on: dt.date
    legal_basis: str
    actor: str


@runtime_checkable
class KeyProvider(Protocol):
    """Hands out, creates and destroys per-plan data keys (32 bytes each)."""

    def data_key(self, plan_id: str, *, create: bool = False) -> bytes:
        """The plan's data key; a new one with ``create=True`` if the plan has none yet.

        Raises [`KeyUnavailableError`][integrationsplan.KeyUnavailableError] when the key
        was destroyed (the plan was erased) or never existed.
        """
        ...

    def destroy(self, plan_id: str, record: ErasureRecord) -> None:
        """Destroy the plan's data key for good and keep ``record``."""
        ...

    def digest(self, plan_id: str) -> str:
        """The keyed digest of a plan id, as erasure records hold it."""
        ...

    def erasures(self) -> list[ErasureRecord]:
        """Every erasure record, oldest first."""
        ...

    def close(self) -> None: ...


class KeyFileProvider:
    """Data keys in a folder apart from the database: a master key and a key store.

    * ``master.key`` — 32 random bytes (base64), readable by its owner only, made on
      first use. It wraps (AES-256-GCM) every data key; it never leaves this process.
    * ``keys.db`` — an SQLite file of wrapped data keys and erasure records. Destroying a
      key deletes its row with ``secure_delete`` and truncates the write-ahead log, so
      the wrapped key is gone from the file, not just unlinked from an index.

    Keep the folder on another volume than the database, back it up separately and
    briefly (a backup of ``keys.db`` keeps destroyed keys until it expires), and never
    in the same backup as the database.
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise ConfigurationError(f"key folder {str(self.folder)!r} does not exist; create it (mode 0700)")
        self._master = AESGCM(self._master_key())
        self._digest_key = hmac.new(self._master_key(), b"integrationsplan erasure digest", hashlib.sha256).digest()
        self._lock = threading.Lock()
        path = self.folder / "keys.db"
        if not path.exists():
            path.touch(mode=0o600)
        try:
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as error:
            self._db.close()  # a key store that fails to open leaves no connection behind
            raise StorageError(f"key store {str(path)!r} cannot be opened ({error})") from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA secure_delete=ON")
            self._db.execute("CREATE TABLE IF NOT EXISTS data_keys (plan_id TEXT PRIMARY KEY, wrapped BLOB NOT NULL)")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS erasures (plan_digest TEXT NOT NULL, erased_on TEXT NOT NULL,"
                " legal_basis TEXT NOT NULL, actor TEXT NOT NULL)"
            )
        except sqlite3.Error as error:
            self._db.close()  # a key store that fails to open leaves no connection behind
            raise StorageError(f"key store {str(path)!r} cannot be opened ({error})") from None

    def _master_key(self) -> bytes:
        path = self.folder / "master.key"
        if not path.exists():
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(base64.b64encode(os.urandom(DATA_KEY_BYTES)) + b"\n")
            _log.info("created a new master key in %s", self.folder)
        try:
            key = base64.b64decode(path.read_bytes().strip(), validate=True)
        except (OSError, ValueError):
            raise ConfigurationError(f"master key {str(path)!r} is unreadable or not base64") from None
        if len(key) != DATA_KEY_BYTES:
            raise ConfigurationError(f"master key {str(path)!r} must hold {DATA_KEY_BYTES} bytes")
        return key

    def data_key(self, plan_id: str, *, create: bool = False) -> bytes:
        with self._lock:
            row = self._db.execute("SELECT wrapped FROM data_keys WHERE plan_id = ?", (plan_id,)).fetchone()
            if row is None:
                if not create:
                    raise self._unavailable(plan_id)
                key = AESGCM.generate_key(bit_length=8 * DATA_KEY_BYTES)
                nonce = os.urandom(12)
                wrapped = nonce + self._master.encrypt(nonce, key, plan_id.encode())
                self._db.execute("INSERT INTO data_keys (plan_id, wrapped) VALUES (?, ?)", (plan_id, wrapped))
                return key
        wrapped = bytes(row[0])
        try:
            return self._master.decrypt(wrapped[:12], wrapped[12:], plan_id.encode())
        except InvalidTag:
            raise KeyUnavailableError(plan_id, "its wrapped key does not open with this master key") from None

    def destroy(self, plan_id: str, record: ErasureRecord) -> None:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("DELETE FROM data_keys WHERE plan_id = ?", (plan_id,))
                self._db.execute(
                    "INSERT INTO erasures VALUES (?, ?, ?, ?)",
                    (record.plan_digest, record.erased_on.isoformat(), record.legal_basis, record.actor),
                )
                self._db.execute("COMMIT")
            except sqlite3.Error as error:
                self._db.execute("ROLLBACK")
                raise StorageError(f"the key of plan {plan_id!r} could not be destroyed ({error})") from None
            busy, frames, done = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy or frames != done:
            raise StorageError(
                f"the key of plan {plan_id!r} was deleted, but its page is still in the key store's write-ahead log; "
                "close other connections to keys.db and erase again"
            )

    def digest(self, plan_id: str) -> str:
        return hmac.new(self._digest_key, plan_id.encode(), hashlib.sha256).hexdigest()

    def erasures(self) -> list[ErasureRecord]:
        with self._lock:
            rows = self._db.execute("SELECT plan_digest, erased_on, legal_basis, actor FROM erasures").fetchall()
        return [ErasureRecord(row[0], dt.date.fromisoformat(row[1]), row[2], row[3]) for row in rows]

    def _unavailable(self, plan_id: str) -> KeyUnavailableError:
        digest = self.digest(plan_id)
        row = self._db.execute("SELECT erased_on FROM erasures WHERE plan_digest = ?", (digest,)).fetchone()
        if row is not None:
            return KeyUnavailableError(plan_id, f"the plan was erased on {row[0]} and its key destroyed")
        return KeyUnavailableError(plan_id, "no data key: the plan was never stored with this key provider")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


def open_builtin_key_provider(url: str) -> KeyProvider | None:
    """``keyfile:///absolute/folder`` or ``keyfile://relative/folder``; ``None`` for other schemes."""
    parts = urlsplit(url)
    if parts.scheme != "keyfile":
        return None
    folder = parts.netloc + parts.path
    if not folder:
        raise ConfigurationError("a keyfile URL names a folder: keyfile:///var/lib/integrationsplan/keys")
    return KeyFileProvider(folder)
