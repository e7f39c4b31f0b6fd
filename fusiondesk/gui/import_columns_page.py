"""Step 3 of the import: which column of the file feeds which field, and why.

Above the table: the format FusionDesk recognised for the sheet (a built-in profile), the
profile the user chose, or that none was recognised. The table lists every column of the
sheet — the workbook's hidden system columns too, greyed — with a few sample values, the
field it feeds (editable), how sure the suggestion is, and why.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QVBoxLayout,
    QWizardPage,
)

from fusiondesk.core.resources import resource_dirs
from fusiondesk.gui.import_pages import ERROR_STYLE, field_spec, readonly_item
from fusiondesk.gui.tasks import run_in_background
from fusiondesk.services.importing.choices import SheetChoice, save_choice_as_profile
from fusiondesk.services.importing.sheet import ColumnReport
from fusiondesk.sheets.mapping import fields_for

IGNORE = "(ignore this column)"
SUBTITLE = "Check which field each column of the file feeds; fix any that are wrong, or ignore a column."
COLUMN, SAMPLES, FIELD, CONFIDENCE, WHY = range(5)
HEADERS = ["Column in the file", "Sample values", "Field", "Confidence", "Why"]
HEADER_ROLE = Qt.ItemDataRole.UserRole  # the column's header, whatever its cell shows
ROW_PADDING = 6
MIN_SAMPLES_WIDTH = 120  # below this a sample is only an ellipsis
NOTE_STYLE = "padding: 6px 8px; border-radius: 4px; background: palette(alternate-base);"
HIDDEN_TIP = ("Hidden in the workbook: system data the export tool needs (ids, checksums), "
              "not part of the inventory. It is never imported.")


def format_note(choice: SheetChoice) -> str:
    """What FusionDesk knows about the sheet's format, in one line of rich text."""
    profile = choice.setup.profile if choice.setup else None
    if profile is None:
        return ("No known format recognised: suggestions come from the headers; "
                "check each column below.")
    name = html.escape(profile.name)
    if profile.builtin:
        return f"Recognised: <b>{name}</b> — a built-in profile; change any column below."
    return f"Mapped by your profile <b>{name}</b>; change any column below."


def _profile_file_name(name: str) -> str:
    """A file name for a profile's name on every platform (no ':' or '/' from names like
    "CoE Starter Kit: apps")."""
    return re.sub(r'[\\/:*?"<>|]+', " -", name).strip() + ".toml"


def _is_builtin_location(path: Path) -> bool:
    """True for a path among the shipped profiles, which are read-only."""
    folders = {(folder / "profiles").resolve() for folder in resource_dirs()}
    return path.resolve().parent in folders


