"""The abandonment rate as DOMAIN.md defines it, for every page that shows it.

The Ownership page, Home, the Dashboard, `ownership --json` and the audit workbook all
take the figure from here: the apps of builders who left, and of them the ones with no
active owner left, as their `builder_gone` sign says (set by core.measures' one rule).
"""

from __future__ import annotations

from fusiondesk.core.measures import (
    ABANDONMENT_TARGET,
    Abandonment,
    DepartedApp,
    abandonment_rate,
)
from fusiondesk.db.store import Session
from fusiondesk.db.store.ownership import departed_builders


def portfolio_abandonment(session: Session) -> Abandonment:
    """Departed builders' apps without an active owner, overall and per quarter."""
    return abandonment_rate(DepartedApp(app_id, left_on, not no_owner)
                            for app_id, left_on, no_owner in departed_builders(session).values())


def abandonment_figures(found: Abandonment) -> dict:
    """The rate as JSON: with its numerator, denominator and per-quarter values."""
    def share(numerator: int, denominator: int) -> float:
        return round(numerator / denominator, 4) if denominator else 0.0

    return {
        "rate": round(found.rate, 4), "numerator": found.numerator,
        "denominator": found.denominator, "target": ABANDONMENT_TARGET,
        "within_target": found.within_target,
        "by_quarter": [{"quarter": quarter, "numerator": n, "denominator": d, "rate": share(n, d)}
                       for quarter, n, d in found.by_quarter],
    }
