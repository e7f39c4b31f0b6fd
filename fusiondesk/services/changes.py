"""What a use case changed: the unit of undo and of the append-only change log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fusiondesk.core.errors import StaleEdit
from fusiondesk.core.values import format_value
from fusiondesk.db.store import Session
from fusiondesk.db.store.change_log import append_entries
from fusiondesk.db.store.driver import insert_rows


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one entity, before and after (canonical values)."""

    entity: str  # an Entity: app | person | policy | ...
    key: str  # app_id, e-mail, ...
    field: str
    old: Any
    new: Any


@dataclass
class ChangeSet:
    """Everything one action changed, and the versions it left behind (for undo)."""

    changes: list[FieldChange] = field(default_factory=list)
    versions: dict[tuple[str, str], int] = field(default_factory=dict)  # (entity, key) -> version
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
    """Insert many rows of a model's table as one statement (kept for callers not yet on
    `db.store.driver.insert_rows`)."""
    insert_rows(session, model.__table__, rows)


def log_changes(session: Session, changes: list[FieldChange], who: str, source: str,
                detail: str | None = None, at: datetime | None = None) -> int:
    """Append the changes to the change log in the caller's transaction."""
    if not changes:
        return 0
    stamp = at or datetime.now().replace(microsecond=0)
    append_entries(session, [
        {"at": stamp, "who": who, "entity": c.entity, "entity_key": c.key, "field": c.field,
         "old_value": _text(c.field, c.old), "new_value": _text(c.field, c.new),
         "source": source, "source_detail": detail}
        for c in changes
    ])
    return len(changes)


def _text(field_name: str, value: Any) -> str | None:
    if value is None:
        return None
    return format_value(field_name, value)
