"""What a use case changed: the unit of undo and of the append-only change log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from fusiondesk.core.errors import StaleEdit
from fusiondesk.core.values import format_value
from fusiondesk.db.models import ChangeLogEntry

CREATED = "(created)"
DELETED = "(deleted)"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one entity, before and after (canonical values)."""

    entity: str  # app | person | policy | ...
    key: str  # app_id, e-mail, ...
    field: str
    old: Any
    new: Any


@dataclass
class ChangeSet:
    """Everything one action changed, and the versions it left behind (for undo)."""

    changes: list[FieldChange] = field(default_factory=list)
    versions: dict[tuple[str, int], int] = field(default_factory=dict)  # (entity, db id) -> version
    snapshots: dict[str, Any] = field(default_factory=dict)  # what deleting removed, for undo

    def __bool__(self) -> bool:
        return bool(self.changes) or bool(self.snapshots)

    def extend(self, other: "ChangeSet") -> None:
        """Fold another change set into this one."""
        self.changes.extend(other.changes)
        self.versions.update(other.versions)
        self.snapshots.update(other.snapshots)

    def keys(self, entity: str) -> list[str]:
        """The keys of the entities of one kind this change touched."""
        return list(dict.fromkeys(c.key for c in self.changes if c.entity == entity))


def stale_edit(subject: str, current: dict, attempted: dict, specs: dict) -> StaleEdit:
    """The refusal of an edit made on a stale copy, naming both values of each field."""
    conflicts = [(k, current.get(k), v) for k, v in attempted.items()]
    lines = [
        f"{specs[k].label}: now '{format_value(k, theirs)}', yours '{format_value(k, yours)}'"
        for k, theirs, yours in conflicts if k in specs
    ]
    return StaleEdit(
        f"{subject} was changed by someone else while you were editing it; your edit was not "
        "saved. " + "; ".join(lines) + ". Reload and make your change again.",
        conflicts,
    )


def executemany(session: Session, model, rows: list[dict]) -> None:
    """Insert many rows as one Core executemany.

    An ORM-entity insert with a list of dicts falls back to one statement per row
    when values differ in which keys are None; the table's own insert never does.
    """
    if rows:  # an empty list would run the insert once, with no values
        session.connection().execute(model.__table__.insert(), rows)


def log_changes(session: Session, changes: list[FieldChange], who: str, source: str,
                detail: str | None = None, at: datetime | None = None) -> int:
    """Append the changes to the change log in the caller's transaction."""
    if not changes:
        return 0
    stamp = at or datetime.now().replace(microsecond=0)
    rows = [
        {"at": stamp, "who": who, "entity": c.entity, "entity_key": c.key, "field": c.field,
         "old_value": _text(c.field, c.old), "new_value": _text(c.field, c.new),
         "source": source, "source_detail": detail}
        for c in changes
    ]
    executemany(session, ChangeLogEntry, rows)
    return len(rows)


def _text(field_name: str, value: Any) -> str | None:
    if value is None:
        return None
    return format_value(field_name, value)
