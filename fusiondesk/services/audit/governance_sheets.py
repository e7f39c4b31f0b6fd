"""The audit workbook's governance sheets (issue 17): the production gate and review throughput.

The gate's figures come from the same warning signs the app list shows (core.gate), counted
while the apps stream past; the throughput from the same code as `reviews --stats --json`
(services.reviews.stats), so an auditor reads the figures the lead sees.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from fusiondesk.core.flags import FLAG_LABELS
from fusiondesk.core.gate import GATE_SIGNS, gate_status
from fusiondesk.core.review_throughput import ReviewStats, Throughput
from fusiondesk.core.terms import Lifecycle
from fusiondesk.db.store import Session
from fusiondesk.services.reviews.stats import portfolio_review_stats
from fusiondesk.sheets.writer import PERCENT_STYLE, SheetWriter, Styled

GATE_SHEET = "Production gate"
THROUGHPUT_SHEET = "Review throughput"
GATE_CHECKS = tuple(sign.value for sign in GATE_SIGNS)
PASSED, FAILED, NOT_GATED = "passed", "failed", "not gated"
_GATE_CHECKS = frozenset(GATE_CHECKS)
_IN_PRODUCTION = Lifecycle.PRODUCTION.value


@dataclass
class GateTotals:
    """The production gate over the portfolio: apps gated, passed, failed, and per check."""

    gated: int = 0
    failed: int = 0
    by_check: Counter = field(default_factory=Counter)

    @property
    def passed(self) -> int:
        """Apps in production that pass every check."""
        return self.gated - self.failed

    def table(self) -> list[tuple[str, int]]:
        """(check, apps failing it), every check listed, in the order the gate checks them."""
        return [(FLAG_LABELS[name], self.by_check.get(name, 0)) for name in GATE_CHECKS]


class GateSheet:
    """The "Production gate" sheet: one row per app in production failing the gate, with a
    column per check holding why it fails (blank: it passes), so a filter lists each check's."""

    def __init__(self, workbook) -> None:
        self.totals = GateTotals()
        self.writer = SheetWriter(workbook, GATE_SHEET, [
            ("app_id", 38), ("name", 34), ("computed_tier", 14), ("environment", 24),
            ("environment_type", 16), ("deployed_by", 30), *((name, 48) for name in GATE_CHECKS)],
            repeat_columns="A:B")

    def add(self, app, result) -> str:
        """Count one classified app and list the checks it fails; its gate status."""
        if app.lifecycle != _IN_PRODUCTION:  # most apps: no list of their signs is built
            return NOT_GATED
        failing = {flag.name: flag.explanation for flag in result.flags if flag.name in _GATE_CHECKS}
        status = gate_status(app, failing)  # the one rule, core.gate's
        self.totals.gated += 1
        if status == FAILED:
            self.totals.failed += 1
            self.totals.by_check.update(failing.keys())
            self.writer.append((app.app_id, app.name, result.tier, app.environment,
                                app.environment_type, app.deployed_by,
                                *(failing.get(name) for name in GATE_CHECKS)))
        return status

    def finish(self) -> None:
        """Filters on the header row."""
        self.writer.finish()


THROUGHPUT_COLUMNS = (("group", 12), ("name", 32), ("completed", 12), ("open", 10),
                      ("overdue", 10), ("sla_met", 10), ("sla_measured", 13),
                      ("sla_met_share", 14), ("median_turnaround_hours", 16),
                      ("median_queue_age_days", 16))


def write_review_throughput(session: Session, workbook, stats: ReviewStats | None = None) -> None:
    """The "Review throughput" sheet: the whole queue, then per tier, then per reviewer
    (`stats` when they are counted already: services.audit.record_sheets)."""
    stats = portfolio_review_stats(session) if stats is None else stats
    sheet = SheetWriter(workbook, THROUGHPUT_SHEET, list(THROUGHPUT_COLUMNS))
    percent = workbook.style(PERCENT_STYLE)
    sheet.append(_throughput_row("all", "All reviews", stats.overall, percent))
    for tier, measures in stats.by_tier.items():
        name = "Unclassified" if tier is None else f"Tier {tier}"
        sheet.append(_throughput_row("tier", name, measures, percent))
    for reviewer, measures in stats.by_reviewer.items():
        sheet.append(_throughput_row("reviewer", reviewer, measures, percent))
    sheet.finish()


def _throughput_row(group: str, name: str, measures: Throughput, percent) -> tuple:
    shown = measures.as_dict()  # the JSON's rounding, so the sheet and the CLI agree
    share = shown["sla_met_share"]  # None: no completed review had a due day, left blank
    return (group, name, measures.completed, measures.open, measures.overdue, measures.sla_met,
            measures.sla_measured, None if share is None else Styled(share, percent),
            shown["median_turnaround_hours"], shown["median_queue_age_days"])
