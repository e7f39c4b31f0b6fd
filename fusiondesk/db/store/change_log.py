"""The change-log table: appending entries, and reading them back filtered.

The database refuses any UPDATE or DELETE of a log row (migration 0004): rows are
only ever appended, in the transaction of the change they record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from sqlalchemy import String, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session

from fusiondesk.core.terms import Entity, Existence
from fusiondesk.db.models import App, ChangeLogEntry
from fusiondesk.db.store.chunks import chunks
from fusiondesk.db.store.driver import insert_rows

FILTER_COLUMNS = ("entity", "source", "who")
_CHANGE = "fusiondesk.change_id"  # session.info: (transaction, its change id)
_LOG = ChangeLogEntry
_NEWEST_FIRST = (_LOG.at.desc(), _LOG.id.desc())


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One row of the change log: when, who, which entity and field, before and after, why."""

    id: int
    at: datetime
    who: str
    entity: str
    entity_key: str
    field: str
    old_value: str | None
    new_value: str | None
    source: str
    source_detail: str | None


_COLUMNS = (_LOG.id, _LOG.at, _LOG.who, _LOG.entity, _LOG.entity_key, _LOG.field,
            _LOG.old_value, _LOG.new_value, _LOG.source, _LOG.source_detail)


def append_entries(session: Session, rows: list[dict]) -> None:
    """Append log rows (dicts of LogEntry's fields but `id`), as one statement, under the
    id of the change the session's transaction is making."""
    change = change_id(session)
    insert_rows(session, _LOG.__table__, [{**row, "change_id": change} for row in rows])


def change_id(session: Session) -> str:
    """The id every log row of the session's current transaction shares: one per change.

    A user action runs in one transaction (an edit, a bulk edit, an import, an undo), so
    its rows, logged by however many calls, read back as one change. A random id, not a
    counter: two windows on one server database never draw the same one.
    """
    session.connection()  # begins the transaction when nothing has yet
    transaction = session.get_transaction()
    held = session.info.get(_CHANGE)
    # Holding the transaction keeps it alive, so a later one can never reuse its identity.
    if held is None or held[0] is not transaction:
        held = session.info[_CHANGE] = (transaction, uuid4().hex)
    return held[1]


def read_entries(session: Session, since: datetime | None = None, app_id: str | None = None,
                 entity: str | None = None, key: str | None = None, source: str | None = None,
                 who: str | None = None, words: tuple[str, ...] = (),
                 limit: int | None = None) -> list[LogEntry]:
    """Log rows matching every filter given, newest first.

    `app_id` selects an app's rows with its reviews'; `entity` with `key` one entity's;
    each of `words` must appear (in any case) in a key, field, value, author or detail.
    """
    query = select(*_COLUMNS).where(*LogFilter(since, app_id, entity, key, source, who,
                                               words).conditions())
    query = query.order_by(*_NEWEST_FIRST)
    if limit is not None:
        query = query.limit(limit)
    return [LogEntry(*row) for row in session.execute(query)]


