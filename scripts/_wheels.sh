# Sourced by scripts/check: build the wheels (the library and the example town plugin),
# install them into a clean venv as a town's IT would, and smoke-test what was installed.
smoke_wheels() {
    local work
    work="$(mktemp -d)"
    "$bin/uv" build --quiet --wheel --out-dir "$work/dist" "$repo_root"
    "$bin/uv" build --quiet --wheel --out-dir "$work/dist" "$repo_root/plugins/integrationsplan-eislingen"
    "$bin/uv" venv --quiet --python "$bin/python" "$work/venv"
    "$bin/uv" pip install --quiet --python "$work/venv/bin/python" "$work"/dist/*.whl
    (
        cd "$work"  # away from the checkout: only the installed wheels can be imported
        "$work/venv/bin/python" - <<'PY'
import importlib.resources

import integrationsplan as ip

package = importlib.resources.files("integrationsplan")
assert (package / "py.typed").is_file(), "py.typed is missing from the wheel"
assert (package / "i18n" / "locale" / "ar.po").is_file(), "the message catalogs are missing from the wheel"
assert (importlib.resources.files("integrationsplan_eislingen") / "py.typed").is_file()
with ip.App() as app:
    names = [plugin.name for plugin in app.plugins()]
    assert "eislingen" in names, names
    assert app.find_municipality("08117019") is not None
print("wheels:", ip.__version__, "plugins:", ", ".join(names))
PY
        "$work/venv/bin/integrationsplan" demo >/dev/null
        "$work/venv/bin/integrationsplan" --version
    )
    rm -rf "$work"
}
