# Sourced by scripts/demo and scripts/check: make or refresh .venv inside the repository.
# Usage: ensure_venv EXTRAS   (EXTRAS like "test,docs"; empty for the runtime only)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo_root/.venv"

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3 python3.13 python3.12 python3.11 python; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "integrationsplan needs Python >= 3.11; none found (set PYTHON=/path/to/python3.11)." >&2
    return 1
}

ensure_venv() {
    local extras="$1" spec stamp want
    if [ ! -x "$venv/bin/python" ]; then
        "$(find_python)" -m venv "$venv"
        "$venv/bin/python" -m pip install --quiet --upgrade pip
    fi
    spec="$repo_root"
    [ -z "$extras" ] || spec="$repo_root[$extras]"
    # Reinstall only when the project metadata or the requested extras changed.
    want="$extras $(cksum <"$repo_root/pyproject.toml") $(find "$repo_root/plugins" -name pyproject.toml -exec cksum {} + 2>/dev/null || true)"
    stamp="$venv/.installed-$(echo "$extras" | tr ',' '-')"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        "$venv/bin/python" -m pip install --quiet --editable "$spec"
        # The example town plugins are separate distributions, installed as a town would.
        for plugin in "$repo_root"/plugins/*/; do
            [ -f "$plugin/pyproject.toml" ] && "$venv/bin/python" -m pip install --quiet --editable "$plugin"
        done
        echo "$want" >"$stamp"
    fi
}
