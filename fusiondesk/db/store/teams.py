"""The team table, by name: what an import or a sample adds in bulk."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from fusiondesk.db.models import Team


def team_ids_by_name(session: Session) -> dict[str, int]:
    """Every team's database id, by name."""
    return dict(session.execute(select(Team.name, Team.id)).all())


def insert_teams(session: Session, teams: Iterable[tuple[str, str | None]]) -> dict[str, int]:
    """Add the teams, given as (name, department), not yet known; returns name → database id."""
    known = team_ids_by_name(session)
    rows = [{"name": name, "department": dept} for name, dept in teams if name not in known]
    if rows:  # an empty list would run the insert once, with no values
        session.connection().execute(Team.__table__.insert(), rows)
    return team_ids_by_name(session)
