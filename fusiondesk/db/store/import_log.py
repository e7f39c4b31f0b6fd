"""Change-log rows written in bulk: an import logs a row per created app and changed field.

The rows go as plain tuples (`driver.insert_tuples`); the "(app) created" rows of a batch
of new apps are built by the database from the app table itself.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import literal, null, select
from sqlalchemy.orm import Session

from fusiondesk.core.terms import Entity, Source, Whole
from fusiondesk.db.models import App, ChangeLogEntry
from fusiondesk.db.store.change_log import change_id
from fusiondesk.db.store.driver import insert_tuples

LOG_COLUMNS = ("at", "who", "entity", "entity_key", "field", "old_value", "new_value",
               "source", "source_detail")
_WRITTEN = (*LOG_COLUMNS, "change_id")  # the change's id is added here, not by every caller


def log_stamp(session: Session, at: datetime) -> object:
    """A timestamp as the change log's DateTime column stores it (for `insert_log` rows)."""
    dialect = session.get_bind().dialect
    # the dialect's own type: the generic DateTime has no processor, and SQLite's driver
    # would store "…:51" where SQLAlchemy stores "…:51.000000" (and compares with that)
    process = ChangeLogEntry.__table__.c.at.type.dialect_impl(dialect).bind_processor(dialect)
    return process(at) if process else at


def insert_log(session: Session, rows: list[tuple]) -> None:
    """Append change-log rows given in LOG_COLUMNS order (the time as `log_stamp` gives it)."""
    change = change_id(session)
    insert_tuples(session, ChangeLogEntry.__table__, _WRITTEN, [(*row, change) for row in rows])


def log_created_apps(session: Session, first_id: int, last_id: int, stamp: object, who: str,
                     mark: str, detail: str) -> int:
    """Log "(app) created" (new value `mark`) for the apps with ids in [first_id, last_id].

    One statement: SQLite builds the rows from the app table itself, so no value crosses
    from Python per row. Returns how many rows were logged.
    """
    table = ChangeLogEntry.__table__
    app = App.__table__
    rows = select(literal(stamp), literal(who), literal(Entity.APP.value), app.c.app_id,
                  literal(Whole.APP.value), null(), literal(mark), literal(Source.IMPORT.value),
                  literal(detail), literal(change_id(session))).where(app.c.id.between(first_id, last_id)).order_by(app.c.id)
    # preserve_rowcount: without it PostgreSQL's driver reports -1 for an INSERT … SELECT
    statement = table.insert().from_select(_WRITTEN, rows).execution_options(preserve_rowcount=True)
    return session.connection().execute(statement).rowcount
