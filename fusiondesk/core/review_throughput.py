"""How the review queue is moving: SLA attainment, turnaround, queue age and load.

The seeds' first failure mode of a fusion-team programme is the pro-dev review
bottleneck: reviews requested faster than they are done. These measures make it
visible per tier (whose SLA differs) and per reviewer (whose load differs).

Reviews are tracked by date (see `reviews`), so turnaround is counted in whole days
and given in hours (days × 24): a review completed the day it was requested took 0 h.
A review met its SLA when it was completed on or before its due day; a review with
no due day (a tier without an SLA) counts neither way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable

NO_REVIEWER = "(unassigned)"


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """What throughput needs of one review: its app's tier, reviewer and dates."""

    tier: int | None
    reviewer: str | None
    requested: date | None
    due: date | None
    completed: date | None
    count: int = 1  # how many reviews these are (the store counts alike ones together)


@dataclass(frozen=True, slots=True)
class Throughput:
    """One group's measures; None where nothing could be measured (never a made-up 0)."""

    completed: int
    open: int
    overdue: int
    sla_met: int  # completed on or before their due day
    sla_measured: int  # completed reviews that had a due day
    median_turnaround_hours: float | None
    median_queue_age_days: float | None  # of the open reviews, since requested

    @property
    def sla_met_share(self) -> float | None:
        """Share of completed reviews with a due day that met it (None: none to judge)."""
        return self.sla_met / self.sla_measured if self.sla_measured else None

    def as_dict(self) -> dict:
        """For JSON and tables."""
        share = self.sla_met_share
        return {"completed": self.completed, "open": self.open, "overdue": self.overdue,
                "sla_met_share": None if share is None else round(share, 4),
                "median_turnaround_hours": self.median_turnaround_hours,
                "median_queue_age_days": self.median_queue_age_days}


@dataclass(frozen=True)
class ReviewStats:
    """The whole queue, and the same measures per tier and per reviewer."""

    overall: Throughput
    by_tier: dict[int | None, Throughput]
    by_reviewer: dict[str, Throughput]


@dataclass(frozen=True, slots=True)
class ReviewTally:
    """Reviews alike for these measures, counted together (what the store hands over)."""

    tier: int | None
    reviewer: str | None
    open: bool
    days: int | None  # request to completion, or to today while open; None: no request day
    on_time: bool | None  # completed by its due day; None: open, or no due day
    overdue: bool  # open past its due day
    count: int = 1


def tally(review: ReviewRecord, today: date) -> ReviewTally:
    """One review's contribution to the measures, as of `today`."""
    is_open = review.completed is None
    end = today if is_open else review.completed
    days = None if review.requested is None else (end - review.requested).days
    on_time = None if is_open or review.due is None else review.completed <= review.due
    overdue = is_open and review.due is not None and review.due < today
    return ReviewTally(review.tier, review.reviewer, is_open, days, on_time, overdue,
                       review.count)


def throughput(tallies: Iterable[ReviewTally]) -> Throughput:
    """The measures of one group of reviews."""
    turnarounds: Counter = Counter()  # hours -> reviews
    ages: Counter = Counter()  # days -> reviews
    completed = open_ = overdue = met = measured = 0
    for review in tallies:
        n = review.count
        if review.open:
            open_ += n
            overdue += n if review.overdue else 0
            if review.days is not None:  # a periodic review scheduled ahead waits from then
                ages[max(0, review.days)] += n
            continue
        completed += n
        if review.days is not None:
            turnarounds[max(0, review.days) * 24] += n
        if review.on_time is not None:
            measured += n
            met += n if review.on_time else 0
    return Throughput(completed, open_, overdue, met, measured,
                      _median(turnarounds), _median(ages))


def _median(counts: Counter) -> float | None:
    """The median of values given with how often each occurs (None when there are none)."""
    total = sum(counts.values())
    if not total:
        return None
    # the values at the two middle positions (the same one when the total is odd)
    low_at, high_at = (total - 1) // 2, total // 2
    low = high = None
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        if low is None and seen > low_at:
            low = value
        if seen > high_at:
            high = value
            break
    return (low + high) / 2


def review_stats(tallies: Iterable[ReviewTally]) -> ReviewStats:
    """Throughput overall, per tier (of the app now) and per reviewer."""
    tallies = list(tallies)
    by_tier: dict[int | None, list[ReviewTally]] = defaultdict(list)
    by_reviewer: dict[str, list[ReviewTally]] = defaultdict(list)
    for review in tallies:
        by_tier[review.tier].append(review)
        by_reviewer[(review.reviewer or "").lower() or NO_REVIEWER].append(review)
    return ReviewStats(
        throughput(tallies),
        {tier: throughput(group) for tier, group in
         sorted(by_tier.items(), key=lambda item: (item[0] is None, item[0] or 0))},
        {who: throughput(group) for who, group in sorted(by_reviewer.items())},
    )
