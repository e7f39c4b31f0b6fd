"""Tiers, reasons, warning signs and the policy as a CoE lead sees them in the window."""

import pytest
from sqlalchemy import select

from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.db.models import App
from fusiondesk.gui.app_editor import AppEditor
from fusiondesk.gui.badges import flags_tooltip
from fusiondesk.gui.main_window import MainWindow
from fusiondesk.services.apps import edits as app_edits

QUIET_APP = AppFacts(
    app_id="T-1", name="Shift Roster", platform="Power Apps", environment="Default",
    lifecycle="production", department="Operations", scope="team", users=49,
    data_sensitivity="public", data_categories=(), compliance=(), integrations=(),
    criticality="low", calc_complexity="simple", custom_code=False, support="team",
    dr_plan=True, doc_functional=True, doc_data_sources=True, doc_logic=True, approved_tier=1,
    owners=(Owner("primary", email="ann@contoso.example"), Owner("co_owner", email="bo@contoso.example")),
)


@pytest.fixture
def window(qtbot, empty_portfolio):
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, QUIET_APP, "tester")
    window = MainWindow()
    qtbot.addWidget(window)
    window.workspace.set_portfolio(empty_portfolio)
    return window


def _tier_cell(window):
    view = window.portfolio_view
    return view.model.cell_text(view.model.row_of("T-1"), "tier")


def test_users_49_to_50_moves_the_app_to_tier_3_with_the_reason(window, qtbot, settle):
    assert _tier_cell(window) == "Tier 1"
    editor = AppEditor(window.workspace, "T-1", window)
    qtbot.addWidget(editor)
    assert editor.why.result.tier == 1
    editor.inputs["users"].widget.setText("50")
    editor.tabs.setCurrentIndex(editor.why_index)  # the explanation follows the unsaved edit
    assert editor.why.result.tier == 3
    assert editor.tabs.tabText(editor.why_index) == "Why Tier 3"
    assert "50 users ≥ 50" in editor.why.toPlainText()
    assert "synchronous design review" in editor.why.toPlainText()
    assert "Tier drift" in editor.why.toPlainText()
    editor.save()
    settle(window.workspace)
    assert _tier_cell(window) == "Tier 3"
    assert "tier_drift" in window.portfolio_view.model.cell_text(
        window.portfolio_view.model.row_of("T-1"), "flags")
    window.workspace.undo()
    settle(window.workspace)
    assert _tier_cell(window) == "Tier 1"


def test_unknown_sensitivity_is_shown_as_could_be_higher(window, qtbot):
    editor = AppEditor(window.workspace, "T-1", window)
    qtbot.addWidget(editor)
    editor.inputs["data_sensitivity"].widget.setCurrentText("")
    editor.explain()
    assert editor.why.result.possible_tier == 4
    assert "Could be Tier 4" in editor.why.toPlainText()
    assert "data_sensitivity" in editor.why.toPlainText()


def test_tier_flag_and_drift_filters(qtbot, sample_portfolio):
    window = MainWindow()
    qtbot.addWidget(window)
    window.workspace.set_portfolio(sample_portfolio)
    view = window.portfolio_view
    with sample_portfolio.reading() as session:
        tiers = dict(session.execute(select(App.app_id, App.tier)).all())
        drifted = set(session.scalars(select(App.app_id).where(App.drift.is_(True))))
        flagged = {a for a, f in session.execute(select(App.app_id, App.flags)).all()
                   if "single_owner" in (f or "").split(";")}
    view.tier_filter.setCurrentIndex(view.tier_filter.findData(4))
    shown = {view.model.app_id(r) for r in range(view.model.rowCount())}
    assert shown == {a for a, t in tiers.items() if t == 4}
    view.tier_filter.setCurrentIndex(0)
    view.drift_filter.setChecked(True)
    assert {view.model.app_id(r) for r in range(view.model.rowCount())} == drifted
    view.drift_filter.setChecked(False)
    view.flag_filter.setCurrentIndex(view.flag_filter.findData("single_owner"))
    assert {view.model.app_id(r) for r in range(view.model.rowCount())} == flagged


def test_flag_tooltip_explains_each_sign():
    text = flags_tooltip(["single_owner", "inactive"])
    assert text.splitlines()[0].startswith("Single owner: Only one active person")
    assert text.splitlines()[1].startswith("Inactive: ")


def test_clicking_a_dashboard_bar_shows_its_apps_in_the_portfolio(qtbot, sample_portfolio):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.workspace.set_portfolio(sample_portfolio)
    window.navigation.setCurrentRow(window.pages.indexOf(window.dashboard_page))
    qtbot.waitUntil(lambda: window.dashboard_view.last_data is not None, timeout=20000)
    chart = window.dashboard_view.last_data.charts["platforms"]
    index, bar = next((i, b) for i, b in enumerate(chart.bars) if b.filter)
    window.dashboard_view.click_bar("platforms", index)
    assert window.pages.currentWidget() is window.portfolio_view
    view = window.portfolio_view
    with sample_portfolio.reading() as session:
        expected = set(session.scalars(select(App.app_id).where(App.platform == bar.filter["platform"])))
    assert {view.model.app_id(r) for r in range(view.model.rowCount())} == expected
