"""The escalation_case table: cases read with their app's key and name, written one at a time;
and the policy changes a lesson can be linked to (read from the change log)."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from fusiondesk.core.terms import Entity, EscalationStage
from fusiondesk.db.models import App, ChangeLogEntry, EscalationCase

# A case's own values, in the order `case_rows` returns them after (id, app_id, app name).
CASE_FIELDS = ("trigger", "reason", "owner", "stage", "partner_email", "rebuild", "outcome",
               "lesson", "policy_change", "recognised_on", "partnered_on", "decided_on",
               "closed_on")
_CASE = EscalationCase
_COLUMNS = (_CASE.id, App.app_id, App.name, *(getattr(_CASE, name) for name in CASE_FIELDS))
_NEWEST_FIRST = (_CASE.recognised_on.desc(), _CASE.id.desc())


def case_rows(session: Session, *, case_id: int | None = None, app_db_id: int | None = None,
              open_only: bool | None = None, stage: str | None = None,
              words: tuple[str, ...] = ()) -> list[tuple]:
    """Cases as (id, app_id, app name, *CASE_FIELDS), newest first, matching every filter:
    `open_only` True for open cases, False for closed ones; each of `words` must appear (in
    any case) in the lesson, the outcome, the rebuild decision, the reason or the app's name."""
    where = []
    if case_id is not None:
        where.append(_CASE.id == case_id)
    if app_db_id is not None:
        where.append(_CASE.app_id == app_db_id)
    if open_only is not None:
        closed = _CASE.stage == EscalationStage.CLOSED
        where.append(~closed if open_only else closed)
    if stage:
        where.append(_CASE.stage == stage)
    where.extend(_mentions(word) for word in words)
    query = select(*_COLUMNS).join(App, App.id == _CASE.app_id).where(*where)
    return [tuple(row) for row in session.execute(query.order_by(*_NEWEST_FIRST))]


def _mentions(word: str):
    pattern = f"%{word.lower()}%"
    return or_(*(func.lower(column).like(pattern) for column in
                 (_CASE.lesson, _CASE.outcome, _CASE.rebuild, _CASE.reason, App.name)))


def open_case_count(session: Session) -> int:
    """How many cases are not yet closed."""
    return session.scalar(select(func.count()).select_from(_CASE)
                          .where(_CASE.stage != EscalationStage.CLOSED))


def insert_case(session: Session, values: dict, case_id: int | None = None) -> int:
    """Add a case (app_id: the app's db id); its id. `case_id` restores one under its old id."""
    row = dict(values) if case_id is None else {**values, "id": case_id}
    return session.execute(insert(_CASE).values(**row)).inserted_primary_key[0]


def update_case(session: Session, case_id: int, values: dict) -> None:
    """Set some of a case's values."""
    session.execute(update(_CASE).where(_CASE.id == case_id).values(**values))


def delete_case(session: Session, case_id: int) -> None:
    """Remove a case (undoing its opening)."""
    session.execute(delete(_CASE).where(_CASE.id == case_id))


def case_values(session: Session, case_id: int) -> dict | None:
    """Every column of one case (app_id: the db id), for restoring it after an undo."""
    row = session.get(_CASE, case_id)
    if row is None:
        return None
    return {name: getattr(row, name) for name in ("app_id", *CASE_FIELDS)}


def policy_changes(session: Session, limit: int = 50) -> list[tuple[str, object, str, str]]:
    """The newest policy saves as (change id, when, who, settings changed), newest first."""
    log = ChangeLogEntry
    query = (select(log.change_id, func.max(log.at), func.max(log.who),
                    func.group_concat(log.field, ", ") if _sqlite(session)
                    else func.string_agg(log.field, ", "))
             .where(log.entity == Entity.POLICY, log.change_id.is_not(None))
             .group_by(log.change_id).order_by(func.max(log.id).desc()).limit(limit))
    return [tuple(row) for row in session.execute(query)]


def policy_change_exists(session: Session, change_id: str) -> bool:
    """True when a change with this id saved the policy."""
    log = ChangeLogEntry
    return session.scalar(select(log.id).where(
        log.change_id == change_id, log.entity == Entity.POLICY).limit(1)) is not None


def _sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"



def flagged_apps(session: Session) -> list[tuple[str, str]]:
    """(app_id, flags) of every app showing a warning sign, in app_id order (the sample's pick)."""
    query = select(App.app_id, App.flags).where(App.flags.is_not(None), App.flags != "")
    return [tuple(row) for row in session.execute(query.order_by(App.app_id))]
