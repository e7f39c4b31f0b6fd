"""The portfolio's ownership measures, each defined once.

The Dashboard, the Ownership page, the command line and the audit workbook all count
with these, so a figure never differs between them: apps with no active owner and
single-owner apps are counted among the apps in service (a retired app needs no owner),
the abandonment rate is the first over those, an upcoming leaver is someone marked
leaving whose leave date is today or within the window (never someone already gone), and
a review is overdue while it is open after its due day.
"""

from __future__ import annotations

from datetime import date, timedelta

from fusiondesk.core.terms import Lifecycle, PersonStatus

ABANDONMENT_TARGET = 0.10  # mature programmes keep apps with no active owner under 10%
LEAVER_HORIZON_DAYS = 90  # how far ahead "upcoming" leavers are looked for


def in_service(lifecycle: str | None) -> bool:
    """Whether an app counts in the ownership measures (every app but a retired one)."""
    return lifecycle != Lifecycle.RETIRED


def abandonment_rate(no_active_owner: int, apps_in_service: int) -> float:
    """The share of apps in service with no active owner (0 for an empty portfolio)."""
    return no_active_owner / apps_in_service if apps_in_service else 0.0


def within_abandonment_target(rate: float) -> bool:
    """True when the abandonment rate is under the 10% a mature programme keeps."""
    return rate < ABANDONMENT_TARGET


def leaver_window(today: date) -> tuple[date, date]:
    """The first and last leave date (both inclusive) of an upcoming leaver."""
    return today, today + timedelta(days=LEAVER_HORIZON_DAYS)


def is_upcoming_leaver(status: str | None, leave_date: date | None, today: date) -> bool:
    """Marked leaving, with a leave date today or later within the window."""
    first, last = leaver_window(today)
    return status == PersonStatus.LEAVING and leave_date is not None and first <= leave_date <= last


def is_overdue_review(due: date | None, completed: date | None, today: date) -> bool:
    """An open review whose due day has passed (due today is not yet overdue)."""
    return completed is None and due is not None and due < today
