"""A server that asks for a password, opened with a URL that holds none (issue 15).

The session's server trusts loopback connections, which proves nothing about
passwords; here one database of it asks for one (scram-sha-256, through a pg_hba.conf
line for that database alone), and FusionDesk finds the password where libpq looks:
PGPASSWORD, ~/.pgpass, a service file. A wrong one is one line, exit 2, never repeated.
"""

from __future__ import annotations

import json
import time

import pytest

from tests.postgres import server as pg

PASSWORD = "Tr0ub4dor-pw-test"
LIBPQ_PLACES = ("PGPASSWORD", "PGPASSFILE", "PGSERVICEFILE", "PGSERVICE", "PGSYSCONFDIR",
                "PGUSER", "PGHOST", "PGPORT", "PGDATABASE")


@pytest.fixture(scope="module")
def guarded(postgres_server):
    """A database that asks `fusiondesk` for its password; its URL holds none."""
    if postgres_server.data is None:
        pytest.skip("needs the server this run started: the test changes its pg_hba.conf")
    name = postgres_server.new_database()
    rules = postgres_server.data / "pg_hba.conf"
    trusting = rules.read_text()
    # First matching line wins: this one asks for the password on this database only.
    rules.write_text(f"host {name} {pg.APP_ROLE} 127.0.0.1/32 scram-sha-256\n{trusting}")
    postgres_server.admin(f"ALTER ROLE {pg.APP_ROLE} PASSWORD '{PASSWORD}'", "SELECT pg_reload_conf()")
    url = postgres_server.url(name)
    _until_a_password_is_asked(url)
    yield url
    rules.write_text(trusting)
    postgres_server.admin("SELECT pg_reload_conf()", f"ALTER ROLE {pg.APP_ROLE} PASSWORD NULL")
    postgres_server.drop_database(name)


def _until_a_password_is_asked(url: str) -> None:
    """pg_reload_conf() only signals the server: wait until the new rule is in force."""
    import psycopg

    conninfo = url.replace("postgresql+psycopg", "postgresql")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            psycopg.connect(conninfo, passfile="/dev/null", connect_timeout=5).close()
        except psycopg.OperationalError:
            return
        time.sleep(0.05)
    pytest.fail("the server still trusts the connection after reloading pg_hba.conf")


@pytest.fixture
def no_password_anywhere(monkeypatch, tmp_path):
    """No libpq variable from the machine, and a home of our own (no ~/.pgpass)."""
    for name in LIBPQ_PLACES:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "libpq-home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    return home


def _opens(run, url: str) -> dict:
    code, out, err = run("--db", url, "info", "--json")
    assert code == 0, err
    assert PASSWORD not in out + err
    return json.loads(out)


def _refused(run, url: str) -> str:
    code, out, err = run("--db", url, "info", "--json")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err


def test_without_a_password_the_server_refuses_in_one_line(guarded, no_password_anywhere, run):
    err = _refused(run, guarded)
    assert "refused the user name or password" in err


def test_pgpassword_supplies_it(guarded, no_password_anywhere, run, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    assert _opens(run, guarded)["counts"]["apps"] == 0


def test_a_pgpass_file_in_the_home_folder_supplies_it(guarded, no_password_anywhere, run,
                                                      postgres_server):
    database = guarded.rsplit("/", 1)[1]
    pgpass = no_password_anywhere / ".pgpass"
    pgpass.write_text(f"{postgres_server.host}:{postgres_server.port}:{database}:"
                      f"{pg.APP_ROLE}:{PASSWORD}\n")
    pgpass.chmod(0o600)  # libpq ignores a password file others can read
    assert _opens(run, guarded)["counts"]["apps"] == 0


def test_a_service_file_supplies_the_whole_connection(guarded, no_password_anywhere, run,
                                                      postgres_server, monkeypatch):
    database = guarded.rsplit("/", 1)[1]
    services = no_password_anywhere / "pg_service.conf"
    services.write_text(f"[fusiondesk-test]\nhost={postgres_server.host}\nport={postgres_server.port}\n"
                        f"dbname={database}\nuser={pg.APP_ROLE}\npassword={PASSWORD}\n")
    services.chmod(0o600)
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    url = "postgresql+psycopg:///?service=fusiondesk-test"
    assert _opens(run, url)["counts"]["apps"] == 0
    # the second process of a big listing connects by the same URL, from the same places
    from fusiondesk.cli import listing

    assert run("--db", url, "sample", "--apps", "12", "--seed", "4")[0] == 0
    monkeypatch.setattr(listing, "_RANGE", 5)  # 12 apps in three ranges: two processes
    code, out, err = run("--db", url, "apps", "--json")
    assert code == 0, err
    assert len(json.loads(out)) == 12


def test_a_wrong_password_is_one_line_and_never_shown(guarded, no_password_anywhere, run,
                                                      monkeypatch):
    wrong = "Wrong-horse-42"
    monkeypatch.setenv("PGPASSWORD", wrong)
    err = _refused(run, guarded)
    assert "refused the user name or password" in err and wrong not in err
    monkeypatch.delenv("PGPASSWORD")
    in_the_url = guarded.replace(f"{pg.APP_ROLE}@", f"{pg.APP_ROLE}:{wrong}@", 1)
    err = _refused(run, in_the_url)
    assert "refused the user name or password" in err and wrong not in err
