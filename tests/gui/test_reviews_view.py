"""The Reviews page, an app's Reviews tab and the audit page, as a reviewer uses them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import delete, select

from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.db.models import App, Review
from fusiondesk.gui import settings
from fusiondesk.gui.audit_view import AuditView
from fusiondesk.gui.reviews_view import (
    BY_REVIEWER,
    MY_QUEUE,
    OVERDUE,
    QUEUE_COLUMNS,
    THIS_WEEK,
    USER_EMAIL_KEY,
    AppReviewsPanel,
    ReviewsView,
)
from fusiondesk.gui.workspace import Workspace
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.audit import quarterly as audit
from fusiondesk.services.change_log import history
from fusiondesk.services.reviews import actions as reviews
from fusiondesk.services.reviews import queues as review_queues

TODAY = date(2026, 11, 1)
APP = AppFacts(app_id="T-2", name="Leave Planner", lifecycle="production", scope="department",
               users=20, owners=(Owner("primary", email="ann@contoso.example"),))


@pytest.fixture
def workspace(empty_portfolio):
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, APP, "tester")
        session.execute(delete(Review))  # the reviews below, not the one it got on creation
        for kind, reviewer, requested in (
                ("security", "rev@contoso.example", TODAY - timedelta(days=5)),  # 3 days late
                ("periodic", "rev@contoso.example", TODAY),  # due in 2 days
                ("architecture", None, TODAY + timedelta(days=20))):
            reviews.request_review(session, "T-2", kind, "tester", reviewer, requested)
    opened = Workspace()
    opened.set_portfolio(empty_portfolio)
    return opened


@pytest.fixture
def view(qtbot, workspace) -> ReviewsView:
    page = ReviewsView(workspace)
    qtbot.addWidget(page)
    page.resize(1100, 500)
    page.show()
    qtbot.waitExposed(page)
    return page


def shown(view, column: str = "type") -> list[str]:
    model, col = view.model, QUEUE_COLUMNS.index(column)
    return [model.data(model.index(row, col)) for row in range(model.rowCount())]


def test_queues_show_the_right_reviews_with_their_status(view):
    assert shown(view) == ["Security", "Periodic", "Architecture"]  # no e-mail set: everyone's
    assert shown(view, "status") == ["3 days overdue", "due in 2 days", "due in 22 days"]
    assert "set your reviewer e-mail" in view.count_label.text()
    view.show_queue(OVERDUE)
    assert shown(view) == ["Security"]
    view.show_queue(THIS_WEEK)
    assert shown(view) == ["Periodic"]
    view.show_queue(BY_REVIEWER)
    assert view.reviewer_box.isVisible()
    assert [view.reviewer_box.itemData(i) for i in range(view.reviewer_box.count())] == [
        "", "rev@contoso.example"]
    view.reviewer_box.setCurrentIndex(1)
    assert shown(view) == ["Security", "Periodic"]


def test_my_queue_is_the_configured_reviewer(view):
    settings.store().setValue(USER_EMAIL_KEY, "Rev@Contoso.example")
    view.show_queue(OVERDUE)
    view.show_queue(MY_QUEUE)
    assert shown(view) == ["Security", "Periodic"]
    assert view.count_label.text() == "2 open reviews · 1 overdue assigned to rev@contoso.example"


def test_completing_a_review_reaches_the_database_and_undo_reverts_it(view, workspace, qtbot, settle):
    view.select_review(view.model.review(0).id)
    security = view.selected_review()
    view.complete_selected()
    dialog = view.dialog
    dialog.outcome_box.setCurrentIndex(dialog.outcome_box.findData("approved_with_conditions"))
    dialog.notes_edit.setPlainText("encrypt the export")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    settle(workspace)

    with workspace.read() as session:
        done = review_queues.load_review(session, security.id)
        app = app_edits.load_app(session, "T-2").facts
    assert (done.outcome, done.notes, done.completed) == (
        "approved_with_conditions", "encrypt the export", TODAY)
    assert (app.last_review, app.approved_tier) == (TODAY, 2)
    assert shown(view) == ["Periodic", "Architecture"]  # the page refreshed itself
    assert workspace.undo_stack.undoText().startswith("Complete security review")

    workspace.undo()
    settle(workspace)
    with workspace.read() as session:
        assert review_queues.load_review(session, security.id).is_open
        assert app_edits.load_app(session, "T-2").facts.approved_tier is None
        assert history(session, "app", "T-2")[0].source == "undo"
    assert shown(view) == ["Security", "Periodic", "Architecture"]


def test_completing_a_review_completed_elsewhere_says_so_and_changes_nothing(view, workspace,
                                                                            monkeypatch, settle):
    errors = []
    monkeypatch.setattr("fusiondesk.gui.reviews_view.show_error",
                        lambda parent, exc, detail="": errors.append(str(exc)))
    stale = view.model.review(0)
    with workspace.portfolio.transaction() as session:
        reviews.complete_review(session, stale.id, "rejected", "other")
    view.complete(stale, "approved")
    settle(workspace)
    assert "already completed" in errors[0]
    assert workspace.undo_stack.count() == 0


def test_request_required_reviews_runs_in_the_background_and_is_undoable(qtbot, workspace, settle):
    with workspace.portfolio.transaction() as session:
        app_edits.create_app(session, AppFacts(app_id="T-3", name="Sales Hub", users=80,
                                               lifecycle="pilot"), "tester")
        # as an app from before milestone reviews: it gets its reviews only when asked
        session.execute(delete(Review).where(Review.app_id.in_(
            select(App.id).where(App.app_id == "T-3"))))
    page = ReviewsView(workspace)
    qtbot.addWidget(page)
    page.request_required()
    qtbot.waitUntil(lambda: page.confirmation is not None, timeout=10000)
    assert page.confirmation.text() == "Create 3 reviews for 1 app?"
    page.confirmation.buttons()[0].click()  # "Create 3 reviews"
    settle(workspace)
    assert workspace.undo_stack.count() == 1
    with workspace.read() as session:
        new = {r.type for r in review_queues.open_reviews(session) if r.app_id == "T-3"}
    assert new == {"architecture", "production_readiness", "periodic"}


def test_an_app_reviews_tab_lists_every_review_newest_first(qtbot, workspace, run_change):
    panel = AppReviewsPanel(workspace, "T-2")
    qtbot.addWidget(panel)
    assert panel.model.rowCount() == 3
    with workspace.read() as session:
        first = review_queues.my_queue(session, None)[0]
    run_change(workspace, "Complete", lambda s, who: reviews.complete_review(s, first.id, "rejected", who),
               reviews.revert_review)
    outcomes = [panel.model.review(r).outcome for r in range(panel.model.rowCount())]
    assert "rejected" in outcomes


def test_audit_page_shows_the_report_and_marks_the_audit_done(qtbot, workspace, settle):
    page = AuditView(workspace)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.report_ready, timeout=10000):
        page.show()
    assert page.report.first_audit
    assert "New apps (1)" in page.browser.toPlainText()
    assert "first audit" in page.heading.text()
    with qtbot.waitSignal(page.report_ready, timeout=10000):
        page.mark_done()
    with workspace.read() as session:
        assert [h["who"] for h in audit.audit_history(session)] == ["tester"]
    assert not page.report.first_audit and "New apps (0)" in page.browser.toPlainText()
    workspace.undo()
    settle(workspace)
    with workspace.read() as session:
        assert audit.audit_history(session) == []
