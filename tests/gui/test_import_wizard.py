"""The import wizard as a lead uses it: file, sheets, columns, values, preview, import."""

import openpyxl
import pytest
from PySide6.QtWidgets import QWizard
from sqlalchemy import func, select

from fusiondesk.db.models import App
from fusiondesk.gui import import_pages
from fusiondesk.gui.import_wizard import ImportWizard
from fusiondesk.gui.tasks import Cancelled, wait_for_background
from fusiondesk.gui.workspace import Workspace
from fusiondesk.services.apps import edits as app_edits

from tests.fixtures.exports import servicenow_apm_collapse_xlsx


def _messy_inventory(path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Export"
    sheet.append(["Power Platform admin export, 2026-10-31"])  # a title row above the header
    sheet.append([])
    sheet.append(["App Display Name", "Environment Name", "Owner Email", "# of users",
                  "Data Classification", "Business Impact", "Mood"])
    sheet.append(["Expense Claims", "Production", "Ann@Contoso.example", "1,200", "Highly confidential",
                  "Critical", "happy"])
    sheet.append(["Shift Roster", "Default", "bo@contoso.example", "12", "Top secret-ish", "Low", "meh"])
    sheet.append(["", "Default", "cy@contoso.example", "3", "Public", "Low", "?"])  # no name: invalid
    book.save(path)
    return path


@pytest.fixture
def wizard(qtbot, empty_portfolio, tmp_path):
    workspace = Workspace()
    workspace.set_portfolio(empty_portfolio)
    wizard = ImportWizard(workspace, path=str(_messy_inventory(tmp_path / "export.xlsx")))
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _next(qtbot, wizard, page):
    wizard.next()
    wait_for_background()
    qtbot.waitUntil(lambda: wizard.currentPage() is page, timeout=10000)


def _count(portfolio):
    with portfolio.reading() as session:
        return session.scalar(select(func.count(App.id)))


def test_whole_import_with_a_value_mapped_by_hand(qtbot, wizard, empty_portfolio):
    _next(qtbot, wizard, wizard.sheets_page)
    (choice,) = wizard.state.included
    assert choice.table.header_row == 3  # found below the title rows
    _next(qtbot, wizard, wizard.mapping_page)
    assert choice.mapping["App Display Name"] == "name"
    assert choice.mapping["# of users"] == "users"
    assert choice.mapping["Mood"] is None  # nothing it could mean
    _next(qtbot, wizard, wizard.values_page)
    table = wizard.values_page.table
    shown = {table.item(r, 2).text(): r for r in range(table.rowCount())}
    assert "Top secret-ish" in shown
    combo = table.cellWidget(shown["Top secret-ish"], 3)
    combo.setCurrentIndex(combo.findData("regulated"))
    _next(qtbot, wizard, wizard.preview_page)
    qtbot.waitUntil(lambda: wizard.preview_page.isComplete(), timeout=10000)
    assert "<b>2</b> to create" in wizard.preview_page.counts.text()
    assert "<b>1</b> invalid rows" in wizard.preview_page.counts.text()
    assert _count(empty_portfolio) == 0  # the preview writes nothing
    _next(qtbot, wizard, wizard.run_page)
    qtbot.waitUntil(lambda: wizard.run_page.isComplete(), timeout=20000)
    assert "2 created" in wizard.run_page.summary.text()
    with empty_portfolio.reading() as session:
        rows = dict(session.execute(select(App.name, App.data_sensitivity)).all())
        expense = app_edits.load_app(session, session.scalar(
            select(App.app_id).where(App.name == "Expense Claims"))).facts
    assert rows == {"Expense Claims": "regulated", "Shift Roster": "regulated"}
    assert expense.users == 1200 and expense.criticality == "mission_critical"
    assert expense.owners[0].email == "ann@contoso.example"


def test_cancelled_import_changes_nothing(qtbot, wizard, empty_portfolio, monkeypatch):
    def cancelled(*_args, **_kwargs):
        raise Cancelled()

    monkeypatch.setattr(import_pages, "apply_import", cancelled)
    for page in (wizard.sheets_page, wizard.mapping_page, wizard.values_page, wizard.preview_page):
        _next(qtbot, wizard, page)
    qtbot.waitUntil(lambda: wizard.preview_page.isComplete(), timeout=10000)
    _next(qtbot, wizard, wizard.run_page)
    qtbot.waitUntil(lambda: wizard.run_page.isComplete(), timeout=10000)
    assert wizard.run_page.summary.text() == "Import cancelled. Nothing was changed."
    assert _count(empty_portfolio) == 0


def test_a_file_that_is_not_a_spreadsheet_is_explained_on_the_first_page(qtbot, wizard, tmp_path):
    bogus = tmp_path / "photo.xlsx"
    bogus.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    wizard.file_page.path_edit.setText(str(bogus))
    wizard.next()
    wait_for_background()
    qtbot.waitUntil(lambda: wizard.file_page.error.text() != "", timeout=10000)
    assert wizard.currentPage() is wizard.file_page
    assert wizard.file_page.error.text() == ("photo.xlsx is not a spreadsheet (it is a PNG image); "
                                             "choose the Excel or CSV file that holds the inventory.")


def test_mapping_page_refuses_a_sheet_without_a_name_column(qtbot, wizard):
    _next(qtbot, wizard, wizard.sheets_page)
    _next(qtbot, wizard, wizard.mapping_page)
    choice = wizard.state.included[0]
    choice.mapping["App Display Name"] = None
    assert not wizard.mapping_page.validatePage()
    assert "no column is mapped to name" in wizard.mapping_page.subTitle()


def _choose_field(page, header, field):
    box = page.table.cellWidget(page.table.row_of(header), 2)
    box.setCurrentIndex(box.findData(field))


def test_a_key_column_that_would_merge_apps_is_refused_on_the_preview_until_fixed(
        qtbot, empty_portfolio, tmp_path):
    workspace = Workspace()
    workspace.set_portfolio(empty_portfolio)
    wizard = ImportWizard(workspace, path=str(servicenow_apm_collapse_xlsx(tmp_path)))
    qtbot.addWidget(wizard)
    wizard.show()
    _next(qtbot, wizard, wizard.sheets_page)
    _next(qtbot, wizard, wizard.mapping_page)
    mapping, preview = wizard.mapping_page, wizard.preview_page
    _choose_field(mapping, "Number", None)  # the classic trap: a category taken for the id
    _choose_field(mapping, "Application type", "app_id")
    _next(qtbot, wizard, wizard.values_page)
    _next(qtbot, wizard, preview)
    qtbot.waitUntil(lambda: preview.refusal.isVisible(), timeout=10000)
    refusal = preview.refusal.text()
    assert "The column Application type (D)" in refusal
    assert "90 apps would collapse into 2" in refusal
    assert "Go Back to Columns to change the mapping" in refusal
    assert "cannot go ahead" in preview.counts.text()
    assert not preview.isComplete()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # "Import"
    assert not preview.tabs.isVisible()
    assert _count(empty_portfolio) == 0
    wizard.back()
    wizard.back()
    assert wizard.currentPage() is mapping
    _choose_field(mapping, "Application type", None)
    _choose_field(mapping, "Number", "app_id")
    _next(qtbot, wizard, wizard.values_page)
    _next(qtbot, wizard, preview)
    qtbot.waitUntil(lambda: preview.isComplete(), timeout=10000)
    assert not preview.refusal.isVisible() and preview.tabs.isVisible()
    assert "<b>90</b> to create" in preview.counts.text()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_cancel_while_a_file_is_read_stops_the_parser_and_stays_on_the_first_page(
        qtbot, wizard, monkeypatch):
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from fusiondesk.gui import import_wizard
    from fusiondesk.sheets.reader import ReadCancelled

    def slow_read(path, cancel=None):  # a parser child busy on a huge file
        assert cancel.wait(20), "Cancel never reached the reader"
        raise ReadCancelled("Reading export.xlsx was cancelled; nothing was read.")

    monkeypatch.setattr(import_wizard, "read_tables", slow_read)
    wizard.next()
    qtbot.waitUntil(lambda: any(isinstance(w, QProgressDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=5000)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, QProgressDialog) and w.isVisible())
    dialog.canceled.emit()  # what its Cancel button sends
    wait_for_background()
    qtbot.waitUntil(lambda: "cancelled" in wizard.file_page.error.text(), timeout=5000)
    assert wizard.currentPage() is wizard.file_page
