"""Hours saved a month: a canonical field added through the registry, seen end to end.

Declared once in core.fields (with its model column and migration), it is read from a
sheet under the headers exports use, stored, written to the audit workbook's Apps sheet
and read back, edited in the app editor and shown in the portfolio table and its export.
"""

from __future__ import annotations

import csv
from datetime import datetime

import openpyxl
from openpyxl import Workbook
from PySide6.QtCore import Qt

from fusiondesk.db.store.apps import load_facts
from fusiondesk.gui.app_editor import TABS, AppEditor
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.apps.table_export import export_table
from fusiondesk.services.audit.workbook import export_audit
from fusiondesk.services.importing.importer import apply_import, plan_import

FIELD = "hours_saved_per_month"
STAMP = datetime(2026, 11, 1, 9, 30)


def _sheet(path, header: str, rows: list[list]):
    workbook = Workbook()
    workbook.active.title = "Apps"
    for row in [["App ID", "Name", "Platform", header], *rows]:
        workbook.active.append(row)
    workbook.save(path)
    return path


def _hours(portfolio) -> dict[str, int | None]:
    with portfolio.reading() as session:
        return {f.app_id: getattr(f, FIELD) for f in load_facts(session).values()}


def _give_hours(portfolio, every: int) -> dict[str, int]:
    """Hours saved for every `every`-th app of the portfolio, as edits would save them."""
    given = {}
    with portfolio.transaction() as session:
        for number, app_id in enumerate(sorted(_hours(portfolio))):
            if number % every == 0:
                stored = app_edits.load_app(session, app_id)
                app_edits.save_app(session, app_id, {FIELD: 5 * number}, stored.version, "tester")
                given[app_id] = 5 * number
    return given


def _import(portfolio, path):
    with portfolio.reading() as session:
        plan = plan_import(session, path)
    assert not plan.errors
    apply_import(portfolio, plan)
    return plan


def test_a_sheet_says_it_under_the_headers_exports_use(empty_portfolio, tmp_path):
    for header in ("Time saved (h/month)", "Hours saved per month", "Hours saved / month"):
        path = _sheet(tmp_path / f"{len(header)}.xlsx", header,
                      [["HS-1", "Invoice bot", "Power Automate", "12"],
                       ["HS-2", "Leave app", "Power Apps", "1,200"],
                       ["HS-3", "Shift planner", "Power Apps", None]])
        plan = _import(empty_portfolio, path)
        assert plan.sheets[0].mapping[header] == FIELD
        assert _hours(empty_portfolio) == {"HS-1": 12, "HS-2": 1200, "HS-3": None}


def test_the_apps_sheet_of_the_audit_workbook_carries_it_and_reimports_it(
        sample_portfolio, empty_portfolio, tmp_path):
    given = _give_hours(sample_portfolio, every=3)
    # the sample's own value ledgers record some hours too (sample_generator.value)
    known = {app_id: hours for app_id, hours in _hours(sample_portfolio).items() if hours is not None}
    assert given.items() <= known.items()
    with sample_portfolio.reading() as session:
        path = export_audit(session, tmp_path / "audit.xlsx", STAMP, "auditor", "sample").path
    rows = list(openpyxl.load_workbook(path)["Apps"].iter_rows(values_only=True))
    column = rows[0].index(FIELD)
    assert {row[0]: row[column] for row in rows[1:] if row[column] is not None} == known

    _import(empty_portfolio, path)
    assert _hours(empty_portfolio) == _hours(sample_portfolio)


def test_the_editor_shows_it_first_on_the_value_tab_and_saves_it(window, qtbot, settle, sample_portfolio):
    assert TABS["Value"][0] == FIELD  # the value ledger's tab (issue 18)
    with sample_portfolio.reading() as session:
        app_id = next(f.app_id for f in load_facts(session).values() if getattr(f, FIELD) is None)
    editor = AppEditor(window.workspace, app_id, window)
    qtbot.addWidget(editor)
    form = editor.tabs.widget(list(TABS).index("Value")).layout()
    row, _role = form.getWidgetPosition(editor.inputs[FIELD].widget.parentWidget())
    assert form.itemAt(row, form.ItemRole.LabelRole).widget().text() == "Hours saved / month"
    assert editor.inputs[FIELD].widget.text() == ""

    editor.inputs[FIELD].widget.setText("40")
    editor.save()
    settle(window.workspace)  # the save runs on the worker

    with sample_portfolio.reading() as session:
        assert getattr(app_edits.load_app(session, app_id).facts, FIELD) == 40
    reopened = AppEditor(window.workspace, app_id, window)
    qtbot.addWidget(reopened)
    assert reopened.inputs[FIELD].widget.text() == "40"
    reopened.inputs[FIELD].widget.setText("lots")
    reopened.save()
    assert "Hours saved / month must be a whole number" in reopened.errors[FIELD].text()


def test_the_portfolio_table_shows_it_and_exports_it(window, sample_portfolio, tmp_path):
    _give_hours(sample_portfolio, every=4)
    view = window.portfolio_view
    view.refresh()
    view.model.set_columns(["app_id", FIELD])
    assert view.model.headerData(1, Qt.Orientation.Horizontal) == "Hours saved / month"
    with sample_portfolio.reading() as session:
        facts = load_facts(session)
    by_id = {f.app_id: "" if getattr(f, FIELD) is None else str(getattr(f, FIELD))
             for f in facts.values()}
    assert set(by_id.values()) - {""} and "" in set(by_id.values())
    shown = {view.model.cell_text(r, "app_id"): view.model.cell_text(r, FIELD)
             for r in range(view.model.rowCount())}
    assert shown == by_id

    with sample_portfolio.reading() as session:
        export_table(session, sorted(facts), ["app_id", FIELD], tmp_path / "view.csv")
    with open(tmp_path / "view.csv", newline="", encoding="utf-8-sig") as handle:
        exported = list(csv.reader(handle))
    assert exported[0] == ["App ID", "Hours saved / month"]
    assert dict(exported[1:]) == by_id
