"""Reviews: requesting, completing, scheduling, undo, queues, the overdue flag and their log rows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete, func, select

from fusiondesk.core.errors import PortfolioError
from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.core.tiers import classify
from fusiondesk.db.models import App, ChangeLogEntry, Review
from fusiondesk.db.store.apps import load_facts
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.classification.reclassify import policy_in_force, reclassify
from fusiondesk.services.reviews import actions as reviews
from fusiondesk.services.reviews import queues as review_queues

TODAY = date(2026, 11, 1)  # tests/conftest.py sets FUSIONDESK_TODAY
# Tier 2 (department scope), in production, never reviewed.
APP = AppFacts(
    app_id="T-2", name="Leave Planner", platform="Power Apps", lifecycle="production",
    scope="department", users=20, data_sensitivity="public", data_categories=(), compliance=(),
    integrations=(), criticality="low", calc_complexity="simple", custom_code=False,
    support="team", dr_plan=True, doc_functional=True, doc_data_sources=True, doc_logic=True,
    owners=(Owner("primary", email="ann@contoso.example"), Owner("co_owner", email="bo@contoso.example")),
)


@pytest.fixture
def portfolio(empty_portfolio):
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, APP, "tester")
    # A new app gets its periodic review requested with it (tests/services/
    # test_milestone_reviews.py); these tests start, as a portfolio from before that
    # did, from an app with no review at all.
    with empty_portfolio.transaction() as session:
        session.execute(delete(Review))
        reclassify(session)
    return empty_portfolio


def _log(portfolio, after: int = 0):
    with portfolio.reading() as session:
        return session.execute(
            select(ChangeLogEntry.entity, ChangeLogEntry.field, ChangeLogEntry.old_value,
                   ChangeLogEntry.new_value, ChangeLogEntry.source)
            .where(ChangeLogEntry.id > after).order_by(ChangeLogEntry.id)).all()


def _last_log_id(portfolio) -> int:
    with portfolio.reading() as session:
        return session.scalar(select(func.max(ChangeLogEntry.id))) or 0


def _request(portfolio, kind="security", **kwargs) -> int:
    with portfolio.transaction() as session:
        done = reviews.request_review(session, "T-2", kind, "tester", **kwargs)
    return int(done.changes[0].key.rpartition("#")[2])


def _app(portfolio):
    with portfolio.reading() as session:
        return app_edits.load_app(session, "T-2").facts


def _flags(portfolio) -> str:
    with portfolio.reading() as session:
        return session.scalar(select(App.flags).where(App.app_id == "T-2")) or ""


def test_request_is_due_by_the_tier_sla_and_logged_field_by_field(portfolio):
    before = _last_log_id(portfolio)
    review_id = _request(portfolio, reviewer="Rev@Contoso.example")
    with portfolio.reading() as session:
        row = review_queues.load_review(session, review_id)
    assert (row.type, row.requested, row.due, row.reviewer_email) == (
        "security", TODAY, TODAY + timedelta(days=2), "rev@contoso.example")  # Tier 2: 48 hours
    assert _log(portfolio, before) == [
        ("review", "(review)", None, "(created)", "review"),
        ("review", "type", None, "security", "review"),
        ("review", "requested", None, "2026-11-01", "review"),
        ("review", "due", None, "2026-11-03", "review"),
        ("review", "reviewer_email", None, "rev@contoso.example", "review"),
    ]


def test_refused_request_leaves_no_review_and_no_log_row(portfolio):
    before = _last_log_id(portfolio)
    for kind, reviewer in (("pen test", None), ("security", "not an email")):
        with pytest.raises(ValueError):
            _request(portfolio, kind, reviewer=reviewer)
    with portfolio.reading() as session:
        assert session.scalar(select(func.count(Review.id))) == 0
    assert _log(portfolio, before) == []


def test_completing_sets_last_review_users_and_approved_tier_through_the_log(portfolio):
    review_id = _request(portfolio)
    before = _last_log_id(portfolio)
    with portfolio.transaction() as session:
        reviews.complete_review(session, review_id, "approved", "lead", "rev@contoso.example",
                                "fine")
    facts = _app(portfolio)
    assert (facts.last_review, facts.users_at_last_review, facts.approved_tier) == (TODAY, 20, 2)
    assert _log(portfolio, before) == [
        ("review", "outcome", None, "approved", "review"),
        ("review", "completed", None, "2026-11-01", "review"),
        ("review", "reviewer_email", None, "rev@contoso.example", "review"),
        ("review", "notes", None, "fine", "review"),
        ("app", "last_review", None, "2026-11-01", "review"),
        ("app", "users_at_last_review", None, "20", "review"),
        ("app", "approved_tier", None, "2", "review"),
    ]


@pytest.mark.parametrize("outcome, approve_tier", [("rejected", True), ("approved", False)])
def test_approved_tier_is_set_only_by_an_approval_that_asks_for_it(portfolio, outcome,
                                                                    approve_tier):
    review_id = _request(portfolio)
    with portfolio.transaction() as session:
        reviews.complete_review(session, review_id, outcome, "lead", approve_tier=approve_tier)
    facts = _app(portfolio)
    assert (facts.last_review, facts.approved_tier) == (TODAY, None)


def test_completing_a_periodic_review_schedules_the_next_at_the_cadence(portfolio):
    review_id = _request(portfolio, "periodic", reviewer="rev@contoso.example")
    with portfolio.transaction() as session:
        done = reviews.complete_review(session, review_id, "approved_with_conditions", "lead")
    with portfolio.reading() as session:
        queue = review_queues.reviews_for_app(session, "T-2")
    following = [r for r in queue if r.is_open]
    assert len(following) == 1 and following[0].type == "periodic"
    assert following[0].due == TODAY + timedelta(days=365)  # Tier 2: yearly
    assert following[0].reviewer_email == "rev@contoso.example"
    created = [c for c in done.changes if c.field == "(review)"]
    assert [c.key for c in created] == [following[0].key]


def test_completing_a_milestone_review_schedules_nothing(portfolio):
    review_id = _request(portfolio, "architecture")
    with portfolio.transaction() as session:
        reviews.complete_review(session, review_id, "approved", "lead")
    with portfolio.reading() as session:
        assert [r.is_open for r in review_queues.reviews_for_app(session, "T-2")] == [False]


def test_a_completed_review_cannot_be_completed_again(portfolio):
    review_id = _request(portfolio)
    with portfolio.transaction() as session:
        reviews.complete_review(session, review_id, "approved", "lead")
    before = _last_log_id(portfolio)
    with pytest.raises(PortfolioError, match="already completed on 2026-11-01"):
        with portfolio.transaction() as session:
            reviews.complete_review(session, review_id, "rejected", "lead")
    assert _log(portfolio, before) == []


def test_a_failure_after_completing_rolls_back_the_review_the_app_and_the_log(portfolio):
    review_id = _request(portfolio)
    before = _last_log_id(portfolio)
    with pytest.raises(RuntimeError):
        with portfolio.transaction() as session:
            reviews.complete_review(session, review_id, "approved", "lead")
            raise RuntimeError("disk full")
    with portfolio.reading() as session:
        assert review_queues.load_review(session, review_id).is_open
    assert _app(portfolio).last_review is None
    assert _log(portfolio, before) == []


def test_review_due_yesterday_raises_the_overdue_flag_until_completed(portfolio):
    review_id = _request(portfolio, requested=TODAY - timedelta(days=3))  # due yesterday
    with portfolio.reading() as session:
        facts = next(iter(load_facts(session).values()))
        fresh = classify(facts, policy_in_force(session), TODAY)
    assert facts.next_review_due == TODAY - timedelta(days=1)
    assert "review_overdue" in fresh.flag_names
    assert "review_overdue" in _flags(portfolio).split(";")  # the stored classification too
    with portfolio.transaction() as session:
        reviews.complete_review(session, review_id, "approved", "lead")
    assert "review_overdue" not in _flags(portfolio)


def test_a_review_due_today_is_not_overdue(portfolio):
    _request(portfolio, requested=TODAY - timedelta(days=2))
    assert "review_overdue" not in _flags(portfolio)


def test_undo_reopens_the_review_restores_the_app_and_drops_the_scheduled_one(portfolio):
    review_id = _request(portfolio, "periodic")
    before = _last_log_id(portfolio)
    with portfolio.transaction() as session:
        done = reviews.complete_review(session, review_id, "approved", "lead")
    logged = len(_log(portfolio, before))
    with portfolio.transaction() as session:
        undone = reviews.revert_review(session, done, "lead")
    with portfolio.reading() as session:
        queue = review_queues.reviews_for_app(session, "T-2")
    assert [(r.id, r.is_open) for r in queue] == [(review_id, True)]
    assert (_app(portfolio).last_review, _app(portfolio).approved_tier) == (None, None)
    undo_rows = _log(portfolio, before)[logged:]
    assert {row[4] for row in undo_rows} == {"undo"}
    assert ("review", "(review)", "(exists)", "(deleted)", "undo") in undo_rows
    assert ("review", "outcome", "approved", None, "undo") in undo_rows
    assert ("app", "approved_tier", "2", None, "undo") in undo_rows
    with portfolio.transaction() as session:
        reviews.revert_review(session, undone, "lead")  # redo
    with portfolio.reading() as session:
        assert [r.is_open for r in review_queues.reviews_for_app(session, "T-2")] == [True, False]
    assert _app(portfolio).approved_tier == 2


def test_undo_of_a_request_deletes_it_and_clears_the_overdue_flag(portfolio):
    with portfolio.transaction() as session:
        done = reviews.request_review(session, "T-2", "security", "lead",
                                      requested=TODAY - timedelta(days=5))
    assert "review_overdue" in _flags(portfolio)
    with portfolio.transaction() as session:
        reviews.revert_review(session, done, "lead")
    with portfolio.reading() as session:
        assert review_queues.reviews_for_app(session, "T-2") == []
    assert "review_overdue" not in _flags(portfolio)


def test_queues(portfolio):
    late = _request(portfolio, "security", reviewer="rev@contoso.example",
                    requested=TODAY - timedelta(days=4))
    soon = _request(portfolio, "architecture", reviewer="rev@contoso.example")
    later = _request(portfolio, "periodic", due=TODAY + timedelta(days=30))
    with portfolio.reading() as session:
        assert [r.id for r in review_queues.my_queue(session, "REV@contoso.example")] == [late, soon]
        assert [r.id for r in review_queues.my_queue(session, None)] == [late, soon, later]
        assert [r.id for r in review_queues.overdue(session, TODAY)] == [late]
        assert [r.id for r in review_queues.due_this_week(session, TODAY)] == [soon]
        groups = review_queues.by_reviewer(session)
        assert {k: [r.id for r in v] for k, v in groups.items()} == {
            "": [later], "rev@contoso.example": [late, soon]}
        assert review_queues.overdue(session, TODAY)[0].days_late(TODAY) == 2


def test_ensure_required_requests_what_is_missing_once(portfolio):
    before = _last_log_id(portfolio)
    with portfolio.transaction() as session:
        done = reviews.ensure_required_reviews(session, None, "rules")
    with portfolio.reading() as session:
        requested = review_queues.open_reviews(session)
    # Tier 2 in production, never reviewed: a periodic review, due by the SLA.
    assert [(r.type, r.due) for r in requested] == [("periodic", TODAY + timedelta(days=2))]
    assert {row[4] for row in _log(portfolio, before)} == {"rule"}
    assert done.keys("review") == [requested[0].key]
    with portfolio.transaction() as session:
        assert not reviews.ensure_required_reviews(session, ["T-2"], "rules")


def test_ensure_required_counts_approvals_not_rejections(portfolio):
    with portfolio.transaction() as session:
        stored = app_edits.load_app(session, "T-2")
        app_edits.save_app(session, "T-2", {"lifecycle": "development"}, stored.version, "t")
        reviews.record_review(session, "T-2", "architecture", "approved", "lead")
        reviews.record_review(session, "T-2", "production_readiness", "rejected", "lead")
        reviews.ensure_required_reviews(session, ["T-2"], "rules")
        kinds = [r.type for r in review_queues.open_reviews(session)]
    assert kinds == ["production_readiness"]  # rejected: needed again; approved: done


def test_ensure_required_dates_a_periodic_review_from_the_last_review(portfolio):
    with portfolio.transaction() as session:
        stored = app_edits.load_app(session, "T-2")
        app_edits.save_app(session, "T-2", {"last_review": date(2025, 6, 1)}, stored.version, "t")
        reviews.ensure_required_reviews(session, None, "rules")
        (periodic,) = review_queues.open_reviews(session)
    assert periodic.due == date(2026, 6, 1)  # a year after the last review: already overdue
    assert "review_overdue" in _flags(portfolio)


def test_record_review_completes_the_open_one_or_records_one_done_now(portfolio):
    open_id = _request(portfolio, "security")
    with portfolio.transaction() as session:
        reviews.record_review(session, "T-2", "Security", "approved", "lead")
        reviews.record_review(session, "T-2", "integration", "rejected", "lead", notes="no")
        done = {r.type: r for r in review_queues.reviews_for_app(session, "T-2")}
    assert done["security"].id == open_id and done["security"].outcome == "approved"
    assert (done["integration"].outcome, done["integration"].notes) == ("rejected", "no")
    assert done["integration"].requested == done["integration"].completed == TODAY
