"""The Reviews page shows how the queue moves: the same figures as reviews --stats."""

from datetime import date, timedelta

from sqlalchemy import delete

from fusiondesk.db.models import Review
from fusiondesk.db.store.apps import database_ids
from fusiondesk.gui.reviews_view import ReviewsView
from fusiondesk.services.reviews.actions import complete_review, request_review
from fusiondesk.services.reviews.queues import open_reviews
from fusiondesk.services.reviews.stats import portfolio_review_stats, stats_json

TODAY = date(2026, 11, 1)  # conftest's FUSIONDESK_TODAY


def test_the_page_shows_the_queues_throughput_and_unknown_as_a_dash(qtbot, workspace):
    with workspace.portfolio.transaction() as session:
        session.execute(delete(Review))  # the sample's history: start with none
    page = ReviewsView(workspace)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: "SLA met" in page.throughput.summary.text(), timeout=10000)
    assert "SLA met —" in page.throughput.summary.text()  # nothing completed yet: not 0%
    with workspace.portfolio.transaction() as session:
        first_app, second_app = sorted(database_ids(session))[:2]
        request_review(session, first_app, "security", "tester", "rita@contoso.example",
                       requested=TODAY - timedelta(days=4))
        request_review(session, second_app, "security", "tester", "sam@contoso.example",
                       requested=TODAY - timedelta(days=1))
        done = next(r for r in open_reviews(session) if r.app_id == first_app)
        complete_review(session, done.id, "approved", "tester", completed=TODAY - timedelta(days=2))
    with qtbot.waitSignal(page.throughput_shown, timeout=10000):  # counted on the worker
        page.refresh()
    with workspace.portfolio.reading() as session:
        figures = stats_json(portfolio_review_stats(session))
    text = page.throughput.summary.text()
    assert f"SLA met {figures['sla_met_share']:.0%}" in text
    assert f"{figures['open']:,} open" in text and "48 h" in text  # done in 2 days
    reviewers = [page.throughput.by_reviewer.item(r, 0).text()
                 for r in range(page.throughput.by_reviewer.rowCount())]
    assert {"sam@contoso.example", "rita@contoso.example"} <= set(reviewers)
