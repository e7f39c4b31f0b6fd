"""What a dashboard chart is, apart from how it is counted or drawn.

A chart is bars grouped by category and stacked by series; each bar carries the
Portfolio filter that shows exactly its apps (keys of `AppQuery`: platform,
department, lifecycle, owner, tier, flag, drift), or None when the table has no
filter for them (e.g. apps whose department is not recorded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

CHART_NAMES = ("tiers_by_department", "warning_signs", "tier_drift", "review_backlog",
               "review_throughput", "ownership", "leavers", "platforms", "lead_time", "delivered")
NO_APPS = "No apps yet"
NOT_RECORDED = "(not recorded)"
UNCLASSIFIED = "Unclassified"
UNAPPROVED_PLATFORM = "Not on the approved list"
TITLES = {
    "tiers_by_department": "Apps by tier per department",
    "warning_signs": "Warning signs",
    "tier_drift": "Tier drift",
    "review_backlog": "Review backlog",
    "review_throughput": "Review throughput",
    "ownership": "Ownership concentration",
    "leavers": "Upcoming leavers",
    "platforms": "Apps per platform",
    "lead_time": "Request to deployment",
    "delivered": "Solutions delivered per quarter",  # the Programme page's chart, issue 18
}


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar, or one segment of a stacked bar, with the filter that shows its apps."""

    category: str
    value: int
    series: str = ""
    filter: dict | None = None


@dataclass(frozen=True)
class Panel:
    """One set of axes: bars by category, stacked by series, in the order given."""

    bars: tuple[Bar, ...]
    category_label: str = ""
    horizontal: bool = False
    title: str = ""
    target: tuple[str, ...] = ()  # categories shaded as the target band

    @property
    def categories(self) -> list[str]:
        """Category labels in first-seen order."""
        return list(dict.fromkeys(b.category for b in self.bars))

    @property
    def series(self) -> list[str]:
        """Series names in first-seen order."""
        return list(dict.fromkeys(b.series for b in self.bars))


@dataclass(frozen=True)
class Chart:
    """One dashboard chart: a title, a one-line note and one or more panels."""

    name: str
    title: str
    panels: tuple[Panel, ...] = ()
    note: str = ""
    empty_text: str = NO_APPS

    @property
    def bars(self) -> list[Bar]:
        """Every bar of every panel, in drawing order (what `click_bar` indexes)."""
        return [bar for panel in self.panels for bar in panel.bars]

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to draw."""
        return not any(bar.value for bar in self.bars)


@dataclass(frozen=True)
class DashboardData:
    """Every chart of the dashboard, as of `today`."""

    today: date
    apps: int
    charts: dict[str, Chart] = field(default_factory=dict)


def empty_dashboard(today: date) -> DashboardData:
    """Every chart with nothing to show (an empty or no portfolio)."""
    return DashboardData(today, 0, {name: Chart(name, TITLES[name]) for name in CHART_NAMES})
