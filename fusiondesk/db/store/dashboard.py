"""The dashboard's counts: GROUP BY queries over apps, owners, people and reviews.

Each returns a few grouped rows, never app objects, so the dashboard of 100,000 apps
costs a few scans. The worker thread counting them competes for the GIL with the GUI
thread drawing the charts, so the queries keep the rows fetched few (see each one).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Integer, Row, String, case, cast, func, select
from sqlalchemy.orm import Session

from fusiondesk.core.measures import leaver_window
from fusiondesk.core.terms import ACTIVE_STATUSES, Lifecycle, PersonStatus
from fusiondesk.db.models import App, Ownership, Person, Review
from fusiondesk.db.store.driver import is_sqlite, raw_rows


def portfolio_shape(session: Session) -> list[tuple]:
    """(drift, tier, department, apps) for every combination present, from a single scan."""
    # drift leads the GROUP BY so SQLite scans the table once instead of walking the
    # department index and looking every row up (3x slower at 100k apps).
    columns = (App.drift, App.tier, App.department)
    return raw_rows(session, select(*columns, func.count()).group_by(*columns))


def platform_counts(session: Session) -> dict[str | None, int]:
    """Apps per platform (None: not recorded)."""
    # Counted from the platform index alone: a few milliseconds at 100k apps.
    return dict(raw_rows(session, select(App.platform, func.count()).group_by(App.platform)))


def apps_in_service(session: Session) -> int:
    """How many apps the ownership measures count (core.measures.in_service: all but retired)."""
    retired = App.lifecycle == Lifecycle.RETIRED
    return session.scalar(select(func.count()).where(App.lifecycle.is_(None) | ~retired)) or 0


def flag_combinations(session: Session) -> list[tuple[str, int]]:
    """(stored flags text, apps) for each distinct combination of warning signs."""
    # Apps share a few thousand distinct flag combinations: group on the stored text.
    # The groups come back joined into one string: each row fetched on the worker thread
    # must win the GIL back from the GUI thread drawing the charts, and thousands of rows
    # made that slower than the counting.
    combos = (select(App.flags.label("flags"), func.count().label("n"))
              .where(App.flags.is_not(None), App.flags != "").group_by(App.flags).subquery())
    entry = combos.c.flags + "=" + cast(combos.c.n, String)
    joined = session.scalar(select(func.aggregate_strings(entry, "|"))) or ""
    found = []
    for combo in filter(None, joined.split("|")):
        text, n = combo.rsplit("=", 1)
        found.append((text, int(n)))
    return found


def top_owners(session: Session, limit: int) -> list[tuple[str, str | None, int]]:
    """(email, name, apps owned) of the `limit` people still here who own the most apps."""
    # Ownership rows per person come from the person index alone; they overcount only
    # when one person holds two roles on an app. So: the exact count of the `limit`
    # people with most rows gives a floor, and exact counts are taken only for people
    # whose rows reach it. Ranking happens in SQL: the worker thread fetches ~10 rows,
    # not one per person, which matters while the GUI thread holds the GIL drawing.
    rows = func.count()
    staying = Ownership.person_id.in_(select(Person.id).where(Person.status.in_(ACTIVE_STATUSES)))
    by_rows = select(Ownership.person_id).where(staying).group_by(Ownership.person_id)
    first = by_rows.order_by(rows.desc()).limit(limit)
    floor = session.scalar(select(func.min(_exact_apps(first).c.apps))) or 0
    exact = _exact_apps(by_rows.having(rows >= floor))
    statement = (select(Person.email, Person.name, exact.c.apps)
                 .join(exact, Person.id == exact.c.person_id)
                 .order_by(exact.c.apps.desc(), Person.email).limit(limit))
    return [tuple(row) for row in raw_rows(session, statement)]


def _exact_apps(people):
    """(person_id, apps): distinct apps owned by each of `people` (a SELECT of person ids)."""
    apps = func.count(func.distinct(Ownership.app_id)).label("apps")
    return (select(Ownership.person_id, apps).where(Ownership.person_id.in_(people))
            .group_by(Ownership.person_id).subquery())


def upcoming_leavers(session: Session, today: date, limit: int) -> tuple[int, int, list[tuple]]:
    """The upcoming leavers (core.measures: marked leaving, leave date in the window): how
    many, the apps they own, and (email, name, leave date, apps) of the `limit` owning most."""
    first, last = leaver_window(today)
    leaving = select(Person.id).where(Person.status == PersonStatus.LEAVING,
                                      Person.leave_date >= first, Person.leave_date <= last)
    people = session.scalar(select(func.count()).select_from(leaving.subquery())) or 0
    # IN (leavers) lets SQLite walk the ownership index from the leavers, not scan it.
    owned = func.count(func.distinct(Ownership.app_id))
    affected = session.scalar(select(owned).where(Ownership.person_id.in_(leaving))) or 0
    statement = (select(Person.email, Person.name, Person.leave_date, owned)
                 .join(Ownership, Ownership.person_id == Person.id)
                 .where(Person.id.in_(leaving)).group_by(Person.id)
                 .order_by(owned.desc(), Person.leave_date, Person.email)
                 .limit(limit))
    return people, affected, [tuple(row) for row in session.execute(statement)]


def next_due_counts(session: Session) -> Sequence[Row]:
    """(due day, apps) by the day each app's next open review is due (apps with one only)."""
    next_due = (select(Review.app_id, func.min(Review.due).label("due"))
                .where(Review.completed.is_(None), Review.due.is_not(None))
                .group_by(Review.app_id).subquery())
    return session.execute(select(next_due.c.due, func.count()).group_by(next_due.c.due)).all()


