"""The Log page: every change, one row per user action, newest first, expanding to its fields.

An edit, a bulk edit of 40 apps, an import or an undo is one row ("Edited app 'Expense
Tracker': Users: 12 → 60"), named by its apps' names; a click on its arrow lists the fields
it changed. The filters (date, entity, source, who, words) run in SQL on the worker thread,
and the changes come a page at a time as the list scrolls (`gui.change_tree`).
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core import clock
from fusiondesk.core.labels import label
from fusiondesk.core.terms import Entity, Source
from fusiondesk.gui.change_tree import ChangeTree
from fusiondesk.gui.lazy import RefreshWhenSeen
from fusiondesk.gui.tasks import run_in_background, while_alive
from fusiondesk.services.change_history import ChangeFilter
from fusiondesk.services.change_log import filter_choices

TYPING_PAUSE_MS = 250  # search once the user pauses, not on every keystroke
MENUS = {"entity": ("Entity", Entity), "source": ("Source", Source), "who": ("Who", None)}
ALL = "All"


class ChangeLogView(RefreshWhenSeen, QWidget):
    """A page listing the change log, change by change, with filters."""

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._stale = False
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.refresh)
        self._build()
        self.tree.loaded.connect(self._update_count)
        workspace.opened.connect(self._refresh_when_seen)
        # Every change is logged, so every change adds a row here.
        workspace.changed.connect(self._refresh_when_seen)
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
        self.choices = {name: self._combo() for name in MENUS}
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search app ids, fields, values, people")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(lambda _t: self._typing.start())
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.count_label = QLabel()
        self.tree = ChangeTree(self._workspace)
        bar = QHBoxLayout()
        bar.addWidget(self.since_check)
        bar.addWidget(self.since_edit)
        for name, combo in self.choices.items():
            bar.addWidget(QLabel(f"{MENUS[name][0]}:"))
            bar.addWidget(combo)
        bar.addWidget(self.search_box, 1)
        bar.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.count_label)

    def _combo(self) -> QComboBox:
        combo = QComboBox()
        combo.addItem(ALL, None)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.activated.connect(lambda _i: self.refresh())
        return combo

    def filters(self) -> ChangeFilter:
        """The filters as set on the page."""
        since = self.since_edit.date().toPython() if self.since_check.isChecked() else None
        found = {name: combo.currentData() for name, combo in self.choices.items()}
        return ChangeFilter(since=since, text=self.search_box.text().strip() or None, **found)

    def refresh(self) -> None:
        """Read the filter menus and the newest changes matching the filters again."""
        self._stale = False
        portfolio = self._workspace.portfolio
        self.tree.show_changes(self.filters())
        if portfolio is None:
            return

        def work(_progress):
            with portfolio.reading() as session:
                return filter_choices(session)

        run_in_background(work, on_success=while_alive(self, self._fill_choices), parent=self,
                          label="Reading the change log…")

    def _fill_choices(self, choices: dict[str, list[str]]) -> None:
        for name, combo in self.choices.items():
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL, None)
            for value in choices[name]:
                combo.addItem(_menu_text(MENUS[name][1], value), value)
            combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen else 0)
            combo.blockSignals(False)

    def _update_count(self) -> None:
        if self._workspace.portfolio is None:
            self.count_label.setText("No portfolio open")
            return
        found = self.tree.total or 0
        shown = self.tree.changes.rowCount()
        more = f" · newest {shown:,} shown, scroll for older ones" if shown < found else ""
        self.count_label.setText(f"{found:,} change{'s' if found != 1 else ''}{more}")

    def set_filter(self, name: str, value: str | None) -> None:
        """Choose a value in the entity, source or who menu (None: all)."""
        combo = self.choices[name]
        index = combo.findData(value) if value else 0
        if index < 0:  # not in the menu yet (it is filled off the GUI thread)
            combo.addItem(_menu_text(MENUS[name][1], value), value)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
        self.refresh()


def _menu_text(vocabulary: type[StrEnum] | None, value: str) -> str:
    return value if vocabulary is None else label(vocabulary, value)
