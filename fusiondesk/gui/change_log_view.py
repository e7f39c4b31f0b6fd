"""The Log page: every change, newest first, filtered by date, entity, source, who and text.

The filters run in SQL (the log grows without bound) and at most ROW_LIMIT rows
come back; a header click sorts those rows as a plain Python list and resets the
model, which is faster than a sort-filter proxy and keeps the sort visible.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.gui.lazy import RefreshWhenSeen
from fusiondesk.gui.list_model import ListModel, sorted_unknown_last
from fusiondesk.services import clock
from fusiondesk.services.change_log import LogEntry, filter_choices, query_log

ROW_LIMIT = 5000
TYPING_PAUSE_MS = 250  # search once the user pauses, not on every keystroke
COLUMNS = ("at", "who", "entity", "entity_key", "field", "old_value", "new_value", "source",
           "source_detail")
HEADERS = {"at": "When", "who": "Who", "entity": "Entity", "entity_key": "Key",
           "field": "Field", "old_value": "Old value", "new_value": "New value",
           "source": "Source", "source_detail": "Detail"}
WIDTHS = {"at": 140, "who": 90, "entity": 70, "entity_key": 220, "field": 130, "old_value": 150,
          "new_value": 150, "source": 70, "source_detail": 220}
ALL = "All"


def cell_text(entry: LogEntry, column: str) -> str:
    """What a cell shows: the log's text as written, the time to the second."""
    value = getattr(entry, column)
    if column == "at":
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return "" if value is None else str(value)


def sort_entries(entries: list[LogEntry], column: str, descending: bool) -> list[LogEntry]:
    """Entries ordered by one column (ties newest first); empty values always last."""
    # Two stable passes: newest first within ties, then by the column itself.
    newest = sorted(entries, key=lambda e: (e.at, e.id), reverse=True)
    if column == "at":  # the id orders rows of the same second
        return sorted_unknown_last(newest, lambda e: (e.at, e.id), descending, as_text=False)
    return sorted_unknown_last(newest, lambda e: getattr(e, column), descending)


class LogModel(ListModel):
    """Log entries shown as a table, sorted in Python."""

    def __init__(self, columns: tuple[str, ...] = COLUMNS, parent=None):
        super().__init__(columns, HEADERS, parent)
        self._sort: tuple[str, bool] = ("at", True)  # newest first

    def set_rows(self, rows: list[LogEntry]) -> None:
        """Show these entries in the current sort order."""
        self.beginResetModel()
        self._rows = sort_entries(rows, *self._sort)
        self.endResetModel()

    def entry(self, row: int) -> LogEntry:
        """The entry on one row."""
        return self._rows[row]

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cell_text(entry, self.columns[index.column()])
        if role == Qt.ItemDataRole.UserRole:
            return entry.id
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort on a header click (a model reset: the log has no selection worth keeping)."""
        self._sort = (self.columns[column], order == Qt.SortOrder.DescendingOrder)
        self.set_rows(self._rows)


def log_table(model: LogModel) -> QTableView:
    """A read-only, sortable table of log entries, newest first."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSortingEnabled(True)
    table.sortByColumn(model.columns.index("at"), Qt.SortOrder.DescendingOrder)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    for index, name in enumerate(model.columns):
        table.setColumnWidth(index, WIDTHS[name])
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    return table


class ChangeLogView(RefreshWhenSeen, QWidget):
    """A page listing the change log with filters."""

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._stale = False
        self.model = LogModel(parent=self)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.refresh)
        self._build()
        workspace.opened.connect(lambda _portfolio: self._refresh_when_seen())
        # Every change is logged, so every change adds rows here.
        workspace.changed.connect(lambda _changes: self._refresh_when_seen())
        self.refresh()

    def _build(self) -> None:
        self.since_check = QCheckBox("Since")
        self.since_edit = QDateEdit()
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("yyyy-MM-dd")
        today = clock.today()
        self.since_edit.setDate(QDate(today.year, today.month, 1))
        self.since_edit.setEnabled(False)
        self.since_check.toggled.connect(self.since_edit.setEnabled)
        self.since_check.toggled.connect(lambda _on: self.refresh())
        self.since_edit.dateChanged.connect(lambda _d: self.refresh())
        self.choices = {name: self._combo() for name in ("entity", "source", "who")}
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search keys, fields, values, people")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(lambda _t: self._typing.start())
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.count_label = QLabel()
        self.table = log_table(self.model)
        bar = QHBoxLayout()
        bar.addWidget(self.since_check)
        bar.addWidget(self.since_edit)
        for name, combo in self.choices.items():
            bar.addWidget(QLabel(f"{name.capitalize()}:"))
            bar.addWidget(combo)
        bar.addWidget(self.search_box, 1)
        bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

    def _combo(self) -> QComboBox:
        combo = QComboBox()
        combo.addItem(ALL, None)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.activated.connect(lambda _i: self.refresh())
        return combo

    def filters(self) -> dict:
        """The filters as `query_log` takes them."""
        since = self.since_edit.date().toPython() if self.since_check.isChecked() else None
        found = {name: combo.currentData() for name, combo in self.choices.items()}
        return {"since": since, **found, "text": self.search_box.text().strip() or None}

    def refresh(self) -> None:
        """Reload the filter menus and the rows matching the filters."""
        self._stale = False
        if self._workspace.portfolio is None:
            self.model.set_rows([])
            self.count_label.setText("No portfolio open")
            return
        with self._workspace.read() as session:
            self._fill_choices(filter_choices(session))
            rows = query_log(session, **self.filters(), limit=ROW_LIMIT + 1)
        self.model.set_rows(rows[:ROW_LIMIT])
        self._update_count(len(rows))

    def _fill_choices(self, choices: dict[str, list[str]]) -> None:
        for name, combo in self.choices.items():
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL, None)
            for value in choices[name]:
                combo.addItem(value, value)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
            combo.blockSignals(False)

    def _update_count(self, found: int) -> None:
        if found > ROW_LIMIT:
            self.count_label.setText(f"Newest {ROW_LIMIT:,} changes shown; narrow the filters "
                                     "to see older ones")
        else:
            self.count_label.setText(f"{found:,} change{'s' if found != 1 else ''}")

    def set_filter(self, name: str, value: str | None) -> None:
        """Choose a value in the entity, source or who menu (None: all)."""
        combo = self.choices[name]
        combo.setCurrentIndex(max(0, combo.findData(value)) if value else 0)
        self.refresh()
