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

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from statistics import median
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


def throughput(records: Iterable[ReviewRecord], today: date) -> Throughput:
    """The measures of one group of reviews."""
    turnarounds, ages = [], []
    completed = open_ = overdue = met = measured = 0
    for review in records:
        if review.completed is None:
            open_ += 1
            overdue += review.due is not None and review.due < today
            if review.requested is not None:  # a periodic review scheduled ahead waits from then
                ages.append(max(0, (today - review.requested).days))
            continue
        completed += 1
        if review.requested is not None:
            turnarounds.append(max(0, (review.completed - review.requested).days) * 24)
        if review.due is not None:
            measured += 1
            met += review.completed <= review.due
    return Throughput(completed, open_, overdue, met, measured,
                      float(median(turnarounds)) if turnarounds else None,
                      float(median(ages)) if ages else None)


def review_stats(records: Iterable[ReviewRecord], today: date) -> ReviewStats:
    """Throughput overall, per tier (of the app now) and per reviewer."""
    records = list(records)
    by_tier: dict[int | None, list[ReviewRecord]] = defaultdict(list)
    by_reviewer: dict[str, list[ReviewRecord]] = defaultdict(list)
    for review in records:
        by_tier[review.tier].append(review)
        by_reviewer[(review.reviewer or "").lower() or NO_REVIEWER].append(review)
    return ReviewStats(
        throughput(records, today),
        {tier: throughput(group, today) for tier, group in
         sorted(by_tier.items(), key=lambda item: (item[0] is None, item[0] or 0))},
        {who: throughput(group, today) for who, group in sorted(by_reviewer.items())},
    )
