"""Rows straight through the DB-API driver, and what differs between SQLite and the rest.

SQLAlchemy's result and bind processing costs microseconds a value; a portfolio of
100,000 apps reads and writes millions of values, so the bulk paths hand plain tuples
to the driver on SQLite and fall back to Core (which knows other drivers' parameter
styles) elsewhere. Everything runs in the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from itertools import chain
from operator import itemgetter

from sqlalchemy import Table, bindparam, create_engine, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from fusiondesk.db.store.chunks import chunks

# A unique key or foreign key refused a write: raised by the driver on the fast path, by
# SQLAlchemy elsewhere. Use cases catch this to say what was taken meanwhile.
KEY_CONFLICTS = (sqlite3.IntegrityError, IntegrityError)


def is_sqlite(session: Session) -> bool:
    """True when the session writes to SQLite (rows go straight to its driver)."""
    return session.get_bind().dialect.name == "sqlite"


def dbapi(session: Session):
    """The driver connection under the session's transaction (same connection, same commit)."""
    return session.connection().connection.dbapi_connection


def quoted(session: Session, name: str) -> str:
    """An identifier quoted as the session's database wants it."""
    return session.get_bind().dialect.identifier_preparer.quote(name)


def raw_rows(session: Session, statement, shared: bool = False) -> list[tuple]:
    """Rows of a Core SELECT fetched straight from the DB-API cursor.

    SQLAlchemy's result processing costs ~3 µs a row; the portfolio table fetches
    100,000 ids per sort or keystroke, so it reads them raw. Only for columns
    whose raw values are already what the caller wants (ids, integers, text).
    `shared`: equal values of a column come back as one object (see `_SharedValues`).
    """
    connection = session.connection()
    compiled = statement.compile(dialect=connection.dialect,
                                 compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    if compiled.positional:
        params = tuple(params[name] for name in compiled.positiontup)
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(str(compiled), params)
        rows = _SharedValues().fetch(cursor) if shared else cursor.fetchall()
    finally:
        cursor.close()
    if connection.dialect.name != "sqlite":
        rows = [tuple(_sqlite_shape(v) for v in row) for row in rows]
    return rows


class _SharedValues:
    """Rows read a block at a time, each column's repeated values kept as one object.

    The driver makes a new object of every value it reads: 100,000 apps of ~40 fields
    were 150 MB, most of them copies of a few lifecycles, platforms and days (an import
    holds them while the file is parsed beside them: a re-import's peak memory). A
    column whose values stop repeating (names, ids) is left as read.
    """

    BLOCK = 5000
    MOST = 4096  # distinct values remembered per column before it counts as unique

    def fetch(self, cursor) -> list[tuple]:
        """Every row of an executed cursor."""
        rows: list[tuple] = []
        memos: list[dict | None] | None = None
        while block := cursor.fetchmany(self.BLOCK):
            columns = list(zip(*block))
            del block  # its values go as soon as the shared ones replace them
            memos = memos or [{} for _ in columns]
            for n, memo in enumerate(memos):
                if memo is not None:  # in C: setdefault keeps the first of each value
                    columns[n] = tuple(map(memo.setdefault, columns[n], columns[n]))
                    if len(memo) > self.MOST:
                        memos[n] = None
            rows += zip(*columns)
        return rows


def _sqlite_shape(value):
    """Dates as the ISO text SQLite returns, so raw rows read alike on every database."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def insert_tuples(session: Session, table: Table, columns: Sequence[str],
                  rows: list[tuple]) -> None:
    """INSERT many rows given as tuples in `columns` order."""
    if not rows:
        return
    if not is_sqlite(session):
        _insert_elsewhere(session, table, columns, rows)
        return
    connection = dbapi(session)
    names = ", ".join(quoted(session, c) for c in columns)
    head = f"INSERT INTO {quoted(session, table.name)} ({names}) VALUES "
    one = f"({', '.join('?' * len(columns))})"
    cursor = connection.cursor()
    try:
        if set(map(len, rows)) != {len(columns)}:  # the driver's own error for a bad row
            cursor.executemany(head + one, rows)
            return
        # Many rows per statement, not executemany: the driver lets go of the GIL around
        # every statement it runs, and while the import's other thread runs Python, taking
        # it back costs up to a switch interval (5 ms) each time: per row, that made
        # writing on a second thread no faster than writing in turn. Statements hold
        # powers of two of rows, so the driver's statement cache keeps a few of them
        # (a statement per odd length took 200 MB over an import), and at most 512: a
        # prepared statement's memory grows with its rows.
        most = min(512, 1 << ((_variables(connection) // len(columns)).bit_length() - 1))
        start = 0
        while start < len(rows):
            size = min(most, 1 << ((len(rows) - start).bit_length() - 1))
            chunk = rows[start:start + size]
            cursor.execute(head + ", ".join([one] * size), list(chain.from_iterable(chunk)))
            start += size
    finally:
        cursor.close()


def _insert_elsewhere(session: Session, table: Table, columns: Sequence[str],
                      rows: list[tuple]) -> None:
    """PostgreSQL: COPY; another driver: Core, which knows its parameter style."""
    if len(rows) < COPY_FROM or not _copies(session) or set(map(len, rows)) != {len(columns)}:
        session.connection().execute(table.insert(), [dict(zip(columns, r)) for r in rows])
        return
    cursor = dbapi(session).cursor()
    # COPY streams the rows in one command: an executemany is a statement per row for
    # the server to parse, plan and answer, which made PostgreSQL's import of 100,000
    # apps (with their owners, integrations, reviews and log) 2.3 times SQLite's.
    # Values go as text, each cast by its column's type, in this transaction.
    names = ", ".join(quoted(session, c) for c in columns)
    statement = f"COPY {quoted(session, table.name)} ({names}) FROM STDIN"
    driver_error = session.get_bind().dialect.dbapi.Error
    try:
        with cursor.copy(statement) as copy:
            write = copy.write_row
            for row in rows:
                write(row)
    except driver_error as error:
        # As SQLAlchemy would have raised it (IntegrityError, DataError, …): the use cases
        # and `translate_lock_errors` know those.
        raise DBAPIError.instance(statement, None, error, driver_error) from error
    finally:
        cursor.close()


# Rows from which COPY beats a statement per row (below, an edit's few log rows, Core
# keeps its usual path)
COPY_FROM = 64


def _copies(session: Session) -> bool:
    """Whether the session's driver takes rows by COPY (psycopg)."""
    return session.get_bind().dialect.driver == "psycopg"


def _variables(connection) -> int:
    """How many values one SQLite statement may bind (999 before SQLite 3.32)."""
    try:
        return connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except AttributeError:  # Python before 3.11 cannot ask
        return 999


def delete_for_apps(session: Session, table: Table, app_ids: list[int]) -> None:
    """Remove a child table's rows (owners, integrations) of some apps."""
    for group in chunks(app_ids):
        session.connection().execute(table.delete().where(table.c.app_id.in_(group)))


def day_as_stored(session: Session):
    """How a date goes to `insert_tuples`: ISO text on SQLite (as its Date stores it), else as is."""
    return _iso_day if is_sqlite(session) else _same


def _iso_day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _same(value: object) -> object:
    return value


def insert_rows(session: Session, table: Table, rows: list[dict]) -> None:
    """INSERT rows given as dicts, as one Core executemany (by COPY on PostgreSQL, when many
    rows name the same columns).

    An ORM-entity insert with a list of dicts falls back to one statement per row
    when values differ in which keys are None; the table's own insert never does.
    """
    if not rows:  # an empty list would run the insert once, with no values
        return
    if len(rows) >= COPY_FROM and _copies(session):
        columns = list(rows[0])
        given = _given_defaults(table, columns)
        if given is not None and all(row.keys() == rows[0].keys() for row in rows):
            values = itemgetter(*columns) if len(columns) > 1 else (lambda r: (r[columns[0]],))
            defaults = tuple(given.values())
            _insert_elsewhere(session, table, [*columns, *given],
                              [(*values(row), *defaults) for row in rows])
            return
    session.connection().execute(table.insert(), rows)


def _given_defaults(table: Table, columns: list[str]) -> dict[str, object] | None:
    """The Python-side defaults Core would give the columns left out (None: one is computed).

    COPY gives a left-out column only the server's default, so these go with the rows.
    """
    given = {}
    for column in table.columns:
        if column.name in columns or column.default is None:
            continue
        if not column.default.is_scalar:
            return None
        given[column.name] = column.default.arg
    return given


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


def update_by_id(session: Session, table: Table, columns: Sequence[str], rows: list[tuple]) -> None:
    """UPDATE rows given as (*values, id): one executemany, straight to SQLite's driver.

    A policy change rewrites the classification of tens of thousands of apps, and
    SQLAlchemy's per-row parameter processing cost more than the writes.
    """
    if not rows:
        return
    if not is_sqlite(session):
        statement = (update(table).where(table.c.id == bindparam("k_id"))
                     .values({c: bindparam(f"v_{c}") for c in columns}))
        session.connection().execute(statement, [
            {"k_id": r[-1], **{f"v_{c}": v for c, v in zip(columns, r)}} for r in rows])
        return
    sets = ", ".join(f"{quoted(session, c)} = ?" for c in columns)
    cursor = dbapi(session).cursor()
    try:
        cursor.executemany(f"UPDATE {quoted(session, table.name)} SET {sets} WHERE id = ?", rows)
    finally:
        cursor.close()


def _update_with_core(session: Session, table: Table, columns: Sequence[str],
                      rows: list[tuple]) -> int:
    statement = (update(table)
                 .where(table.c.id == bindparam("k_id"), table.c.version == bindparam("k_v"))
                 .values({c: bindparam(f"v_{c}") for c in (*columns, "version")}))
    matched = 0
    for r in rows:
        params = {f"v_{c}": v for c, v in zip(columns, r)}
        params.update(v_version=r[-1] + 1, k_id=r[-2], k_v=r[-1])
        matched += session.connection().execute(statement, params).rowcount
    return matched


def database_url(session: Session) -> str:
    """Where the session's database is, for a worker process to open it itself."""
    return session.get_bind().url.render_as_string(hide_password=False)


@contextmanager
def separate_session(url: str) -> Iterator[Session]:
    """A session on its own engine (in a worker process), reading what is committed."""
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()
