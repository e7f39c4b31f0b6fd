"""The classification cached on the app row (tier, reasons, flags…), read and written in bulk.

Cached so the big table can sort and filter by tier and flag in SQL; rewritten on every
edit, import and policy change.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fusiondesk.db.models import App
from fusiondesk.db.store.chunks import Scope
from fusiondesk.db.store.driver import raw_rows, update_by_id

# The cached columns, in the order `cached_classifications` gives them.
CACHED = ("tier", "possible_tier", "tier_reasons", "unknowns", "flags", "drift")


def cached_classifications(session: Session, scope: Scope) -> dict[int, tuple]:
    """The cached columns (CACHED order) of the apps in `scope`, by database id."""
    table = App.__table__
    columns = [table.c.id, *(table.c[name] for name in CACHED)]
    cached = {}
    for where in scope.groups():
        for row in raw_rows(session, select(*columns).where(where(table.c.id))):
            drift = None if row[6] is None else bool(row[6])
            cached[row[0]] = (*row[1:6], drift)
    return cached


def stamp_policy_version(session: Session, scope: Scope, version: int) -> None:
    """Record on every app in `scope` the policy version its classification is from."""
    table = App.__table__
    for where in scope.groups():
        session.connection().execute(
            update(table).where(where(table.c.id)).values(policy_version=version))


def store_classifications(session: Session, rows: list[tuple]) -> None:
    """Write classifications given as (*CACHED columns, database id), one executemany."""
    update_by_id(session, App.__table__, CACHED, rows)


def app_tiers(session: Session) -> dict[int, int | None]:
    """Every app's cached tier, by database id."""
    return dict(session.execute(select(App.id, App.tier)).all())
