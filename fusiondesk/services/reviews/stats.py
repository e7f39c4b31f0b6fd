"""The review queue's throughput (core.review_throughput) over the portfolio's reviews."""

from __future__ import annotations

from datetime import date

from fusiondesk.core import clock
from fusiondesk.core.review_throughput import ReviewStats, ReviewTally, review_stats
from fusiondesk.db.store import Session
from fusiondesk.db.store import reviews as store


def portfolio_review_stats(session: Session, today: date | None = None) -> ReviewStats:
    """SLA attainment, turnaround, queue age and load: overall, per tier, per reviewer."""
    today = today or clock.today()
    return review_stats(ReviewTally(*row) for row in store.throughput_rows(session, today))


def stats_json(stats: ReviewStats) -> dict:
    """The CLI contract: overall measures at the top, then by_tier and by_reviewer."""
    overall = stats.overall.as_dict()
    return {
        "sla_met_share": overall["sla_met_share"],
        "median_turnaround_hours": overall["median_turnaround_hours"],
        "open": overall["open"], "overdue": overall["overdue"],
        "completed": overall["completed"],
        "median_queue_age_days": overall["median_queue_age_days"],
        "by_tier": {("unclassified" if tier is None else str(tier)): t.as_dict()
                    for tier, t in stats.by_tier.items()},
        "by_reviewer": {who: t.as_dict() for who, t in stats.by_reviewer.items()},
    }
