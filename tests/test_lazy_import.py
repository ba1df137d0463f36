"""The lazy root package: every public name is there, loads on first use, and nothing else loads early."""

from __future__ import annotations

import argparse
import ast
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import integrationsplan as ip

ROOT = Path(ip.__file__)


def _type_checking_imports() -> dict[str, tuple[str, ...]]:
    tree = ast.parse(ROOT.read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    return {
        node.module: tuple(alias.name for alias in node.names)
        for node in block.body
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("integrationsplan")
    }


def test_the_lazy_map_and_the_imports_type_checkers_read_agree() -> None:
    assert _type_checking_imports() == ip._SOURCES
    names = [name for names in ip._SOURCES.values() for name in names]
    assert len(names) == len(set(names))  # each name comes from one module
    assert sorted(ip.__all__) == sorted([*names, "__version__"])


@pytest.mark.parametrize("name", [name for name in ip.__all__ if name != "__version__"])
def test_every_public_name_is_the_object_of_its_module(name: str) -> None:
    module = importlib.import_module(ip._MODULE_OF[name])
    assert getattr(ip, name) is getattr(module, name)
    assert name in dir(ip)


def test_an_unknown_name_is_an_attribute_error_naming_it() -> None:
    with pytest.raises(AttributeError, match="'Plann'"):
        ip.Plann  # type: ignore[attr-defined]  # noqa: B018 - the access is the test
    assert not hasattr(ip, "_nothing")


def test_the_subpackages_are_reachable_from_the_root() -> None:
    on_disk = {module.name for module in pkgutil.iter_modules([str(ROOT.parent)]) if not module.name.startswith("_")}
    assert set(ip._SUBPACKAGES) == on_disk
    assert ip.rules.DEFAULT_RULE_SET.name == "baden-wuerttemberg"


def _loaded_after(code: str) -> set[str]:
    script = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    return {name for name in out.split() if name.startswith("integrationsplan")}


def test_importing_the_package_loads_none_of_it() -> None:
    assert _loaded_after("import integrationsplan") == {"integrationsplan"}


def test_a_document_script_loads_neither_stores_nor_plugins_nor_reports() -> None:
    loaded = _loaded_after("from integrationsplan import Person, structure")
    assert {"integrationsplan.domain", "integrationsplan.serialization"} <= loaded
    for heavy in ("storage", "plugins", "reports", "services", "app", "cli"):
        assert f"integrationsplan.{heavy}" not in loaded, heavy


def test_the_command_lines_help_loads_no_use_case() -> None:
    loaded = _loaded_after(
        "import contextlib, io\nfrom integrationsplan.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['--help'])"
    )
    for heavy in ("app", "services", "storage", "plugins", "reports", "domain", "cli._commands"):
        assert f"integrationsplan.{heavy}" not in loaded, heavy


def test_every_command_of_the_parser_has_a_handler() -> None:
    from integrationsplan.cli import build_parser  # noqa: PLC0415
    from integrationsplan.cli._commands import COMMANDS  # noqa: PLC0415

    keys: set[str] = set()

    def walk(parser: argparse.ArgumentParser) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    if (key := sub.get_default("command")) is not None:
                        keys.add(key)
                    walk(sub)

    walk(build_parser())
    assert keys == set(COMMANDS)
