"""The Portfolio page: quick search, filters, the big app table and the app actions."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core.fields import KINDS, LIFECYCLES
from fusiondesk.core.flags import FLAG_LABELS, FLAG_NAMES
from fusiondesk.core.terms import Lifecycle
from fusiondesk.gui import settings
from fusiondesk.gui.app_editor import AppEditor
from fusiondesk.gui.app_table_model import AppTableModel
from fusiondesk.gui.badges import FlagsDelegate, TierDelegate
from fusiondesk.gui.bulk_edit import BulkEditDialog
from fusiondesk.services import affected
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.apps import table as app_table
from fusiondesk.services.apps.table import COLUMNS, DEFAULT_COLUMNS, AppQuery
from fusiondesk.services.changes import ChangeSet
from fusiondesk.services.dashboard.home import HIGH_TIER_FILTER

HIGH_TIERS = HIGH_TIER_FILTER["tiers"]  # (3, 4)
HIGH_TIERS_CHOICE = "3–4"  # the tier filter's item for them (a combo keeps text data whole)
ANY = "All"
SEARCH_DELAY_MS = 120  # typing fast runs one query, not one per key


def confirm(parent, title: str, text: str) -> bool:
    """Ask a yes/no question (tests replace this)."""
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes


class PortfolioView(QWidget):
    """Browse, sort, search, filter and edit the apps of the portfolio."""

    counts_changed = Signal(int, int)  # shown, total

    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.model = AppTableModel(workspace, settings.visible_columns(DEFAULT_COLUMNS), self)
        self._total = 0
        self._counted = None  # the portfolio `_total` counts (apps come and go in `refresh`)
        self._build()
        self._build_actions()
        workspace.opened.connect(self.reload_filters)
        workspace.changed.connect(self.refresh)

    # -- layout -------------------------------------------------------------------
    def _build(self) -> None:
        self.search_box = QLineEdit(placeholderText="Search apps, ids, owners, departments…  (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search_box.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_box.installEventFilter(self)  # focus fetches the search texts ahead of typing
        self.filters = {name: QComboBox()
                        for name in ("platform", "kind", "department", "lifecycle", "owner")}
        self.tier_filter = QComboBox()
        self.tier_filter.addItem(ANY, None)
        self.tier_filter.addItem("Tier 3–4", HIGH_TIERS_CHOICE)  # Home's share of Tier 3–4 apps
        for tier in (4, 3, 2, 1):
            self.tier_filter.addItem(f"Tier {tier}", tier)
        # Apps of the people leaving soon (Home's leavers card): no combo can hold that, so
        # it shows as a line with a button that clears it.
        self.leavers: tuple | None = None
        self.leavers_label = QLabel()
        self.leavers_clear = QPushButton("Show all apps")
        self.leavers_clear.clicked.connect(lambda: self.set_leavers(None))
        self.leavers_label.hide()
        self.leavers_clear.hide()
        self.flag_filter = QComboBox()
        self.flag_filter.addItem(ANY, None)
        for name in FLAG_NAMES:
            self.flag_filter.addItem(FLAG_LABELS[name], name)
        self.drift_filter = QCheckBox("Drift only")
        self.drift_filter.setToolTip("Apps whose computed tier is above their approved tier")
        # first row: what people reach for most (search, tier, warning sign, drift)
        bar = QHBoxLayout()
        bar.addWidget(self.search_box, 3)
        for label, widget in (("Tier:", self.tier_filter), ("Warning sign:", self.flag_filter)):
            widget.currentIndexChanged.connect(lambda _i: self.apply_filters())
            bar.addWidget(QLabel(label))
            bar.addWidget(widget, 1)
        self.drift_filter.toggled.connect(lambda _on: self.apply_filters())
        bar.addWidget(self.drift_filter)
        filters_row = QHBoxLayout()
        for name, combo in self.filters.items():
            combo.setMinimumContentsLength(8)
            combo.currentIndexChanged.connect(lambda _i: self.apply_filters())
            filters_row.addWidget(QLabel(name.capitalize() + ":"))
            filters_row.addWidget(combo, 1)
        self.table = QTableView()
        self._delegates = {"tier": TierDelegate(self), "flags": FlagsDelegate(self)}
        self.table.setModel(self.model)
        # the indicator must be set before sorting is enabled, which sorts at once
        name_column = self.model.keys.index("name") if "name" in self.model.keys else -1
        self.table.horizontalHeader().setSortIndicator(name_column, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.horizontalHeader().customContextMenuRequested.connect(self._choose_columns)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self._size_columns()
        self.model.modelReset.connect(self._size_columns)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(filters_row)
        leavers_row = QHBoxLayout()
        leavers_row.addWidget(self.leavers_label)
        leavers_row.addWidget(self.leavers_clear)
        leavers_row.addStretch(1)
        layout.addLayout(leavers_row)
        layout.addWidget(self.table)

    def _size_columns(self) -> None:
        widths = {"tier": 66, "name": 260, "owners": 220, "flags": 150, "users": 70}
        for column, key in enumerate(self.model.keys):
            self.table.setColumnWidth(column, widths.get(key, 130))
            delegate = self._delegates.get(key)
            self.table.setItemDelegateForColumn(column, delegate or self.table.itemDelegate())

    def _build_actions(self) -> None:
        self.actions_by_name: dict[str, QAction] = {}
        specs = [
            ("new", "&New app…", QKeySequence.StandardKey.New, self.new_app),
            ("edit", "&Edit app…", QKeySequence(Qt.Key.Key_Return), self.edit_selected),
            ("bulk", "&Bulk edit selected…", QKeySequence("Ctrl+B"), self.bulk_edit_selected),
            ("retire", "&Retire selected", QKeySequence("Ctrl+R"), self.retire_selected),
            ("delete", "&Delete selected…", QKeySequence.StandardKey.Delete, self.delete_selected),
            ("find", "&Find", QKeySequence.StandardKey.Find, self._focus_search),
        ]
        for name, text, shortcut, slot in specs:
            action = QAction(text, self)
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self.actions_by_name[name] = action
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for name in ("edit", "bulk", "retire", "delete"):
            self.table.addAction(self.actions_by_name[name])

    def eventFilter(self, watched, event) -> bool:
        if watched is self.search_box and event.type() == QEvent.Type.FocusIn:
            self.model.prepare_search()
        return super().eventFilter(watched, event)

    def _focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    # -- filtering ----------------------------------------------------------------
    def reload_filters(self, *_signal_args) -> None:
        """Fill the filter lists from the open portfolio, then show everything."""
        if self.workspace.portfolio is None:
            return
        with self.workspace.read() as session:
            choices = {
                "platform": app_table.distinct_values(session, "platform"),
                "kind": list(KINDS),
                "department": app_table.distinct_values(session, "department"),
                "lifecycle": list(LIFECYCLES),
                "owner": app_table.owner_emails(session),
            }
        for name, combo in self.filters.items():
            combo.blockSignals(True)
            current = combo.currentText()
            combo.clear()
            combo.addItems([ANY, *choices[name]])
            combo.setCurrentText(current if current in choices[name] else ANY)
            combo.blockSignals(False)
        self.apply_filters()

    def current_query(self) -> AppQuery:
        """The query the search box and filters describe."""
        picked = {name: (c.currentText() if c.currentText() != ANY else None)
                  for name, c in self.filters.items()}
        tier = self.tier_filter.currentData()
        several = tier == HIGH_TIERS_CHOICE
        return replace(self.model.query, search=self.search_box.text().strip(),
                       tier=None if several else tier, tiers=HIGH_TIERS if several else (),
                       leavers=self.leavers, flag=self.flag_filter.currentData(),
                       drift=self.drift_filter.isChecked(), **picked)

    def set_leavers(self, days: tuple | None, run: bool = True) -> None:
        """Show only the apps of people leaving within (first, last) days; None shows all."""
        self.leavers = days
        if days is not None:
            first, last = days
            self.leavers_label.setText(f"Apps owned by people leaving from {first:%d %b} to "
                                       f"{last:%d %b %Y}")
        self.leavers_label.setVisible(days is not None)
        self.leavers_clear.setVisible(days is not None)
        if run:
            self.apply_filters()

    def apply_filters(self) -> None:
        """Run the current search and filters."""
        if self.workspace.portfolio is None:
            return
        self.model.set_query(self.current_query())
        self._update_counts(recount=False)  # searching and filtering add or remove no app

    def refresh(self, done: ChangeSet | None = None) -> None:
        """Show what a change did (anything, when not told), keeping the selection where possible."""
        selected = self.selected_app_ids()
        if not self.model.refresh(affected.everything() if done is None else done):
            return  # only the named rows were redrawn: the selection and counts still hold
        self._update_counts()
        for app_id in selected[:1]:
            self.select_app(app_id)

    def _update_counts(self, recount: bool = True) -> None:
        portfolio = self.workspace.portfolio
        if recount or self._counted is not portfolio:
            with self.workspace.read() as session:
                self._total = app_table.app_count(session)
            self._counted = portfolio
        self.counts_changed.emit(self.model.rowCount(), self._total)

    def _choose_columns(self, position) -> None:
        menu = QMenu(self)
        shown = self.model.keys
        for column in COLUMNS:
            action = menu.addAction(column.header)
            action.setCheckable(True)
            action.setChecked(column.key in shown)
            action.toggled.connect(lambda on, key=column.key: self._toggle_column(key, on))
        menu.exec(self.table.horizontalHeader().mapToGlobal(position))

    def _toggle_column(self, key: str, on: bool) -> None:
        keys = self.model.keys
        keys = keys + [key] if on and key not in keys else [k for k in keys if k != key or on]
        self.model.set_columns(keys)
        settings.save_visible_columns(keys)

    # -- selection ----------------------------------------------------------------
    def selected_app_ids(self) -> list[str]:
        """The app_ids of the selected rows, top to bottom."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.app_id(r) for r in rows]

    def select_app(self, app_id: str) -> None:
        """Select and show an app's row if it is in the table."""
        row = self.model.row_of(app_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    # -- actions ------------------------------------------------------------------
    def new_app(self) -> None:
        """Open the editor on a new app."""
        editor = AppEditor(self.workspace, None, self)
        if editor.exec():
            self.select_app(editor.saved_app_id)

    def edit_selected(self) -> None:
        """Open the editor on the first selected app."""
        selected = self.selected_app_ids()
        if selected:
            AppEditor(self.workspace, selected[0], self).exec()

    def bulk_edit_selected(self) -> None:
        """Change department, lifecycle or owner of every selected app at once."""
        selected = self.selected_app_ids()
        if selected:
            BulkEditDialog(self.workspace, selected, self).exec()

    def retire_selected(self) -> None:
        """Mark the selected apps retired (undoable)."""
        selected = self.selected_app_ids()
        if selected and confirm(self, "Retire apps", f"Retire {len(selected)} app(s)?"):
            self._run(f"Retire {len(selected)} app(s)", lambda s, who: app_edits.bulk_edit(
                s, selected, {"lifecycle": Lifecycle.RETIRED}, who))

    def delete_selected(self) -> None:
        """Delete the selected apps after confirmation (undoable)."""
        selected = self.selected_app_ids()
        if not selected:
            return
        text = (f"Delete {len(selected)} app(s) with their owners and integrations? "
                "You can undo this with Ctrl+Z; retiring keeps the record instead.")
        if confirm(self, "Delete apps", text):
            self._run(f"Delete {len(selected)} app(s)",
                      lambda s, who: app_edits.delete_apps(s, selected, who))

    def _run(self, text, action) -> None:
        self.workspace.run(text, action, app_edits.revert, parent=self)
