"""The command line as a user runs it: every command, its JSON, its exit codes, bad input."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

import integrationsplan as ip
import integrationsplan.history as ip_history
from integrationsplan.cli import main
from integrationsplan.testing.examples import example_plan

TODAY = "2026-11-25"
AGS = "08117019"


class Cli:
    """Runs ``integrationsplan`` in-process against one store and keeps what it printed."""

    def __init__(self, store: str, capsys: pytest.CaptureFixture[str], folder: Path) -> None:
        self.store = store
        self.capsys = capsys
        self.folder = folder
        self.out = self.err = ""

    def __call__(self, *argv: str, store: bool = True) -> int:
        prefix = ["--store", self.store, "--today", TODAY] if store else ["--today", TODAY]
        code = main([*prefix, *argv])
        captured = self.capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        return code

    def json(self, *argv: str) -> Any:
        assert self(*argv, "--json") == 0, self.err
        return json.loads(self.out)

    def file(self, name: str, content: object) -> str:
        path = self.folder / name
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
        return str(path)


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(f"sqlite:///{tmp_path}/plans.db", capsys, tmp_path)


def _tagged(change: ip.Change) -> dict[str, Any]:
    name = "".join(f"_{c.lower()}" if c.isupper() else c for c in type(change).__name__).lstrip("_")
    return {"change": name, **ip.unstructure(change)}


def _create_document(manager: str = "eis-im-01") -> dict[str, Any]:
    plan = example_plan()
    day = plan.drawn_up_on
    return ip.unstructure(ip.CreatePlan(plan.person, AGS, day, day, manager))  # type: ignore[no-any-return]


def _drawn_up(cli: Cli, plan_id: str = "ip-1", manager: str = "eis-im-01") -> None:
    create = cli.file(f"create-{plan_id}.json", _create_document(manager))
    day = example_plan().drawn_up_on.isoformat()
    code = cli(
        "plan", "create", plan_id, create, "--author", manager, "--effective-on", day, "--reason", "Erstgespräch"
    )
    assert code == 0, cli.err
    goals = cli.file("goals.json", [_tagged(ip.AddGoal(goal)) for goal in example_plan().goals])
    code = cli("plan", "revise", plan_id, goals, "--base", "1", "--author", manager, "--effective-on", day,
               "--reason", "Zielvereinbarung")  # fmt: skip
    assert code == 0, cli.err


# -- demo --------------------------------------------------------------------------------------


def test_demo_tells_a_whole_case(cli: Cli) -> None:
    assert cli("demo", store=False) == 0, cli.err
    out = cli.out
    for heading in ("Anspruch / eligibility", "Verlauf / history", "Änderungen von Revision 3 zu 4",
                    "Förderzeitraum / support period", "Nächste Sprechstunden / next office hours"):  # fmt: skip
        assert heading in out
    assert "Anspruch auf Integrationsmanagement" in out
    assert "Eligible for integration management" in out
    assert "Berichtigung korrigiert / corrects 1" in out
    assert "Plan > Ziele > g-health > Status: in Arbeit → erreicht" in out
    assert "15.03.2023 bis / to 14.03.2025" in out
    assert "Di 10.10.2023 10:00-12:00" in out  # the Tuesday after the story's last day: one "today"
    assert "Hash-Kette geprüft / hash chain verified: 7" in out
    assert "Eislingen/Fils (AGS 08117019)" in out
    # What people read names changes and values by their labels, never by stored codes.
    assert "Ziel vereinbart" in out
    codes = re.findall(r"\b[a-z]+(?:_[a-z]+)+\b|\b(?:[A-Z][a-z]+){2,}\b", out)
    assert codes == [], codes


def test_demo_json_and_kept_store(cli: Cli, tmp_path: Path) -> None:
    kept = tmp_path / "demo.db"
    data = cli.json("demo", "--keep", str(kept))
    revisions = [ip.structure(revision, ip.Revision) for revision in data["history"]]
    assert [r.kind for r in revisions][-1] is ip.RevisionKind.CORRECTION
    assert ip_history.verify(revisions) == 7
    assert data["eligibility"]["outcome"] == "eligible"
    assert data["support_period"]["last_day"] == "2025-03-14"
    assert len(data["next_office_hours"]) == 3
    cli.store = f"sqlite:///{kept}"
    assert len(cli.json("plan", "history", "ip-08117019-2023-0042")) == 7
    assert cli("demo", "--keep", str(kept), store=False) == 2
    assert "exists" in cli.err


# -- plans -------------------------------------------------------------------------------------


def test_create_revise_show_history_diff_list_verify(cli: Cli) -> None:
    _drawn_up(cli)
    shown = cli.json("plan", "show", "ip-1")
    assert shown["revision"] == 2
    assert shown["support_period"]["policy"]["name"] == "two-year"
    assert cli("plan", "show", "ip-1") == 0
    assert "Spracherwerb / language acquisition" in cli.out
    assert "Förderzeitraum / support period (two-year): 15.03.2023 bis / to 14.03.2025" in cli.out
    history = cli.json("plan", "history", "ip-1")
    assert [revision["reason"] for revision in history] == ["Erstgespräch", "Zielvereinbarung"]
    assert cli("plan", "history", "ip-1") == 0
    assert "Zielvereinbarung" in cli.out
    # times in the office's time zone, to the minute; German dates; labels, not codes
    assert re.search(
        r"^   1  \d\d\.\d\d\.\d{4}, \d\d:\d\d  gültig ab / effective 15\.03\.2023  Fortschreibung", cli.out, re.M
    )
    assert "Z " not in cli.out
    assert "update" not in cli.out
    diff = cli.json("plan", "diff", "ip-1", "1", "2")
    assert any(change["path"].startswith("plan.goals[g-language]") for change in diff["changes"])
    assert cli("plan", "diff", "ip-1", "1", "2", "--language", "en") == 0
    assert "plan > goals > g-language" in cli.out
    assert cli.json("plan", "list", "--municipality", AGS) == ["ip-1"]
    assert cli.json("plan", "list", "--status", "closed") == []
    assert cli.json("plan", "verify") == {"verified": {"ip-1": 2}, "failed": {}, "findings": []}
    as_of = cli.json("plan", "show", "ip-1", "--as-of", "2023-03-15")
    assert as_of["plan"]["id"] == "ip-1"
    assert cli("plan", "show", "ip-1", "--as-of", "2020-01-01") == 2


def test_a_correction_through_the_cli(cli: Cli) -> None:
    _drawn_up(cli)
    person = attrs.evolve(example_plan().person, date_of_birth=ip.PartialDate(1990, 7))
    fix = cli.file("fix.json", _tagged(ip.UpdatePersonalData(person)))
    code = cli("plan", "revise", "ip-1", fix, "--base", "2", "--corrects", "1", "--author", "a", "--reason", "Pass")
    assert code == 0, cli.err
    assert cli.json("plan", "history", "ip-1")[-1]["kind"] == "correction"


def test_an_update_needs_its_effective_date(cli: Cli) -> None:
    _drawn_up(cli)
    change = cli.file("manager.json", _tagged(ip.AssignManager("eis-im-02")))
    assert cli("plan", "revise", "ip-1", change, "--base", "2", "--author", "a", "--reason", "r") == 2
    assert "--effective-on" in cli.err
    assert cli.json("plan", "history", "ip-1")[-1]["number"] == 2


def test_unknown_plan_is_a_usage_error(cli: Cli) -> None:
    _drawn_up(cli)
    assert cli("plan", "show", "ip-nothing") == 2
    assert "ip-nothing" in cli.err


def test_reading_a_store_that_is_not_there_creates_nothing(cli: Cli, tmp_path: Path) -> None:
    for argv in (["plan", "show", "ip-1"], ["plan", "list"], ["plan", "verify"], ["export"], ["worklist", "eis-im-01"]):
        assert cli(*argv) == 2, argv
        assert "there is no store" in cli.err
    assert not list(tmp_path.iterdir())


def test_malformed_json_is_a_usage_error(cli: Cli) -> None:
    bad = cli.file("bad.json", "{not json")
    code = cli("plan", "create", "ip-1", bad, "--author", "a", "--effective-on", "2023-03-15", "--reason", "r")
    assert code == 2
    assert "not valid JSON" in cli.err
    assert "bad.json" in cli.err


def test_a_bad_field_is_named(cli: Cli) -> None:
    _drawn_up(cli)
    goal = _tagged(ip.AddGoal(attrs.evolve(example_plan().goals[0], id="g-new")))
    goal["goal"]["area"] = "astrology"
    bad = cli.file("bad.json", [goal])
    code = cli("plan", "revise", "ip-1", bad, "--base", "2", "--author", "a", "--effective-on", "2023-03-15",
               "--reason", "r")  # fmt: skip
    assert code == 2
    assert "$[0].goal.area" in cli.err
    assert "a text of 9 characters (letters) is not a valid GoalArea" in cli.err
    assert "astrology" not in cli.err  # a bad value is never echoed: it may be personal text


def test_a_stale_revision_is_refused(cli: Cli) -> None:
    _drawn_up(cli)
    change = cli.file("manager.json", [_tagged(ip.AssignManager("eis-im-02"))])
    code = cli("plan", "revise", "ip-1", change, "--base", "1", "--author", "a", "--effective-on", "2023-03-15",
               "--reason", "Vertretung")  # fmt: skip
    assert code == 1
    assert "revision 1" in cli.err
    assert "revision 2" in cli.err


def test_a_rule_refusal_exits_with_1(cli: Cli) -> None:
    _drawn_up(cli)
    twice = cli.file("twice.json", [_tagged(ip.CompleteMeasure("m-doctor")), _tagged(ip.CompleteMeasure("m-doctor"))])
    code = cli("plan", "revise", "ip-1", twice, "--base", "2", "--author", "a", "--effective-on", "2023-04-01",
               "--reason", "r")  # fmt: skip
    assert code == 1
    assert "already done" in cli.err


def test_unknown_store_scheme_and_unreadable_file(cli: Cli) -> None:
    cli.store = "ftp://localhost/plans"
    assert cli("plan", "list") == 2
    assert "sqlite://" in cli.err
    cli.store = "sqlite:///" + str(cli.folder / "plans.db")
    missing = str(cli.folder / "missing.json")
    assert cli("plan", "create", "ip-1", missing, "--author", "a", "--effective-on", "2023-03-15", "--reason", "r") == 2
    assert "cannot read" in cli.err


def test_store_from_the_environment(cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _drawn_up(cli)
    monkeypatch.setenv("INTEGRATIONSPLAN_STORE", cli.store)
    assert cli("plan", "list", "--json", store=False) == 0
    assert json.loads(cli.out) == ["ip-1"]


def test_the_default_store_is_a_file_in_the_working_directory(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("INTEGRATIONSPLAN_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert cli("plan", "list", store=False) == 2  # reading creates no store
    assert not (tmp_path / "integrationsplan.db").exists()
    create = cli.file("create.json", _create_document())
    code = cli("plan", "create", "ip-1", create, "--author", "eis-im-01", "--effective-on", "2023-03-15",
               "--reason", "Erstgespräch", store=False)  # fmt: skip
    assert code == 0, cli.err
    assert (tmp_path / "integrationsplan.db").stat().st_mode & 0o777 == 0o600  # personal data: owner only
    assert cli("plan", "list", store=False) == 0
    assert cli.out == "ip-1\n"


def test_verify_finds_a_tampered_revision(cli: Cli, tmp_path: Path) -> None:
    _drawn_up(cli)
    _drawn_up(cli, "ip-2")
    db = sqlite3.connect(tmp_path / "plans.db")
    db.execute("DROP TRIGGER revisions_are_never_updated")
    db.execute(
        "UPDATE revisions SET document = CAST(replace(document, 'Zielvereinbarung', 'Zielvereinbarunk') AS BLOB)"
        " WHERE plan_id = 'ip-2'"
    )
    db.commit()
    db.close()
    assert cli("--progress", "plan", "verify") == 1
    assert "ip-1: 2 Revisionen geprüft" in cli.out
    assert "ip-2: FEHLER / FAILED" in cli.out
    assert "verify" in cli.err  # the progress bar


# -- eligibility, office hours --------------------------------------------------------------------


def test_eligibility_check(cli: Cli) -> None:
    person = ip.unstructure(example_plan().person)
    document = cli.file("person.json", person)
    assert cli("eligibility", "check", document, "--municipality", AGS, "--on", "2023-06-01") == 0
    assert "Anspruch auf Integrationsmanagement" in cli.out
    decision = cli.json("eligibility", "check", document, "--municipality", AGS, "--on", "2023-06-01")
    assert decision["outcome"] == "eligible"
    person["allocation"] = None
    person["residence_status"] = {"kind": "asylum_procedure", "issued_on": None, "valid_until": None}
    person["nationalities"] = ["TUR"]
    assert cli("eligibility", "check", cli.file("other.json", person), "--municipality", AGS) == 1
    assert "Kein Anspruch" in cli.out or "kein Anspruch" in cli.out.lower()


def test_office_hours_commands(cli: Cli) -> None:
    assert cli("office-hours", "next", AGS, "--count", "2", store=False) == 0, cli.err
    assert cli.out.splitlines() == [
        "Do 26.11.2026 14:00-17:00  offene Sprechstunde  1.04, 1.05",
        "Di 01.12.2026 10:00-12:00  offene Sprechstunde  1.04, 1.05",
    ]
    assert len(cli.json("office-hours", "next", AGS, "--count", "4")) == 4
    assert cli("office-hours", "ical", AGS, "--weeks", "4", store=False) == 0
    assert cli.out.startswith("BEGIN:VCALENDAR")
    assert cli("office-hours", "osm", AGS, store=False) == 0
    assert "Tu 10:00-12:00" in cli.out
    assert cli.json("office-hours", "osm", AGS)["schema_org"]["@type"]
    assert cli("office-hours", "next", "08111000", store=False) == 2
    assert "office hours" in cli.err


# -- caseloads, work lists, reports --------------------------------------------------------------


def test_caseload_hand_over_and_worklist(cli: Cli) -> None:
    # the staff of Eislingen come from the integrationsplan-eislingen plugin
    renate, guney = "eis-im-01", "eis-im-02"
    _drawn_up(cli, "ip-1", renate)
    _drawn_up(cli, "ip-2", renate)
    loads = {load["manager_id"]: load for load in cli.json("caseload", "--municipality", AGS, "--ratio", "2")}
    assert (loads[renate]["cases"], loads[renate]["full_time_share"], loads[renate]["utilisation"]) == (2, 1.0, 1.0)
    assert loads[guney]["cases"] == 0
    assert cli("caseload") == 0
    assert renate in cli.out
    items = cli.json("worklist", renate, "--on", "2023-05-31")
    assert {item["plan_id"] for item in items} == {"ip-1", "ip-2"}
    assert cli("worklist", renate, "--on", "2023-05-31") == 0
    assert "überfällig seit" in cli.out
    code = cli("hand-over", renate, "--to", guney, "--effective-on", "2023-06-01", "--author", "lead",
               "--reason", "Stellenwechsel", "--json")  # fmt: skip
    assert code == 0, cli.err
    assert json.loads(cli.out) == {"moved": {"ip-1": guney, "ip-2": guney}, "refused": {}}
    assert cli.json("worklist", renate, "--on", "2023-06-01") == []
    assert cli("hand-over", guney, "--to", guney, "--author", "lead", "--reason", "x") == 2


def test_report_kennzahlen_in_three_formats(cli: Cli) -> None:
    for number in range(4):
        _drawn_up(cli, f"ip-{number}")
    report = cli.json("report", "kennzahlen", "--year", "2023", "--municipality", AGS)
    assert report["figures"]["totals"]["new_plans"] == 4
    assert report["figures"]["totals"]["goals_set"] == 28
    assert cli("report", "kennzahlen", "--year", "2023", "--municipality", AGS, "--format", "csv") == 0
    assert cli.out.startswith("section,key,value,suppressed\n")
    assert "totals,persons_counselled,1,no" not in cli.out  # one person in four plans: suppressed
    assert "totals,persons_counselled,,yes" in cli.out
    assert cli("report", "kennzahlen", "--year", "2023", "--municipality", AGS, "--threshold", "1") == 0
    assert "neue Integrationspläne / new integration plans" in cli.out
    assert cli("report", "kennzahlen", "--year", "2023", "--municipality", AGS, "--threshold", "0") == 2


# -- export, import, erase, plugins ----------------------------------------------------------------


def test_export_import_round_trip(cli: Cli, tmp_path: Path) -> None:
    _drawn_up(cli, "ip-1")
    _drawn_up(cli, "ip-2")
    exported = tmp_path / "plans.jsonl"
    assert cli("--progress", "export", "--output", str(exported)) == 0
    assert "export: 100%" in cli.err  # progress on stderr, the data in the file
    assert exported.stat().st_mode & 0o077 == 0  # personal data: only the owner may read it
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["plan_id"] for line in lines] == ["ip-1", "ip-2"]
    original = cli.json("plan", "history", "ip-2")
    cli.store = f"sqlite:///{tmp_path}/copy.db"
    assert cli("--progress", "import", str(exported)) == 0
    assert "import: 2line" in cli.err
    assert "2 Pläne importiert / imported" in cli.out
    cli.store = f"sqlite:///{tmp_path}/copy2.db"
    assert cli.json("import", str(exported)) == {"imported": 2, "unchanged": 0}
    assert cli.json("plan", "history", "ip-2") == original
    assert cli.json("import", str(exported)) == {"imported": 0, "unchanged": 2}
    assert cli("export", "ip-1") == 0
    assert cli.out.count("\n") == 1


def test_import_refuses_bad_lines(cli: Cli, tmp_path: Path) -> None:
    _drawn_up(cli, "ip-1")
    assert cli("export") == 0
    line = cli.out.strip()
    cli.store = f"sqlite:///{tmp_path}/copy.db"
    tampered = cli.file("tampered.jsonl", line.replace("Zielvereinbarung", "Zielvereinbarunk") + "\n")
    assert cli("import", tampered) == 1
    assert "ip-1" in cli.err
    broken = cli.file("broken.jsonl", line + "\n{\n")
    assert cli("import", broken) == 2
    assert "line 2" in cli.err
    wrong = json.loads(line)
    wrong["revisions"][0]["data"]["kind"] = "rewrite"
    assert cli("import", cli.file("wrong.jsonl", json.dumps(wrong))) == 2
    assert "$.revisions[0]" in cli.err


def test_erase_needs_confirmation(cli: Cli) -> None:
    _drawn_up(cli)
    assert cli("erase", "ip-1") == 2
    assert "--yes" in cli.err
    assert cli("erase", "ip-1", "--yes") == 2  # an erasure record names who erased
    assert "--author" in cli.err
    assert cli.json("erase", "ip-1", "--yes", "--author", "eis-dsb") == {"plan_id": "ip-1", "erased_revisions": 2}
    assert cli("plan", "show", "ip-1") == 2


def test_plugins_lists_hooks(cli: Cli) -> None:
    plugins = {plugin["name"]: plugin for plugin in cli.json("plugins")}
    assert "integrationsplan_open_store" in plugins["integrationsplan.stores"]["hooks"]
    assert cli("plugins", store=False) == 0
    assert "integrationsplan.rules" in cli.out


# -- the program ---------------------------------------------------------------------------------


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage: integrationsplan" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["plan", "show"],
        ["--today", "25.11.2026", "plugins"],
        ["office-hours", "next", AGS, "--count", "0"],
        ["office-hours", "ical", AGS, "--weeks", "many"],
        ["report", "kennzahlen"],
    ],
)
def test_bad_arguments_exit_with_2(argv: list[str]) -> None:
    assert main(argv) == 2


def test_python_dash_m_and_the_console_script(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("integrationsplan")
    for command in ([sys.executable, "-m", "integrationsplan"], [str(script)]):
        result = subprocess.run(
            [*command, "--today", TODAY, "demo"], capture_output=True, text=True, check=False, timeout=60, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
        assert "Integrationsplan / integration plan ip-08117019-2023-0042" in result.stdout
    assert list(tmp_path.iterdir()) == []  # the demo leaves nothing behind
    unknown = subprocess.run(
        [str(script), "--store", "nosuch://x", "plan", "list"], capture_output=True, text=True, check=False, timeout=60
    )
    assert unknown.returncode == 2
    assert "no store for 'nosuch'" in unknown.stderr


def test_dates_in_output_are_iso(cli: Cli) -> None:
    _drawn_up(cli)
    shown = cli.json("plan", "show", "ip-1")
    assert dt.date.fromisoformat(shown["plan"]["drawn_up_on"]) == example_plan().drawn_up_on


def test_global_options_may_follow_the_command(cli: Cli) -> None:
    _drawn_up(cli)
    assert main(["plan", "list", "--store", cli.store, "--json"]) == 0
    assert json.loads(cli.capsys.readouterr().out) == ["ip-1"]


def test_with_json_errors_are_json_on_standard_error(cli: Cli) -> None:
    _drawn_up(cli)
    assert cli("plan", "show", "ip-nothing", "--json") == 2
    error = json.loads(cli.err)
    assert error["error"] == "usage"
    assert error["type"] == "UnknownPlanError"
    bad = cli.file("bad.json", [{"change": "complete_measure"}])
    code = cli("plan", "revise", "ip-1", bad, "--base", "2", "--author", "a", "--reason", "r",
               "--effective-on", "2023-03-15", "--json")  # fmt: skip
    assert code == 2
    assert json.loads(cli.err)["errors"][0]["path"] == "$[0].measure_id"
    assert main(["office-hours", "next", AGS, "--count", "0", "--json"]) == 2
    assert json.loads(cli.capsys.readouterr().err)["error"] == "usage"


def test_a_group_alone_prints_its_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan"]) == 2
    err = capsys.readouterr().err
    assert "create" in err
    assert "verify" in err


def test_absurd_numbers_are_usage_errors(cli: Cli) -> None:
    for argv in (
        ["office-hours", "next", AGS, "--count", str(10**30)],
        ["office-hours", "ical", AGS, "--weeks", "99999999"],
        ["caseload", "--ratio", "inf"],
        ["report", "kennzahlen", "--year", "99999"],
        ["worklist", "eis-im-01", "--on", "9999-12-31"],
    ):
        assert cli(*argv) == 2, argv
        assert "Traceback" not in cli.err


def test_eligibility_decide_records_the_decision_and_override(cli: Cli) -> None:
    _drawn_up(cli)
    assert cli("eligibility", "decide", "ip-1", "--base", "2", "--author", "eis-im-01", "--reason", "Prüfung",
               "--on", "2023-03-15") == 0, cli.err  # fmt: skip
    code = cli("eligibility", "decide", "ip-1", "--base", "3", "--author", "eis-im-02", "--reason", "Prüfung",
               "--on", "2023-03-15", "--override", "needs_review", "--justification", "Pass fehlt")  # fmt: skip
    assert code == 0, cli.err
    assert cli("plan", "history", "ip-1") == 0
    assert "Anspruch geprüft (Einzelfallprüfung nötig, bei Fortschreibung, baden-wuerttemberg@2023" in cli.out
    assert "manuell entschieden von eis-im-02" in cli.out
    assert "Plan angelegt" in cli.out
    assert "Pass fehlt" not in cli.out
    assert cli("eligibility", "decide", "ip-1", "--base", "4", "--author", "a", "--reason", "r",
               "--override", "eligible") == 2  # fmt: skip


def test_shell_completion(cli: Cli) -> None:
    assert cli("completion", "bash", store=False) == 0
    assert "integrationsplan" in cli.out
    assert "eligibility" in cli.out


def test_plan_show_names_the_municipality_from_the_plugins(cli: Cli) -> None:
    _drawn_up(cli)
    assert cli("plan", "show", "ip-1") == 0
    assert "Kommune / municipality: Eislingen/Fils" in cli.out
    assert "Renate Völlinger (eis-im-01)" in cli.out
    assert "Aufenthaltsstatus abgelaufen" in cli.out  # valid until 2025-11-13, today is 2026-11-25


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
def test_a_console_that_cannot_show_a_character_gets_a_fallback(encoding: str) -> None:
    environment = {**__import__("os").environ, "PYTHONIOENCODING": encoding, "PYTHONUTF8": "0"}
    result = subprocess.run(
        [sys.executable, "-m", "integrationsplan", "demo"], capture_output=True, env=environment, check=False
    )
    assert result.returncode == 0, result.stderr.decode(encoding, "replace")
    assert b"Traceback" not in result.stderr
    shown = result.stdout.decode(encoding)
    assert "Integrationsplan" in shown
    assert "?" in shown  # the Arabic name could not be shown and fell back


def test_the_command_line_works_without_tqdm(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Progress bars come from the extra "cli"; without tqdm the commands run, with no bar."""
    _drawn_up(cli)
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm now raises ImportError
    assert cli("export", "--progress") == 0
    assert '"plan_id":"ip-1"' in cli.out
    assert "pip install" in cli.err  # --progress asked for a bar: it says how to get one
    assert cli("plan", "verify") == 0
