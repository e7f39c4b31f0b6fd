"""Review throughput: SLA attainment, turnaround, queue age and load, by tier and reviewer."""

from datetime import date, timedelta

from fusiondesk.core.review_throughput import (
    NO_REVIEWER,
    ReviewRecord,
    review_stats,
    tally,
    throughput,
)

TODAY = date(2026, 11, 1)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def measured(records):
    return throughput(tally(r, TODAY) for r in records)


def test_alike_reviews_counted_together_measure_as_each_one_would():
    one = [record(completed=9), record(completed=9), record(completed=5), record(requested=20)]
    together = [ReviewRecord(*[getattr(one[0], f) for f in ("tier", "reviewer", "requested",
                                                             "due", "completed")], count=2),
                one[2], one[3]]
    assert measured(together) == measured(one)


def record(tier=2, reviewer="rita@contoso.example", requested=10, due=8, completed=None):
    return ReviewRecord(tier, reviewer, days_ago(requested) if requested is not None else None,
                        days_ago(due) if due is not None else None,
                        days_ago(completed) if completed is not None else None)


def test_sla_met_turnaround_and_queue_age():
    found = measured([
        record(completed=9),  # 1 day: met (due 8 days ago)
        record(completed=8),  # 2 days: met on the due day itself
        record(completed=5),  # 5 days: late
        record(due=None, completed=7),  # no SLA: counts neither way
        record(requested=20, due=18),  # open and overdue, 20 days in the queue
        record(requested=2, due=-1),  # open, not yet due
    ])
    assert (found.completed, found.open, found.overdue) == (4, 2, 1)
    assert (found.sla_met, found.sla_measured, found.sla_met_share) == (2, 3, 2 / 3)
    assert found.median_turnaround_hours == 60.0  # 1, 2, 5 and 3 days: 24, 48, 120, 72 h
    assert found.median_queue_age_days == 11.0  # 20 and 2 days
    assert found.as_dict()["sla_met_share"] == 0.6667


def test_nothing_measured_is_unknown_not_zero():
    empty = measured([])
    assert empty.sla_met_share is None and empty.median_turnaround_hours is None
    assert empty.median_queue_age_days is None and (empty.open, empty.completed) == (0, 0)
    no_sla = measured([record(due=None, completed=1)])
    assert no_sla.sla_met_share is None and no_sla.median_turnaround_hours == 216.0


def test_grouped_by_tier_and_by_reviewer():
    stats = review_stats(tally(r, TODAY) for r in [
        record(tier=2, reviewer="Rita@Contoso.example", completed=9),
        record(tier=2, reviewer="rita@contoso.example", completed=1),
        record(tier=3, reviewer=None),
        record(tier=None, reviewer="sam@contoso.example", requested=3, due=1),
    ])
    assert list(stats.by_tier) == [2, 3, None]
    assert stats.by_tier[2].sla_met_share == 0.5 and stats.by_tier[3].open == 1
    assert list(stats.by_reviewer) == [NO_REVIEWER, "rita@contoso.example", "sam@contoso.example"]
    assert stats.by_reviewer["rita@contoso.example"].completed == 2  # e-mails fold case
    assert stats.by_reviewer["sam@contoso.example"].overdue == 1
    assert stats.overall.open == 2 and stats.overall.completed == 2
