"""The schema: from empty to head, and from the previous revision with data kept."""

import sqlite3

import pytest
from sqlalchemy import create_engine, inspect

from fusiondesk.db import backups, migrate
from fusiondesk.db.engine import open_portfolio
from fusiondesk.db.models import Base

pytestmark = pytest.mark.sqlite_only  # portfolio files; a server: tests/postgres/test_migrations_postgres.py


def test_new_portfolio_is_migrated_to_head(tmp_path):
    portfolio = open_portfolio(tmp_path / "new.fdesk")
    assert migrate.current_revision(portfolio.engine) == migrate.head_revision()
    tables = set(inspect(portfolio.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    portfolio.close()


def test_migrated_schema_matches_the_models(tmp_path):
    """Alembic's head and the ORM models describe the same columns."""
    portfolio = open_portfolio(tmp_path / "new.fdesk")
    inspector = inspect(portfolio.engine)
    for name, table in Base.metadata.tables.items():
        migrated = {c["name"] for c in inspector.get_columns(name)}
        assert migrated == {c.name for c in table.columns}, name
    portfolio.close()


def test_upgrade_from_previous_revision_keeps_data_and_backs_up_first(tmp_path):
    path = tmp_path / "old.fdesk"
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO app (app_id, name, users, version) VALUES ('A-1', 'Expense Tracker', 42, 1)")
    engine.dispose()

    portfolio = open_portfolio(path)

    assert migrate.current_revision(portfolio.engine) == migrate.head_revision()
    with portfolio.engine.connect() as connection:
        row = connection.exec_driver_sql("SELECT name, users, tier FROM app").one()
    assert row == ("Expense Tracker", 42, None)
    made = backups.list_backups(path)
    assert [b.reason for b in made].count("before-migration") == 1
    old = sqlite3.connect(made[-1].path)
    assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    old.close()
    portfolio.close()


def _portfolio_at_0004_with_an_owned_app(path):
    """A portfolio as FusionDesk left it before kind, licence and environment type."""
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, "0004")
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys = ON")
        connection.exec_driver_sql(
            "INSERT INTO app (app_id, name, platform, environment, users, version) "
            "VALUES ('A-1', 'Expense Tracker', 'Power Apps', 'Default', 42, 1)")
        connection.exec_driver_sql("INSERT INTO person (email, status) VALUES ('a@x.example', 'active')")
        connection.exec_driver_sql(
            "INSERT INTO ownership (app_id, person_id, role) VALUES (1, 1, 'primary')")
    engine.dispose()


def test_upgrade_from_0004_adds_kind_licence_and_environment_type_and_keeps_apps(tmp_path):
    path = tmp_path / "old.fdesk"
    _portfolio_at_0004_with_an_owned_app(path)

    portfolio = open_portfolio(path)

    assert migrate.current_revision(portfolio.engine) == migrate.head_revision()
    with portfolio.engine.connect() as connection:
        row = connection.exec_driver_sql(
            "SELECT app_id, name, platform, environment, users, kind, licence, environment_type "
            "FROM app").one()
        owners = connection.exec_driver_sql("SELECT count(*) FROM ownership").scalar()
    assert row == ("A-1", "Expense Tracker", "Power Apps", "Default", 42, None, None, None)
    assert owners == 1
    indexes = {i["name"] for i in inspect(portfolio.engine).get_indexes("app")}
    assert "ix_app_kind" in indexes
    portfolio.close()


def test_downgrade_from_0005_drops_the_three_columns_and_keeps_apps_and_owners(tmp_path):
    path = tmp_path / "p.fdesk"
    _portfolio_at_0004_with_an_owned_app(path)
    portfolio = open_portfolio(path)
    with portfolio.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE app SET kind = 'canvas_app', licence = 'Premium'")
    migrate.downgrade(portfolio.engine, "0004")

    assert migrate.current_revision(portfolio.engine) == "0004"
    columns = {c["name"] for c in inspect(portfolio.engine).get_columns("app")}
    assert not columns & {"kind", "licence", "environment_type"}
    with portfolio.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT name, users FROM app").one() == (
            "Expense Tracker", 42)
        # no table copy: dropping app would have cascaded to its owners
        assert connection.exec_driver_sql("SELECT count(*) FROM ownership").scalar() == 1
    portfolio.close()


