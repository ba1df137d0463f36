"""A throwaway PostgreSQL server for tests and benchmarks, from the machine's own binaries.

Tests of a ``postgresql://`` store need a real server, and never a shared one: a test
that erases plans or creates roles must not touch anybody's data. ``throwaway_server``
runs ``initdb`` and ``pg_ctl`` in a new temporary folder, listens only on a Unix socket
in that folder (no TCP port, so nothing clashes and nothing is reachable from outside),
and removes everything when it exits.

PostgreSQL refuses to run as root, so when the tests run as root (as in a container) the
server runs as an unprivileged user: ``postgres`` if the machine has that user (Debian's
packages create it), else ``nobody``. Example::

    from integrationsplan.testing.postgres import find_binaries, throwaway_server

    if find_binaries() is None:
        pytest.skip(MISSING)
    with throwaway_server() as server:
        url = server.url("postgres")

Binaries are looked up in ``$INTEGRATIONSPLAN_PG_BINDIR``, then ``pg_config --bindir``,
then Debian's ``/usr/lib/postgresql/<version>/bin`` (the newest version).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import attrs

__all__ = [
    "MISSING",
    "ROLE_OF_BOTH_TOWNS",
    "TEST_ROLES",
    "PostgresDatabase",
    "ThrowawayServer",
    "find_binaries",
    "throwaway_server",
]

#: The login roles of a test database and the municipalities each is mapped to: one town
#: each, both towns (the conformance suite writes plans of both), reporting, and a role
#: with no grant at all.
TEST_ROLES: dict[str, tuple[str, ...]] = {
    "town_eislingen": ("08117019",),
    "town_stuttgart": ("08111000",),
    "towns_both": ("08117019", "08111000"),
    "statistics": (),
    "outsider": (),
}
ROLE_OF_BOTH_TOWNS = "towns_both"

#: Why PostgreSQL tests are skipped, and how to run them.
MISSING = (
    "no PostgreSQL server binaries (initdb, pg_ctl): install them (Debian: apt-get install postgresql-15)"
    " or point INTEGRATIONSPLAN_PG_BINDIR at their folder"
)


def find_binaries() -> Path | None:
    """The folder holding ``initdb``, ``pg_ctl`` and ``postgres``, or ``None``."""
    candidates: list[Path] = []
    if configured := os.environ.get("INTEGRATIONSPLAN_PG_BINDIR"):
        candidates.append(Path(configured))
    if pg_config := shutil.which("pg_config"):
        try:
            command = [pg_config, "--bindir"]  # a program on PATH, run without a shell
            found = subprocess.run(command, capture_output=True, text=True, check=True, timeout=10)  # noqa: S603
            candidates.append(Path(found.stdout.strip()))
        except (OSError, subprocess.SubprocessError):
            pass
    debian = Path("/usr/lib/postgresql")
    if debian.is_dir():
        versions = [p for p in debian.iterdir() if p.name.isdigit()]
        candidates.extend(p / "bin" for p in sorted(versions, key=lambda p: int(p.name), reverse=True))
    for folder in candidates:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres")):
            return folder
    return None


@attrs.frozen
class ThrowawayServer:
    """A running throwaway server: its socket folder and superuser (trust authentication)."""

    socket_dir: Path
    superuser: str = "postgres"

    def url(self, database: str = "postgres", user: str | None = None, **parameters: str) -> str:
        """A ``postgresql://`` URL for ``user`` (default: the superuser) over the Unix socket."""
        query = "&".join(f"{key}={quote(value, safe='')}" for key, value in parameters.items())
        host = quote(str(self.socket_dir), safe="")
        return f"postgresql://{user or self.superuser}@/{database}?host={host}" + (f"&{query}" if query else "")


