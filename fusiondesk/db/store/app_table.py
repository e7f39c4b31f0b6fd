"""The portfolio table's queries: which apps match, in what order, and the cells of a page.

Filtering and sorting run in SQL and return only ids, read raw from the driver: the
table re-sorts 100,000 apps on a click. A table column is named by its key, which is
the app column of the same name except for the summaries kept for the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from sqlalchemy import Row, func, or_, select
from sqlalchemy.orm import Session

from fusiondesk.core.fields import APP_FIELDS, INTEGRATIONS
from fusiondesk.core.terms import PersonStatus
from fusiondesk.db.models import App, Ownership, Person
from fusiondesk.db.store.chunks import chunks
from fusiondesk.db.store.driver import raw_rows

# Table keys stored under another name: the owners and integrations as one text each.
_STORED = {"owners": "owner_summary",
           **{f.name: "integration_summary" for f in APP_FIELDS if f.kind == INTEGRATIONS}}
# What quick search looks in (the same columns in SQL and in `search_rows`).
SEARCHED = ("name", "app_id", "department", "platform", "owner_summary")
# The filters that ask for one value of a column.
EQUAL_FILTERS = ("platform", "kind", "department", "lifecycle", "tier")


def stored(key: str):
    """The app column behind a table key."""
    return getattr(App, _STORED.get(key, key))


def matching_ids(session: Session, equal: dict[str, object], *, drift: bool = False,
                 flag: str | None = None, owner: str | None = None,
                 words: Iterable[str] = (), sort: str = "name",
                 descending: bool = False, tiers: tuple[int, ...] = (),
                 leavers: tuple[date, date] | None = None) -> list[int]:
    """Ids of the apps that match, ordered by the column of `sort` (unknown values last).

    `equal` maps EQUAL_FILTERS to the value wanted; every word must occur (any case) in
    one of the SEARCHED columns; `owner` is an e-mail, `flag` a warning sign's name,
    `tiers` any of several tiers, `leavers` (first, last day): apps someone owns who is
    marked leaving with a leave date in those days.
    """
    statement = _filtered(select(App.id), equal, drift, flag, owner, words,
                          session.get_bind().dialect.name)
    if tiers:
        statement = statement.where(App.tier.in_(tiers))
    if leavers:
        # IN (leavers) lets SQLite walk the ownership index from the leavers, not scan it
        owned = select(Ownership.app_id).where(Ownership.person_id.in_(leavers_between(*leavers)))
        statement = statement.where(App.id.in_(owned))
    sort_column = stored(sort)
    # Unknown values sort last either way: they are not "smallest", they are missing.
    # (Skipped for NOT NULL columns, so an index on the column can give the order.)
    ordering = sort_column.desc() if descending else sort_column.asc()
    tie_break = App.id.desc() if descending else App.id.asc()
    nulls_last = [sort_column.is_(None)] if getattr(sort_column, "nullable", True) else []
    statement = statement.order_by(*nulls_last, ordering, tie_break)
    return [row[0] for row in raw_rows(session, statement)]


def leavers_between(first: date, last: date):
    """The ids of the people marked leaving with a leave date from `first` to `last`."""
    return select(Person.id).where(Person.status == PersonStatus.LEAVING,
                                   Person.leave_date >= first, Person.leave_date <= last)


def _filtered(statement, equal, drift, flag, owner, words, dialect: str):
    for name, value in equal.items():
        statement = statement.where(getattr(App, name) == value)
    if drift:
        statement = statement.where(App.drift.is_(True))
    if flag:
        # flags are stored ';'-joined; pad with separators so 'inactive' never matches a prefix
        statement = statement.where((";" + App.flags + ";").contains(f";{flag};"))
    if owner:
        owned = (
            select(Ownership.app_id).join(Person, Ownership.person_id == Person.id)
            .where(Person.email == owner.lower())
        )
        statement = statement.where(App.id.in_(owned))
    searched = [getattr(App, name) for name in SEARCHED]
    for word in words:
        pattern = f"%{_escape(word)}%"
        statement = statement.where(or_(*(_contains(column, pattern, dialect) for column in searched)))
    return statement


def _contains(column, pattern: str, dialect: str):
    # SQLite's LIKE already ignores ASCII case; ilike would wrap both sides in lower(),
    # which costs a function call per row and column on every keystroke.
    if dialect == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_rows(session: Session) -> list[tuple]:
    """(id, *SEARCHED values) of every app, raw from the driver."""
    return raw_rows(session, select(App.id, *(getattr(App, name) for name in SEARCHED)))


def cell_rows(session: Session, ids: list[int], keys: tuple[str, ...]) -> Iterator[Row]:
    """(id, app_id, version, *values of `keys`) of the given apps, in no particular order."""
    columns = [stored(key) for key in keys]
    for group in chunks(ids):
        yield from session.execute(select(App.id, App.app_id, App.version, *columns)
                                   .where(App.id.in_(group)))


def distinct_values(session: Session, name: str) -> list:
    """The distinct values of an app column, sorted (None among them when some apps lack one)."""
    column = getattr(App, name)
    return list(session.scalars(select(column).distinct().order_by(column)))


def owner_emails(session: Session) -> list[str]:
    """Everyone who owns at least one app, sorted."""
    statement = (
        select(Person.email).join(Ownership, Ownership.person_id == Person.id)
        .distinct().order_by(Person.email)
    )
    return list(session.scalars(statement))


def app_count(session: Session) -> int:
    """How many apps the portfolio holds."""
    return session.scalar(select(func.count(App.id))) or 0


def existing_db_ids(session: Session, app_ids: Iterable[str]) -> list[int]:
    """The database ids of those of these apps that exist."""
    app_ids = list(app_ids)
    return [db_id for group in chunks(app_ids)
            for db_id in session.scalars(select(App.id).where(App.app_id.in_(group)))]