def completed_reviews(session: Session) -> list[tuple]:
    """(tier, days from request to completion, completed by its due day, reviews) of every
    completed review, alike ones counted together: a few hundred rows at 100,000 apps.

    `days` is None without a request day, `on time` None without a due day, as in
    `reviews.throughput_rows`; the dashboard needs no reviewer of a completed review, so
    its rows are fewer than a hundredth of those (which cost it a second at 100k apps).
    """
    days = _days_between(session, Review.completed, Review.requested)
    on_time = case((Review.due.is_(None), None), else_=Review.completed <= Review.due)
    alike = (App.tier, days, on_time)
    statement = (select(*alike, func.count()).join(App, App.id == Review.app_id)
                 .where(Review.completed.is_not(None)).group_by(*alike))
    return raw_rows(session, statement)


def open_reviews_by_reviewer(session: Session, today: date) -> list[tuple]:
    """(reviewer's e-mail in lower case or None, open reviews, of them overdue): one row per
    reviewer with open reviews (overdue: past its due day, core.measures)."""
    reviewer = func.lower(Review.reviewer_email)
    overdue = func.sum(case((Review.due < today, 1), else_=0))
    statement = (select(reviewer, func.count(), overdue)
                 .where(Review.completed.is_(None)).group_by(reviewer))
    return [tuple(row) for row in session.execute(statement)]


def lead_time_counts(session: Session) -> list[tuple]:
    """(days from request to deployment, tier, apps) of the apps with both dates."""
    days = _days_between(session, App.deployed_on, App.requested_on)
    statement = (select(days, App.tier, func.count())
                 .where(App.deployed_on.is_not(None), App.requested_on.is_not(None))
                 .group_by(days, App.tier))
    return raw_rows(session, statement)


def deployments_by_day(session: Session) -> list[tuple]:
    """(deployment day, apps deployed that day): a few thousand rows at 100,000 apps."""
    statement = (select(App.deployed_on, func.count()).where(App.deployed_on.is_not(None))
                 .group_by(App.deployed_on))
    return [tuple(row) for row in session.execute(statement)]


def _days_between(session: Session, later, earlier):
    """Whole days from `earlier` to `later`, in this database's own date arithmetic."""
    if is_sqlite(session):
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return later - earlier  # PostgreSQL: date - date is an integer of days