@attrs.frozen
class PostgresDatabase:
    """A database on a throwaway server with the schema set up and ``TEST_ROLES`` granted."""

    server: ThrowawayServer
    name: str = "integrationsplan"

    @classmethod
    @contextmanager
    def create(cls, server: ThrowawayServer, name: str = "integrationsplan") -> Iterator[PostgresDatabase]:
        """Create the database, run ``setup`` and create and grant the test roles."""
        import psycopg  # noqa: PLC0415 - the postgres extra is optional

        from integrationsplan.storage.postgres import grant, setup  # noqa: PLC0415

        with psycopg.connect(server.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
            existing = {row[0] for row in conn.execute("SELECT rolname FROM pg_roles").fetchall()}
            for role in TEST_ROLES.keys() - existing:  # roles belong to the server, not the database
                conn.execute(f'CREATE ROLE "{role}" LOGIN')
        database = cls(server, name)
        setup(database.admin_url)
        for role, municipalities in TEST_ROLES.items():
            if municipalities:
                grant(database.admin_url, role, municipalities)
        grant(database.admin_url, "statistics", reporting=True)
        yield database

    @property
    def admin_url(self) -> str:
        """The superuser's URL of this database."""
        return self.server.url(self.name)

    def url(self, role: str, **parameters: str) -> str:
        """The URL of this database for ``role`` (``municipality=...`` and other parameters)."""
        return self.server.url(self.name, role, **parameters)

    def reset(self) -> None:
        """Remove every plan, record, erasure record, access entry and appointment (as the superuser)."""
        import psycopg  # noqa: PLC0415

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(
                "TRUNCATE integrationsplan.revisions, integrationsplan.heads, integrationsplan.records,"
                " integrationsplan.erasures, integrationsplan.access_log, integrationsplan.appointments"
            )


def _unprivileged_user() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root, and neither a 'postgres' nor a 'nobody' user exists to run PostgreSQL")


@contextmanager
def throwaway_server(*, durable: bool = False, settings: dict[str, str] | None = None) -> Iterator[ThrowawayServer]:
    """Start a new PostgreSQL server in a temporary folder; stop and remove it on exit.

    ``durable=False`` (the default, for tests) turns ``fsync`` off: a test server's data
    may be lost on power loss, which makes the tests several times faster. Benchmarks
    pass ``durable=True`` so that every commit waits for the disk, as in production.
    """
    binaries = find_binaries()
    if binaries is None:
        raise RuntimeError(MISSING)
    user = _unprivileged_user()
    root = Path(tempfile.mkdtemp(prefix="ip-pg-"))
    data, sockets, log = root / "data", root / "run", root / "server.log"
    sockets.mkdir()
    if user is not None:
        for path in (root, sockets):
            os.chown(path, user.pw_uid, user.pw_gid)
    as_user = {"user": user.pw_uid, "group": user.pw_gid} if user is not None else {}
    options = {
        "listen_addresses": "''",
        "unix_socket_directories": f"'{sockets}'",
        "fsync": "on" if durable else "off",
        "synchronous_commit": "on" if durable else "off",
        "full_page_writes": "on" if durable else "off",
        "max_connections": "200",
        **(settings or {}),
    }
    try:
        subprocess.run(  # noqa: S603 - the machine's own binaries, no shell
            [binaries / "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale"],
            check=True,
            capture_output=True,
            cwd=root,
            **as_user,  # type: ignore[call-overload]
        )
        with (data / "postgresql.auto.conf").open("a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in options.items())
        subprocess.run(  # noqa: S603 - the machine's own binaries, no shell
            [binaries / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "start"],
            check=True,
            capture_output=True,
            cwd=root,
            **as_user,  # type: ignore[call-overload]
        )
    except subprocess.CalledProcessError as error:
        detail = (error.stderr or b"").decode(errors="replace")[-2000:]
        if log.exists():
            detail += log.read_text(errors="replace")[-2000:]
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"could not start a throwaway PostgreSQL server: {detail}") from None
    try:
        yield ThrowawayServer(sockets)
    finally:
        subprocess.run(  # noqa: S603 - the machine's own binaries, no shell
            [binaries / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"],
            capture_output=True,
            check=False,
            cwd=root,
            **as_user,  # type: ignore[call-overload]
        )
        shutil.rmtree(root, ignore_errors=True)