@dataclass(frozen=True, slots=True)
class LogFilter:
    """Which log rows to read: every filter given must match (see `read_entries`)."""

    since: datetime | None = None
    app_id: str | None = None
    entity: str | None = None
    key: str | None = None
    source: str | None = None
    who: str | None = None
    words: tuple[str, ...] = ()

    def conditions(self) -> list:
        """The WHERE terms of these filters."""
        terms = []
        if self.since is not None:
            terms.append(_LOG.at >= self.since)
        if self.app_id:
            terms.append(_about_app(self.app_id))
        if self.key is not None:
            terms.append(_LOG.entity_key == self.key)
        for column, value in ((_LOG.entity, self.entity), (_LOG.source, self.source),
                              (_LOG.who, self.who)):
            if value:
                terms.append(column == value)
        terms.extend(_mentions(word) for word in self.words)
        return terms


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One change (one transaction's log rows): its newest row's id orders it."""

    key: str
    last_id: int
    at: datetime
    who: str
    source: str
    detail: str | None
    rows: int


@dataclass(frozen=True, slots=True)
class EntityCount:
    """What one change did to one kind of entity: how many distinct ones, made, removed."""

    entity: str
    keys: int
    created: int
    deleted: int


# Rows logged before 0011 have no change id: what one action of theirs shared stands in.
_GROUP = func.coalesce(
    _LOG.change_id,
    literal("~") + cast(_LOG.at, String) + "|" + _LOG.who + "|" + _LOG.source + "|"
    + func.coalesce(_LOG.source_detail, ""))


def read_changes(session: Session, where: LogFilter, before: int | None = None,
                 limit: int = 200) -> list[ChangeRow]:
    """The newest `limit` changes with a row matching `where`, older than row id `before`.

    Who, source and detail are the change's first row's: the action that started it, not
    what followed from it (an import's replanned handovers); when is its last row's.
    """
    # The page from the (change_id, id) index alone where rows have a change id; then two
    # rows per change by primary key: a 40,000-row import is never read whole here.
    newest = sorted(_newest(session, _LOG.change_id, where, before, limit)
                    + _newest(session, _GROUP, where, before, limit, older=True),
                    key=lambda found: found[1], reverse=True)[:limit]
    ends: dict[int, tuple] = {}
    for part in chunks([row_id for found in newest for row_id in found[1:3]]):
        query = select(_LOG.id, _LOG.at, _LOG.who, _LOG.source, _LOG.source_detail)
        ends.update((row[0], row[1:]) for row in session.execute(query.where(
            _LOG.id.in_(part))))
    return [ChangeRow(key, last, ends[last][0], *ends[first][1:], rows)
            for key, last, first, rows in newest]


def _newest(session: Session, key, where: LogFilter, before: int | None, limit: int,
            older: bool = False) -> list[tuple[str, int, int, int]]:
    last = func.max(_LOG.id)
    has_id = _LOG.change_id.is_(None) if older else _LOG.change_id.is_not(None)
    query = (select(key, last, func.min(_LOG.id), func.count()).where(has_id, *where.conditions())
             .group_by(key).order_by(last.desc()).limit(limit))
    if before is not None:
        query = query.having(last < before)
    return [tuple(row) for row in session.execute(query)]


def count_changes(session: Session, where: LogFilter) -> int:
    """How many changes have a row matching `where`."""
    groups = select(_GROUP).where(*where.conditions()).group_by(_GROUP).subquery()
    return session.scalar(select(func.count()).select_from(groups)) or 0


def change_entity_counts(session: Session, keys: list[str],
                         where: LogFilter) -> dict[str, list[EntityCount]]:
    """For each change, per kind of entity: distinct entities touched, created, deleted."""
    whole = _LOG.field.like("(%")
    made = func.sum(case((whole & (_LOG.new_value == Existence.CREATED), 1), else_=0))
    gone = func.sum(case((whole & (_LOG.new_value == Existence.DELETED), 1), else_=0))
    found: dict[str, list[EntityCount]] = {}
    for part in chunks(keys):
        query = (select(_GROUP, _LOG.entity, func.count(_LOG.entity_key.distinct()), made, gone)
                 .where(_in_changes(part), *where.conditions()).group_by(_GROUP, _LOG.entity))
        for key, entity, count, created, deleted in session.execute(query):
            found.setdefault(key, []).append(EntityCount(entity, count, created or 0,
                                                         deleted or 0))
    return found


def change_fields(session: Session, keys: list[str], where: LogFilter) -> dict[str, list[str]]:
    """For each change, the fields its rows name, the most changed first."""
    found: dict[str, list[str]] = {}
    for part in chunks(keys):
        query = (select(_GROUP, _LOG.field).where(_in_changes(part), *where.conditions())
                 .group_by(_GROUP, _LOG.field).order_by(_GROUP, func.count().desc(), _LOG.field))
        for key, field in session.execute(query):
            found.setdefault(key, []).append(field)
    return found


def change_entries(session: Session, keys: list[str], where: LogFilter,
                   limit: int | None = None) -> list[tuple[str, LogEntry]]:
    """The rows of some changes matching `where`, each with its change's key, in the order
    they were logged (at most `limit`)."""
    query = (select(_GROUP, *_COLUMNS).where(_in_changes(keys), *where.conditions())
             .order_by(_LOG.id))
    if limit is not None:
        query = query.limit(limit)
    return [(row[0], LogEntry(*row[1:])) for row in session.execute(query)]


def app_names(session: Session, app_ids: set[str]) -> dict[str, str]:
    """The names of the apps with these ids that still exist."""
    names: dict[str, str] = {}
    for part in chunks(sorted(app_ids)):
        query = select(App.app_id, App.name).where(App.app_id.in_(part))
        names.update((app_id, name) for app_id, name in session.execute(query))
    return names


def _in_changes(keys) -> object:
    # The ids of changes since 0011 go through the (change_id, id) index; keys standing in
    # for older rows have to be compared as the expression they are.
    ids = [k for k in keys if not k.startswith("~")]
    older = [k for k in keys if k.startswith("~")]
    terms = [_LOG.change_id.in_(ids)] if ids else []
    if older:
        terms.append(_LOG.change_id.is_(None) & _GROUP.in_(older))
    return or_(*terms) if terms else literal(False)


def count_entries(session: Session) -> int:
    """How many rows the log holds."""
    return session.scalar(select(func.count()).select_from(_LOG)) or 0


def distinct_values(session: Session) -> dict[str, list[str]]:
    """The distinct entities, sources and authors in the log, sorted."""
    return {name: sorted(session.scalars(select(getattr(_LOG, name)).distinct()))
            for name in FILTER_COLUMNS}


def _about_app(app_id: str):
    # A review's key is 'APP_ID#REVIEW_ID': keys from 'APP_ID#' up to 'APP_ID$' ('$'
    # follows '#'), a range the (entity, entity_key) index answers, where LIKE would scan.
    return or_(
        (_LOG.entity == Entity.APP) & (_LOG.entity_key == app_id),
        (_LOG.entity == Entity.REVIEW) & (_LOG.entity_key >= app_id + "#")
        & (_LOG.entity_key < app_id + "$"),
    )


def _mentions(word: str):
    pattern = f"%{_escape(word)}%"
    columns = (_LOG.entity_key, _LOG.field, _LOG.old_value, _LOG.new_value, _LOG.who,
               _LOG.source_detail)
    # A '%word%' pattern can use no index anyway; ilike keeps it case-blind on every dialect.
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
