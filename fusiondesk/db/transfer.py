"""Moving a whole portfolio between databases: a local file to a server and back.

Every table is copied row for row with its ids (so the change log keeps pointing at the
same things), in one transaction on the destination, then checked: the same number of
rows and the same checksum of every table on both sides. A destination that already
holds a portfolio is refused, so a copy never merges two portfolios by accident.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Integer, delete, func, select, text

from fusiondesk.core.errors import PortfolioError
from fusiondesk.core.tiers import DAY_SETTING, RULES_SETTING
from fusiondesk.db.engine import Portfolio
from fusiondesk.db.models import Base, Setting

BATCH = 5_000  # rows read and written at a time: a 100,000-app portfolio never sits in memory
# The schema's own bookkeeping is made by migrating the destination, not copied.
_NOT_COPIED = {"alembic_version"}


@dataclass(frozen=True)
class TableCopy:
    """One table as copied: its rows on each side and whether their checksums agree."""

    name: str
    rows: int
    checksum: str


def copy_portfolio(source: Portfolio, destination: Portfolio,
                   progress: Callable[[int, int, str], None] | None = None) -> list[TableCopy]:
    """Copy every row of `source` into the empty `destination`, then verify both agree."""
    tables = [t for t in Base.metadata.sorted_tables if t.name not in _NOT_COPIED]
    _refuse_unless_empty(destination, tables)
    with source.reading() as reading, destination.transaction() as writing:
        _defer_foreign_keys(writing)
        # the source's settings come whole, its classification rules stamp included
        writing.execute(delete(Setting))
        for n, table in enumerate(tables):
            if progress:
                progress(n, len(tables), table.name)
            ordered = select(table).order_by(*table.primary_key.columns)
            result = reading.connection().execution_options(yield_per=BATCH).execute(ordered)
            for rows in result.partitions(BATCH):
                writing.connection().execute(table.insert(), [dict(row._mapping) for row in rows])
        _advance_sequences(writing, tables)
    copied = [_summary(source, table) for table in tables]
    mismatched = [(a.name, a.rows, b.rows) for a, b in zip(copied, (_summary(destination, t) for t in tables))
                  if a != b]
    if mismatched:
        name, theirs, ours = mismatched[0]
        raise PortfolioError(f"The copy of table {name} does not match its source ({ours} rows "
                             f"against {theirs}, or different values); check the destination.")
    return copied


def _refuse_unless_empty(destination: Portfolio, tables) -> None:
    with destination.reading() as session:
        for table in tables:
            query = select(func.count()).select_from(table)
            if table.name == Setting.__tablename__:  # a new portfolio's own stamps are no content
                query = query.where(Setting.key.notin_((RULES_SETTING, DAY_SETTING)))
            if session.scalar(query):
                raise PortfolioError(
                    f"{destination.location.display} already holds a portfolio (its {table.name} "
                    "table has rows); copy into a new, empty one.")


def _defer_foreign_keys(session) -> None:
    # Tables go in dependency order, but a person's manager or a row pointing at a later row
    # of its own table would trip an immediate check: settle them at commit instead.
    if session.get_bind().dialect.name == "sqlite":
        session.connection().exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    else:
        session.connection().exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")


def _advance_sequences(session, tables) -> None:
    # Rows came with their ids; a server's sequence must move past them, or the next
    # insert would reuse id 1. (SQLite takes the next id from the table itself.)
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or keys[0].autoincrement is False or not isinstance(keys[0].type, Integer):
            continue
        name, column = table.name, keys[0].name
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{name}', '{column}'), "
            f"COALESCE((SELECT MAX({column}) FROM {name}), 0) + 1, false) "
            f"WHERE pg_get_serial_sequence('{name}', '{column}') IS NOT NULL"))


def _summary(portfolio: Portfolio, table) -> TableCopy:
    """The row count and a checksum of every value, in primary-key order."""
    digest = hashlib.sha256()
    rows = 0
    with portfolio.reading() as session:
        ordered = select(table).order_by(*table.primary_key.columns)
        for partition in session.connection().execution_options(yield_per=BATCH).execute(ordered).partitions(BATCH):
            for row in partition:
                digest.update(repr(tuple(_comparable(v) for v in row)).encode())
                rows += 1
    return TableCopy(table.name, rows, digest.hexdigest())


def _comparable(value):
    # The same value reads back with a different Python type on each driver: SQLite gives
    # 0/1 for booleans and naive datetimes; compare what the value means.
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value
