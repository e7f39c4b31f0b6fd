"""Reading the append-only change log: filtered lists, one entity's history, filter choices.

Writing happens only through `changes.log_changes`, in the same transaction as
the change; the database refuses any UPDATE or DELETE of a log row (migration
0004), so what is read here is what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fusiondesk.core.terms import Entity
from fusiondesk.db.models import ChangeLogEntry

APP_ENTITY, REVIEW_ENTITY = Entity.APP, Entity.REVIEW
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


def query_log(session: Session, since: date | datetime | None = None, app_id: str | None = None,
              entity: str | None = None, source: str | None = None, who: str | None = None,
              text: str | None = None, limit: int | None = None) -> list[LogEntry]:
    """Log rows matching every filter given, newest first (`app_id` includes its reviews)."""
    query = select(*_COLUMNS)
    if since is not None:
        query = query.where(_LOG.at >= _start_of(since))
    if app_id:
        query = query.where(_about_app(app_id))
    for column, value in ((_LOG.entity, entity), (_LOG.source, source), (_LOG.who, who)):
        if value:
            query = query.where(column == value)
    for word in (text or "").split():
        query = query.where(_mentions(word))
    query = query.order_by(*_NEWEST_FIRST)
    if limit is not None:
        query = query.limit(limit)
    return [LogEntry(*row) for row in session.execute(query)]


def history(session: Session, entity: str, key: str, limit: int | None = None) -> list[LogEntry]:
    """Every log row about one app (with its reviews) or one person, newest first."""
    if entity == APP_ENTITY:
        return query_log(session, app_id=key, limit=limit)
    query = select(*_COLUMNS).where(_LOG.entity == entity, _LOG.entity_key == key)
    query = query.order_by(*_NEWEST_FIRST)
    if limit is not None:
        query = query.limit(limit)
    return [LogEntry(*row) for row in session.execute(query)]


def count_log(session: Session) -> int:
    """How many rows the log holds."""
    return session.scalar(select(func.count()).select_from(_LOG)) or 0


def filter_choices(session: Session) -> dict[str, list[str]]:
    """The distinct entities, sources and authors in the log, for filter menus."""
    return {name: sorted(session.scalars(select(getattr(_LOG, name)).distinct()))
            for name in FILTER_COLUMNS}


def log_json(entry: LogEntry) -> dict:
    """A log row as the CLI prints it."""
    return {"id": entry.id, "at": entry.at.isoformat(sep=" "), "who": entry.who,
            "entity": entry.entity, "key": entry.entity_key, "field": entry.field,
            "old": entry.old_value, "new": entry.new_value, "source": entry.source,
            "detail": entry.source_detail}


def _start_of(since: date | datetime) -> datetime:
    return since if isinstance(since, datetime) else datetime.combine(since, time.min)


def _about_app(app_id: str):
    # A review's key is 'APP_ID#REVIEW_ID': keys from 'APP_ID#' up to 'APP_ID$' ('$'
    # follows '#'), a range the (entity, entity_key) index answers, where LIKE would scan.
    return or_(
        (_LOG.entity == APP_ENTITY) & (_LOG.entity_key == app_id),
        (_LOG.entity == REVIEW_ENTITY) & (_LOG.entity_key >= app_id + "#")
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
