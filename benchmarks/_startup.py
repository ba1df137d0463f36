"""The startup section: what importing the library and starting the command line cost.

Each figure times fresh interpreters (``python -c ...``), interleaved in rounds — the
library, its core dependencies, the command line's ``--help``, a bare interpreter — and
reports the median of per-round ratios:

* ``import_vs_core_deps``: ``import integrationsplan`` against ``import attrs, cattrs,
  orjson, sqlite3`` (what any such library needs at least); goal at most 2.5;
* ``cli_help_vs_python``: ``python -m integrationsplan --help`` against a bare
  ``python -c pass``; goal at most 15.

The root package loads its names on first use, so ``import integrationsplan`` alone is
cheap. What an application pays when it uses the library is reported beside it, without
a goal, so that the lazy root cannot hide a heavier library:

* ``documents_vs_core_deps``: ``from integrationsplan import Person, structure`` (a
  script that reads and checks documents: the domain and the converter);
* ``app_vs_core_deps``: ``from integrationsplan import App`` (everything a municipal
  application loads: plugins, stores, services, reports).
"""

from __future__ import annotations

import statistics
import subprocess
import sys

from _common import Figures, timed

_LIBRARY = "import integrationsplan"
_CORE = "import attrs, cattrs, orjson, sqlite3"
_DOCUMENTS = "from integrationsplan import Person, structure"
_APP = "from integrationsplan import App"


def _run(*arguments: str) -> None:
    subprocess.run([sys.executable, *arguments], check=True, capture_output=True)  # noqa: S603 - our own interpreter


def startup(quick: bool) -> Figures:
    """Import and ``--help`` times of fresh interpreters, as ratios (see the module documentation)."""
    _run("-c", _LIBRARY)  # warm the file cache and the bytecode
    _run("-m", "integrationsplan", "--help")
    rounds = 3 if quick else 25
    imports: list[float] = []
    helps: list[float] = []
    documents: list[float] = []
    apps: list[float] = []
    library_times: list[float] = []
    app_times: list[float] = []
    for _ in range(rounds):
        library = timed(lambda: _run("-c", _LIBRARY))
        core = timed(lambda: _run("-c", _CORE))
        cli = timed(lambda: _run("-m", "integrationsplan", "--help"))
        bare = timed(lambda: _run("-c", "pass"))
        reading = timed(lambda: _run("-c", _DOCUMENTS))
        app = timed(lambda: _run("-c", _APP))
        imports.append(library / core)
        helps.append(cli / bare)
        documents.append(reading / core)
        apps.append(app / core)
        library_times.append(library)
        app_times.append(app)
    return {
        "import_vs_core_deps": statistics.median(imports),
        "cli_help_vs_python": statistics.median(helps),
        "documents_vs_core_deps": statistics.median(documents),
        "app_vs_core_deps": statistics.median(apps),
        "import_ms": statistics.median(library_times) * 1_000,
        "app_import_ms": statistics.median(app_times) * 1_000,
    }
