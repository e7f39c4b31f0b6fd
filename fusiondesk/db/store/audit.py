"""What the audits read: the change log since the last audit, and the workbook's sheets of rows.

Change-log ids only grow (rows are never deleted), so "since the last audit" is every
row after the newest id it saw: that cuts exactly where timestamps, kept to the
second, cannot. The workbook's sheets are streamed in the order they are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fusiondesk.db.models import App, ChangeLogEntry, Ownership, Person, Review, Team
from fusiondesk.db.store.driver import raw_rows

_LOG = ChangeLogEntry


def newest_log_id(session: Session) -> int:
    """The id of the newest change-log row (0 for an empty log)."""
    return session.scalar(select(func.max(_LOG.id))) or 0


def logged_keys_since(session: Session, seen: int, entity: str, field: str,
                      new_value: str) -> set[str]:
    """Keys of the `entity`s whose `field` was set to `new_value` after log row `seen`."""
    query = select(_LOG.entity_key).where(
        _LOG.entity == entity, _LOG.field == field, _LOG.new_value == new_value, _LOG.id > seen)
    return set(session.scalars(query))


def logged_changes_since(session: Session, seen: int, entity: str,
                         field: str) -> list[tuple[str, str | None, str | None, str]]:
    """(key, old, new, who) of every change of an entity's `field` after log row `seen`, in order."""
    query = select(_LOG.entity_key, _LOG.old_value, _LOG.new_value, _LOG.who).where(
        _LOG.entity == entity, _LOG.field == field, _LOG.id > seen).order_by(_LOG.id)
    return [tuple(row) for row in session.execute(query)]


def changes_by_source_since(session: Session, seen: int, excluded: str) -> dict[str, int]:
    """Change-log rows after log row `seen` per source (but `excluded`), sources sorted."""
    query = (select(_LOG.source, func.count()).where(_LOG.source != excluded, _LOG.id > seen)
             .group_by(_LOG.source).order_by(_LOG.source))
    return dict(session.execute(query).all())


def names_with_status(session: Session, emails: Iterable[str], status: str) -> dict[str, str | None]:
    """email -> name of those of these people whose status is `status`."""
    query = select(Person.email, Person.name).where(Person.email.in_(list(emails)),
                                                    Person.status == status)
    return dict(session.execute(query).all())


def app_ids_by_db_id(session: Session) -> dict[int, str]:
    """Every app's key (app_id), by database id."""
    return dict(session.execute(select(App.id, App.app_id)).all())


def review_sheet_rows(session: Session) -> list[tuple]:
    """(app_id, name, type, requested, due, reviewer, outcome, completed, notes) of every
    review, by app, then due day."""
    statement = (
        select(App.app_id, App.name, Review.type, Review.requested, Review.due,
               Review.reviewer_email, Review.outcome, Review.completed, Review.notes)
        .join(App, Review.app_id == App.id).order_by(App.app_id, Review.due, Review.id))
    return _with_dates(raw_rows(session, statement), (3, 4, 7))


def ownership_sheet_rows(session: Session) -> list[tuple]:
    """(app_id, name, role, person's e-mail, team's name, status, leave date) of every
    ownership, by app, then role."""
    statement = (
        select(App.app_id, App.name, Ownership.role, Person.email, Team.name, Person.status,
               Person.leave_date)
        .join(App, Ownership.app_id == App.id)
        .outerjoin(Person, Ownership.person_id == Person.id)
        .outerjoin(Team, Ownership.team_id == Team.id)
        .order_by(App.app_id, Ownership.role, Person.email, Team.name))
    return _with_dates(raw_rows(session, statement), (6,))


def _with_dates(rows: list[tuple], columns: tuple[int, ...]) -> list[tuple]:
    # The sheets' 221,000 reviews and 230,000 ownerships at 100,000 apps are read straight
    # from the driver (SQLAlchemy's row processing took a second each); its ISO day texts
    # become dates here, as the Date columns would have made them.
    def row_with_dates(row: tuple) -> tuple:
        values = list(row)
        for column in columns:
            if values[column] is not None:
                values[column] = date.fromisoformat(values[column])
        return tuple(values)

    return [row_with_dates(row) for row in rows]


def change_log_sheet_rows(session: Session) -> Iterator[tuple]:
    """(at, who, entity, key, field, old, new, source, detail) of every change, oldest first."""
    statement = select(_LOG.at, _LOG.who, _LOG.entity, _LOG.entity_key, _LOG.field,
                       _LOG.old_value, _LOG.new_value, _LOG.source,
                       _LOG.source_detail).order_by(_LOG.id)
    return iter(session.execute(statement))
