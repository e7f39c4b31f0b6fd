"""The Home page's counts: one scan of the app table, and the people leaving soon.

At 100,000 apps the Dashboard's grouped counts (by department, then by flag
combination) take about a second; Home needs only tiers, drift and three warning
signs, which one pass over the table gives in about half that.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from fusiondesk.db.models import App, Ownership
from fusiondesk.db.store.app_table import leavers_between
from fusiondesk.db.store.driver import raw_rows


def tier_counts(session: Session, signs: Sequence[str]) -> list[tuple]:
    """(tier, apps, drifted, then apps carrying each of `signs`) per computed tier, in one scan."""
    # The same padded match as the Portfolio's warning-sign filter (app_table), so a
    # count here is the number of rows that filter shows.
    padded = ";" + App.flags + ";"
    columns = [App.tier, func.count(), _how_many(App.drift.is_(True))]
    columns += [_how_many(padded.contains(f";{sign};")) for sign in signs]
    return raw_rows(session, select(*columns).group_by(App.tier))


def _how_many(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def leaving_between(session: Session, first: date, last: date) -> tuple[int, int]:
    """(people, apps they own, each once) of those marked leaving with a leave date in [first, last]."""
    leaving = leavers_between(first, last)  # one definition with the Portfolio's filter
    people = session.scalar(select(func.count()).select_from(leaving.subquery())) or 0
    # IN (leavers) lets SQLite walk the ownership index from the leavers, not scan it.
    owned = select(func.count(func.distinct(Ownership.app_id))).where(Ownership.person_id.in_(leaving))
    return people, session.scalar(owned) or 0
