"""On PostgreSQL the change log is append-only too: no right to change it, and a trigger."""

from __future__ import annotations

import psycopg
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text

from fusiondesk.core.facts import AppFacts
from fusiondesk.db import migrate
from fusiondesk.db.engine import open_portfolio
from fusiondesk.services.apps import edits as app_edits

REWRITES = [
    "UPDATE change_log SET who = 'nobody'",
    "DELETE FROM change_log",
    "TRUNCATE change_log",
]


@pytest.fixture
def logged(postgres_server, postgres_url):
    """A server portfolio with two apps created (so log rows), and its database name."""
    url = postgres_url()
    portfolio = open_portfolio(url)
    with portfolio.transaction() as session:
        app_edits.create_app(session, AppFacts(app_id="PA-1", name="Expense Tracker"), "alice")
        app_edits.create_app(session, AppFacts(app_id="PA-2", name="Visitor Log"), "alice")
    yield portfolio, url.rsplit("/", 1)[1]
    portfolio.close()


def _log(portfolio) -> list[tuple]:
    with portfolio.engine.connect() as connection:
        return connection.execute(text("SELECT id, who, entity_key, field FROM change_log "
                                       "ORDER BY id")).all()


def _as_superuser(server, database: str) -> psycopg.Connection:
    return psycopg.connect(server.admin_url.rsplit("/", 1)[0] + f"/{database}", autocommit=True)


@pytest.mark.parametrize("statement", REWRITES)
def test_the_applications_own_connection_may_not_rewrite_the_log(logged, statement):
    portfolio, _ = logged
    before = _log(portfolio)
    with portfolio.engine.connect() as connection:
        with pytest.raises(Exception, match="permission denied for table change_log"):
            connection.execute(text(statement))
    assert _log(portfolio) == before


def test_the_application_still_appends(logged):
    portfolio, _ = logged
    before = len(_log(portfolio))
    with portfolio.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO change_log (at, who, entity, entity_key, field, source) "
            "VALUES ('2026-11-01 10:00', 'script', 'app', 'PA-1', 'notes', 'import')"))
    assert len(_log(portfolio)) == before + 1


@pytest.mark.parametrize("statement", REWRITES)
def test_the_trigger_refuses_even_a_superuser(logged, postgres_server, statement):
    portfolio, database = logged
    before = _log(portfolio)
    with _as_superuser(postgres_server, database) as connection:
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="append-only"):
            connection.execute(statement)
    assert _log(portfolio) == before


def test_downgrading_0008_gives_the_rights_back_and_upgrading_takes_them_again(logged):
    portfolio, _ = logged
    below = ScriptDirectory.from_config(migrate._config()).get_revision("0008").down_revision
    migrate.downgrade(portfolio.engine, below)
    with portfolio.engine.begin() as connection:
        connection.execute(text("DELETE FROM change_log WHERE entity_key = 'PA-2'"))
    assert {row.entity_key for row in _log(portfolio)} == {"PA-1"}
    migrate.upgrade(portfolio.engine)
    with portfolio.engine.connect() as connection:
        with pytest.raises(Exception, match="permission denied"):
            connection.execute(text("DELETE FROM change_log"))
