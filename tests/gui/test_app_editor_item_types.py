"""Kind, licence and environment type in the app editor and the portfolio table."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from sqlalchemy import select

from fusiondesk.core.fields import ENVIRONMENT_TYPES, KINDS
from fusiondesk.db.models import App
from fusiondesk.gui.app_editor import TABS, AppEditor
from fusiondesk.services.apps import edits as app_edits


def _stored(portfolio, app_id):
    with portfolio.reading() as session:
        facts = app_edits.load_app(session, app_id).facts
    return facts.kind, facts.licence, facts.environment_type


def _a_canvas_app(portfolio) -> str:
    with portfolio.reading() as session:
        return session.scalar(select(App.app_id).where(App.kind == "canvas_app").order_by(App.id))


def _choices(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def _values(combo: QComboBox) -> list[str | None]:
    return [combo.itemData(i) for i in range(combo.count())]


def _pick(combo: QComboBox, value: str) -> None:
    combo.setCurrentIndex(combo.findData(value))


def test_the_general_tab_places_kind_by_platform_and_type_by_environment():
    general = TABS["General"]
    assert general.index("kind") == general.index("platform") + 1
    assert general.index("environment_type") == general.index("environment") + 1
    assert "licence" in general


def test_enums_are_fixed_lists_with_unknown_and_licence_is_free_text(window, qtbot, sample_portfolio):
    editor = AppEditor(window.workspace, _a_canvas_app(sample_portfolio), window)
    qtbot.addWidget(editor)
    kind, env_type = editor.inputs["kind"].widget, editor.inputs["environment_type"].widget
    assert _values(kind) == [None, *KINDS] and not kind.isEditable()
    assert _values(env_type) == [None, *ENVIRONMENT_TYPES] and not env_type.isEditable()
    # people read words; the stored value stays the vocabulary's
    assert _choices(kind)[:3] == ["", "Canvas app", "Model-driven app"]
    licence = editor.inputs["licence"].widget
    assert licence.isEditable() and "Standard" in _choices(licence)  # suggested from the portfolio


def test_editor_shows_and_saves_the_three_fields_and_undo_reverts(window, qtbot, sample_portfolio, settle):
    app_id = _a_canvas_app(sample_portfolio)
    before = _stored(sample_portfolio, app_id)
    editor = AppEditor(window.workspace, app_id, window)
    qtbot.addWidget(editor)
    assert editor.inputs["kind"].widget.currentText() == "Canvas app"
    assert editor.inputs["licence"].widget.currentText() == (before[1] or "")
    assert editor.inputs["environment_type"].widget.currentData() == before[2]

    _pick(editor.inputs["kind"].widget, "model_driven_app")
    editor.inputs["licence"].widget.setCurrentText("  Per app ")
    _pick(editor.inputs["environment_type"].widget, "teams")
    editor.save()
    settle(window.workspace)

    assert editor.result() == editor.DialogCode.Accepted
    assert _stored(sample_portfolio, app_id) == ("model_driven_app", "Per app", "teams")
    reopened = AppEditor(window.workspace, app_id, window)
    qtbot.addWidget(reopened)
    assert [reopened.inputs[n].widget.currentText() for n in ("kind", "licence", "environment_type")] \
        == ["Model-driven app", "Per app", "Teams"]
    window.workspace.undo()
    settle(window.workspace)
    assert _stored(sample_portfolio, app_id) == before


def test_choosing_blank_makes_the_fields_unknown(window, qtbot, sample_portfolio, settle):
    app_id = _a_canvas_app(sample_portfolio)
    editor = AppEditor(window.workspace, app_id, window)
    qtbot.addWidget(editor)
    for name in ("kind", "licence", "environment_type"):
        editor.inputs[name].widget.setCurrentText("")
    editor.save()
    settle(window.workspace)
    assert _stored(sample_portfolio, app_id) == (None, None, None)


def test_portfolio_table_filters_by_kind_and_can_show_the_columns(window, sample_portfolio):
    view = window.portfolio_view
    assert _choices(view.filters["kind"])[1:] == list(KINDS)
    view.filters["kind"].setCurrentText("cloud_flow")
    with sample_portfolio.reading() as session:
        flows = session.scalars(select(App.app_id).where(App.kind == "cloud_flow")).all()
    assert flows and view.model.rowCount() == len(flows)

    view.model.set_columns(["name", "kind", "licence", "environment_type"])
    headers = [view.model.headerData(i, Qt.Orientation.Horizontal) for i in range(4)]
    assert headers == ["Name", "Kind", "Licence", "Environment type"]
    assert {view.model.cell_text(r, "kind") for r in range(view.model.rowCount())} == {"Cloud flow"}