class _SingleLine(QStyledItemDelegate):
    """Keeps a cell to one elided line while the reason column wraps."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText


class _FieldBox(QComboBox):
    """A field combo that a wheel turns only once it has been clicked: scrolling down a
    long list of columns must not remap the ones the pointer passes over."""

    def __init__(self):
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # the table scrolls instead


class ColumnsTable(QTableWidget):
    """The columns of one sheet; it keeps the header → field mapping in view at any width."""

    def __init__(self):
        super().__init__(0, len(HEADERS))
        self.setHorizontalHeaderLabels(HEADERS)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        # Rows fit the wrapped reasons, but never squeeze the field combos.
        self.verticalHeader().setMinimumSectionSize(QComboBox().sizeHint().height() + ROW_PADDING)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        one_line = _SingleLine(self)
        self.setItemDelegateForColumn(COLUMN, one_line)
        self.setItemDelegateForColumn(SAMPLES, one_line)
        header = self.horizontalHeader()
        header.setSectionResizeMode(COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(SAMPLES, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(FIELD, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CONFIDENCE, QHeaderView.ResizeMode.ResizeToContents)
        # Not Stretch: a stretched section gets its width only when the header lays out
        # later, so rows measured for the wrapped reasons would be sized for a stale width.
        header.setSectionResizeMode(WHY, QHeaderView.ResizeMode.Fixed)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Share the width: field and confidence as they need, the header column up to a
        third of the rest, sample values up to two fifths of what is left (they elide, with
        a tooltip), the reason the remainder; then rows grow to fit the wrapped reasons."""
        rest = self.viewport().width() - self.columnWidth(FIELD) - self.columnWidth(CONFIDENCE)
        header_width = min(self.sizeHintForColumn(COLUMN), rest // 3)
        samples_width = max(MIN_SAMPLES_WIDTH,
                            min(self.sizeHintForColumn(SAMPLES), (rest - header_width) * 2 // 5))
        self.setColumnWidth(COLUMN, header_width)
        self.setColumnWidth(SAMPLES, samples_width)
        self.setColumnWidth(WHY, max(0, rest - header_width - samples_width))
        self.resizeRowsToContents()

    def row_of(self, header: str) -> int:
        """The row that shows a column of the file, by its header; -1 if none."""
        for row in range(self.rowCount()):
            if self.item(row, COLUMN).data(HEADER_ROLE) == header:
                return row
        return -1


class MappingPage(QWizardPage):
    """Step 3: which column feeds which field, how sure the suggestion is, and why."""

    def __init__(self, wizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle("Columns")
        self.setSubTitle(SUBTITLE)
        self.sheet_box = QComboBox()
        self.sheet_box.currentIndexChanged.connect(self._show_sheet)
        self.format_note = QLabel(wordWrap=True, styleSheet=NOTE_STYLE)
        self.table = ColumnsTable()
        self.saved_note = QLabel(wordWrap=True)
        save = QPushButton("Save as profile…")
        save.setToolTip("Save this sheet's mapping as your own profile (TOML), to reuse next time.")
        save.clicked.connect(self._save_profile)
        top = QHBoxLayout()
        top.addWidget(QLabel("Sheet:"))
        top.addWidget(self.sheet_box, 1)
        top.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.format_note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.saved_note)

    def initializePage(self) -> None:
        self.sheet_box.blockSignals(True)
        self.sheet_box.clear()
        for choice in self._wizard.state.included:
            self.sheet_box.addItem(f"{choice.table.sheet} ({choice.entity})", choice)
        self.sheet_box.blockSignals(False)
        self.saved_note.clear()
        self._show_sheet()

    # --- the table ----------------------------------------------------------------

    def _show_sheet(self) -> None:
        choice = self.sheet_box.currentData()
        if choice is None:
            return
        self.format_note.setText(format_note(choice))
        reports = choice.columns()
        self.table.setRowCount(len(reports))
        for row, report in enumerate(reports):
            self._fill_row(row, choice, report)
        self.table.resizeColumnToContents(FIELD)
        self.table.fit_columns()

    def _fill_row(self, row: int, choice: SheetChoice, report: ColumnReport) -> None:
        column = readonly_item(f"{report.column} · {report.header}")
        column.setData(HEADER_ROLE, report.header)
        column.setToolTip(f"Column {report.column}: {report.header}")
        samples = "; ".join(choice.samples(report.header))
        sample_item = readonly_item(samples)
        sample_item.setToolTip(samples)
        self.table.setItem(row, COLUMN, column)
        self.table.setItem(row, SAMPLES, sample_item)
        self.table.setCellWidget(row, FIELD, self._field_box(choice, report))
        self._show_outcome(row, report)

    def _field_box(self, choice: SheetChoice, report: ColumnReport) -> QComboBox:
        """The field a column feeds; a hidden system column stays ignored (greyed)."""
        box = _FieldBox()
        box.addItem(IGNORE, None)
        for spec in fields_for(choice.entity):
            box.addItem(field_spec(choice.entity, spec.name).label, spec.name)
            box.setItemData(box.count() - 1, f"field “{spec.name}”", Qt.ItemDataRole.ToolTipRole)
        box.setCurrentIndex(max(0, box.findData(report.field)))
        if choice.setup and report.header in choice.setup.hidden:
            box.setEnabled(False)
            box.setToolTip(HIDDEN_TIP)
        box.currentIndexChanged.connect(
            lambda _i: self._field_changed(choice, report.header, box.currentData()))
        return box

    def _show_outcome(self, row: int, report: ColumnReport) -> None:
        """Confidence and reason of one column; an ignored column reads greyed."""
        confidence = readonly_item(f"{report.confidence:.0%}" if report.field else "—")
        confidence.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        why = readonly_item(report.reason)
        why.setToolTip(report.reason)
        self.table.setItem(row, CONFIDENCE, confidence)
        self.table.setItem(row, WHY, why)
        group = QPalette.ColorGroup.Disabled if report.field is None else QPalette.ColorGroup.Active
        colour = self.palette().color(group, QPalette.ColorRole.Text)
        for column in (COLUMN, SAMPLES, CONFIDENCE, WHY):
            self.table.item(row, column).setForeground(colour)

    def _field_changed(self, choice: SheetChoice, header: str, field: str | None) -> None:
        choice.mapping[header] = field
        self.saved_note.clear()
        for row, report in enumerate(choice.columns()):
            self._show_outcome(row, report)
        self.table.resizeRowsToContents()

    # --- leaving the page ------------------------------------------------------------

    def validatePage(self) -> bool:
        for choice in self._wizard.state.included:
            used = [f for f in choice.mapping.values() if f]
            doubled = sorted({f for f in used if used.count(f) > 1})
            key = "name" if choice.entity == "apps" else "email"
            if doubled or key not in used:
                problem = (f"{', '.join(doubled)} is fed by two columns" if doubled
                           else f"no column is mapped to {key}, which every row needs")
                self.setSubTitle(f"Sheet {choice.table.sheet}: {problem}. Fix it to go on.")
                return False
        self.setSubTitle(SUBTITLE)  # a problem fixed is no longer shown
        return True

    # --- saving the mapping ----------------------------------------------------------

    def _save_profile(self) -> None:
        """Save the sheet's mapping as the user's own profile; a built-in one is never
        overwritten: its mapping is saved as a copy under a new name."""
        choice = self.sheet_box.currentData()
        if choice is None:
            return
        name, ok = QInputDialog.getText(self, "Save profile", "Profile name:",
                                        text=self._suggested_name(choice))
        if not ok or not name.strip():
            return
        suggested = Path.home() / _profile_file_name(name.strip())
        path, _ = QFileDialog.getSaveFileName(self, "Save profile", str(suggested),
                                              "Profiles (*.toml)")
        if not path:
            return
        if _is_builtin_location(Path(path)):
            self._say(f"The profiles FusionDesk ships are read-only; save “{name.strip()}” "
                      "in another folder.", error=True)
            return
        self._write_profile(choice, name.strip(), Path(path))

    @staticmethod
    def _suggested_name(choice: SheetChoice) -> str:
        profile = choice.setup.profile if choice.setup else None
        if profile is None:
            return choice.table.sheet
        return f"{profile.name} (my copy)" if profile.builtin else profile.name

    def _write_profile(self, choice: SheetChoice, name: str, path: Path) -> None:
        # A snapshot, so edits made while the file is written do not race the worker.
        snapshot = replace(choice, mapping=dict(choice.mapping),
                           values={k: dict(v) for k, v in choice.values.items()})
        order = self._wizard.state.date_order
        run_in_background(lambda _p: save_choice_as_profile(snapshot, name, order, path),
                          parent=self, label=f"Saving {path.name}…",
                          on_success=lambda saved: self._say(
                              f"Saved “{name}” to {saved}. Choose it on the first page next time."),
                          on_failure=lambda exc, _t: self._say(str(exc), error=True))

    def _say(self, text: str, error: bool = False) -> None:
        self.saved_note.setStyleSheet(ERROR_STYLE if error else "")
        self.saved_note.setText(text)
