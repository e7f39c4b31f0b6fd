"""The Columns page as a lead reads it: the format recognised, every column and why."""

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication

from fusiondesk.core.resources import resource_path
from fusiondesk.gui import import_columns_page
from fusiondesk.gui.import_columns_page import COLUMN, CONFIDENCE, FIELD, SAMPLES, WHY
from fusiondesk.gui.import_wizard import DEFAULT_SIZE, ImportWizard
from fusiondesk.gui.tasks import wait_for_background
from fusiondesk.gui.workspace import Workspace
from fusiondesk.sheets.profile import load_profile

from tests.fixtures.exports import (
    coe_kit_apps_xlsx,
    hand_tracker_xlsx,
    ppac_inventory_csv,
    servicenow_apm_collapse_xlsx,
)

HIDDEN = "ignored: a hidden column of the workbook (system data)"


@pytest.fixture
def columns_page(qtbot, empty_portfolio):
    """The Columns page of a wizard opened on a file, as the user reaches it."""

    def open_on(path):
        workspace = Workspace()
        workspace.set_portfolio(empty_portfolio)
        wizard = ImportWizard(workspace, path=str(path))
        qtbot.addWidget(wizard)
        wizard.show()
        for page in (wizard.sheets_page, wizard.mapping_page):
            wizard.next()
            wait_for_background()
            qtbot.waitUntil(lambda p=page: wizard.currentPage() is p, timeout=10000)
        return wizard.mapping_page

    return open_on


def _row(page, header):
    row = page.table.row_of(header)
    assert row >= 0, f"{header} is not listed"
    return row


def _text(page, header, column):
    return page.table.item(_row(page, header), column).text()


def _field_box(page, header):
    return page.table.cellWidget(_row(page, header), FIELD)


def test_a_ppac_download_says_which_format_was_recognised(columns_page, tmp_path):
    page = columns_page(ppac_inventory_csv(tmp_path))
    note = page.format_note.text()
    assert "Recognised: <b>Power Platform admin center inventory</b>" in note
    assert "a built-in profile; change any column below" in note
    assert page.table.rowCount() == 12  # every column of the file, mapped or not
    assert _text(page, "Item name", COLUMN) == "A · Item name"
    assert _field_box(page, "Item name").currentData() == "name"
    assert _text(page, "Item name", WHY) == "Power Platform admin center inventory profile"
    assert _text(page, "Item name", CONFIDENCE) == "100%"
    assert "Expense Claims" in _text(page, "Item name", SAMPLES)
    assert _field_box(page, "Location").currentData() is None
    assert _text(page, "Location", WHY) == "ignored: the data-centre region (e.g. unitedstates)"
    assert _text(page, "Location", CONFIDENCE) == "—"


def test_a_file_of_no_known_format_says_suggestions_come_from_the_headers(columns_page, tmp_path):
    path = tmp_path / "my list.csv"
    path.write_text("App Display Name,Owner Email,Mood\nExpense Claims,ann@contoso.example,happy\n",
                    encoding="utf-8")
    page = columns_page(path)
    assert page.format_note.text().startswith("No known format recognised: suggestions come "
                                              "from the headers")
    assert _field_box(page, "App Display Name").currentData() == "name"
    assert _text(page, "Mood", WHY).startswith("ignored: ")


def test_the_coe_kit_hidden_system_columns_are_listed_ignored_and_greyed(columns_page, tmp_path):
    page = columns_page(coe_kit_apps_xlsx(tmp_path))
    assert "CoE Starter Kit: apps (Export to Excel)" in page.format_note.text()
    hidden = ["(Do Not Modify) App", "(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On"]
    grey = page.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    for header in hidden:
        assert _text(page, header, WHY) == HIDDEN
        box = _field_box(page, header)
        assert box.currentData() is None and not box.isEnabled()  # system data stays out
        assert page.table.item(_row(page, header), COLUMN).foreground().color() == grey
    assert [_text(page, h, COLUMN)[0] for h in hidden] == ["A", "B", "C"]
    assert _field_box(page, "App Display Name").isEnabled()


