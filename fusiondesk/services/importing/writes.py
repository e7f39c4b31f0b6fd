"""Writing an import plan: many rows at once, as plain tuples through the DB-API.

Core executemany still processes every bound value in Python; an import of 100,000
apps writes about half a million rows (apps, owners, integrations, change log), so
the rows are built as tuples already in stored form and handed to the driver's own
executemany. Everything runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Table, func, literal, null, select
from sqlalchemy.orm import Session

from fusiondesk.core.terms import Entity, Existence, Source
from fusiondesk.db.models import App, ChangeLogEntry, IntegrationLink
from fusiondesk.db.store.driver import dbapi, insert_tuples, is_sqlite, quoted

APP_TABLE = App.__table__
LOG_COLUMNS = ("at", "who", "entity", "entity_key", "field", "old_value", "new_value",
               "source", "source_detail")
INTEGRATION_COLUMNS = ("app_id", "position", "system", "direction", "approved",
                       "external_api", "enterprise", "asynchronous")


def update_versioned(session: Session, table: Table, columns: Sequence[str],
                     rows: list[tuple]) -> int:
    """UPDATE rows given as (*values, id, version) where the version is still the one read.

    Each row's version becomes version + 1; returns how many rows matched.
    """
    if not rows:
        return 0
    if not is_sqlite(session):
        return _update_with_core(session, table, columns, rows)
    sets = ", ".join(f"{quoted(session, c)} = ?" for c in (*columns, "version"))
    cursor = dbapi(session).cursor()
    try:
        cursor.executemany(f"UPDATE {quoted(session, table.name)} SET {sets} "
                           "WHERE id = ? AND version = ?",
                           [(*r[:-2], r[-1] + 1, r[-2], r[-1]) for r in rows])
        return cursor.rowcount
    finally:
        cursor.close()


def _update_with_core(session: Session, table: Table, columns: Sequence[str],
                      rows: list[tuple]) -> int:
    from sqlalchemy import bindparam, update

    statement = (update(table)
                 .where(table.c.id == bindparam("k_id"), table.c.version == bindparam("k_v"))
                 .values({c: bindparam(f"v_{c}") for c in (*columns, "version")}))
    matched = 0
    for r in rows:
        params = {f"v_{c}": v for c, v in zip(columns, r)}
        params.update(v_version=r[-1] + 1, k_id=r[-2], k_v=r[-1])
        matched += session.connection().execute(statement, params).rowcount
    return matched


def ids_after(session: Session, last_id: int) -> dict[str, int]:
    """app_id → database id of the apps added since `last_id` (this transaction's inserts)."""
    app = App.__table__
    found = session.connection().execute(select(app.c.app_id, app.c.id).where(app.c.id > last_id))
    return dict(found.all())


def last_app_id(session: Session) -> int:
    """The highest app database id (0 for an empty portfolio)."""
    app = App.__table__
    return session.connection().execute(select(func.coalesce(func.max(app.c.id), 0))).scalar()


def stamp_text(session: Session, at: datetime) -> object:
    """A timestamp as the change log's DateTime column stores it."""
    column = ChangeLogEntry.__table__.c.at
    process = column.type.bind_processor(session.get_bind().dialect)
    return process(at) if process else at


def integration_rows(db_id: int, integrations) -> list[tuple]:
    """Integration rows of one app, in order."""
    return [(db_id, n, i.system, i.direction, i.approved, i.external_api, i.enterprise,
             i.asynchronous) for n, i in enumerate(integrations or ())]


def insert_integrations(session: Session, rows: list[tuple]) -> None:
    """Add integration rows (app_id, position, system, direction, flags...)."""
    insert_tuples(session, IntegrationLink.__table__, INTEGRATION_COLUMNS, rows)


def insert_log(session: Session, rows: list[tuple]) -> None:
    """Append change-log rows given in LOG_COLUMNS order."""
    insert_tuples(session, ChangeLogEntry.__table__, LOG_COLUMNS, rows)




def log_created_apps(session: Session, first_id: int, last_id: int, stamp: object, who: str,
                     detail: str) -> int:
    """Log "(app) created" for the apps with ids in [first_id, last_id], in one statement.

    SQLite builds the rows from the app table itself: no value crosses from Python per row.
    """
    table = ChangeLogEntry.__table__
    app = App.__table__
    rows = select(literal(stamp), literal(who), literal(Entity.APP.value), app.c.app_id, literal("(app)"),
                  null(), literal(Existence.CREATED.value), literal(Source.IMPORT.value), literal(detail)
                  ).where(app.c.id.between(first_id, last_id)).order_by(app.c.id)
    done = session.connection().execute(table.insert().from_select(LOG_COLUMNS, rows))
    return done.rowcount
