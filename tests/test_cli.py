"""The command line as a user runs it."""

from __future__ import annotations

import subprocess
import sys

import orjson
import pytest

import integrationsplan as ip
from integrationsplan.cli import main


def test_demo_prints_the_eislingen_plan(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Eislingen/Fils (AGS 08117019)" in out
    assert "Flüchtlingseigenschaft (§ 25 Abs. 2 Alt. 1 AufenthG, § 3 AsylG)" in out
    assert "Spracherwerb / language acquisition" in out
    assert out.count("\n      - [") == 10


def test_demo_json_is_a_loadable_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--json"]) == 0
    raw = capsys.readouterr().out.strip().encode()
    plan = ip.loads(raw, ip.IntegrationPlan)
    assert plan.municipality_ags == "08117019"
    assert orjson.loads(raw)["type"] == "integration_plan"


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: integrationsplan" in capsys.readouterr().err


def test_unknown_command_exits_with_2() -> None:
    with pytest.raises(SystemExit) as raised:
        main(["frobnicate"])
    assert raised.value.code == 2


def test_python_dash_m_runs_the_demo() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "integrationsplan", "demo"], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Integrationsplan / integration plan ip-08117019-2023-0042" in result.stdout