def test_changing_a_field_updates_the_reason_and_confidence(columns_page, tmp_path):
    page = columns_page(ppac_inventory_csv(tmp_path))
    box = _field_box(page, "Location")
    box.setCurrentIndex(box.findData("notes"))
    assert _text(page, "Location", WHY) == "chosen in the mapping"
    assert _text(page, "Location", CONFIDENCE) == "100%"
    assert page.sheet_box.currentData().mapping["Location"] == "notes"
    box.setCurrentIndex(box.findData(None))
    assert _text(page, "Location", WHY) == "ignored: the data-centre region (e.g. unitedstates)"
    assert page.sheet_box.currentData().mapping["Location"] is None


@pytest.mark.parametrize("export", [ppac_inventory_csv, coe_kit_apps_xlsx, servicenow_apm_collapse_xlsx,
                                    hand_tracker_xlsx])
def test_the_mapping_fits_without_scrolling_sideways_at_the_default_size(columns_page, tmp_path, export):
    page = columns_page(export(tmp_path))
    assert page.window().size() == DEFAULT_SIZE
    scroll = page.table.horizontalScrollBar()
    assert not scroll.isVisible() and scroll.maximum() == 0
    widths = [page.table.columnWidth(c) for c in (COLUMN, SAMPLES, FIELD, CONFIDENCE, WHY)]
    assert sum(widths) <= page.table.viewport().width()
    assert page.table.columnWidth(WHY) >= 300  # the reason stays readable, not a ribbon


def _answer_dialogs(monkeypatch, path, asked):
    """Stand in for the name and file dialogs: accept the suggested name, save to `path`."""

    class Name:
        @staticmethod
        def getText(_parent, _title, _label, text=""):
            asked.append(text)
            return text, True

    class Files:
        @staticmethod
        def getSaveFileName(*_args):
            return str(path), "Profiles (*.toml)"

    monkeypatch.setattr(import_columns_page, "QInputDialog", Name)
    monkeypatch.setattr(import_columns_page, "QFileDialog", Files)


def _save_profile(qtbot, page):
    page._save_profile()
    wait_for_background()
    qtbot.waitUntil(lambda: page.saved_note.text() != "", timeout=10000)


def test_saving_a_recognised_built_in_profile_writes_the_users_own_copy(
        qtbot, columns_page, tmp_path, monkeypatch):
    shipped = resource_path("profiles/ppac_inventory.toml")
    before = shipped.read_bytes()
    page = columns_page(ppac_inventory_csv(tmp_path))
    box = _field_box(page, "Location")
    box.setCurrentIndex(box.findData("notes"))
    asked = []
    _answer_dialogs(monkeypatch, tmp_path / "mine.toml", asked)
    _save_profile(qtbot, page)
    assert asked == ["Power Platform admin center inventory (my copy)"]
    copy = load_profile(tmp_path / "mine.toml")
    assert copy.name == "Power Platform admin center inventory (my copy)" and not copy.builtin
    assert copy.columns["Location"] == "notes" and copy.columns["Item name"] == "name"
    assert "Saved “Power Platform admin center inventory (my copy)”" in page.saved_note.text()
    assert shipped.read_bytes() == before


def test_a_built_in_profile_file_is_never_overwritten(qtbot, columns_page, tmp_path, monkeypatch):
    shipped = resource_path("profiles/ppac_inventory.toml")
    before = shipped.read_bytes()
    page = columns_page(ppac_inventory_csv(tmp_path))
    _answer_dialogs(monkeypatch, shipped, [])
    page._save_profile()
    wait_for_background()
    assert "read-only" in page.saved_note.text()
    assert shipped.read_bytes() == before


def test_scrolling_over_the_table_does_not_remap_a_column(columns_page, tmp_path):
    page = columns_page(ppac_inventory_csv(tmp_path))
    box = _field_box(page, "Owner")
    centre = QPointF(box.rect().center())
    wheel = QWheelEvent(centre, box.mapToGlobal(centre), QPoint(), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(box, wheel)
    assert box.currentData() == "primary_owner"
