"""A second window learns of changes made by another, and keeps its own history and input."""

from __future__ import annotations

from datetime import date, timedelta

from fusiondesk.core.facts import AppFacts
from fusiondesk.core.tiers import DAY_SETTING
from fusiondesk.db.engine import open_portfolio
from fusiondesk.db.store.settings import read_setting
from fusiondesk.services.apps.edits import create_app

from tests.conftest import TODAY
from tests.services.test_narrow_reclassify import _fresh, _stored


def test_another_windows_new_app_appears_and_the_status_bar_says_why(window, qtbot, sample_portfolio):
    table = window.portfolio_view.model
    before = table.rowCount()
    other = open_portfolio(sample_portfolio.location.path, daily_backup=False)
    try:
        with other.transaction() as session:
            create_app(session, AppFacts(app_id="ELSEWHERE-1", name="Made elsewhere"), "someone else")
    finally:
        other.close()

    with qtbot.waitSignal(window.workspace.others_changed, timeout=10_000):
        pass  # the workspace's timer looks every two seconds
    qtbot.waitUntil(lambda: table.rowCount() == before + 1, timeout=10_000)
    assert "another window" in window.statusBar().currentMessage()


def test_our_own_change_is_not_taken_for_someone_elses(window, qtbot, run_change):
    seen = []
    window.workspace.others_changed.connect(lambda: seen.append(True))
    run_change(window.workspace, "Add",
               lambda session, who: create_app(session, AppFacts(app_id="OURS-1", name="Ours"), who),
               lambda session, done, who: done)
    window.workspace.look_for_others()
    assert seen == []


def test_a_window_open_past_midnight_brings_the_warning_signs_to_the_new_day(
        window, qtbot, sample_portfolio, monkeypatch):
    later = (date.fromisoformat(TODAY) + timedelta(days=60)).isoformat()
    with sample_portfolio.reading() as session:
        assert _stored(session) != _fresh(session, date.fromisoformat(later))  # signs will move
    monkeypatch.setenv("FUSIONDESK_TODAY", later)

    with qtbot.waitSignal(window.workspace.changed, timeout=10_000):
        window.workspace.look_for_others()  # the timer's next look
    qtbot.waitUntil(lambda: not window.workspace.busy, timeout=10_000)
    with sample_portfolio.reading() as session:
        assert read_setting(session, DAY_SETTING) == later
        assert _stored(session) == _fresh(session)
    assert window.workspace.undo_stack.count() == 0  # nothing the user did
