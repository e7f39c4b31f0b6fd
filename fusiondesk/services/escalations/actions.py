"""Escalation cases moved along the path: open, partner, decide, close, link the lesson, undo.

Every change is logged in the caller's transaction (entity "escalation", key
"APP_ID#CASE_ID", as a review's) and undoable: the GUI runs these through Workspace.run
with `revert_case` as the undo.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fusiondesk.core import clock
from fusiondesk.core.errors import PortfolioError, StaleEdit
from fusiondesk.core.escalation import (
    KEEP_AS_IS,
    STAGE_DAY,
    Stage,
    check_move,
    check_trigger,
    escalation_triggers,
)
from fusiondesk.core.terms import Existence, Source, Whole
from fusiondesk.core.validation import InvalidValues, is_email
from fusiondesk.db.store import Session
from fusiondesk.db.store import escalations as store
from fusiondesk.db.store.classification import stored_flags
from fusiondesk.services.apps.edits import db_id_of
from fusiondesk.services.changes import ChangeSet, FieldChange, log_changes
from fusiondesk.services.escalations.cases import (
    ENTITY,
    Case,
    app_cases,
    case_id_of,
    case_key,
    load_case,
)

MARKER = Whole.CASE


def app_triggers(session: Session, app_id: str) -> list[str]:
    """The warning signs an app shows now, tier drift first: what it can be escalated for."""
    db_id = db_id_of(session, app_id)
    return escalation_triggers(stored_flags(session, db_id))


def open_case(session: Session, app_id: str, trigger: str, who: str, owner: str | None = None,
              reason: str | None = None, on: date | None = None,
              source: str = Source.EDIT) -> ChangeSet:
    """Recognise an app's drift or warning sign as an escalation case (one open case an app)."""
    trigger = check_trigger(trigger, app_triggers(session, app_id), app_id)
    already = [case for case in app_cases(session, app_id) if case.is_open]
    if already:
        raise PortfolioError(f"App {app_id} already has an open escalation case (#{already[0].id}, "
                             f"{already[0].stage}); advance or close that one.")
    values = {"trigger": trigger, "reason": _text(reason), "owner": (owner or who).strip(),
              "stage": Stage.RECOGNISED.value, "recognised_on": on or clock.today()}
    case_id = store.insert_case(session, {"app_id": db_id_of(session, app_id), **values})
    key = case_key(app_id, case_id)
    changes = [FieldChange(ENTITY, key, MARKER, None, Existence.CREATED)]
    changes += [FieldChange(ENTITY, key, name, None, value) for name, value in values.items()
                if value is not None]
    log_changes(session, changes, who, source, f"escalated for {trigger}")
    return ChangeSet(changes)


def assign_partner(session: Session, case_id: int, partner: str, who: str,
                   on: date | None = None, source: str = Source.EDIT) -> ChangeSet:
    """Partner: a pro-dev partner (a person, by e-mail) takes the case on with its owner."""
    email = (partner or "").strip().lower()
    if not is_email(email):
        raise InvalidValues({"partner_email": f"Partner '{partner}' is not an e-mail address"})
    return _advance(session, case_id, Stage.PARTNERED, {"partner_email": email}, who, on, source)


def decide_rebuild(session: Session, case_id: int, rebuild: str, who: str,
                   on: date | None = None, source: str = Source.EDIT) -> ChangeSet:
    """Decide what is rebuilt (free text), or KEEP_AS_IS."""
    rebuild = _text(rebuild)
    if rebuild is None:
        raise InvalidValues({"rebuild": f"Say what is rebuilt, or '{KEEP_AS_IS}'"})
    return _advance(session, case_id, Stage.DECIDED, {"rebuild": rebuild}, who, on, source)


