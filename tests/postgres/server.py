"""A throw-away PostgreSQL server for the test session, and databases made from a template.

The server runs from the Debian package's binaries (`make test` installs them when it
can), as the `postgres` account when we are root (the server refuses root), listening on
127.0.0.1 only, with its data and socket in a temporary folder; it is stopped by its pid
when the session ends. FUSIONDESK_TEST_POSTGRES=<admin URL> uses a server already there.

Tests connect as `fusiondesk`, an ordinary role owning its databases, as the application
would: the superuser only creates and drops databases.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

APP_ROLE = "fusiondesk"
TEMPLATE = "fusiondesk_template"
ADMIN_ENV = "FUSIONDESK_TEST_POSTGRES"
REQUIRED_ENV = "FUSIONDESK_REQUIRE_POSTGRES"


class Unavailable(RuntimeError):
    """No PostgreSQL server can be had here; the message says why and what to do."""


def server_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl (the newest Debian version), if installed."""
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A running server: its admin URL, and how to stop it when we started it."""

    admin_url: str
    host: str
    port: int
    data: Path | None = None
    folder: Path | None = None
    pid: int | None = None
    _as_postgres: list[str] = field(default_factory=list)
    watchdog: subprocess.Popen | None = None
    _numbers: count = field(default_factory=count)

    def url(self, database: str, role: str = APP_ROLE) -> str:
        """The SQLAlchemy URL of a database on this server, as `role`."""
        return f"postgresql+psycopg://{role}@{self.host}:{self.port}/{database}"

    def admin(self, *statements: str) -> None:
        """Run statements as the superuser, outside a transaction (CREATE DATABASE needs that)."""
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def new_database(self, template: str = TEMPLATE) -> str:
        """A fresh database copied from a template; returns its name."""
        name = f"fd_{os.getpid()}_{next(self._numbers)}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}" OWNER {APP_ROLE}')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a test database, closing whatever still holds it."""
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        """Stop the server we started (by its pid) and remove its folder."""
        if self.watchdog:  # we stop it ourselves: the watchdog must not fire later
            self.watchdog.kill()
            self.watchdog.wait()
            self.watchdog = None
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        try:
            os.kill(pid, signal.SIGINT)  # "fast" shutdown: ends sessions, no recovery needed
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.05)
        if _alive(pid):
            os.kill(pid, signal.SIGQUIT)
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie child of ours counts as gone
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return True


def start(durable: bool = False) -> Server:
    """A server for this session: the one FUSIONDESK_TEST_POSTGRES names, else our own.

    Our own skips fsync unless `durable` (the benchmark compares it with SQLite's commits).
    """
    given = os.environ.get(ADMIN_ENV)
    server = _existing(given) if given else _own(durable)
    _prepare_role(server)
    return server


def _existing(admin_url: str) -> Server:
    import psycopg

    try:
        info = psycopg.conninfo.conninfo_to_dict(admin_url)
        with psycopg.connect(admin_url, connect_timeout=5):
            pass
    except psycopg.Error as exc:
        raise Unavailable(f"{ADMIN_ENV} names a server that does not answer: {exc}") from exc
    return Server(admin_url, info.get("host", "127.0.0.1"), int(info.get("port", 5432)))


def _own(durable: bool = False) -> Server:
    binaries = server_binaries()
    if binaries is None:
        raise Unavailable(
            "no PostgreSQL server binaries (initdb) here: install Debian's 'postgresql' "
            f"package (make test does when run as root), or set {ADMIN_ENV} to a superuser URL")
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = Path(tempfile.mkdtemp(prefix="fusiondesk-pg-"))
    if as_postgres:
        shutil.chown(folder, "postgres", "postgres")
    data = folder / "data"
    port = _free_port()
    quiet = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "text": True}
    made = subprocess.run([*as_postgres, str(binaries / "initdb"), "-D", str(data), "-U", "postgres",
                           "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], **quiet)
    if made.returncode:
        shutil.rmtree(folder, ignore_errors=True)
        raise Unavailable(f"initdb failed: {made.stdout.strip().splitlines()[-1:]}")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=100"
    if not durable:  # durability costs the tests time and proves nothing there
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    started = subprocess.run([*as_postgres, str(binaries / "pg_ctl"), "-D", str(data), "-o", options,
                              "-l", str(folder / "server.log"), "-w", "-t", "60", "start"], **quiet)
    pid_file = data / "postmaster.pid"
    pid = int(pid_file.read_text().split()[0]) if pid_file.exists() else None
    server = Server(f"postgresql://postgres@127.0.0.1:{port}/postgres", "127.0.0.1", port,
                    data, folder, pid, as_postgres)
    atexit.register(server.stop)  # also when the session ends abnormally
    if pid:
        server.watchdog = _watch(pid, folder)
    if started.returncode:
        log = (folder / "server.log").read_text(errors="replace") if (folder / "server.log").exists() else ""
        server.stop()
        raise Unavailable(f"the PostgreSQL server did not start: {(log or started.stdout).strip()[-300:]}")
    return server


# Stops the server when the test run dies without running atexit (SIGKILL, a timeout):
# it waits for its stdin, which only the run holds open, to close.
_WATCHDOG = """
import os, shutil, signal, sys, time
pid, folder = int(sys.argv[1]), sys.argv[2]
sys.stdin.buffer.read()
try:
    os.kill(pid, signal.SIGINT)
    for _ in range(600):
        os.kill(pid, 0)
        time.sleep(0.05)
except ProcessLookupError:
    pass
shutil.rmtree(folder, ignore_errors=True)
"""


def _watch(pid: int, folder: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _WATCHDOG, str(pid), str(folder)],
                            stdin=subprocess.PIPE, start_new_session=True)


def _prepare_role(server: Server) -> None:
    """The application's role (not a superuser) and an empty template it owns."""
    import psycopg

    with psycopg.connect(server.admin_url, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (APP_ROLE,)).fetchone():
            connection.execute(f"CREATE ROLE {APP_ROLE} LOGIN")
        connection.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{TEMPLATE}" OWNER {APP_ROLE}')