def test_downgrade_to_previous_revision_is_possible(tmp_path):
    portfolio = open_portfolio(tmp_path / "p.fdesk")
    migrate.downgrade(portfolio.engine, "0001")
    assert migrate.current_revision(portfolio.engine) == "0001"
    assert "review" not in inspect(portfolio.engine).get_table_names()
    portfolio.close()


def test_people_without_email_keep_their_ownerships_through_the_rebuild(tmp_path):
    """0006 copies the person table; with foreign keys on, the copy must not cascade."""
    path = tmp_path / "owned.fdesk"
    _an_owned_app_at("0004", path, "INSERT INTO app (id, app_id, name, version) "
                                   "VALUES (1, 'A-1', 'Expenses', 1)")

    portfolio = open_portfolio(path)
    with portfolio.engine.begin() as connection:
        owners = connection.exec_driver_sql("SELECT app_id, person_id FROM ownership").all()
        connection.exec_driver_sql(
            "INSERT INTO person (name, status, version) VALUES ('Bo Li', 'active', 1)")
        nameless = connection.exec_driver_sql
        try:
            nameless("INSERT INTO person (status, version) VALUES ('active', 1)")
            refused = False
        except Exception:
            refused = True
    assert owners == [(1, 7)]
    assert refused, "a person with neither e-mail nor name must be refused"
    portfolio.close()


def test_0017_drops_the_cached_reason_texts_and_keeps_apps_owners_and_signs(tmp_path):
    path = tmp_path / "cached.fdesk"
    _an_owned_app_at("0016", path,
                     "INSERT INTO app (id, app_id, name, tier, tier_reasons, unknowns, flags, "
                     "version) VALUES (1, 'A-1', 'Expenses', 3, '120 users ≥ 50', 'users', "
                     "'inactive', 1)")

    portfolio = open_portfolio(path)
    columns = {c["name"] for c in inspect(portfolio.engine).get_columns("app")}
    assert not columns & {"tier_reasons", "unknowns"} and {"tier", "flags"} <= columns
    with portfolio.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT name, tier, flags FROM app").one() == (
            "Expenses", 3, "inactive")
        # dropped in place: a table copy would have cascaded to the owners
        assert connection.exec_driver_sql("SELECT count(*) FROM ownership").scalar() == 1
    migrate.downgrade(portfolio.engine, "0016")
    columns = {c["name"] for c in inspect(portfolio.engine).get_columns("app")}
    assert {"tier_reasons", "unknowns"} <= columns
    portfolio.close()


def _an_owned_app_at(revision: str, path, app_insert: str) -> None:
    """A portfolio file at `revision` holding one app (as `app_insert` writes it, id 1)
    owned by Ann, written with foreign keys on."""
    engine = create_engine(f"sqlite:///{path}")
    migrate.upgrade(engine, revision)
    with engine.begin() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys = ON")
        connection.exec_driver_sql(app_insert)
        connection.exec_driver_sql(
            "INSERT INTO person (id, email, name, status, version) "
            "VALUES (7, 'ann@example.com', 'Ann', 'active', 1)")
        connection.exec_driver_sql(
            "INSERT INTO ownership (app_id, person_id, role) VALUES (1, 7, 'primary')")
    engine.dispose()


def test_the_revisions_read_without_alembic_are_alembics_own():
    """Opening reads the head and the known revisions from the scripts' lines, leaving
    Alembic unloaded; they must be exactly what Alembic itself finds."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate._config())
    assert migrate.head_revision() == scripts.get_current_head()
    assert migrate.known_revisions() == {s.revision for s in scripts.walk_revisions()}
    assert migrate._chain() == {s.revision: s.down_revision for s in scripts.walk_revisions()}


def test_opening_a_current_portfolio_loads_no_alembic(tmp_path):
    """Alembic and Mako take a tenth of a second to load: only a migration needs them."""
    import subprocess
    import sys

    path = tmp_path / "current.fdesk"
    open_portfolio(path).close()
    probe = ("import sys; from fusiondesk.db.engine import open_portfolio; "
             f"open_portfolio({str(path)!r}, daily_backup=False).close(); "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('alembic', 'mako')))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == "[]"
