"""The Reviews page's throughput strip: how the queue moves, per tier and per reviewer.

The seeds' first failure mode is the pro-dev review bottleneck; this makes it visible
where reviews are worked: SLA attainment, turnaround, queue age and each reviewer's
load (core.review_throughput, the same figures as `reviews --stats` and the dashboard).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core.review_throughput import ReviewStats, Throughput

COLUMNS = ("Open", "Overdue", "Completed", "SLA met", "Turnaround", "Open for")
NOT_MEASURED = "—"  # nothing to measure yet: never shown as 0
_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def summary_text(stats: ReviewStats) -> str:
    """One line over the whole queue."""
    overall = stats.overall
    share = overall.sla_met_share
    parts = [f"SLA met {NOT_MEASURED if share is None else f'{share:.0%}'}",
             f"median turnaround {_hours(overall.median_turnaround_hours)}",
             f"{overall.open:,} open ({overall.overdue:,} overdue)"]
    busiest = max(stats.by_reviewer.items(), key=lambda kv: (kv[1].open, kv[0]), default=None)
    if busiest is not None and busiest[1].open:
        parts.append(f"busiest: {busiest[0]} with {busiest[1].open:,} open")
    return " · ".join(parts)


def cells(figures: Throughput) -> tuple[str, ...]:
    """A row of the tables, unknown figures as a dash."""
    share = figures.sla_met_share
    return (f"{figures.open:,}", f"{figures.overdue:,}", f"{figures.completed:,}",
            NOT_MEASURED if share is None else f"{share:.0%}",
            _hours(figures.median_turnaround_hours), _days(figures.median_queue_age_days))


def _hours(value: float | None) -> str:
    return NOT_MEASURED if value is None else f"{value:g} h"


def _days(value: float | None) -> str:
    return NOT_MEASURED if value is None else f"{value:g} days"


class ThroughputPanel(QGroupBox):
    """A summary line and two small tables, by reviewer (the bottleneck) and by tier."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Throughput", parent)
        self.summary = QLabel(wordWrap=True)
        self.by_tier = _table("Tier")
        self.by_reviewer = _table("Reviewer")
        # one table's width at a time: both side by side scroll sideways at 1024 wide
        self.tabs = QTabWidget()
        self.tabs.addTab(self.by_reviewer, "By reviewer")
        self.tabs.addTab(self.by_tier, "By tier")
        self.tabs.setMaximumHeight(self.by_tier.maximumHeight()
                                   + self.tabs.tabBar().sizeHint().height() + 6)
        column = QVBoxLayout(self)
        column.addWidget(self.summary)
        column.addWidget(self.tabs)

    def show_stats(self, stats: ReviewStats) -> None:
        """Fill the summary and both tables."""
        self.summary.setText(summary_text(stats))
        _fill(self.by_tier, [("Unclassified" if tier is None else f"Tier {tier}", figures)
                             for tier, figures in stats.by_tier.items()])
        busiest = sorted(stats.by_reviewer.items(), key=lambda kv: (-kv[1].open, kv[0]))
        _fill(self.by_reviewer, busiest)


def _table(first: str) -> QTableWidget:
    table = QTableWidget(0, len(COLUMNS) + 1)
    table.setHorizontalHeaderLabels((first, *COLUMNS))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.setMaximumHeight(130)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, Throughput]]) -> None:
    table.setRowCount(len(rows))
    for row, (name, figures) in enumerate(rows):
        table.setItem(row, 0, QTableWidgetItem(name))
        for col, text in enumerate(cells(figures), 1):
            item = QTableWidgetItem(text)
            item.setTextAlignment(_NUMBER)  # numbers line up on the right
            table.setItem(row, col, item)
