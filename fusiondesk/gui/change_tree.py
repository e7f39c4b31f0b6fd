"""Changes as a tree: one row per user action, expanding to the fields it changed.

The log grows without bound, so the tree holds one page of changes at a time and asks for
the next when the view scrolls to the end (`canFetchMore`/`fetchMore`), and a change's
field rows only when it is expanded; both are read on the worker thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from fusiondesk.core.labels import label
from fusiondesk.core.terms import Entity, Source
from fusiondesk.gui.tasks import run_in_background, while_alive
from fusiondesk.services.change_history import (
    PAGE,
    Change,
    ChangeFilter,
    LogEntry,
    change_entries,
    count_changes,
    field_change,
    list_changes,
    subject_of,
)

FIELD_ROWS = 1000  # field rows shown under one change; a 40,000-row import says how many more
COLUMNS = ("at", "who", "source", "what")
HEADERS = {"at": "When", "who": "Who", "source": "Source", "what": "What"}
WIDTHS = {"at": 140, "who": 120, "source": 90}
_TOP = 0  # the internal id of a change's index; a field row's is its change's row + 1


class ChangeTreeModel(QAbstractItemModel):
    """Changes (top level) and, once loaded, their field rows (children)."""

    page_wanted = Signal(int)  # the last row id shown: read the changes older than it
    fields_wanted = Signal(int)  # the row of a change whose field rows to read

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._changes: list[Change] = []
        self._fields: dict[int, list[tuple[LogEntry, str]]] = {}  # change row -> (row, subject)
        self._more: dict[int, int] = {}  # change row -> field rows not shown
        self._complete = True
        self._waiting: set[int | None] = set()  # None: the next page; n: change n's fields

    # -- filled by the view ---------------------------------------------------------------
    def show(self, changes: list[Change], complete: bool) -> None:
        """Show these changes alone (a new filter, or the log moved on)."""
        self.beginResetModel()
        self._changes, self._fields, self._more = list(changes), {}, {}
        self._complete, self._waiting = complete, set()
        self.endResetModel()

    def add_page(self, changes: list[Change], complete: bool) -> None:
        """Append the next (older) page of changes."""
        self._waiting.discard(None)
        self._complete = complete
        if changes:
            start = len(self._changes)
            self.beginInsertRows(QModelIndex(), start, start + len(changes) - 1)
            self._changes.extend(changes)
            self.endInsertRows()

    def add_fields(self, row: int, entries: list[LogEntry], names: dict[str, str]) -> None:
        """Put a change's field rows under it (at most FIELD_ROWS; the rest counted)."""
        self._waiting.discard(row)
        shown = entries[:FIELD_ROWS]
        more = max(0, self._changes[row].rows - len(shown))
        added = len(shown) + (1 if more else 0)
        if added:
            self.beginInsertRows(self.index(row, 0), 0, added - 1)
        self._fields[row] = [(e, subject_of(e, names)) for e in shown]
        self._more[row] = more
        if added:
            self.endInsertRows()

    def change(self, row: int) -> Change:
        """The change on a top-level row."""
        return self._changes[row]

    def field_rows(self, row: int) -> list[LogEntry]:
        """The field rows loaded under a change."""
        return [entry for entry, _subject in self._fields.get(row, [])]

    # -- Qt model --------------------------------------------------------------------------
    def index(self, row: int, column: int, parent=QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, _TOP if not parent.isValid() else parent.row() + 1)

    def parent(self, index=QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _TOP)

    def rowCount(self, parent=QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._changes)
        if parent.internalId() != _TOP or parent.column() != 0:
            return 0
        return len(self._fields.get(parent.row(), [])) + (1 if self._more.get(parent.row()) else 0)

    def columnCount(self, parent=QModelIndex()) -> int:
        return len(COLUMNS)

    def hasChildren(self, parent=QModelIndex()) -> bool:
        if not parent.isValid():
            return bool(self._changes)
        return parent.internalId() == _TOP and parent.column() == 0

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        if not parent.isValid():
            return not self._complete and None not in self._waiting and bool(self._changes)
        return (parent.internalId() == _TOP and parent.row() not in self._fields
                and parent.row() not in self._waiting)

    def fetchMore(self, parent=QModelIndex()) -> None:
        if not self.canFetchMore(parent):
            return
        if not parent.isValid():
            self._waiting.add(None)
            self.page_wanted.emit(self._changes[-1].last_id)
        else:
            self._waiting.add(parent.row())
            self.fields_wanted.emit(parent.row())

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[COLUMNS[section]]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = COLUMNS[index.column()]
        if index.internalId() == _TOP:
            return _change_data(self._changes[index.row()], column, role)
        row = index.internalId() - 1
        fields = self._fields.get(row, [])
        if index.row() >= len(fields):  # the line that counts the rows left out
            if role == Qt.ItemDataRole.DisplayRole and column == "what":
                return (f"… and {self._more[row]:,} more rows (filter the log by words or "
                        "date to narrow them)")
            return None
        return _field_data(*fields[index.row()], column, role)


