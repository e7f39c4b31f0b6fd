"""Keeping stored tiers and warning signs in step with the rules of this FusionDesk.

A portfolio stores each app's tier and signs so that lists, the Home page and the
dashboard never classify 100,000 apps to draw. A FusionDesk whose rules changed (a new
warning sign, say) would show the old ones until something reclassified each app, so
the rules have a version, the portfolio records the version it was classified by, and
opening it under other rules reclassifies it once, like a migration.

Some signs read the day (a review overdue, an app idle, a certificate lapsed), so the
portfolio also records the day its signs are as of, and the first opening on a later day
reclassifies the apps the days between can move: a few hundred of 100,000, in a second.
"""

from __future__ import annotations

from fusiondesk.core import clock
from fusiondesk.core.permissions import EDIT, may
from fusiondesk.core.tiers import DAY_SETTING, RULES_SETTING, RULES_VERSION
from fusiondesk.db.store.settings import read_setting
from fusiondesk.services.classification.reclassify import reclassify, refresh_for_today


def keep_classifications_current(portfolio) -> int:
    """Reclassify every app once when the stored classifications follow other rules, and
    the apps the passing days can move when they are of an earlier day; how many were.

    Every full reclassification records the rules it followed and its day (see
    `reclassify`); a new portfolio is recorded when its schema is made (`db.engine`).
    """
    with portfolio.reading() as session:
        if stored_signs_current(session):
            return 0  # the usual case: two reads
    if not may(portfolio.role, EDIT):
        return 0  # a reader cannot store them; an editor's next open will
    with portfolio.transaction() as session:
        if read_setting(session, RULES_SETTING) != str(RULES_VERSION):
            # no fact changes: the second core may help; a full reclassify records the version
            return reclassify(session, parallel=True)
        return refresh_for_today(session)  # nothing when another window did it meanwhile


def stored_signs_current(session) -> bool:
    """True when the tiers and signs stored on the app rows are as this FusionDesk's rules
    give them today: what an open keeps so (a reader's open cannot store them)."""
    return (read_setting(session, RULES_SETTING) == str(RULES_VERSION)
            and read_setting(session, DAY_SETTING) == clock.today().isoformat())
