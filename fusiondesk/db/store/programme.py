"""The programme's value and delivery, read in one scan of the app table (core.value, core.delivery).

One plain SELECT of the dozen columns the figures read, fetched raw: at 100,000 apps a
GROUP BY over them (or the quarter computed in SQL) cost more than the scan itself, as
nearly every app's ledger differs; the service groups the rows in Python instead.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, and_, case, cast, func, or_, select
from sqlalchemy.orm import Session

from fusiondesk.core.terms import Lifecycle
from fusiondesk.db.models import App
from fusiondesk.db.store.driver import is_sqlite, raw_rows

# What core.value.Ledger reads, in its order.
LEDGER_COLUMNS = (App.hours_saved_per_month, App.minutes_saved_per_run, App.runs_per_month,
                  App.prodev_estimate_hours, App.licence, App.licence_cost_per_month)
# The columns of a programme row, by name: the service reads them through these positions.
ROW_COLUMNS = ("department", "platform", "deployed_on", "requested_on", "tier", "in_service",
               *(column.key for column in LEDGER_COLUMNS), "backlog_item", "lead_days")
# The lifecycles of an app that is saving time now.
SERVING = (Lifecycle.PILOT.value, Lifecycle.PRODUCTION.value)


def in_service():
    """Apps in pilot or production, or with no lifecycle recorded but a deployment date."""
    return or_(App.lifecycle.in_(SERVING),
               and_(App.lifecycle.is_(None), App.deployed_on.is_not(None)))


def programme_rows(session: Session, first: date | None = None,
                   last: date | None = None) -> list[tuple]:
    """(department, platform, deployed on, requested on, tier, in service, *ledger, absorbed a
    backlog item, days from request to deployment) of every app in service or deployed; only
    those deployed between `first` and `last` when given. Dates come as the driver gives them
    (text on SQLite); the days are the database's own date arithmetic (None without both)."""
    serving = case((in_service(), 1), else_=0)
    backlog = case((App.it_backlog_item.is_not(None) & (App.it_backlog_item != ""), 1), else_=0)
    statement = (select(App.department, App.platform, App.deployed_on, App.requested_on,
                        App.tier, serving, *LEDGER_COLUMNS, backlog,
                        _days_between(session, App.deployed_on, App.requested_on))
                 .where(in_service() | App.deployed_on.is_not(None),
                        *_deployed_within(first, last)))
    return raw_rows(session, statement)


def _deployed_within(first: date | None, last: date | None) -> tuple:
    if first is None or last is None:
        return ()
    return (App.deployed_on >= first, App.deployed_on <= last)


def _days_between(session: Session, later, earlier):
    """Whole days from `earlier` to `later` (NULL when either is unknown)."""
    if is_sqlite(session):
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return later - earlier  # PostgreSQL: date - date is an integer of days
