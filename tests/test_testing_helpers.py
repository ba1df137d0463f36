"""The test helpers an application gets: st.from_type for every public type, and pytest fixtures."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import integrationsplan as ip
from integrationsplan.services import ManualClock
from integrationsplan.testing.examples import example_plan
from integrationsplan.testing.hypothesis import TYPE_STRATEGIES


@pytest.mark.parametrize("cls", list(TYPE_STRATEGIES), ids=lambda cls: cls.__name__)
def test_from_type_gives_valid_values(cls: type[Any]) -> None:
    @settings(max_examples=min(15, settings().max_examples), deadline=None)
    @given(st.from_type(cls))
    def check(value: Any) -> None:
        assert type(value) is cls
        if attrs.has(cls):
            attrs.validate(value)  # the validators accept what the strategy made
            assert attrs.evolve(value) == value

    check()


def test_every_public_attrs_type_with_validators_has_a_registered_strategy() -> None:
    """A public domain type without a strategy would fall back to annotations: invalid values."""
    public = {getattr(ip, name) for name in ip.__all__}
    domain_types = {
        cls
        for cls in public
        if isinstance(cls, type) and attrs.has(cls) and cls.__module__.startswith("integrationsplan.domain")
    }
    changes = set(ip.domain.CHANGE_TYPES)  # built by the history strategies, not standalone
    ignored = changes | {ip.Letterhead}  # a letterhead holds image bytes: an application makes its own
    missing = {cls.__name__ for cls in domain_types - set(TYPE_STRATEGIES) - ignored}
    assert not missing, missing


def test_the_pytest_fixtures_run_a_test_on_memory_and_sqlite(tmp_path: Path) -> None:
    test_file = tmp_path / "test_app.py"
    test_file.write_text(
        textwrap.dedent(
            """
            import datetime as dt
            import integrationsplan as ip
            from integrationsplan.testing.examples import example_plan

            def test_draw_up(integrationsplan_plans, integrationsplan_clock, integrationsplan_store_url):
                plan = example_plan()
                day = integrationsplan_clock.now().date()
                create = ip.CreatePlan(plan.person, plan.municipality_ags, day, day, "eis-im-01")
                state = integrationsplan_plans.create_plan("ip-1", create, author="a", effective_on=day, reason="r")
                assert state.revision == 1
                assert integrationsplan_plans.store.plans() == ["ip-1"]
            """
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:xdist", str(test_file)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout  # once on memory, once on SQLite


def test_the_fixtures_are_in_this_suite_too(integrationsplan_app: ip.App, integrationsplan_clock: ManualClock) -> None:
    assert integrationsplan_clock.now() == dt.datetime(2024, 3, 4, 9, tzinfo=dt.UTC)
    plan = example_plan()
    create = ip.CreatePlan(plan.person, plan.municipality_ags, dt.date(2024, 3, 4), dt.date(2024, 3, 4), "m")
    integrationsplan_app.plans.create_plan("ip-1", create, author="a", effective_on=dt.date(2024, 3, 4), reason="r")
    assert integrationsplan_app.plans.state("ip-1").revision == 1
