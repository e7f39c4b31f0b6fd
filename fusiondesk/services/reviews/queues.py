"""Reading reviews: one review, an app's reviews, and the queues (mine, overdue, this week)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from fusiondesk.core import clock
from fusiondesk.core.errors import NotFound
from fusiondesk.db.store import Session
from fusiondesk.db.store import reviews as store
from fusiondesk.services.apps.edits import db_id_of
from fusiondesk.services.reviews.milestones import review_key

FIELDS = store.REVIEW_FIELDS


@dataclass(frozen=True)
class ReviewRow:
    """A review as queues and the CLI show it, with its app's key and name."""

    id: int
    app_id: str
    app_name: str
    type: str
    requested: date | None
    due: date | None
    reviewer_email: str | None
    outcome: str | None
    notes: str | None
    completed: date | None

    @property
    def key(self) -> str:
        """The change log's key of this review."""
        return review_key(self.app_id, self.id)

    @property
    def is_open(self) -> bool:
        """Not yet completed."""
        return self.completed is None

    def days_late(self, today: date) -> int:
        """Days past due (0 when on time, completed or without a due date)."""
        if not self.is_open or self.due is None:
            return 0
        return max(0, (today - self.due).days)


def _rows(found: list[tuple]) -> list[ReviewRow]:
    return [ReviewRow(*row) for row in found]


def load_review(session: Session, review_id: int) -> ReviewRow:
    """One review; NotFound when it does not exist."""
    found = _rows(store.review_rows(session, review_id))
    if not found:
        raise NotFound(f"No review with id {review_id}.")
    return found[0]


def open_reviews(session: Session) -> list[ReviewRow]:
    """Every review not yet completed, earliest due first."""
    return _rows(store.open_review_rows(session))


def my_queue(session: Session, reviewer: str | None) -> list[ReviewRow]:
    """Open reviews assigned to `reviewer` (every open review when None), earliest due first."""
    if not reviewer:
        return open_reviews(session)
    return _rows(store.open_review_rows(session, reviewer=reviewer.strip().lower()))


def overdue(session: Session, today: date | None = None) -> list[ReviewRow]:
    """Open reviews whose due day has passed."""
    today = today or clock.today()
    return _rows(store.open_review_rows(session, due_before=today))


def due_this_week(session: Session, today: date | None = None) -> list[ReviewRow]:
    """Open reviews due in the next seven days, today included (overdue ones apart)."""
    today = today or clock.today()
    week = (today, today + timedelta(days=6))
    return _rows(store.open_review_rows(session, due_between=week))


def by_reviewer(session: Session) -> dict[str, list[ReviewRow]]:
    """Open reviews grouped by reviewer e-mail ('' for unassigned), reviewers sorted."""
    groups: dict[str, list[ReviewRow]] = {}
    for row in open_reviews(session):
        groups.setdefault(row.reviewer_email or "", []).append(row)
    return dict(sorted(groups.items()))


def reviews_for_app(session: Session, app_id: str) -> list[ReviewRow]:
    """Every review of one app, newest request first."""
    db_id = db_id_of(session, app_id)
    return _rows(store.app_review_rows(session, db_id))
