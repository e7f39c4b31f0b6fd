"""The classification cached on the app row (tier, reasons, flags…), read and written in bulk.

Cached so the big table can sort and filter by tier and flag in SQL; rewritten on every
edit, import and policy change.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from fusiondesk.core.fields import APP_FIELDS, DATE
from fusiondesk.db.models import App, IntegrationLink
from fusiondesk.db.store.chunks import Scope, chunks
from fusiondesk.db.store.driver import day_as_stored, raw_rows

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


# --- what a policy change can reach (services.classification.what_if) -----------------
# A what-if classifies only the apps whose facts a setting reads differently
# (core.policy_reach); these read those few facts for the whole portfolio.

_DATES = frozenset(f.name for f in APP_FIELDS if f.kind == DATE)


def fact_columns(session: Session, names: tuple[str, ...], low: int | date | None = None,
                 high: int | date | None = None,
                 among: tuple[str, ...] | None = None) -> list[tuple]:
    """(database id, value of each named app field) for every app whose first field is at
    least `low`, below `high` and one of `among` (each when given); dates as dates."""
    table = App.__table__
    query, first = select(table.c.id, *(table.c[n] for n in names)), table.c[names[0]]
    bound = day_as_stored(session) if names[0] in _DATES else _same
    if low is not None:
        query = query.where(first >= bound(low))
    if high is not None:
        query = query.where(first < bound(high))
    if among is not None:
        query = query.where(first.in_(among))
    rows = raw_rows(session, query)  # dates come as ISO text from either database
    dated = [at for at, name in enumerate(names, 1) if name in _DATES]
    if not dated:
        return rows
    return [tuple(_as_day(v) if at in dated else v for at, v in enumerate(row)) for row in rows]


def _same(value: int) -> int:
    return value


@lru_cache(maxsize=65536)  # a portfolio's dates repeat: ~2,000 distinct among 100,000 apps
def _as_day(text: str | None) -> date | None:
    return date.fromisoformat(text[:10]) if text else None


def apps_connected_to(session: Session, systems: list[str]) -> set[int]:
    """The apps with an integration to any of these systems, spelled exactly as stored."""
    link = IntegrationLink.__table__
    found: set[int] = set()
    for group in chunks(systems):
        query = select(link.c.app_id).where(link.c.system.in_(group)).distinct()
        found.update(row[0] for row in raw_rows(session, query))
    return found


def systems_of_apps(session: Session, at_least: int) -> dict[int, list[str]]:
    """The systems (as stored, one per integration) of each app with at least `at_least`
    integrations, by database id."""
    link = IntegrationLink.__table__
    many = select(link.c.app_id).group_by(link.c.app_id).having(func.count() >= at_least)
    query = select(link.c.app_id, link.c.system).where(link.c.app_id.in_(many))
    found: dict[int, list[str]] = {}
    for app_id, system in raw_rows(session, query):
        found.setdefault(app_id, []).append(system)
    return found
