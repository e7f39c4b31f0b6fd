"""The few facts a policy change or the passing days can reach, read narrowly
(services.classification.reach).

A what-if, a policy change and the day's refresh classify only the apps whose facts a
setting or a day reads differently (core.policy_reach): these read those facts narrowly,
most of them filtered in SQL, so deciding which apps to classify costs a fraction of
loading them.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fusiondesk.core.fields import APP_FIELDS, DATE
from fusiondesk.db.models import App, IntegrationLink, Ownership, PersonCertification, Review
from fusiondesk.db.store.chunks import chunks
from fusiondesk.db.store.driver import day_as_stored, raw_rows

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


def apps_falling_due(session: Session, low: date, high: date) -> set[int]:
    """The apps with an open review due, or a person among their owners (not through a
    team) holding a certificate that expires, on or after `low` and before `high`."""
    review, own, held = Review.__table__, Ownership.__table__, PersonCertification.__table__
    bound = day_as_stored(session)
    reviews = (select(review.c.app_id)
               .where(review.c.completed.is_(None), review.c.due >= bound(low),
                      review.c.due < bound(high)))
    certificates = (select(own.c.app_id).join(held, held.c.person_id == own.c.person_id)
                    .where(held.c.expires >= bound(low), held.c.expires < bound(high)))
    return {row[0] for row in raw_rows(session, reviews.union(certificates))}
