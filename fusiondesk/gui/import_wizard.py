"""File > Import inventory: pick or drop a file, choose sheets, map columns and values,
preview every change, then import with progress and cancel.

Nothing is written before the last page; cancelling the import leaves the portfolio
as it was (one transaction), and a backup is made before it starts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from fusiondesk.gui.import_columns_page import MappingPage
from fusiondesk.gui.import_pages import PreviewPage, RunPage, ValuesPage
from fusiondesk.gui.tasks import run_in_background
from fusiondesk.services.importing.choices import SheetChoice, initial_choices, remap_entity
from fusiondesk.sheets.problems import SheetError
from fusiondesk.sheets.profile import load_profile
from fusiondesk.sheets.reader import read_tables

FILE_FILTER = "Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt);;All files (*)"
ERROR_STYLE = "color: #c62828;"
DEFAULT_SIZE = QSize(1120, 680)


@dataclass
class ImportState:
    """What the pages decide together, page by page."""

    path: Path | None = None
    date_order: str = "dmy"
    choices: list[SheetChoice] = field(default_factory=list)
    plan: object = None  # ImportPlan, once previewed
    result: object = None  # ImportResult, once imported

    @property
    def included(self) -> list[SheetChoice]:
        """The sheets that will be imported."""
        return [c for c in self.choices if c.include]


class ImportWizard(QWizard):
    """The import, one decision per page."""

    def __init__(self, workspace, parent=None, path: str | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.state = ImportState()
        self.setWindowTitle("Import inventory")
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.file_page = FilePage(self)
        self.sheets_page = SheetsPage(self)
        self.mapping_page = MappingPage(self)
        self.values_page = ValuesPage(self)
        self.preview_page = PreviewPage(self)
        self.run_page = RunPage(self)
        for page in (self.file_page, self.sheets_page, self.mapping_page, self.values_page,
                     self.preview_page, self.run_page):
            self.addPage(page)
        if path:
            self.file_page.path_edit.setText(path)
        # Wide enough that the columns page shows header, samples, field and a readable
        # reason side by side; short enough for a 1366×768 laptop screen.
        self.resize(DEFAULT_SIZE)


class FilePage(QWizardPage):
    """Step 1: the file (typed, browsed or dropped), an optional profile, the date order."""

    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self._wizard = wizard
        self._read_for: tuple | None = None
        self.setTitle("Choose the inventory")
        self.setSubTitle("An Excel workbook (.xlsx, .xlsm, .xls), an OpenDocument sheet or a CSV. "
                         "You can also drop the file here.")
        self.setAcceptDrops(True)
        self.path_edit, self.profile_edit = QLineEdit(), QLineEdit()
        self.profile_edit.setPlaceholderText("optional: a saved mapping (.toml)")
        self.date_order = QComboBox()
        self.date_order.addItem("day/month/year (31/01/2026)", "dmy")
        self.date_order.addItem("month/day/year (01/31/2026)", "mdy")
        self.error = QLabel(wordWrap=True, styleSheet=ERROR_STYLE)
        form = QFormLayout(self)
        form.addRow("File:", _with_browse(self.path_edit, self._browse_file))
        form.addRow("Mapping profile:", _with_browse(self.profile_edit, self._browse_profile))
        form.addRow("Dates written as:", self.date_order)
        form.addRow(self.error)
        self.path_edit.textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip())

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        urls = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            self.path_edit.setText(urls[0])

    def _browse_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Inventory", str(Path.home()), FILE_FILTER)
        if path:
            self.path_edit.setText(path)

    def _browse_profile(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Mapping profile", str(Path.home()), "Profiles (*.toml)")
        if path:
            self.profile_edit.setText(path)

    def validatePage(self) -> bool:
        """Read the file off the GUI thread; the wizard moves on when it has been read."""
        key = (self.path_edit.text().strip(), self.profile_edit.text().strip(), self.date_order.currentData())
        if self._read_for == key:
            return True
        path, profile_path, order = key
        self.error.setText("")
        if not Path(path).is_file():
            self.error.setText(f"There is no file at {path}. Check the name, or choose it with Browse.")
            return False

        def work(progress):
            profile = load_profile(profile_path) if profile_path else None
            tables = read_tables(path, cancel=progress.event)  # Cancel stops the parser
            return profile, initial_choices(tables, profile, path)

        run_in_background(work, parent=self, label=f"Reading {Path(path).name}…",
                          on_success=lambda found: self._read(key, *found),
                          on_failure=lambda exc, _trace: self._failed(exc), cancellable=True)
        return False

    def _read(self, key, profile, choices) -> None:
        state = self._wizard.state
        state.path, state.date_order = Path(key[0]), key[2]
        state.choices = choices
        recognised = next((c.setup.profile for c in choices if c.setup and c.setup.profile), None)
        if profile is not None or recognised is not None:
            state.date_order = (profile or recognised).date_order
        self._read_for = key
        self._wizard.next()

    def _failed(self, exc: BaseException) -> None:
        reason = str(exc) if isinstance(exc, (SheetError, OSError)) else f"It could not be read: {exc}"
        self.error.setText(reason)


class SheetsPage(QWizardPage):
    """Step 2: which sheets to import, and whether each holds apps or people."""

    def __init__(self, wizard: ImportWizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle("Sheets")
        self.setSubTitle("Sheets named Apps and People are imported together; tick the ones to import.")
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Import", "Sheet", "Rows", "Header row", "Holds"])
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def initializePage(self) -> None:
        choices = self._wizard.state.choices
        self.table.setRowCount(len(choices))
        for row, choice in enumerate(choices):
            tick = QCheckBox()
            tick.setChecked(choice.include)
            tick.toggled.connect(lambda on, c=choice: self._include(c, on))
            kind = QComboBox()
            kind.addItem("apps", "apps")
            kind.addItem("people", "people")
            kind.setCurrentIndex(0 if choice.entity == "apps" else 1)
            kind.currentIndexChanged.connect(lambda _i, c=choice, k=kind: remap_entity(c, k.currentData()))
            self.table.setCellWidget(row, 0, tick)
            for column, text in ((1, choice.table.sheet), (2, f"{len(choice.table.rows):,}"),
                                 (3, str(choice.table.header_row))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
            self.table.setCellWidget(row, 4, kind)
        self.table.resizeColumnsToContents()

    def _include(self, choice: SheetChoice, on: bool) -> None:
        choice.include = on
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self._wizard.state.included)


def _with_browse(edit: QLineEdit, slot) -> QHBoxLayout:
    row = QHBoxLayout()
    button = QPushButton("Browse…")
    button.clicked.connect(slot)
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row
