"""The apps a policy change or the passing days can move, read from the store.

core.policy_reach describes them as tests on a few facts; these read those facts narrowly
for the whole portfolio (most of them filtered in SQL) and give the database ids that pass.
The what-if classifies only those apps under both policies; a policy change and the day's
refresh reclassify only those (services.classification.reclassify). An app that passes no
test is classified exactly as before, so its stored tier and signs stay true.
"""

from __future__ import annotations

from fusiondesk.core.policy_reach import Reach
from fusiondesk.db.store import Session
from fusiondesk.db.store.apps import count_apps
from fusiondesk.db.store.integrations import integration_systems
from fusiondesk.db.store.reach import (
    apps_connected_to,
    apps_falling_due,
    fact_columns,
    systems_of_apps,
)

# When the apps a change can reach are more than this share of the portfolio, reading
# them alone saves little over reading every app, which a second core shares.
NARROW_SHARE = 0.5


def reached_apps(session: Session, reach: Reach) -> set[int]:
    """The database ids of the apps `reach` says the change can move."""
    found: set[int] = set()
    for test in reach.tests:
        rows = fact_columns(session, test.facts, test.low, test.high, test.among)
        moves = test.moves
        found.update(row[0] for row in rows if moves(*row[1:]))
    if reach.systems is not None:
        systems = [system for system in integration_systems(session) if reach.systems(system)]
        found |= apps_connected_to(session, systems) if systems else set()
    for test in reach.links:
        moves = test.moves
        found.update(db_id for db_id, systems in systems_of_apps(session, test.at_least).items()
                     if moves(systems))
    if reach.falling_due is not None:
        found |= apps_falling_due(session, *reach.falling_due)
    return found


def narrowed(session: Session, reach: Reach | None) -> list[int] | None:
    """The apps `reach` names, in id order; None when it is unbounded or names most of the
    portfolio (the caller then classifies every app, on two cores when it is big)."""
    if reach is None:
        return None
    reached = reached_apps(session, reach)
    if len(reached) > count_apps(session) * NARROW_SHARE:
        return None
    return sorted(reached)
