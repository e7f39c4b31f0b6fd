"""Alembic, driven from code: the migrations ship inside the package."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"  # where Alembic records a database's revision
# A migration script names its revision and the one it follows in lines of this form.
_NAMED = re.compile(r'^(down_revision|revision)\s*=\s*(?:None|["\']([^"\']+)["\'])\s*$', re.M)


def _config():
    # Alembic (with Mako, which it loads) is imported only to migrate: every open asks
    # what revision a portfolio is at and which is newest, and that needs neither.
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@cache
def _chain() -> dict[str, str | None]:
    """Each shipped revision and the one it follows (None for the first), read from the
    migration scripts' own lines; tests/db/test_migrations.py holds it to Alembic's."""
    chain: dict[str, str | None] = {}
    for script in sorted((MIGRATIONS / "versions").glob("[0-9]*.py")):
        named = dict((m.group(1), m.group(2)) for m in _NAMED.finditer(script.read_text("utf-8")))
        chain[named["revision"]] = named.get("down_revision")
    return chain


@cache
def head_revision() -> str:
    """The newest schema revision this FusionDesk knows."""
    followed = set(_chain().values())
    heads = [revision for revision in _chain() if revision not in followed]
    if len(heads) != 1:
        raise RuntimeError(f"The shipped migrations have {len(heads)} heads; expected one.")
    return heads[0]


@cache
def known_revisions() -> frozenset[str]:
    """Every schema revision this FusionDesk can open (a newer one is refused unchanged)."""
    return frozenset(_chain())


def current_revision(engine: Engine) -> str | None:
    """The revision a database is at (None for a new, empty one)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to `revision` in one transaction."""
    from alembic import command

    _migrate(engine, lambda config: command.upgrade(config, revision))


def downgrade(engine: Engine, revision: str) -> None:
    """Take the schema back to `revision` in one transaction."""
    from alembic import command

    _migrate(engine, lambda config: command.downgrade(config, revision))


def _migrate(engine: Engine, step) -> None:
    config = _config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # SQLite alters a table by copying it and dropping the original; with foreign
            # keys on, that drop would cascade into every row that refers to it. The
            # pragma is a no-op inside a transaction, so it is set before one begins.
            connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                step(config)
                if sqlite:
                    _check_foreign_keys(connection)
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys = ON")
                connection.commit()


def _check_foreign_keys(connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:  # raising rolls the migration back: the portfolio stays as it was
        raise RuntimeError(f"The schema migration would break {len(broken)} references "
                           f"(first in table {broken[0][0]}); nothing was changed.")
