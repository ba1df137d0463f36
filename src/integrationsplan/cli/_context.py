"""What every command needs: the app (store, plugins, clock), today, output, progress, input files."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, Protocol, TextIO

import orjson

from integrationsplan.errors import IntegrationsplanError, ValidationError

if TYPE_CHECKING:
    from integrationsplan.app import App

__all__ = ["DEFAULT_STORE", "STORE_VARIABLE", "Context", "UsageError"]

#: The store used when neither ``--store`` nor the environment names one: a file in the working directory.
DEFAULT_STORE = "sqlite:///integrationsplan.db"
#: The environment variable naming the staff member whose reads are logged.
ACTOR_VARIABLE = "INTEGRATIONSPLAN_ACTOR"

#: The environment variable naming the store.
STORE_VARIABLE = "INTEGRATIONSPLAN_STORE"


class UsageError(IntegrationsplanError):
    """The command line was used wrongly: a bad argument, an unreadable or malformed file."""


class Context:
    """One run of a command: parsed arguments and the application (its store opened lazily).

    A command marked read-only opens its store without creating it: reading from a
    mistyped path is an error, not a new empty file.
    """

    def __init__(
        self, args: argparse.Namespace, *, read_only: bool, out: TextIO | None = None, err: TextIO | None = None
    ) -> None:
        self.args = args
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.read_only = read_only
        self._app: App | None = None

    @property
    def app(self) -> App:
        if self._app is None:
            # The application (plugins, stores, services) loads when a command needs it.
            from integrationsplan.app import App  # noqa: PLC0415
            from integrationsplan.services.clock import SystemClock  # noqa: PLC0415

            self._app = App(
                store=self.store_url,
                read_only=self.read_only,
                clock=SystemClock(),
                disable=getattr(self.args, "disable_plugin", None) or (),
                actor=getattr(self.args, "actor", None) or os.environ.get(ACTOR_VARIABLE) or None,
                purpose=str(
                    getattr(self.args, "purpose", None) or getattr(self.args, "default_purpose", "counselling")
                ),
            )
        return self._app

    @property
    def store_url(self) -> str:
        return str(getattr(self.args, "store", None) or os.environ.get(STORE_VARIABLE) or DEFAULT_STORE)

    def close(self) -> None:
        if self._app is not None:
            self._app.close()

    def today(self) -> dt.date:
        """``--today`` or the current day in Germany."""
        given: dt.date | None = getattr(self.args, "today", None)
        return given if given is not None else self.app.today()

    @property
    def as_json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    def emit(self, data: Any, text: str) -> None:
        """Print ``data`` as JSON with ``--json``, else ``text``."""
        if self.as_json:
            self.out.write(to_json(data))
        else:
            self.out.write(text)

    @contextmanager
    def progress(self, total: int, what: str, unit: str = "plan") -> Iterator[Progress]:
        """A progress bar on standard error: on a terminal, or always with ``--progress``.

        The bar comes from tqdm, in the extra ``cli``; without it the work runs the same,
        without a bar (``--progress`` then says how to get one).
        """
        shown: bool | None = getattr(self.args, "progress", None)
        try:
            from tqdm import tqdm  # noqa: PLC0415 - the extra "cli"; a library user never pays for it
        except ImportError:
            if shown:
                self.err.write('integrationsplan: progress bars need tqdm: pip install "integrationsplan[cli]"\n')
            yield _Silent(total)
            return
        bar: Progress = tqdm(
            total=total, desc=what, unit=unit, file=self.err, disable=None if shown is None else not shown
        )
        try:
            yield bar
        finally:
            bar.close()

    def read_json(self, path: str) -> Any:
        """A JSON document from a file (``-``: standard input); usage errors name the file."""
        raw = self.read_bytes(path)
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise UsageError(f"{path}: not valid JSON (line {error.lineno}, column {error.colno})") from None

    def read_bytes(self, path: str) -> bytes:
        with self.open_input(path) as file:
            return file.read()

    @contextmanager
    def open_input(self, path: str) -> Iterator[IO[bytes]]:
        """A file to read in binary (``-``: standard input), line by line if the caller likes."""
        if path == "-":
            yield sys.stdin.buffer
            return
        try:
            file = open(path, "rb")  # noqa: PTH123, SIM115 - closed below
        except OSError as error:
            raise UsageError(f"cannot read {path!r}: {error.strerror or type(error).__name__}") from None
        with file:
            yield file


def to_json(data: Any) -> str:
    """Indented, sorted JSON with a final newline, as every ``--json`` output."""
    option = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
    return orjson.dumps(data, option=option).decode() + "\n"


def error_document(error: BaseException, kind: str) -> dict[str, Any]:
    """An error as ``--json`` shows it on standard error: kind, type, message, field errors."""
    document: dict[str, Any] = {"error": kind, "type": type(error).__name__, "message": str(error)}
    if isinstance(error, ValidationError):
        document["errors"] = [{"path": e.path, "message": e.message} for e in error.errors]
    return document


class Progress(Protocol):
    """What the commands use of a progress bar."""

    n: float
    total: float | None

    def update(self, n: float = 1) -> bool | None: ...

    def close(self) -> None: ...


class _Silent:
    """A progress bar that shows nothing (tqdm is not installed)."""

    def __init__(self, total: int) -> None:
        self.n: float = 0
        self.total: float | None = total

    def update(self, n: float = 1) -> bool | None:
        self.n += n
        return None

    def close(self) -> None:
        """Nothing to close."""
