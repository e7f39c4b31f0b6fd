"""The classification cached on the app row (tier, possible tier, flags, drift), read and
written in bulk.

Cached so the big table, the Home page and the dashboard sort, filter and count by tier
and flag in SQL; rewritten on every edit and import, for the apps a policy change can
move, and for those the passing days can (services.classification.reclassify). Reasons
and unknowns are not cached: what shows them classifies the app afresh (migration 0017).
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fusiondesk.db.models import App
from fusiondesk.db.store.chunks import Scope
from fusiondesk.db.store.driver import raw_rows, update_by_id

# The cached columns, in the order `cached_classifications` gives them.
CACHED = ("tier", "possible_tier", "flags", "drift")


def cached_classifications(session: Session, scope: Scope) -> dict[int, tuple]:
    """The cached columns (CACHED order) of the apps in `scope`, by database id."""
    table = App.__table__
    columns = [table.c.id, *(table.c[name] for name in CACHED)]
    cached = {}
    for where in scope.groups():
        for row in raw_rows(session, select(*columns).where(where(table.c.id))):
            drift = None if row[4] is None else bool(row[4])
            cached[row[0]] = (*row[1:4], drift)
    return cached


def stored_flags(session: Session, db_id: int) -> list[str]:
    """The warning signs cached on one app, by name."""
    text = session.scalar(select(App.flags).where(App.id == db_id))
    return [name for name in (text or "").split(";") if name]


def stamp_policy_version(session: Session, scope: Scope, version: int) -> None:
    """Record on every app in `scope` the policy version its classification is from."""
    table = App.__table__
    for where in scope.groups():
        session.connection().execute(
            update(table).where(where(table.c.id)).values(policy_version=version))


def store_classifications(session: Session, rows: list[tuple]) -> None:
    """Write classifications given as (*CACHED columns, database id), one executemany."""
    update_by_id(session, App.__table__, CACHED, rows)
