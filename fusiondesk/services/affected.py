"""What a change set touched, in the terms views refresh by.

A use case hands back a ChangeSet naming each entity and field it changed; a view
asks these questions of it to refresh only what it shows. A change set that names
nothing (an import announces itself so) may have changed anything, as may a policy
change (every app's tier) or the portfolio itself (a sample filled in).
"""

from __future__ import annotations

from fusiondesk.core.fields import OWNER_COLUMNS
from fusiondesk.core.terms import Entity, Whole
from fusiondesk.services.changes import ChangeSet

APP_MARKER = Whole.APP  # the field of the change that says an app came or went
REVIEW_KEY_SEPARATOR = "#"  # a review is logged as 'APP_ID#REVIEW_ID'
OWNER_FIELDS = frozenset({*OWNER_COLUMNS, "owner_team"})
_EVERYTHING = frozenset({Entity.PORTFOLIO, Entity.POLICY})


def everything() -> ChangeSet:
    """The change set of a change that may have touched anything (an import)."""
    return ChangeSet()


def is_portfolio_wide(done: ChangeSet) -> bool:
    """True when anything may have changed: nothing named, a policy change, or a sample."""
    return not done or any(c.entity in _EVERYTHING for c in done.changes)


def entities(done: ChangeSet) -> set[str]:
    """The kinds of entity the change named."""
    return {c.entity for c in done.changes}


def touches(done: ChangeSet, *kinds: str) -> bool:
    """True when the change named an entity of one of these kinds, or may have touched anything."""
    return is_portfolio_wide(done) or bool(entities(done) & set(kinds))


def touches_only(done: ChangeSet, *kinds: str) -> bool:
    """True when every entity the change named is of these kinds (so other views can skip it)."""
    return not is_portfolio_wide(done) and entities(done) <= set(kinds)


def app_fields(done: ChangeSet) -> set[str]:
    """The app fields the change set names (APP_MARKER when apps came or went)."""
    return {c.field for c in done.changes if c.entity == Entity.APP}


def apps_came_or_went(done: ChangeSet) -> bool:
    """True when apps were created or deleted (rows to add or remove, not just to redraw)."""
    return is_portfolio_wide(done) or APP_MARKER in app_fields(done)


def app_ids(done: ChangeSet) -> set[str]:
    """The apps the change named, directly or through one of their reviews."""
    found = set()
    for change in done.changes:
        if change.entity == Entity.APP:
            found.add(change.key)
        elif change.entity == Entity.REVIEW:
            found.add(change.key.rpartition(REVIEW_KEY_SEPARATOR)[0])
    return found
