"""The policy table: every version of the governance policy, as JSON; the newest is in force."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from fusiondesk.db.models import PolicyRecord


def newest_policy(session: Session) -> tuple[int, str] | None:
    """(version, JSON body) of the newest stored policy, or None for a new portfolio."""
    found = session.execute(select(PolicyRecord.version, PolicyRecord.body)
                            .order_by(PolicyRecord.version.desc()).limit(1)).first()
    return None if found is None else (found[0], found[1])


def add_policy(session: Session, version: int, body: str, at: datetime, who: str) -> None:
    """Store a new policy version, in the caller's transaction."""
    session.add(PolicyRecord(version=version, body=body, changed_at=at, changed_by=who))
    session.flush()
