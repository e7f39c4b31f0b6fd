"""Keeping stored tiers and warning signs in step with the rules of this FusionDesk.

A portfolio stores each app's tier and signs so that lists, the Home page and the
dashboard never classify 100,000 apps to draw. A FusionDesk whose rules changed (a new
warning sign, say) would show the old ones until something reclassified each app, so
the rules have a version, the portfolio records the version it was classified by, and
opening it under other rules reclassifies it once, like a migration.
"""

from __future__ import annotations

from fusiondesk.core.permissions import EDIT, may
from fusiondesk.core.tiers import RULES_SETTING, RULES_VERSION
from fusiondesk.db.store.settings import read_setting
from fusiondesk.services.classification.reclassify import reclassify


def reclassify_if_rules_changed(portfolio) -> int:
    """Reclassify every app once when the stored classifications follow other rules.

    Every full reclassification records the rules it followed (see `reclassify`); a new
    portfolio is recorded when its schema is made (`db.engine`).
    """
    with portfolio.reading() as session:
        if read_setting(session, RULES_SETTING) == str(RULES_VERSION):
            return 0  # the usual case: one read
    if not may(portfolio.role, EDIT):
        return 0  # a reader cannot store them; an editor's next open will
    with portfolio.transaction() as session:
        if read_setting(session, RULES_SETTING) == str(RULES_VERSION):
            return 0  # another window did it meanwhile
        # no fact changes: the second core may help; a full reclassify records the version
        return reclassify(session, parallel=True)
