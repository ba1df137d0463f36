"""What every command needs: the store, the plugins, today, output, progress, input files."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import orjson
from tqdm import tqdm

from integrationsplan.clock import SystemClock
from integrationsplan.errors import IntegrationsplanError
from integrationsplan.plugins import App
from integrationsplan.service import PlanService
from integrationsplan.storage import PlanStore

__all__ = ["DEFAULT_STORE", "STORE_VARIABLE", "Context", "UsageError"]

#: The store used when neither ``--store`` nor the environment names one: a file in the working directory.
DEFAULT_STORE = "sqlite:///integrationsplan.db"
#: The environment variable naming the store.
STORE_VARIABLE = "INTEGRATIONSPLAN_STORE"

_BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


class UsageError(IntegrationsplanError):
    """The command line was used wrongly: a bad argument, an unreadable or malformed file."""


class Context:
    """One run of a command: parsed arguments, the application, the store (opened lazily)."""

    def __init__(self, args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.args = args
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self._app: App | None = None
        self._store: PlanStore | None = None

    @property
    def app(self) -> App:
        if self._app is None:
            self._app = App()
        return self._app

    @property
    def store_url(self) -> str:
        return str(self.args.store or os.environ.get(STORE_VARIABLE) or DEFAULT_STORE)

    def store(self) -> PlanStore:
        if self._store is None:
            self._store = self.app.open_store(self.store_url)
        return self._store

    def service(self) -> PlanService:
        return self.app.service(self.store(), clock=SystemClock())

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def today(self) -> dt.date:
        """``--today`` or the current day in Germany."""
        given: dt.date | None = self.args.today
        return given if given is not None else SystemClock().now().astimezone(_BERLIN).date()

    @property
    def as_json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    def emit(self, data: Any, text: str) -> None:
        """Print ``data`` as JSON with ``--json``, else ``text``."""
        if self.as_json:
            option = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
            self.out.write(orjson.dumps(data, option=option).decode() + "\n")
        else:
            self.out.write(text)

    @contextmanager
    def progress(self, total: int, what: str) -> Iterator[tqdm[Any]]:
        """A progress bar on standard error: on a terminal, or always with ``--progress``."""
        shown: bool | None = self.args.progress
        bar: tqdm[Any] = tqdm(
            total=total, desc=what, unit="plan", file=self.err, disable=None if shown is None else not shown
        )
        try:
            yield bar
        finally:
            bar.close()

    def read_json(self, path: str) -> Any:
        """A JSON document from a file (``-``: standard input); usage errors name the file."""
        return parse_json(self.read_bytes(path), path)

    def read_bytes(self, path: str) -> bytes:
        if path == "-":
            return sys.stdin.buffer.read()
        try:
            with open(path, "rb") as file:  # noqa: PTH123 - a plain read
                return file.read()
        except OSError as error:
            raise UsageError(f"cannot read {path!r}: {error.strerror or error}") from None


def parse_json(raw: bytes, where: str) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise UsageError(f"{where}: not valid JSON ({error})") from None
