"""Duplicate detection's reads (what each app is named, where, with which systems and data)
and the duplicate_decision table."""

from __future__ import annotations

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from fusiondesk.db.models import App, DuplicateDecision
from fusiondesk.db.store.driver import raw_rows

DECISION_FIELDS = ("group_key", "members", "decision", "who", "decided_on", "note", "score")
_DECISION = DuplicateDecision


def candidate_rows(session: Session) -> list[tuple]:
    """Every app as (app_id, name, department, platform, integration summary, data
    categories), read raw: 100,000 rows in a fraction of a second."""
    query = select(App.app_id, App.name, App.department, App.platform,
                   App.integration_summary, App.data_categories)
    return raw_rows(session, query)


def decision_rows(session: Session) -> list[tuple]:
    """Every decision as (id, *DECISION_FIELDS), newest first."""
    query = select(_DECISION.id, *(getattr(_DECISION, f) for f in DECISION_FIELDS))
    query = query.order_by(_DECISION.decided_on.desc(), _DECISION.id.desc())
    return [tuple(row) for row in session.execute(query)]


def insert_decision(session: Session, values: dict, decision_id: int | None = None) -> int:
    """Record a decision; its id (`decision_id` restores one under its old id)."""
    row = dict(values) if decision_id is None else {**values, "id": decision_id}
    return session.execute(insert(_DECISION).values(**row)).inserted_primary_key[0]


def delete_decision(session: Session, decision_id: int) -> None:
    """Remove a decision (undoing it)."""
    session.execute(delete(_DECISION).where(_DECISION.id == decision_id))


def decision_values(session: Session, decision_id: int) -> dict | None:
    """Every column of one decision, for restoring it after an undo."""
    row = session.get(_DECISION, decision_id)
    return None if row is None else {f: getattr(row, f) for f in DECISION_FIELDS}

