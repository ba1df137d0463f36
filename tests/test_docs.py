"""The documentation cannot rot: its examples run, its glossary and API pages are complete."""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pkgutil
import re
from pathlib import Path

import pytest

import integrationsplan as ip
from integrationsplan.testing.postgres import MISSING, find_binaries

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
FENCE = re.compile(r"```.*?```", re.DOTALL)
ITALIC = re.compile(r"(?<![\w*])\*([^*\s][^*]*?)\*(?![\w*])")


def _glossary_terms() -> list[str]:
    rows = (DOCS / "glossary.md").read_text(encoding="utf-8").splitlines()
    table = [row for row in rows if row.startswith("| ") and not row.startswith(("| German", "| ---"))]
    return [row.split("|")[1].strip() for row in table]


def _italic_terms(text: str) -> set[str]:
    return {" ".join(term.split()) for term in ITALIC.findall(FENCE.sub("", text))}


@pytest.mark.parametrize("page", [page for page in PAGES if CODE_BLOCK.search(page.read_text("utf-8"))], ids=str)
def test_python_examples_run(page: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    blocks = CODE_BLOCK.findall(page.read_text(encoding="utf-8"))
    if any("throwaway_server" in block for block in blocks) and find_binaries() is None and not os.environ.get("CI"):
        pytest.skip(MISSING)
    for number, block in enumerate(blocks):
        # Each block is compiled from a .py file of its own: tools that read a function's
        # source (Hypothesis does, from Python 3.12 on) must not read the Markdown page.
        source = tmp_path / f"{page.stem}_{number}.py"
        source.write_text(block, encoding="utf-8")
        exec(compile(block, str(source), "exec"), namespace)  # noqa: S102 - our own documentation
    capsys.readouterr()


def test_glossary_is_sorted_and_unique() -> None:
    terms = _glossary_terms()
    assert len(terms) == len(set(terms))
    assert terms == sorted(terms, key=str.casefold)


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_every_german_term_in_italics_is_in_the_glossary(page: Path) -> None:
    """German terms are set in italics in the docs; each must have a glossary entry."""
    glossary = " | ".join(_glossary_terms()).casefold()
    missing = {term for term in _italic_terms(page.read_text(encoding="utf-8")) if term.casefold() not in glossary}
    assert not missing, f"add to docs/glossary.md: {sorted(missing)}"


def test_every_residence_status_is_in_the_glossary() -> None:
    glossary = " | ".join(_glossary_terms()).casefold()
    missing = [kind.german_name for kind in ip.ResidenceStatusKind if kind.german_name.casefold() not in glossary]
    assert not missing


def test_every_public_name_is_documented() -> None:
    undocumented = [
        name
        for name in ip.__all__
        if (inspect.isclass(obj := getattr(ip, name)) or inspect.isfunction(obj)) and not inspect.getdoc(obj)
    ]
    assert not undocumented


def test_every_public_module_is_in_the_api_reference() -> None:
    api = (DOCS / "api.md").read_text(encoding="utf-8")
    # Packages only re-export their modules' names; the CLI is documented as a command.
    modules = [
        info.name
        for info in pkgutil.walk_packages(ip.__path__, "integrationsplan.")
        if not info.ispkg
        and info.name != "integrationsplan.cli"
        and not any(part.startswith("_") for part in info.name.split("."))
    ]
    missing = [
        name
        for name in modules
        if getattr(importlib.import_module(name), "__all__", None) and f"::: {name}\n" not in api
    ]
    assert not missing


def test_readme_has_exactly_two_console_commands_and_they_exist() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The two commands", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```console\n(.*?)\n```", section, re.DOTALL)
    assert commands == ["./scripts/demo", "./scripts/check"]
    for command in commands:
        assert (ROOT / command).stat().st_mode & 0o111
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./scripts/check" in ci


def test_every_document_example_of_the_cli_page_is_valid() -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    section = page.split("## Every document, by example", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"### `(\w+)`.*?```json\n(.*?)```", section, re.DOTALL)
    kinds = {kind for kind, _ in blocks}
    assert kinds == set(ip.serialization.CHANGE_TAGS)
    for kind, block in blocks:
        if kind == "create_plan":
            ip.structure(json.loads(block), ip.CreatePlan)
        else:
            (change,) = ip.loads_changes(block)
            assert type(change) is ip.serialization.CHANGE_TAGS[kind]
