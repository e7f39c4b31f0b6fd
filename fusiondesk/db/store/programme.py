"""The programme's value and delivery, read as grouped rows (core.value, core.delivery).

Apps alike in everything the figures read come back as one row with their count, and the
delivery quarter is computed by the database, so 100,000 apps cost one scan for the value
ledger and one for delivery, and far fewer rows than apps cross into Python.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, String, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session

from fusiondesk.core.terms import Lifecycle
from fusiondesk.db.models import App
from fusiondesk.db.store.driver import is_sqlite, raw_rows

# What core.value.Ledger reads, in its order.
LEDGER_COLUMNS = (App.hours_saved_per_month, App.minutes_saved_per_run, App.runs_per_month,
                  App.prodev_estimate_hours, App.licence, App.licence_cost_per_month)
# The lifecycles of an app that is saving time now.
SERVING = (Lifecycle.PILOT.value, Lifecycle.PRODUCTION.value)


def in_service():
    """Apps in pilot or production, or with no lifecycle recorded but a deployment date."""
    return or_(App.lifecycle.in_(SERVING),
               and_(App.lifecycle.is_(None), App.deployed_on.is_not(None)))


def ledger_rows(session: Session, first: date | None = None,
                last: date | None = None) -> list[tuple]:
    """(department, platform, delivery quarter, *ledger, absorbed a backlog item, apps) of the
    apps in service, grouped; only those deployed between `first` and `last` when given."""
    quarter = _quarter(session, App.deployed_on)
    backlog = case((App.it_backlog_item.is_not(None) & (App.it_backlog_item != ""), 1), else_=0)
    keys = (App.department, App.platform, quarter, *LEDGER_COLUMNS, backlog)
    statement = select(*keys, func.count()).where(in_service(), *_deployed_within(first, last))
    return raw_rows(session, statement.group_by(*keys))


def delivery_rows(session: Session, first: date | None = None,
                  last: date | None = None) -> list[tuple]:
    """(delivery quarter, tier, days from request to deployment or None, absorbed a backlog
    item, apps) of every app with a deployment date (between `first` and `last` when given)."""
    quarter = _quarter(session, App.deployed_on)
    days = _days_between(session, App.deployed_on, App.requested_on)
    backlog = case((App.it_backlog_item.is_not(None) & (App.it_backlog_item != ""), 1), else_=0)
    keys = (quarter, App.tier, days, backlog)
    statement = (select(*keys, func.count())
                 .where(App.deployed_on.is_not(None), *_deployed_within(first, last)))
    return raw_rows(session, statement.group_by(*keys))


def _deployed_within(first: date | None, last: date | None) -> tuple:
    if first is None or last is None:
        return ()
    return (App.deployed_on >= first, App.deployed_on <= last)


def _quarter(session: Session, day):
    """'2026-Q3' for a date column, in this database's own date functions (None for NULL)."""
    if is_sqlite(session):
        month = cast(func.strftime("%m", day, type_=String), Integer)
        return func.strftime("%Y", day, type_=String).concat("-Q").concat(
            cast((month + 2) // 3, String))
    return func.to_char(day, 'YYYY-"Q"Q', type_=String)


def _days_between(session: Session, later, earlier):
    """Whole days from `earlier` to `later` (NULL when either is unknown)."""
    if is_sqlite(session):
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return later - earlier  # PostgreSQL: date - date is an integer of days
