"""The dashboard's delivery charts: the review backlog and throughput, and lead time.

Counted by the store in SQL like the rest of the dashboard (see `dashboard.data`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from fusiondesk.core.delivery import Delivery, quarter_of
from fusiondesk.core.review_throughput import NO_REVIEWER, ReviewTally, Throughput, throughput
from fusiondesk.core.terms import FlagName
from fusiondesk.db.store import Session
from fusiondesk.db.store import dashboard as store
from fusiondesk.services.dashboard.charts import TITLES, UNCLASSIFIED, Bar, Chart, Panel

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


@dataclass(frozen=True)
class ReviewQueue:
    """What the throughput chart shows: completed reviews (their SLA and turnaround), overall
    and per tier, and each reviewer's open reviews as (open, of them overdue)."""

    completed: Throughput
    completed_by_tier: dict[int | None, Throughput]
    load: dict[str, tuple[int, int]]

    @property
    def open(self) -> int:
        """Open reviews, every reviewer's."""
        return sum(open_ for open_, _overdue in self.load.values())

    @property
    def overdue(self) -> int:
        """Open reviews past their due day."""
        return sum(overdue for _open, overdue in self.load.values())


def review_throughput(session: Session, today: date) -> Chart:
    """Completed reviews per tier that met or missed their SLA, and each reviewer's open load.

    The pro-dev review bottleneck made visible: a tier whose reviews come in late, a
    reviewer whose queue grows. The measures are core.review_throughput's, as `reviews
    --stats` gives them, counted from the two groupings the chart needs rather than every
    review's tier and reviewer together (34,000 rows at 100,000 apps).
    """
    return throughput_chart(review_queue(session, today))


def review_queue(session: Session, today: date) -> ReviewQueue:
    """The completed reviews' measures and the open reviews' load, as of `today`."""
    completed = [ReviewTally(tier, None, False, days, on_time, False, n)
                 for tier, days, on_time, n in store.completed_reviews(session)]
    by_tier: dict[int | None, list[ReviewTally]] = {}
    for tally in completed:
        by_tier.setdefault(tally.tier, []).append(tally)
    load: dict[str, tuple[int, int]] = {}
    for reviewer, open_, overdue in store.open_reviews_by_reviewer(session, today):
        # named as core.review_throughput names them: a missing reviewer is "(unassigned)"
        who = (reviewer or "").lower() or NO_REVIEWER
        was_open, was_overdue = load.get(who, (0, 0))
        load[who] = (was_open + open_, was_overdue + overdue)
    return ReviewQueue(throughput(completed),
                       {tier: throughput(group) for tier, group in _tier_order(by_tier)}, load)


def _tier_order(by_tier: dict) -> list:
    return sorted(by_tier.items(), key=lambda item: (item[0] is None, item[0] or 0))


def throughput_chart(queue: ReviewQueue) -> Chart:
    """The chart of `review_throughput`, from figures already counted."""
    by_tier = tuple(
        bar for tier, figures in queue.completed_by_tier.items()
        for bar in (Bar(_tier(tier), figures.sla_met, "On time"),
                    Bar(_tier(tier), figures.sla_measured - figures.sla_met, "Late"))
        if bar.value)
    busiest = sorted(queue.load.items(), key=lambda kv: (-kv[1][0], kv[0]))
    load = tuple(
        bar for who, (open_, overdue) in busiest[:TOP_REVIEWERS] if open_
        for bar in (Bar(who, open_ - overdue, "Open"), Bar(who, overdue, "Overdue"))
        if bar.value)
    panels = tuple(panel for panel in (
        Panel(by_tier, title="Completed reviews by tier", category_label="Reviews"),
        Panel(load, horizontal=True, title="Open reviews per reviewer")) if panel.bars)
    return Chart("review_throughput", TITLES["review_throughput"], panels,
                 note=_throughput_note(queue), empty_text="No reviews yet")


def _tier(tier: int | None) -> str:
    return f"Tier {tier}" if tier else UNCLASSIFIED


def _throughput_note(queue: ReviewQueue) -> str:
    share = queue.completed.sla_met_share
    met = "SLA met: not measured yet" if share is None else f"SLA met {share:.0%}"
    turnaround = queue.completed.median_turnaround_hours
    median = "" if turnaround is None else f", median turnaround {turnaround:g} h"
    return f"{met}{median}; {queue.open:,} open, {queue.overdue:,} overdue"


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
