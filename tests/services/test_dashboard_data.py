"""The dashboard's numbers equal counts made independently from the sample portfolio's rows,
and every bar's filter lists exactly the apps the bar counts."""

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from fusiondesk.core.flags import FLAG_LABELS
from fusiondesk.db.models import App, Ownership, Person, Review
from fusiondesk.services.apps import table as app_table
from fusiondesk.services.apps.table import AppQuery
from fusiondesk.services.classification.reclassify import reclassify
from fusiondesk.services.dashboard.data import (
    CHART_NAMES,
    NO_APPS,
    NOT_RECORDED,
    dashboard_figures,
)

TODAY = date(2026, 11, 1)  # conftest's FUSIONDESK_TODAY, when the sample was generated
# days from today to each review's due date -> the bucket it must land in
REVIEWS = {-120: "90+ days overdue", -45: "31–90 days overdue", -31: "31–90 days overdue",
           -1: "1–30 days overdue", 0: "Due within 30 days", 30: "Due within 30 days",
           31: "Due later"}


@pytest.fixture
def portfolio(sample_portfolio):
    """The 60-app sample with open reviews of known ages on seven apps (one more closed)."""
    with sample_portfolio.transaction() as session:
        session.execute(delete(Review))  # in place of the sample's own review history
        ids = session.scalars(select(App.id).order_by(App.id).limit(len(REVIEWS) + 1)).all()
        for app_id, days in zip(ids, REVIEWS):
            session.add(Review(app_id=app_id, type="periodic", due=TODAY + timedelta(days=days)))
        # a later open review doesn't make an app's backlog younger; a completed one doesn't count
        session.add(Review(app_id=ids[0], type="security", due=TODAY + timedelta(days=400)))
        session.add(Review(app_id=ids[-1], type="periodic", due=TODAY - timedelta(days=5),
                           completed=TODAY - timedelta(days=9)))
        reclassify(session, today=TODAY)  # the cached "review overdue" signs, as of today
    return sample_portfolio


@pytest.fixture
def data(portfolio):
    with portfolio.reading() as session:
        return dashboard_figures(session, TODAY)


@pytest.fixture
def apps(portfolio):
    """Every app's counted facts, as plain rows."""
    with portfolio.reading() as session:
        return session.execute(select(App.department, App.tier, App.drift, App.flags, App.platform,
                                      App.requested_on, App.deployed_on)).all()


def _by(bars, key=lambda bar: (bar.category, bar.series)):
    return {key(bar): bar.value for bar in bars}


def test_every_chart_is_counted_in_order_and_reported_as_it_is_counted(portfolio):
    seen = []
    with portfolio.reading() as session:
        data = dashboard_figures(session, TODAY, on_chart=lambda chart: seen.append(chart.name))
    assert seen == list(CHART_NAMES) == list(data.charts)
    assert data.apps == 60 and data.today == TODAY
    assert not any(chart.is_empty for chart in data.charts.values())


def test_tiers_by_department_match_the_apps(data, apps):
    expected = Counter((a.department or NOT_RECORDED, f"Tier {a.tier}") for a in apps)
    assert _by(data.charts["tiers_by_department"].bars) == dict(expected)


def test_tier_drift_counts_drifted_apps_by_department_and_tier(data, apps):
    expected = Counter((a.department or NOT_RECORDED, f"Tier {a.tier}") for a in apps if a.drift)
    assert expected  # the sample has drift
    assert _by(data.charts["tier_drift"].bars) == dict(expected)
    assert all(bar.filter["drift"] is True for bar in data.charts["tier_drift"].bars if bar.filter)


def test_warning_signs_count_each_flag_once_per_app(data, apps):
    expected = Counter(name for a in apps for name in set((a.flags or "").split(";")) if name)
    chart = data.charts["warning_signs"]
    assert _by(chart.bars, lambda bar: bar.filter["flag"]) == dict(expected)
    assert [bar.category for bar in chart.bars] == [
        FLAG_LABELS[name] for name, _n in sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))]


def test_apps_per_platform(data, apps):
    expected = Counter(a.platform or NOT_RECORDED for a in apps)
    assert _by(data.charts["platforms"].bars, lambda bar: bar.category) == dict(expected)


