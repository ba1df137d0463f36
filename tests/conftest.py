"""Hypothesis profiles: ``dev`` (default, quick), ``ci`` (used by .ci/run), ``thorough``.

Choose one with ``HYPOTHESIS_PROFILE=ci``. The ``ci`` profile is derandomized so a red
CI run can be reproduced exactly, and keeps the whole suite well under ten minutes on
two cores.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=2_000, deadline=None)
# The other supported Pythons and the lowest dependency versions run every test, with few
# examples each: they check that the code runs there, the "ci" run checks the properties.
settings.register_profile(
    "compat",
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


import datetime as dt  # noqa: E402 - the fixtures below come after the profiles
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

import integrationsplan as ip  # noqa: E402
from integrationsplan.services import ManualClock  # noqa: E402
from integrationsplan.testing.postgres import (  # noqa: E402
    MISSING,
    ROLE_OF_BOTH_TOWNS,
    PostgresDatabase,
    find_binaries,
    throwaway_server,
)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabase]:
    """A throwaway PostgreSQL server (one per test process), set up with the test roles.

    Skipped with the reason and the remedy where the machine has no PostgreSQL binaries;
    in CI (``CI`` set) that is a failure instead: CI must test the PostgreSQL store.
    """
    if find_binaries() is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests, but there are {MISSING}")
        pytest.skip(MISSING)
    with throwaway_server() as server, PostgresDatabase.create(server) as database:
        yield database


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every service test runs over the memory store, SQLite and PostgreSQL."""
    if request.param == "postgres":
        database: PostgresDatabase = request.getfixturevalue("postgres")
        database.reset()
        return database.url(ROLE_OF_BOTH_TOWNS)
    return "memory://" if request.param == "memory" else f"sqlite:///{tmp_path}/plans.db"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(dt.datetime(2023, 3, 15, 9, tzinfo=dt.UTC))


@pytest.fixture
def app(store_url: str, clock: ManualClock) -> Iterator[ip.App]:
    """An app over each store, without entry-point plugins (the tests name their own)."""
    with ip.App(store=store_url, clock=clock, autoload=False) as application:
        yield application
