"""The schema on a PostgreSQL server: from empty to head, from an old revision with data kept,
and back down again; the migrated columns are the models' (lengths included)."""

from __future__ import annotations

import pytest
from sqlalchemy import String, create_engine, inspect, text

from fusiondesk.db import migrate
from fusiondesk.db.engine import open_portfolio
from fusiondesk.db.models import Base


@pytest.fixture
def blank(postgres_url):
    """The URL of an empty database (no tables) the application's role owns."""
    return postgres_url(template="template0")


def test_a_new_server_database_is_migrated_to_head_and_matches_the_models(blank):
    portfolio = open_portfolio(blank)
    try:
        assert migrate.current_revision(portfolio.engine) == migrate.head_revision()
        inspector = inspect(portfolio.engine)
        for name, table in Base.metadata.tables.items():
            migrated = {c["name"]: c["type"] for c in inspector.get_columns(name)}
            assert set(migrated) == {c.name for c in table.columns}, name
            for column in table.columns:
                length = column.type.length if isinstance(column.type, String) else None
                assert getattr(migrated[column.name], "length", None) == length, (name, column.name)
    finally:
        portfolio.close()


def test_upgrading_from_0004_keeps_apps_and_owners(blank):
    engine = create_engine(blank)
    migrate.upgrade(engine, "0004")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO app (app_id, name, platform, environment, users, version) "
            "VALUES ('A-1', 'Expense Tracker', 'Power Apps', 'Default', 42, 1)"))
        connection.execute(text("INSERT INTO person (email, status) VALUES ('a@x.example', 'active')"))
        connection.execute(text(
            "INSERT INTO ownership (app_id, person_id, role) "
            "SELECT app.id, person.id, 'primary' FROM app, person"))
    engine.dispose()

    portfolio = open_portfolio(blank)
    try:
        assert migrate.current_revision(portfolio.engine) == migrate.head_revision()
        with portfolio.engine.connect() as connection:
            row = connection.execute(text(
                "SELECT app_id, name, users, kind, licence FROM app")).one()
            owners = connection.execute(text("SELECT count(*) FROM ownership")).scalar()
        assert tuple(row) == ("A-1", "Expense Tracker", 42, None, None) and owners == 1
    finally:
        portfolio.close()


def test_every_migration_goes_down_to_nothing_and_back_up(blank):
    portfolio = open_portfolio(blank)
    try:
        migrate.downgrade(portfolio.engine, "base")
        assert migrate.current_revision(portfolio.engine) is None
        assert set(inspect(portfolio.engine).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(portfolio.engine)
        assert migrate.current_revision(portfolio.engine) == migrate.head_revision()
    finally:
        portfolio.close()