def _change_data(change: Change, column: str, role) -> Any:
    if role == Qt.ItemDataRole.DisplayRole:
        if column == "at":
            return change.at.strftime("%Y-%m-%d %H:%M")
        if column == "source":
            return label(Source, change.source)
        return change.who if column == "who" else change.what
    if role == Qt.ItemDataRole.ToolTipRole:
        if column == "at":
            return change.at.strftime("%Y-%m-%d %H:%M:%S")
        if column == "what":
            rows = f"{change.rows:,} field row{'s' if change.rows != 1 else ''}"
            return f"{change.what}\n{rows} · {change.keys}"
        if column == "source" and change.detail:
            return change.detail
    if role == Qt.ItemDataRole.UserRole:
        return change.key
    return None


def _field_data(entry: LogEntry, subject: str, column: str, role) -> Any:
    if role == Qt.ItemDataRole.DisplayRole:
        if column == "source":
            return label(Entity, entry.entity)
        return f"{subject} · {field_change(entry)}" if column == "what" else None
    if role == Qt.ItemDataRole.ToolTipRole and column in ("source", "what"):
        whole = f"{entry.field}: {entry.old_value or ''} → {entry.new_value or ''}"
        return f"{label(Entity, entry.entity)} {entry.entity_key}\n{whole}"
    if role == Qt.ItemDataRole.UserRole:
        return entry.id
    return None


class ChangeTree(QTreeView):
    """The changes matching a filter, newest first, read a page at a time off the GUI thread."""

    loaded = Signal()  # a page or a change's field rows arrived (tests wait for it)

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._where = ChangeFilter()
        self._generation = 0  # answers to an older filter are dropped
        self.total: int | None = None  # changes matching the filter, once counted
        self.changes = ChangeTreeModel(self)
        self.changes.page_wanted.connect(self._read_page)
        self.changes.fields_wanted.connect(self._read_fields)
        self.setModel(self.changes)
        self.setUniformRowHeights(True)  # a 100,000-row tree lays out without measuring rows
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        header = self.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for n, name in enumerate(COLUMNS[:-1]):
            self.setColumnWidth(n, WIDTHS[name])

    def show_changes(self, where: ChangeFilter) -> None:
        """Read the newest changes matching `where` again (the old ones stay until they come)."""
        self._where = where
        self._generation += 1
        if self._workspace.portfolio is None:
            self.total = 0
            self.changes.show([], True)
            self.loaded.emit()
            return
        self._read_page(None)

    def clear(self) -> None:
        """Show no changes; answers still on their way (a page, a change's fields) are dropped."""
        self._generation += 1
        self.total = 0
        self.changes.show([], True)

    def _read_page(self, before: int | None) -> None:
        portfolio, where, generation = self._workspace.portfolio, self._where, self._generation

        def work(_progress):
            with portfolio.reading() as session:
                page = list_changes(session, where, before, PAGE + 1)
                return page, (count_changes(session, where) if before is None else None)

        run_in_background(work, parent=self, label="Reading the change log…",
                          on_success=while_alive(self, lambda found: self._page_read(
                              generation, before, *found)))

    def _page_read(self, generation: int, before: int | None, page: list[Change],
                   total: int | None) -> None:
        if generation != self._generation:
            return
        complete = len(page) <= PAGE
        if before is None:
            self.total = total
            self.changes.show(page[:PAGE], complete)
        else:
            self.changes.add_page(page[:PAGE], complete)
        self.loaded.emit()

    def _read_fields(self, row: int) -> None:
        portfolio, where, generation = self._workspace.portfolio, self._where, self._generation
        key = self.changes.change(row).key

        def work(_progress):
            with portfolio.reading() as session:
                return change_entries(session, key, where, FIELD_ROWS)

        def read(found) -> None:
            if generation == self._generation:
                self.changes.add_fields(row, *found)
                self.loaded.emit()

        run_in_background(work, parent=self, label="Reading the change…",
                          on_success=while_alive(self, read))
