"""One click that would create or change many records asks first, naming how many of what."""

import re

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import delete

from fusiondesk.db.models import Review
from fusiondesk.gui.bulk_edit import BulkEditDialog
from fusiondesk.gui.reviews_view import ReviewsView
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.reviews import queues as review_queues


@pytest.fixture
def page(qtbot, workspace):
    with workspace.portfolio.transaction() as session:
        session.execute(delete(Review))  # the sample's review history: start never reviewed
    view = ReviewsView(workspace)
    qtbot.addWidget(view)
    view.show()
    return view


def _open_reviews(workspace):
    with workspace.read() as session:
        return review_queues.open_reviews(session)


def _question(qtbot, owner) -> QMessageBox:
    qtbot.waitUntil(lambda: owner.confirmation is not None and owner.confirmation.isVisible(),
                    timeout=10000)
    return owner.confirmation


def _press(box: QMessageBox, role: QMessageBox.ButtonRole) -> None:
    (button,) = [b for b in box.buttons() if box.buttonRole(b) == role]
    button.click()


def _asked_reviews(qtbot, page) -> tuple[QMessageBox, int, int]:
    page.require_button.click()
    box = _question(qtbot, page)
    found = re.fullmatch(r"Create ([\d,]+) reviews for ([\d,]+) apps\?", box.text())
    assert found, box.text()
    reviews, apps = (int(n.replace(",", "")) for n in found.groups())
    return box, reviews, apps


def test_requesting_required_reviews_asks_first_and_cancel_creates_nothing(
        qtbot, page, workspace, settle):
    box, reviews, apps = _asked_reviews(qtbot, page)
    assert reviews > apps > 20  # the 60-app sample has never been reviewed
    assert "periodic" in box.informativeText() and "Undo" in box.informativeText()
    _press(box, QMessageBox.ButtonRole.RejectRole)
    settle(workspace)
    qtbot.wait(50)
    assert _open_reviews(workspace) == [] and workspace.undo_stack.count() == 0


def test_agreeing_creates_exactly_the_reviews_it_named(qtbot, page, workspace, settle):
    box, reviews, apps = _asked_reviews(qtbot, page)
    assert box.defaultButton().text() == f"Create {reviews:,} reviews"
    _press(box, QMessageBox.ButtonRole.AcceptRole)
    settle(workspace)
    created = _open_reviews(workspace)
    assert len(created) == reviews and len({r.app_id for r in created}) == apps
    assert workspace.undo_stack.count() == 1
    workspace.undo()  # one step takes them all back
    settle(workspace)
    assert _open_reviews(workspace) == []


def test_nothing_to_request_says_so_instead_of_asking(qtbot, page, workspace, settle,
                                                      monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda parent, title, text: told.append(text)))
    box, _reviews, _apps = _asked_reviews(qtbot, page)
    _press(box, QMessageBox.ButtonRole.AcceptRole)
    settle(workspace)
    page.confirmation = None
    page.require_button.click()
    qtbot.waitUntil(lambda: bool(told), timeout=10000)
    assert "already has the reviews" in told[0] and page.confirmation is None


def _app_ids(workspace, count):
    from fusiondesk.services.apps import table as app_table

    with workspace.read() as session:
        return app_table.distinct_values(session, "app_id")[:count]


def _lifecycles(workspace, ids):
    with workspace.read() as session:
        return {app_id: app_edits.load_app(session, app_id).facts.lifecycle for app_id in ids}


def _bulk_retire(qtbot, workspace, ids) -> BulkEditDialog:
    dialog = BulkEditDialog(workspace, ids)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ticks["lifecycle"].setChecked(True)
    dialog.lifecycle.setCurrentText("retired")
    dialog.apply()
    return dialog


def test_a_bulk_edit_of_many_apps_asks_and_cancel_changes_nothing(qtbot, workspace, settle):
    ids = _app_ids(workspace, 25)
    before = _lifecycles(workspace, ids)
    dialog = _bulk_retire(qtbot, workspace, ids)
    box = _question(qtbot, dialog)
    assert box.text() == "Change 25 apps?"
    assert "Lifecycle → retired" in box.informativeText()
    _press(box, QMessageBox.ButtonRole.RejectRole)
    settle(workspace)
    assert _lifecycles(workspace, ids) == before and workspace.undo_stack.count() == 0
    assert dialog.isVisible()  # back to the choices, to change them or cancel


def test_a_bulk_edit_of_many_apps_changes_them_all_once_agreed(qtbot, workspace, settle):
    ids = _app_ids(workspace, 25)
    dialog = _bulk_retire(qtbot, workspace, ids)
    _press(_question(qtbot, dialog), QMessageBox.ButtonRole.AcceptRole)
    settle(workspace)
    assert set(_lifecycles(workspace, ids).values()) == {"retired"}
    assert workspace.undo_stack.count() == 1 and not dialog.isVisible()


def test_a_bulk_edit_of_a_few_apps_does_not_ask(qtbot, workspace, settle):
    ids = _app_ids(workspace, 5)
    dialog = _bulk_retire(qtbot, workspace, ids)
    settle(workspace)
    assert dialog.confirmation is None
    assert set(_lifecycles(workspace, ids).values()) == {"retired"}