def close_case(session: Session, case_id: int, outcome: str, lesson: str, who: str,
               policy_change: str | None = None, on: date | None = None,
               source: str = Source.EDIT) -> ChangeSet:
    """Close a case with its outcome and the lesson learnt (optionally the policy change it led to)."""
    outcome, lesson = _text(outcome), _text(lesson)
    if outcome is None or lesson is None:
        raise InvalidValues({"lesson": "A case closes with its outcome and its lesson; give both"})
    values = {"outcome": outcome, "lesson": lesson}
    if policy_change:
        values["policy_change"] = _policy_change(session, policy_change)
    return _advance(session, case_id, Stage.CLOSED, values, who, on, source)


def link_policy_change(session: Session, case_id: int, change_id: str | None,
                       who: str) -> ChangeSet:
    """Link a case's lesson to the policy change it led to (None unlinks it)."""
    case = load_case(session, case_id)
    linked = None if not change_id else _policy_change(session, change_id)
    return _update(session, case, {"policy_change": linked}, who, Source.EDIT, "lesson linked")


def _policy_change(session: Session, change_id: str) -> str:
    change_id = change_id.strip()
    if not store.policy_change_exists(session, change_id):
        raise PortfolioError(f"No policy change has the id '{change_id}'; the Log page and "
                             "`fusiondesk escalations --policy-changes` list them.")
    return change_id


def _advance(session: Session, case_id: int, to: Stage, values: dict, who: str,
             on: date | None, source: str) -> ChangeSet:
    case = load_case(session, case_id)
    check_move(case.stage, to, case.app_id)
    changes = {**values, "stage": to.value, STAGE_DAY[to]: on or clock.today()}
    return _update(session, case, changes, who, source, f"escalation {to.value}")


def _update(session: Session, case: Case, changes: dict[str, Any], who: str, source: str,
            detail: str | None = None) -> ChangeSet:
    diff = {k: v for k, v in changes.items() if getattr(case, k) != v}
    if not diff:
        return ChangeSet()
    store.update_case(session, case.id, diff)
    result = [FieldChange(ENTITY, case.key, k, getattr(case, k), v) for k, v in diff.items()]
    log_changes(session, result, who, source, detail)
    return ChangeSet(result)


def _text(value: str | None) -> str | None:
    return (value or "").strip() or None


# --- undo -------------------------------------------------------------------------

def revert_case(session: Session, done: ChangeSet, who: str) -> ChangeSet:
    """Undo a case change set (a revert of a revert is a redo); logged as source 'undo'."""
    result = ChangeSet()
    for key in done.keys(ENTITY):
        changes = [c for c in done.changes if c.entity == ENTITY and c.key == key]
        marker = next((c for c in changes if c.field == MARKER), None)
        if marker is not None and marker.new == Existence.CREATED:
            result.extend(_withdraw(session, key, who))
        elif marker is not None and marker.new == Existence.DELETED:
            result.extend(_restore(session, key, done.snapshots[key], who))
        else:
            result.extend(_put_back(session, key, changes, who))
    return result


def _withdraw(session: Session, key: str, who: str) -> ChangeSet:
    values = store.case_values(session, case_id_of(key))
    if values is None:
        return ChangeSet()  # removed with its app already
    store.delete_case(session, case_id_of(key))
    change = FieldChange(ENTITY, key, MARKER, Existence.EXISTS, Existence.DELETED)
    log_changes(session, [change], who, Source.UNDO)
    return ChangeSet([change], snapshots={key: values})


def _restore(session: Session, key: str, values: dict, who: str) -> ChangeSet:
    store.insert_case(session, values, case_id_of(key))
    change = FieldChange(ENTITY, key, MARKER, None, Existence.CREATED)
    log_changes(session, [change], who, Source.UNDO)
    return ChangeSet([change])


def _put_back(session: Session, key: str, changes: list[FieldChange], who: str) -> ChangeSet:
    case = load_case(session, case_id_of(key))
    # Undo only what is still as this change left it; anything else was changed since.
    stale = [c.field for c in changes if getattr(case, c.field) != c.new]
    if stale:
        raise StaleEdit(f"The escalation case of {case.app_id} was changed since "
                        f"({', '.join(stale)}); it was left as it is now.", stale)
    return _update(session, case, {c.field: c.old for c in changes}, who, Source.UNDO)
