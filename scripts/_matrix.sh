# Sourced by scripts/check: the unit suite on every supported Python the machine has, and
# on the lowest versions of the direct dependencies that pyproject.toml allows.
#
# The main run (Python 3.11, the newest dependencies, the "ci" Hypothesis profile) checks
# the properties; these runs check that the library works there at all, every test with
# the "compat" profile (few examples each). In CI a missing interpreter is a failure.
supported_pythons="3.11 3.12 3.13"

find_interpreter() {
    local version="$1" candidate
    for candidate in "python$version" "$HOME/.pyenv/versions/$version"*/bin/python "/usr/bin/python$version" "/usr/local/bin/python$version"; do
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$version'.split('.'))))" 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

# A venv of its own per run, made with uv (fast, and it resolves the lowest versions).
matrix_venv() {
    local name="$1" interpreter="$2" resolution="$3" dir="$repo_root/.venv-$1"
    local want="$resolution $(cksum <"$repo_root/pyproject.toml")"
    if [ ! -f "$dir/.installed" ] || [ "$(cat "$dir/.installed")" != "$want" ]; then
        rm -rf "$dir"
        "$bin/uv" venv --quiet --python "$interpreter" "$dir"
        "$bin/uv" pip install --quiet --python "$dir/bin/python" --resolution "$resolution" \
            --editable "$repo_root[testing,cli,postgres,print]" --editable "$repo_root/plugins/integrationsplan-eislingen"
        # The test runner's own tools, newest: they are not the library's dependencies.
        "$bin/uv" pip install --quiet --python "$dir/bin/python" pytest-xdist "recurring-ical-events>=3.0" "opening-hours-py>=2.1" "jsonschema>=4.18" \
            "msgspec>=0.18" "eventsourcing[postgres]>=9.3"
        echo "$want" >"$dir/.installed"
    fi
    echo "$dir/bin/python"
}

run_matrix() {
    local version interpreter python ran=() missing=()
    for version in $supported_pythons; do
        if [ "$version" = "3.11" ] && [ "$("$bin/python" -c 'import sys; print(*sys.version_info[:2], sep=".")')" = "3.11" ]; then
            ran+=("$version (the main run)")
            continue
        fi
        if ! interpreter="$(find_interpreter "$version")"; then
            missing+=("$version")
            continue
        fi
        python="$(matrix_venv "py$version" "$interpreter" highest)"
        echo "-- Python $version ($interpreter), compat profile"
        HYPOTHESIS_PROFILE=compat "$python" -m pytest -n auto -q -p no:cacheprovider
        ran+=("$version")
    done
    interpreter="$(find_interpreter 3.11 || command -v "$bin/python")"
    python="$(matrix_venv floors "$interpreter" lowest-direct)"
    echo "-- the lowest direct dependency versions: $("$bin/uv" pip list --python "$python" --format freeze 2>/dev/null | grep -i -E '^(attrs|cattrs|pluggy|orjson|pycountry|holidays|icalendar|cryptography|babel|python-dateutil)==' | tr '\n' ' ')"
    HYPOTHESIS_PROFILE=compat "$python" -m pytest -n auto -q -p no:cacheprovider
    ran+=("lowest direct dependencies")
    echo "ran on: ${ran[*]}"
    if [ "${#missing[@]}" != 0 ]; then
        echo "no interpreter for Python ${missing[*]} on this machine"
        if [ -n "${CI:-}" ]; then
            echo "CI needs every supported Python: install them (pyenv) and run again"
            return 1
        fi
    fi
}
