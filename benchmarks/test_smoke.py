"""Smoke tests of the benchmarks: each section runs and reports its figures (no timing asserted).

Outside the unit suite on purpose: they measure nothing, but each starts a process and runs
a quick pass of real work. ./scripts/check runs them as a step of their own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent / "run.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(RUN), *args], capture_output=True, text=True, check=False, timeout=300)


def test_serialization_section_prints_one_json_object_of_numbers() -> None:
    result = _run("serialization", "--json", "--quick")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert {"plan_dumps_per_s", "plan_loads_per_s", "loads_vs_msgspec"} <= figures.keys()
    assert all(isinstance(value, int | float) and value > 0 for value in figures.values())


def test_revisions_rules_and_storage_sections_run() -> None:
    result = _run("revisions", "rules", "storage", "office_hours", "--json", "--quick")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    expected = {"fold_1000_revisions_ms", "revise_per_s", "eligibility_per_s", "support_period_per_s"}
    expected |= {
        "append_vs_raw_sqlite",
        "append_vs_eventsourcing",
        "append_vs_eventsourcing_snapshotting",
        "append_8_threads_vs_raw_8_threads",
        "append_long_vs_short",
        "head_read_vs_eventsourcing_snapshot",
        "head_read_long_vs_short",
        "history_1000_vs_eventsourcing",
        "import_vs_raw_executemany",
    }
    assert expected <= figures.keys()


def test_table_output_and_unknown_section() -> None:
    table = _run("serialization", "--quick")
    assert table.returncode == 0, table.stderr
    assert "loads_vs_msgspec" in table.stdout
    unknown = _run("nonsense")
    assert unknown.returncode == 2
    assert "unknown section" in unknown.stderr


def test_reports_section_runs() -> None:
    result = _run("reports", "--json", "--quick")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert {"report_10k_s", "report_100k_s", "export_import_10k_s"} <= figures.keys()
    assert all(value > 0 for value in figures.values())


def test_postgres_section_runs() -> None:
    from integrationsplan.testing.postgres import MISSING, find_binaries

    if find_binaries() is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the postgres section, but there are {MISSING}")
        pytest.skip(MISSING)
    result = _run("postgres", "--json", "--quick")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    expected = {
        "pg_append_vs_raw_psycopg",
        "pg_append_8_procs_vs_eventsourcing",
        "pg_head_read_vs_eventsourcing_snapshot",
        "pg_report_quick_s",
    }
    assert expected <= figures.keys()
    assert all(value > 0 for value in figures.values())


def test_privacy_section_runs() -> None:
    result = _run("privacy", "--json", "--quick")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    expected = {
        "append_encrypted_vs_plain",
        "head_read_encrypted_vs_plain",
        "append_encrypted_vs_eventsourcing_encrypted",
    }
    assert expected <= figures.keys()


def test_appointments_section_runs() -> None:
    result = _run("appointments", "--json", "--quick")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert {"free_slots_4_weeks_ms", "free_slots_vs_office_hours_52_weeks"} <= figures.keys()
    assert all(value > 0 for value in figures.values())


def test_startup_section_runs() -> None:
    result = _run("startup", "--json", "--quick")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert {"import_vs_core_deps", "cli_help_vs_python", "import_ms"} <= figures.keys()
