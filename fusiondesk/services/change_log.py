"""Reading the append-only change log: filtered lists, one entity's history, filter choices.

Writing happens only through `changes.log_changes`, in the same transaction as
the change; the database refuses any UPDATE or DELETE of a log row (migration
0004), so what is read here is what happened.
"""

from __future__ import annotations

from datetime import date, datetime, time

from fusiondesk.core.terms import Entity
from fusiondesk.db.store import Session
from fusiondesk.db.store import change_log as log_store
from fusiondesk.db.store.change_log import LogEntry

__all__ = ["LogEntry", "count_log", "filter_choices", "history", "log_json", "query_log"]


def query_log(session: Session, since: date | datetime | None = None, app_id: str | None = None,
              entity: str | None = None, source: str | None = None, who: str | None = None,
              text: str | None = None, limit: int | None = None) -> list[LogEntry]:
    """Log rows matching every filter given, newest first (`app_id` includes its reviews)."""
    return log_store.read_entries(
        session, since=None if since is None else _start_of(since), app_id=app_id,
        entity=entity, source=source, who=who, words=tuple((text or "").split()), limit=limit)


def history(session: Session, entity: str, key: str, limit: int | None = None) -> list[LogEntry]:
    """Every log row about one app (with its reviews) or one person, newest first."""
    if entity == Entity.APP:
        return query_log(session, app_id=key, limit=limit)
    return log_store.read_entries(session, entity=entity, key=key, limit=limit)


def count_log(session: Session) -> int:
    """How many rows the log holds."""
    return log_store.count_entries(session)


def filter_choices(session: Session) -> dict[str, list[str]]:
    """The distinct entities, sources and authors in the log, for filter menus."""
    return log_store.distinct_values(session)


def log_json(entry: LogEntry) -> dict:
    """A log row as the CLI prints it."""
    return {"id": entry.id, "at": entry.at.isoformat(sep=" "), "who": entry.who,
            "entity": entry.entity, "key": entry.entity_key, "field": entry.field,
            "old": entry.old_value, "new": entry.new_value, "source": entry.source,
            "detail": entry.source_detail}


def _start_of(since: date | datetime) -> datetime:
    return since if isinstance(since, datetime) else datetime.combine(since, time.min)