def test_ownership_top_owners_and_single_owner_apps(data, portfolio, apps):
    with portfolio.reading() as session:
        rows = session.execute(select(Person.email, Ownership.app_id).join(Ownership)
                               .where(Person.status != "left")).all()
    owned = Counter(email for email, _app in set(rows))
    chart = data.charts["ownership"]
    top, spread = chart.panels
    shown = [(bar.filter["owner"], bar.value) for bar in top.bars]
    assert shown == sorted(owned.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    single = sum("single_owner" in (a.flags or "").split(";") for a in apps)
    gone = sum("builder_gone" in (a.flags or "").split(";") for a in apps)
    assert _by(spread.bars, lambda bar: bar.category) == {
        "Shared": 60 - single - gone, "Single owner": single, "No active owner": gone}


def test_upcoming_leavers_and_the_apps_they_own(data, portfolio):
    horizon = TODAY + timedelta(days=90)
    with portfolio.reading() as session:
        leavers = session.scalars(select(Person).where(
            Person.status != "left", Person.leave_date >= TODAY,
            Person.leave_date <= horizon)).all()
        owned = {p.email: len({o.app_id for o in p.ownerships}) for p in leavers}
        leavers = len(leavers)
    chart = data.charts["leavers"]
    assert leavers, "the sample has people leaving"
    expected = sorted(((e, n) for e, n in owned.items() if n), key=lambda kv: -kv[1])[:15]
    assert sorted((bar.filter["owner"], bar.value) for bar in chart.bars) == sorted(expected)
    assert f"{leavers:,} people leave" in chart.note


def test_review_backlog_buckets_each_app_by_its_next_open_review(data):
    chart = data.charts["review_backlog"]
    assert _by(chart.bars, lambda bar: bar.category) == dict(Counter(REVIEWS.values()))
    overdue = sum(bar.value for bar in chart.bars if bar.series == "Overdue")
    assert overdue == 4 and "4 apps have an overdue review" in chart.note


def test_lead_time_in_weeks_against_the_target(data, apps):
    weeks = (("≤1", 1), ("1–2", 2), ("2–3", 3), ("3–4", 4), ("4–6", 6), ("6–8", 8),
             ("8–12", 12), ("12+", 999))

    def bucket(days):
        return next(label for label, up_to in weeks if days <= up_to * 7)

    deployed = [a for a in apps if a.deployed_on and a.requested_on]
    expected = Counter((bucket((a.deployed_on - a.requested_on).days),
                        "Tier 1–2" if a.tier <= 2 else "Tier 3–4") for a in deployed)
    chart = data.charts["lead_time"]
    assert _by(chart.bars) == dict(expected)
    assert chart.panels[0].target == ("2–3", "3–4")
    fast = [(a.deployed_on - a.requested_on).days for a in deployed if a.tier <= 2]
    within = sum(d <= 28 for d in fast) / len(fast)
    assert f"{within:.0%} within 4 weeks" in chart.note


def test_every_bar_filter_lists_exactly_the_apps_it_counts(data, portfolio):
    with portfolio.reading() as session:
        for chart in data.charts.values():
            if chart.name == "review_backlog":
                continue  # its bars share one filter (below)
            for bar in chart.bars:
                if bar.filter is not None:
                    found = app_table.matching_ids(session, AppQuery(**bar.filter))
                    assert len(found) == bar.value, (chart.name, bar)
        overdue = [b for b in data.charts["review_backlog"].bars if b.series == "Overdue"]
        assert {str(b.filter) for b in overdue} == {"{'flag': 'review_overdue'}"}
        found = app_table.matching_ids(session, AppQuery(flag="review_overdue"))
        assert len(found) == sum(b.value for b in overdue)


def test_bars_without_a_table_filter_carry_none(portfolio):
    with portfolio.transaction() as session:
        session.execute(App.__table__.update().where(App.id <= 3).values(department=None))
    with portfolio.reading() as session:
        data = dashboard_figures(session, TODAY)
        blank = len(session.scalars(select(App.id).where(App.department.is_(None))).all())
    unrecorded = [b for b in data.charts["tiers_by_department"].bars if b.category == NOT_RECORDED]
    assert blank >= 3 and sum(b.value for b in unrecorded) == blank
    assert all(b.filter is None for b in unrecorded)
    assert all(bar.filter is None for bar in data.charts["lead_time"].bars)


def test_many_departments_are_summed_as_other(portfolio):
    with portfolio.transaction() as session:
        for n, app_id in enumerate(session.scalars(select(App.id)).all()):
            session.execute(App.__table__.update().where(App.id == app_id)
                            .values(department=f"Dept {n % 20:02d}"))
    with portfolio.reading() as session:
        bars = dashboard_figures(session, TODAY).charts["tiers_by_department"].bars
    categories = list(dict.fromkeys(bar.category for bar in bars))
    assert len(categories) == 13 and categories[-1] == "Other departments"
    assert sum(bar.value for bar in bars) == 60
    assert all(bar.filter is None for bar in bars if bar.category == "Other departments")


def test_empty_portfolio_gives_empty_charts(empty_portfolio):
    with empty_portfolio.reading() as session:
        data = dashboard_figures(session, TODAY)
    assert data.apps == 0 and list(data.charts) == list(CHART_NAMES)
    for chart in data.charts.values():
        assert chart.is_empty and chart.bars == [] and chart.empty_text == NO_APPS


def test_review_throughput_splits_completed_reviews_by_sla_and_open_ones_by_reviewer(portfolio):
    def day(days: int) -> date:
        return TODAY - timedelta(days=days)

    with portfolio.transaction() as session:
        tiers = dict(session.execute(select(App.id, App.tier).order_by(App.id).limit(4)).all())
        first, second, third, fourth = tiers
        for app_id, requested, due, completed, who in (
                (first, day(days=10), day(days=8), day(days=9), "rita@contoso.example"),  # met
                (second, day(days=10), day(days=8), day(days=2), "rita@contoso.example"),  # late
                (third, day(days=6), day(days=4), None, "sam@contoso.example"),  # open, overdue
                (fourth, day(days=1), TODAY + timedelta(days=1), None, "sam@contoso.example")):
            session.add(Review(app_id=app_id, type="security", requested=requested, due=due,
                               completed=completed, reviewer_email=who))
    with portfolio.reading() as session:
        chart = dashboard_figures(session, TODAY).charts["review_throughput"]
    completed, load = chart.panels
    assert ("Tier %s" % tiers[second], "Late") in _by(completed.bars)
    met_fixture = 1  # the fixture's one completed review (due −5, done −9) met its SLA
    assert sum(b.value for b in completed.bars if b.series == "On time") == 1 + met_fixture
    assert sum(b.value for b in completed.bars if b.series == "Late") == 1
    assert _by(load.bars)["sam@contoso.example", "Overdue"] == 1
    assert _by(load.bars)["sam@contoso.example", "Open"] == 1
    assert "SLA met 67%" in chart.note and "median turnaround" in chart.note


def test_the_delivered_chart_counts_what_the_programme_page_counts(portfolio):
    from fusiondesk.services.classification.reclassify import policy_in_force
    from fusiondesk.services.dashboard.delivery import delivered
    from fusiondesk.services.programme import programme_figures

    with portfolio.reading() as session:
        chart = delivered(session)
        found = programme_figures(session, policy_in_force(session))
    by_quarter = found.delivery.delivered_by_quarter
    shown = {bar.category: bar.value for bar in chart.panels[0].bars}
    assert shown and all(by_quarter[quarter] == n for quarter, n in shown.items())
    assert list(shown) == sorted(q for q in by_quarter if q)[-len(shown):]  # the latest quarters


def test_the_throughput_chart_counts_what_reviews_stats_counts(sample_portfolio):
    from fusiondesk.core.review_throughput import NO_REVIEWER
    from fusiondesk.services.dashboard.delivery import review_queue
    from fusiondesk.services.reviews.stats import portfolio_review_stats

    with sample_portfolio.transaction() as session:  # a reviewer spelled in capitals too
        review = session.scalars(select(Review).where(Review.completed.is_(None),
                                                      Review.reviewer_email.is_not(None))).first()
        review.reviewer_email = review.reviewer_email.upper()
    with sample_portfolio.reading() as session:
        queue = review_queue(session, TODAY)
        stats = portfolio_review_stats(session, TODAY)
    overall = stats.overall
    assert (queue.open, queue.overdue) == (overall.open, overall.overdue) and queue.overdue
    assert queue.load == {who: (t.open, t.overdue) for who, t in stats.by_reviewer.items()
                          if t.open} and NO_REVIEWER in queue.load
    shown = ("completed", "sla_met", "sla_measured", "median_turnaround_hours")
    assert [getattr(queue.completed, name) for name in shown] == [
        getattr(overall, name) for name in shown]
    measured = {tier: (t.sla_met, t.sla_measured) for tier, t in stats.by_tier.items()
                if t.completed}
    assert {tier: (t.sla_met, t.sla_measured) for tier, t in queue.completed_by_tier.items()
            } == measured and len(measured) > 1
    assert list(queue.completed_by_tier) == list(measured)  # tiers in the same order


def test_figures_counted_ahead_on_a_second_connection_are_the_same(portfolio, monkeypatch):
    import threading

    from fusiondesk.services.dashboard import data as dashboard_data

    counted_on = []
    original = dashboard_data.review_queue

    def review_queue(session, today):
        counted_on.append(threading.current_thread().name)
        return original(session, today)

    monkeypatch.setattr(dashboard_data, "review_queue", review_queue)
    with portfolio.reading() as session:
        alone = dashboard_figures(session, TODAY)
        seen = []
        ahead = dashboard_figures(session, TODAY, on_chart=seen.append, reading=portfolio.reading)
    assert ahead == alone and [chart.name for chart in seen] == list(CHART_NAMES)
    assert counted_on[0] == threading.current_thread().name  # without `reading`: in place
    assert counted_on[1].startswith("dashboard-ahead")
