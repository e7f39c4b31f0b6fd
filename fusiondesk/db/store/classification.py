"""The classification cached on the app row (tier, reasons, flags…), read and written in bulk.

Cached so the big table can sort and filter by tier and flag in SQL; rewritten on every
edit, import and policy change.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from fusiondesk.db.models import App
from fusiondesk.db.store.chunks import Scope
from fusiondesk.db.store.driver import raw_rows

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


def store_classifications(session: Session, rows: list[dict]) -> None:
    """Write classifications given as {"_id": database id, column: value…}, one executemany."""
    if not rows:
        return
    # bound names must differ from the column names
    statement = (
        update(App.__table__)
        .where(App.__table__.c.id == bindparam("b__id"))
        .values({name: bindparam(f"b_{name}") for name in rows[0] if name != "_id"})
    )
    session.connection().execute(statement, [{f"b_{k}": v for k, v in r.items()} for r in rows])


def app_tiers(session: Session) -> dict[int, int | None]:
    """Every app's cached tier, by database id."""
    return dict(session.execute(select(App.id, App.tier)).all())
