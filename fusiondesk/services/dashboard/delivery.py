"""The dashboard's delivery charts: the review backlog and throughput, and lead time.

Counted by the store in SQL like the rest of the dashboard (see `dashboard.data`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

from fusiondesk.core.delivery import Delivery, quarter_of
from fusiondesk.core.review_throughput import ReviewStats
from fusiondesk.core.terms import FlagName
from fusiondesk.db.store import Session
from fusiondesk.db.store import dashboard as store
from fusiondesk.services.dashboard.charts import TITLES, UNCLASSIFIED, Bar, Chart, Panel
from fusiondesk.services.reviews.stats import portfolio_review_stats

DUE_SOON_DAYS = 30
TARGET_WEEKS = (2, 4)  # request to deployment, Tier 1–2 (DOMAIN.md "Programme measures")
# (label, weeks up to and including): the lead-time histogram's buckets, so "3–4" is
# 22–28 days and "within 4 weeks" is every bar up to it
LEAD_BUCKETS = (("≤1", 1), ("1–2", 2), ("2–3", 3), ("3–4", 4), ("4–6", 6), ("6–8", 8),
                ("8–12", 12), ("12+", None))
TARGET_BUCKETS = ("2–3", "3–4")  # 15 to 28 days: the 2–4 week target, shaded


# --- reviews and delivery ----------------------------------------------------------------

_BACKLOG = (("90+ days overdue", 91, None), ("31–90 days overdue", 31, 90),
            ("1–30 days overdue", 1, 30), (f"Due within {DUE_SOON_DAYS} days", -DUE_SOON_DAYS, 0),
            ("Due later", None, -DUE_SOON_DAYS - 1))


def review_backlog(session: Session, today: date) -> Chart:
    """Apps by the age of their next open review: how overdue, or how soon due."""
    buckets: Counter = Counter()
    for due, n in store.next_due_counts(session):
        buckets[_backlog_bucket((today - due).days)] += n
    bars = tuple(_backlog_bar(label, buckets[label]) for label, _lo, _hi in _BACKLOG
                 if buckets[label])
    overdue = sum(b.value for b in bars if b.series == "Overdue")
    note = (f"{overdue:,} apps have an overdue review, {buckets[_BACKLOG[3][0]]:,} are due "
            f"within {DUE_SOON_DAYS} days; an overdue bar lists every overdue app")
    return Chart("review_backlog", TITLES["review_backlog"], (Panel(bars),), note=note,
                 empty_text="No open reviews")


TOP_REVIEWERS = 8


def review_throughput(session: Session, today: date) -> Chart:
    """Completed reviews per tier that met or missed their SLA, and each reviewer's open load.

    The pro-dev review bottleneck made visible: a tier whose reviews come in late, a
    reviewer whose queue grows (core.review_throughput).
    """
    return throughput_chart(portfolio_review_stats(session, today))


def throughput_chart(stats: ReviewStats) -> Chart:
    """The chart of `review_throughput`, from figures already counted."""
    by_tier = tuple(
        bar for tier, figures in stats.by_tier.items()
        for bar in (Bar(_tier(tier), figures.sla_met, "On time"),
                    Bar(_tier(tier), figures.sla_measured - figures.sla_met, "Late"))
        if bar.value)
    busiest = sorted(stats.by_reviewer.items(), key=lambda kv: (-kv[1].open, kv[0]))
    load = tuple(
        bar for who, figures in busiest[:TOP_REVIEWERS] if figures.open
        for bar in (Bar(who, figures.open - figures.overdue, "Open"),
                    Bar(who, figures.overdue, "Overdue"))
        if bar.value)
    panels = tuple(panel for panel in (
        Panel(by_tier, title="Completed reviews by tier", category_label="Reviews"),
        Panel(load, horizontal=True, title="Open reviews per reviewer")) if panel.bars)
    return Chart("review_throughput", TITLES["review_throughput"], panels,
                 note=_throughput_note(stats), empty_text="No reviews yet")


def _tier(tier: int | None) -> str:
    return f"Tier {tier}" if tier else UNCLASSIFIED


def _throughput_note(stats: ReviewStats) -> str:
    overall = stats.overall
    share = overall.sla_met_share
    met = "SLA met: not measured yet" if share is None else f"SLA met {share:.0%}"
    turnaround = overall.median_turnaround_hours
    median = "" if turnaround is None else f", median turnaround {turnaround:g} h"
    return f"{met}{median}; {overall.open:,} open, {overall.overdue:,} overdue"


def _backlog_bucket(days_overdue: int) -> str:
    for label, low, high in _BACKLOG:
        if (low is None or days_overdue >= low) and (high is None or days_overdue <= high):
            return label
    raise AssertionError(days_overdue)  # the buckets cover every integer


def _backlog_bar(label: str, n: int) -> Bar:
    # The table filters on the cached "review overdue" sign, not on how overdue.
    if "overdue" in label:
        return Bar(label, n, "Overdue", {"flag": FlagName.REVIEW_OVERDUE.value})
    return Bar(label, n, "Upcoming")


def lead_time(session: Session) -> Chart:
    """Weeks from request to deployment, by tier group, against the 2–4 week target."""
    cells: Counter = Counter()
    fast: Counter = Counter()  # Tier 1–2 lead times in days, for the median and share
    for n_days, tier, n in store.lead_time_counts(session):
        if n_days is None or n_days < 0:
            continue  # deployed before requested: a data error, not a lead time
        cells[_lead_bucket(int(n_days)), _tier_group(tier)] += n
        if tier in (1, 2):
            fast[int(n_days)] += n
    bars = tuple(Bar(label, cells[label, group], group)
                 for label, _weeks in LEAD_BUCKETS
                 for group in ("Tier 1–2", "Tier 3–4", UNCLASSIFIED) if cells[label, group])
    return Chart("lead_time", TITLES["lead_time"],
                 (Panel(bars, target=TARGET_BUCKETS,
                        category_label="Weeks from request to deployment"),),
                 note=_lead_note(fast),
                 empty_text="No app has both a request and a deployment date")


def _lead_bucket(days: int) -> str:
    for label, weeks in LEAD_BUCKETS:
        if weeks is None or days <= weeks * 7:
            return label
    raise AssertionError(days)  # the last bucket is open-ended


def _tier_group(tier: int | None) -> str:
    return "Tier 1–2" if tier in (1, 2) else "Tier 3–4" if tier in (3, 4) else UNCLASSIFIED


def _lead_note(fast: Counter) -> str:
    total = sum(fast.values())
    if not total:
        return f"Target: {TARGET_WEEKS[0]}–{TARGET_WEEKS[1]} weeks for Tier 1–2"
    within = sum(n for d, n in fast.items() if d <= TARGET_WEEKS[1] * 7)
    return (f"Tier 1–2: median {_median(fast) / 7:.1f} weeks; {within / total:.0%} within "
            f"{TARGET_WEEKS[1]} weeks (target {TARGET_WEEKS[0]}–{TARGET_WEEKS[1]})")


def _median(counts: Counter) -> float:
    """The median of values given with their counts (the lower middle for an even total)."""
    middle, seen = (sum(counts.values()) + 1) // 2, 0
    for value in sorted(counts):
        seen += counts[value]
        if seen >= middle:
            return value
    raise ValueError("no values")


def delivered(session: Session) -> Chart:
    """Solutions deployed per quarter, as the Programme page draws them (one grouped count:
    the whole programme's figures would cost the dashboard half a second at 100,000 apps)."""
    from fusiondesk.services.programme.charts import delivered_chart  # it draws on this package

    delivery = Delivery()
    for day, apps in store.deployments_by_day(session):
        delivery.add_delivered(quarter_of(_as_day(day)), apps)
    chart = delivered_chart(delivery)
    # bars across, quarters down, as the dashboard's other charts: eight quarter labels
    # side by side do not fit half a 1024-pixel window
    return replace(chart, panels=tuple(replace(p, horizontal=True) for p in chart.panels))


def _as_day(day) -> date:
    return day if isinstance(day, date) else date.fromisoformat(str(day)[:10])  # SQLite: text
