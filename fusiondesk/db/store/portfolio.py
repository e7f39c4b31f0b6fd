"""What a portfolio holds, counted table by table."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fusiondesk.db.models import App, ChangeLogEntry, Ownership, Person, Review, Team

_COUNTED = {"apps": App, "people": Person, "teams": Team, "ownerships": Ownership,
            "reviews": Review, "changes": ChangeLogEntry}


def row_counts(session: Session) -> dict[str, int]:
    """How many apps, people, teams, ownerships, reviews and change-log entries there are."""
    return {name: session.scalar(select(func.count()).select_from(model)) or 0
            for name, model in _COUNTED.items()}
