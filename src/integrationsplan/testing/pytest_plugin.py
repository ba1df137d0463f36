"""pytest fixtures for applications that use the library (the ``pytest11`` entry point).

Installed with the library (its ``testing`` extra brings pytest and Hypothesis), pytest
loads them by itself; disable them with ``-p no:integrationsplan``. Every fixture is
named ``integrationsplan_…`` so it does not clash with an application's own.

* ``integrationsplan_clock`` — a [`ManualClock`][integrationsplan.services.ManualClock] at
  2024-03-04 09:00 UTC (a Monday); move it with ``advance``.
* ``integrationsplan_store_url`` — ``memory://`` and a fresh SQLite file: a test that uses
  it (or the fixtures below) runs once on each.
* ``integrationsplan_app`` — an [`App`][integrationsplan.App] over that store, with the
  clock, without entry-point plugins (a test names its own), closed after the test.
* ``integrationsplan_plans`` — the app's [`PlanService`][integrationsplan.PlanService].

```python
def test_a_plan_is_drawn_up(integrationsplan_plans, integrationsplan_clock):
    ...
```
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

import integrationsplan as ip
from integrationsplan.services import ManualClock

__all__ = ["integrationsplan_app", "integrationsplan_clock", "integrationsplan_plans", "integrationsplan_store_url"]

#: The instant the clock fixture starts at: a Monday morning in Eislingen.
START = dt.datetime(2024, 3, 4, 9, tzinfo=dt.UTC)


@pytest.fixture
def integrationsplan_clock() -> ManualClock:
    """A manual clock at 2024-03-04 09:00 UTC."""
    return ManualClock(START)


@pytest.fixture(params=["memory", "sqlite"])
def integrationsplan_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """``memory://``, then a new SQLite file: the test runs on both."""
    return "memory://" if request.param == "memory" else f"sqlite:///{tmp_path}/plans.db"


@pytest.fixture
def integrationsplan_app(integrationsplan_store_url: str, integrationsplan_clock: ManualClock) -> Iterator[ip.App]:
    """An app over the store, with the manual clock and no entry-point plugins; closed afterwards."""
    with ip.App(store=integrationsplan_store_url, clock=integrationsplan_clock, autoload=False) as app:
        yield app


@pytest.fixture
def integrationsplan_plans(integrationsplan_app: ip.App) -> ip.PlanService:
    """The plan service of ``integrationsplan_app``."""
    return integrationsplan_app.plans
