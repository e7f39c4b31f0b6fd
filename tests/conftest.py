"""Hermetic tests: a temporary data directory, a fixed 'today', offscreen Qt.

Service, CLI and migration tests run on both backends: SQLite files and a real
PostgreSQL server (tests/postgres/server.py starts one for the session). A test that
is about files (permissions, WAL, backups, damage) is marked `sqlite_only`.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

from fusiondesk.db.engine import open_portfolio

from tests.postgres import server as pg

TODAY = "2026-11-01"
BACKENDS = ("sqlite", "postgresql")
# Where the behaviour must not depend on the database: these run on both backends.
BOTH_BACKENDS = ("tests/services/", "tests/cli/", "tests/postgres/", "tests/db/test_store")


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: about the portfolio file itself; SQLite only")


def pytest_generate_tests(metafunc):
    """Run a test that uses a portfolio fixture once per backend, where that is its contract."""
    if "backend" not in metafunc.fixturenames or metafunc.definition.get_closest_marker("sqlite_only"):
        return
    where = Path(str(metafunc.definition.fspath)).as_posix()
    if any(f"/{part}" in where for part in BOTH_BACKENDS):
        metafunc.parametrize("backend", BACKENDS, indirect=True)


def pytest_collection_modifyitems(config, items):
    """A case marked `sqlite_only` among a test's parameters is not run on PostgreSQL."""
    def sqlite_case_on_postgresql(item) -> bool:
        callspec = getattr(item, "callspec", None)
        return bool(item.get_closest_marker("sqlite_only") and callspec
                    and callspec.params.get("backend") == "postgresql")

    dropped = [item for item in items if sqlite_case_on_postgresql(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not sqlite_case_on_postgresql(item)]
    if os.environ.get(pg.ADMIN_ENV):
        _one_worker_for_a_shared_server(items)


def _one_worker_for_a_shared_server(items) -> None:
    """`make test` runs the tests in two processes (pytest-xdist), each starting a server of
    its own. A server named by FUSIONDESK_TEST_POSTGRES is one for both, and the template
    database and the cluster-wide roles the tests make there would collide: its tests all
    go to one process (`--dist loadgroup`)."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_postgresql = callspec is not None and callspec.params.get("backend") == "postgresql"
        if on_postgresql or {"postgres_server", "postgres_url"} & set(item.fixturenames):
            item.add_marker(pytest.mark.xdist_group("postgresql"))


@pytest.fixture(autouse=True)
def hermetic_home(tmp_path, monkeypatch):
    """Every test gets its own data directory, settings and clock."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("FUSIONDESK_HOME", str(home))
    monkeypatch.setenv("FUSIONDESK_TODAY", TODAY)
    monkeypatch.setenv("FUSIONDESK_USER", "tester")
    monkeypatch.delenv("FUSIONDESK_DB", raising=False)
    return home


@pytest.fixture
def backend(request):
    """Which database the portfolio fixtures open: 'sqlite' unless parametrised."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server for the session, with a migrated template database."""
    try:
        server = pg.start()
    except pg.Unavailable as exc:
        if os.environ.get(pg.REQUIRED_ENV):
            pytest.fail(f"PostgreSQL is required here ({pg.REQUIRED_ENV}) but {exc}")
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    open_portfolio(server.url(pg.TEMPLATE)).close()  # migrated once; tests copy it
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server):
    """new(template=...) -> the URL of a fresh database, dropped after the test."""
    made = []

    def new(template: str = pg.TEMPLATE) -> str:
        made.append(postgres_server.new_database(template))
        return postgres_server.url(made[-1])
    yield new
    for name in made:
        postgres_server.drop_database(name)


@pytest.fixture
def portfolio_location(backend, tmp_path, request):
    """new(name) -> where a new portfolio of this test's backend goes (file path or URL)."""
    if backend == "sqlite":
        return lambda name: str(tmp_path / name)
    new_url = request.getfixturevalue("postgres_url")
    return lambda name: new_url()


@pytest.fixture
def empty_portfolio(portfolio_location):
    """A new, empty portfolio (a file, or a database on the test server)."""
    portfolio = open_portfolio(portfolio_location("empty.fdesk"))
    yield portfolio
    portfolio.close()


@pytest.fixture
def sample_portfolio(portfolio_location):
    """A portfolio filled with the small generated sample (60 apps)."""
    from fusiondesk.services.portfolio import fill_with_sample

    portfolio = open_portfolio(portfolio_location("sample.fdesk"))
    with portfolio.transaction() as session:
        fill_with_sample(session, "tester", apps=60, seed=3)
    yield portfolio
    portfolio.close()


@pytest.fixture
def run(capsys):
    """run(*argv) -> (exit status, stdout, stderr) of the CLI, in-process."""
    from fusiondesk.cli import main

    def invoke(*argv):
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return invoke
