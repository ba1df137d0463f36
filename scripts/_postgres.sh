# Sourced by scripts/check: make sure PostgreSQL's server binaries are on the machine.
# The PostgreSQL tests start a throwaway server from them (integrationsplan.testing.postgres);
# they never use a server that is already running. Without the binaries those tests skip
# locally and fail in CI, so where we may (root with apt-get), we install Debian's package.
ensure_postgres_binaries() {
    local python="$1"
    if "$python" -c 'import sys; from integrationsplan.testing.postgres import find_binaries; sys.exit(find_binaries() is None)'; then
        return 0
    fi
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing PostgreSQL's server binaries (apt-get install postgresql-15) for the throwaway test server"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null; } ||
            apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    else
        echo "no PostgreSQL server binaries, and no way to install them here (needs root and apt-get):"
        echo "the PostgreSQL tests will skip (in CI they fail). Install postgresql-15, or set INTEGRATIONSPLAN_PG_BINDIR."
    fi
}
