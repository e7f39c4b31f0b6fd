"""The portfolio's apps as an import compares a file's rows with them.

Two reads. `compared_rows` gives each app's compared fields as raw values, for the rows
an import walks one by one. `stored_records` gives each app as one text, its app_id and
compared fields quoted by SQLite's `printf('%Q,…')`; `record_texts` writes a file's rows
the same way. A row whose text is among the stored ones says exactly what its app holds:
a re-import of 100,000 unchanged rows is settled by set lookups, and the database builds
the texts (without the GIL, while the file is still being parsed) and hands them over in
a few blobs rather than as millions of values, each of which Python would have to build
and, on a busy thread, wait for.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from fusiondesk.core.fields import APP_FIELD_BY_NAME, DATE, OWNER_COLUMNS
from fusiondesk.core.values import TEAM_COLUMN
from fusiondesk.db.models import App, Ownership
from fusiondesk.db.store.chunks import chunks
from fusiondesk.db.store.driver import is_sqlite, raw_rows
from fusiondesk.db.store.ownership import owner_cells_query

_OWNER_FIELDS = frozenset((*OWNER_COLUMNS, TEAM_COLUMN))

# Apps per blob: each blob is one step of the query (one hand-back of the GIL), and at
# ~300 characters an app, 4,096 apps make blobs of about a megabyte.
_APPS_PER_BLOB = 4096
_RECORD_SEPARATOR = "\x1e"


def compared_rows(session: Session, fields: tuple[str, ...], with_keys: bool,
                  app_ids: Sequence[str] | None = None) -> list[tuple]:
    """Apps as (id, app_id, version, *fields[, name, platform, environment]), raw.

    Every app, or those with one of `app_ids`. Values are as an import compares them:
    dates as ISO text, no integrations as None.
    """
    table = App.__table__
    columns = [table.c.id, table.c.app_id, table.c.version,
               *(_compared_column(table, f) for f in fields)]
    if with_keys:
        columns += [table.c.name, table.c.platform, table.c.environment]
    if app_ids is None:
        return raw_rows(session, select(*columns), shared=True)  # held through a re-import
    return [row for group in chunks(list(app_ids))
            for row in raw_rows(session, select(*columns).where(table.c.app_id.in_(group)))]


def filled_fields(session: Session, fields: tuple[str, ...]) -> set[str]:
    """Those of `fields` some app has a value in, as `compared_rows` reads them.

    Counted in one scan by the database: a field no app fills reads as None for every
    app, so an import need not fetch it 100,000 times.
    """
    table = App.__table__
    counts = session.execute(
        select(*(func.count(_compared_column(table, f)) for f in fields))).one() if fields else ()
    return {name for name, count in zip(fields, counts) if count}


def fields_held(session: Session, fields: tuple[str, ...]) -> set[str]:
    """Those of `fields`, scalars and owner columns, some app has a value in."""
    held = filled_fields(session, tuple(f for f in fields if f not in _OWNER_FIELDS))
    roles = set(session.scalars(select(Ownership.role).where(Ownership.person_id.is_not(None))
                                .distinct()))
    held.update(f for f, role in OWNER_COLUMNS.items() if f in fields and role in roles)
    if TEAM_COLUMN in fields and session.scalar(
            select(Ownership.id).where(Ownership.team_id.is_not(None)).limit(1)) is not None:
        held.add(TEAM_COLUMN)
    return held


def _compared_column(table, field_name: str):
    if field_name == "integrations":  # no integrations reads as a blank cell
        return func.nullif(table.c.integration_summary, "")
    if APP_FIELD_BY_NAME[field_name].kind == DATE:  # ISO text, as files are compared
        return func.substr(cast(table.c[field_name], String), 1, 10)
    return table.c[field_name]


# --- records: an app as one text -------------------------------------------------------

def records_supported(session: Session) -> bool:
    """Whether `stored_records` can read this database (SQLite's printf writes them)."""
    return is_sqlite(session)


def stored_records(session: Session, fields: tuple[str, ...]) -> frozenset[str] | None:
    """Every app's record: its app_id and `fields` (scalars, then owner columns), quoted.

    None when a blob does not split into as many records as it holds apps (a value
    holding the separator): the caller then compares value by value.
    """
    table = App.__table__
    scalars = [f for f in fields if f not in _OWNER_FIELDS]
    owner_fields = [f for f in fields if f in _OWNER_FIELDS]
    values = [table.c.app_id, *(_compared_column(table, f) for f in scalars)]
    source = table
    if owner_fields:  # the owners as `compared_rows`' callers read them: `; `-joined
        owners = owner_cells_query(owner_fields).subquery()
        source = table.outerjoin(owners, owners.c.app_id == table.c.id)
        values += [owners.c[f"cell_{n}"] for n in range(len(owner_fields))]
    record = func.printf(",".join(["%Q"] * len(values)), *values)
    apps = select((table.c.id // _APPS_PER_BLOB).label("blob"),
                  record.label("record")).select_from(source).subquery()
    query = select(func.count(), func.group_concat(apps.c.record, _RECORD_SEPARATOR)
                   ).group_by(apps.c.blob)
    records: set[str] = set()
    for count, blob in raw_rows(session, query):
        found = blob.split(_RECORD_SEPARATOR)
        if len(found) != count:
            return None
        records.update(found)
    return frozenset(records)


def record_texts(app_ids: Sequence, columns: Sequence[Sequence]) -> list[str]:
    """Each row's record as `stored_records` writes it: `app_ids` and `columns`, which
    hold the compared fields in stored form, in the order `stored_records` was given them.

    Each distinct value is quoted once; the rows are joined in C.
    """
    return list(map(",".join, zip(*map(_quoted_column, (app_ids, *columns)))))


def _quoted_column(column: Sequence) -> list[str]:
    """A column's values as a record holds them."""
    if len(set(column)) * 2 > len(column) and set(map(type, column)) == {str}:
        # mostly distinct texts (ids, names): quoted in C, not remembered one by one
        return list(map("'{}'".format, map(str.replace, column, repeat("'"), repeat("''"))))
    return list(map(_Quoted().__getitem__, column))


class _Quoted(dict):
    """A stored-form value → its text in a record, as SQLite's `%Q` quotes it, remembered.

    A value of a type SQLite would write otherwise (a float, a date) gets a text no
    record holds, so its row is compared value by value; so does text holding NUL, as
    SQLite's printf stops at a NUL and no record holds one.
    """

    __slots__ = ()

    def __missing__(self, value) -> str:
        if value is None:
            quoted = "NULL"
        elif isinstance(value, str):
            quoted = "'" + value.replace("'", "''") + "'"
        elif isinstance(value, int):  # bool too: stored as 0 or 1
            quoted = f"'{int(value)}'"
        else:
            quoted = _UNMATCHED
        self[value] = quoted
        return quoted


# No record holds it: SQLite's printf writes no NUL.
_UNMATCHED = "\0unmatched"
