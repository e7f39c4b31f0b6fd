"""The change-log table: appending entries, and reading them back filtered.

The database refuses any UPDATE or DELETE of a log row (migration 0004): rows are
only ever appended, in the transaction of the change they record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fusiondesk.core.terms import Entity
from fusiondesk.db.models import ChangeLogEntry
from fusiondesk.db.store.driver import insert_rows

FILTER_COLUMNS = ("entity", "source", "who")
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
    """Append log rows (dicts of LogEntry's fields but `id`), as one statement."""
    insert_rows(session, _LOG.__table__, rows)


def read_entries(session: Session, since: datetime | None = None, app_id: str | None = None,
                 entity: str | None = None, key: str | None = None, source: str | None = None,
                 who: str | None = None, words: tuple[str, ...] = (),
                 limit: int | None = None) -> list[LogEntry]:
    """Log rows matching every filter given, newest first.

    `app_id` selects an app's rows with its reviews'; `entity` with `key` one entity's;
    each of `words` must appear (in any case) in a key, field, value, author or detail.
    """
    query = select(*_COLUMNS)
    if since is not None:
        query = query.where(_LOG.at >= since)
    if app_id:
        query = query.where(_about_app(app_id))
    if key is not None:
        query = query.where(_LOG.entity_key == key)
    for column, value in ((_LOG.entity, entity), (_LOG.source, source), (_LOG.who, who)):
        if value:
            query = query.where(column == value)
    for word in words:
        query = query.where(_mentions(word))
    query = query.order_by(*_NEWEST_FIRST)
    if limit is not None:
        query = query.limit(limit)
    return [LogEntry(*row) for row in session.execute(query)]


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
