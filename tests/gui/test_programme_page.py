"""The Programme page, Home's headline and the editor's Value tab: the figures the services
count, each explained on hover, a quarter narrowing the page, edits moving the figures."""

from __future__ import annotations

from fusiondesk.core import clock
from fusiondesk.core.delivery import quarter_of
from fusiondesk.db.store.apps import load_facts
from fusiondesk.gui.app_editor import TABS, AppEditor
from fusiondesk.gui.programme_view import ProgrammeView
from fusiondesk.services.classification.reclassify import policy_in_force
from fusiondesk.services.programme import programme_figures


def _loaded(qtbot, view: ProgrammeView, then=None):
    with qtbot.waitSignal(view.loaded, timeout=20000):
        (then or view.refresh)()
    return view.found


def test_the_page_shows_the_services_figures_each_with_its_reason(qtbot, workspace, sample_portfolio):
    view = ProgrammeView(workspace)
    qtbot.addWidget(view)
    found = _loaded(qtbot, view)
    with sample_portfolio.reading() as session:
        expected = programme_figures(session, policy_in_force(session))
    total = expected.value.total
    assert found.value.total.net_value == total.net_value
    assert view.cards["unknown_inputs"].count.text() == f"{total.unknown_inputs:,}"
    assert view.cards["delivered"].count.text() == f"{expected.delivery.solutions_delivered:,}"
    assert "saved +" in view.cards["net_value"].toolTip()
    assert "never counted as zero" in view.cards["licence_cost"].toolTip()
    departments = view.tables["by_department"]
    assert departments.rowCount() == len(expected.value.by_department)
    tip = departments.data(departments.index(0, 2), 3)  # Qt.ToolTipRole: hours saved, explained
    assert "apps with hours saved recorded" in tip


def test_a_quarter_narrows_every_figure_to_its_deliveries(qtbot, workspace):
    view = ProgrammeView(workspace)
    qtbot.addWidget(view)
    everything = _loaded(qtbot, view)
    quarter, delivered = max(everything.delivery.delivered_by_quarter.items(), key=lambda kv: kv[1])
    narrowed = _loaded(qtbot, view, lambda: view.quarter.setCurrentText(quarter))
    assert narrowed.quarter == quarter == view.selected_quarter()
    assert view.cards["delivered"].count.text() == f"{delivered:,}"
    assert set(narrowed.value.by_quarter) <= {quarter}
    assert view.quarter.count() == len(everything.delivery.delivered_by_quarter) + 1  # kept


def test_home_shows_net_value_and_this_quarters_deliveries(qtbot, window):
    home = window.home_page
    window.show()
    with qtbot.waitSignal(home.loaded, timeout=20000):
        home.refresh()
    card = home.cards["net_value"]
    qtbot.waitUntil(lambda: card.count.text() not in ("–", ""), timeout=20000)
    assert "saved +" in card.toolTip() or card.count.text() == "unknown"
    delivered = home.cards["delivered_this_quarter"]
    qtbot.waitUntil(lambda: quarter_of(clock.today()) in delivered.note.text(), timeout=20000)
    card.clicked.emit()
    assert window.navigation.currentItem().text() == "Programme"


def test_the_editors_value_tab_works_out_what_the_form_says(qtbot, window, sample_portfolio):
    with sample_portfolio.reading() as session:
        app_id = next(iter(load_facts(session).values())).app_id
    editor = AppEditor(window.workspace, app_id, window)
    qtbot.addWidget(editor)
    for name, text in (("minutes_saved_per_run", "6"), ("runs_per_month", "100"),
                       ("prodev_estimate_hours", "")):
        editor.inputs[name].widget.setText(text)
    editor.tabs.setCurrentIndex(list(TABS).index("Value"))
    hours = editor.value_panel.figures["hours_saved_per_year"]
    assert hours.text() == "120"
    assert "100 runs a month × 6 minutes" in hours.toolTip()
    assert editor.value_panel.figures["cost_avoided"].text() == "unknown"
    assert "no pro-dev estimate" in editor.value_panel.figures["cost_avoided"].toolTip()
