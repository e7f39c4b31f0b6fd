"""The review table: reviews read with their app's key and name, and written one or many at a time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Integer, Row, case, cast, delete, func, insert, literal, select, update
from sqlalchemy.orm import Session

from fusiondesk.db.models import App, Review
from fusiondesk.db.store.chunks import chunks
from fusiondesk.db.store.driver import day_as_stored, insert_rows, insert_tuples, raw_rows

# A review's own values, in the order `review_rows` returns them after (id, app_id, app name).
REVIEW_FIELDS = ("type", "requested", "due", "reviewer_email", "outcome", "notes", "completed")

_COLUMNS = (Review.id, App.app_id, App.name, *(getattr(Review, name) for name in REVIEW_FIELDS))
_BY_DUE = (Review.due.is_(None), Review.due, Review.id)  # no due date last
_OPEN = Review.completed.is_(None)


def _rows(session: Session, *where, order=_BY_DUE) -> list[tuple]:
    query = select(*_COLUMNS).join(App, App.id == Review.app_id).where(*where).order_by(*order)
    return [tuple(row) for row in session.execute(query)]


def review_rows(session: Session, review_id: int) -> list[tuple]:
    """The review with this id as (id, app_id, app name, *REVIEW_FIELDS); none when it is gone."""
    return _rows(session, Review.id == review_id)


def open_review_rows(session: Session, reviewer: str | None = None, due_before: date | None = None,
                     due_between: tuple[date, date] | None = None) -> list[tuple]:
    """Reviews not yet completed (of one reviewer, due before a day or on the days from
    one to another, both included), earliest due first."""
    where = [_OPEN]
    if reviewer is not None:
        where.append(Review.reviewer_email == reviewer)
    if due_before is not None:
        where.append(Review.due < due_before)
    if due_between is not None:
        where.append(Review.due.between(*due_between))
    return _rows(session, *where)


def app_review_rows(session: Session, app_db_id: int) -> list[tuple]:
    """Every review of one app, newest request first."""
    return _rows(session, Review.app_id == app_db_id,
                 order=(Review.requested.desc(), Review.id.desc()))


def first_open_review(session: Session, app_db_id: int, kind: str) -> int | None:
    """The id of the app's open review of this type that is due first (undated last), if any."""
    return session.scalar(
        select(Review.id).where(Review.app_id == app_db_id, Review.type == kind, _OPEN)
        .order_by(*_BY_DUE).limit(1))


def has_open_review(session: Session, app_db_id: int, kind: str) -> bool:
    """True when the app has a review of this type not yet completed."""
    return session.scalar(select(Review.id).where(
        Review.app_id == app_db_id, Review.type == kind, _OPEN)) is not None


def review_states(session: Session, app_db_ids: list[int] | None = None) -> Sequence[Row]:
    """(app db id, type, outcome, completed) of every review of these apps (all when None)."""
    query = select(Review.app_id, Review.type, Review.outcome, Review.completed)
    if app_db_ids is None:
        return session.execute(query).all()
    return [row for group in chunks(app_db_ids)
            for row in session.execute(query.where(Review.app_id.in_(group)))]


def insert_reviews(session: Session, rows: list[dict]) -> list[int]:
    """Insert reviews given as column values (app_id: the app's db id); their ids, in order."""
    # RETURNING in parameter order gives each new row's id from one executemany.
    return list(session.scalars(insert(Review).returning(Review.id, sort_by_parameter_order=True),
                                rows))


def insert_review_rows(session: Session, rows: list[tuple], numbered: bool = False) -> None:
    """Insert many reviews as (app db id, type, requested, due), or with `numbered`
    (id, app db id, type, requested, due); no id is read back (an import's bulk path)."""
    if not rows:
        return
    columns = ("app_id", "type", "requested", "due")
    # Column by column, in C: a few distinct days among 100,000s of rows, each converted once
    # (a call per row and day was a third of what writing an import's reviews cost).
    days = _StoredDays(day_as_stored(session))
    *given, requested, due = zip(*rows)
    stored = list(zip(*given, map(days.__getitem__, requested), map(days.__getitem__, due)))
    insert_tuples(session, Review.__table__, ("id", *columns) if numbered else columns, stored)


class _StoredDays(dict):
    """Days in stored form, each converted on first sight."""

    def __init__(self, convert) -> None:
        super().__init__()
        self.convert = convert

    def __missing__(self, day):
        stored = self[day] = self.convert(day)
        return stored


def insert_sample_reviews(session: Session, rows: list[dict]) -> None:
    """Insert reviews given as every column's value (app_id: the app's db id), as one executemany."""
    insert_rows(session, Review.__table__, rows)


def last_review_id(session: Session) -> int:
    """The highest review id (0 when there is none)."""
    return session.scalar(select(func.coalesce(func.max(Review.id), 0)))


def review_ids_by_app(session: Session, first_app: int, last_app: int) -> dict[tuple[int, str], int]:
    """(app db id, type) → review id, for the reviews of the apps with db ids first..last.

    For apps just added, which have one review of a type at most.
    """
    query = select(Review.app_id, Review.type, Review.id).where(
        Review.app_id.between(first_app, last_app))
    return {(app, kind): review_id for app, kind, review_id in raw_rows(session, query)}


def restore_review(session: Session, values: dict, review_id: int) -> int:
    """Insert a review again (after its deletion was undone): under its old id while it is free."""
    taken = session.get(Review, review_id) is not None
    row = {**values, **({} if taken else {"id": review_id})}
    return session.execute(insert(Review).values(**row)).inserted_primary_key[0]


def update_review(session: Session, review_id: int, values: dict) -> None:
    """Set some of a review's values."""
    session.execute(update(Review).where(Review.id == review_id).values(**values))


def delete_review(session: Session, review_id: int) -> None:
    """Remove a review."""
    session.execute(delete(Review).where(Review.id == review_id))


def throughput_rows(session: Session, today: date) -> list[tuple]:
    """Every review as (tier, reviewer, open, days, on time, overdue, how many), alike ones
    counted together by the database (200,000 reviews come back as a few thousand rows).

    `days`: from request to completion for a completed review, from request to `today` for
    an open one (None without a request day); `on time`: completed by its due day (None
    without one); `overdue`: open past its due day.
    """
    sqlite = session.get_bind().dialect.name == "sqlite"

    def days(later, earlier):
        if sqlite:
            return cast(func.julianday(later) - func.julianday(earlier), Integer)
        return later - earlier  # PostgreSQL: a date minus a date is whole days

    is_open = Review.completed.is_(None)
    since = case((is_open, days(literal(today), Review.requested)),
                 else_=days(Review.completed, Review.requested))
    on_time = case((is_open | Review.due.is_(None), None), else_=Review.completed <= Review.due)
    overdue = is_open & Review.due.is_not(None) & (Review.due < today)
    alike = (App.tier, func.lower(Review.reviewer_email), is_open, since, on_time, overdue)
    query = select(*alike, func.count()).join(App, App.id == Review.app_id).group_by(*alike)
    return [tuple(row) for row in session.execute(query)]
