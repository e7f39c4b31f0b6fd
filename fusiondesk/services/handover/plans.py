"""Handover plans kept: storing a computed plan (logging the plans made or dropped), reading one.

A plan is refreshed whenever its leaver's apps or status change, so storing
merges (see `db.store.handover`): progress already made is kept, the planning is
brought up to date.
"""

from __future__ import annotations

from fusiondesk.core.facts import PersonFacts
from fusiondesk.core.handover import HandoverPlan, item_status, plan_status
from fusiondesk.core.terms import Entity, Existence, Source, Whole
from fusiondesk.db.store import Session
from fusiondesk.db.store import handover as handover_store
from fusiondesk.db.store.handover import StoredItem, StoredPlan
from fusiondesk.services.changes import FieldChange, log_changes

__all__ = ["StoredItem", "StoredPlan", "close_plan", "item_status", "newest_plan",
           "newest_plans", "plan_status", "store_plans"]

WHOLE_PLAN = Whole.PLAN  # the field of a log row about a whole plan (made, dropped)


def newest_plan(session: Session, email: str) -> StoredPlan | None:
    """A person's current plan (the newest) with its items, if they have one."""
    key = email.strip().lower()
    return newest_plans(session, [key]).get(key)


def newest_plans(session: Session, emails: list[str]) -> dict[str, StoredPlan]:
    """Many people's current plans with their items, by lower-case e-mail, in a few queries."""
    return handover_store.newest_plans(session, emails)


def store_plans(session: Session, leavers: list[PersonFacts], planned: HandoverPlan,
                db_ids: dict[str, int], who: str) -> None:
    """Write each leaver's computed items over their stored plan (made, and logged, when there is none)."""
    made = handover_store.store_plans(session, leavers, planned, db_ids)
    log_changes(session, [FieldChange(Entity.HANDOVER_PLAN, email, WHOLE_PLAN, None,
                                      Existence.CREATED) for email in made], who, Source.HANDOVER)


def close_plan(session: Session, email: str, who: str) -> None:
    """A person is staying after all: drop what was only planned, keep what was done."""
    dropped = handover_store.close_plan(session, email)
    if dropped is not None:
        log_changes(session, [FieldChange(Entity.HANDOVER_PLAN, dropped, WHOLE_PLAN,
                                          Existence.EXISTS, Existence.DELETED)],
                    who, Source.HANDOVER, "no longer leaving")
