"""Everything a portfolio holds, as comparable text: equal dumps mean equal content."""

from __future__ import annotations

import sqlite3

from sqlalchemy import create_engine, inspect, text


def dump(where) -> list[str]:
    """Every table's rows (and on SQLite its schema) of a portfolio, a path or a URL."""
    location = getattr(where, "location", None)
    if location is not None:
        where = location.path or location.url
    where = str(where)
    if "://" not in where:
        connection = sqlite3.connect(where)
        try:
            return list(connection.iterdump())
        finally:
            connection.close()
    engine = create_engine(where)
    try:
        with engine.connect() as connection:
            lines = []
            for table in sorted(inspect(connection).get_table_names()):
                rows = connection.execute(text(f'SELECT * FROM "{table}"')).all()
                lines += [f"{table}: {row!r}" for row in sorted(rows, key=repr)]
            return lines
    finally:
        engine.dispose()
