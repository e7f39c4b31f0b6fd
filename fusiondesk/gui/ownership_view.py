"""The Ownership page: how exposed the portfolio is to people leaving, and the handovers under way.

The figures are counted on the worker thread (a 100k-app portfolio reads its
owners in well under a second, but never on the GUI thread) and shown in plain
tables sorted in Python. Leavers open their handover plan with a double-click.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core.labels import label
from fusiondesk.core.measures import ABANDONMENT_TARGET
from fusiondesk.core.ownership import RATIO_TARGET, RATIO_VERDICTS, WITHIN
from fusiondesk.core.terms import Entity, PersonRole, PersonStatus, PlanStatus
from fusiondesk.gui.handover_dialog import open_plan
from fusiondesk.gui.lazy import RefreshWhenSeen
from fusiondesk.gui.tasks import run_in_background
from fusiondesk.services import affected
from fusiondesk.services.handover.planning import portfolio_ownership, upcoming_leavers

WARNING = QColor("#c62828")
GOOD = QColor("#2e7d32")
LEAVERS, SINGLE, ORPHANED, LOAD, RATIOS = range(5)
SIZE_SAMPLE = 200  # rows read to size a column to its contents
MAX_COLUMN_WIDTH = 210  # a long e-mail is elided in the middle, not given half the window
STRETCH_ROOM = 160  # what the stretching column (a name) needs to be read
# The app fields the page counts by (besides who owns them).
OWNERSHIP_FIELDS = affected.OWNER_FIELDS | {"name", "department", "lifecycle"}


class RowsModel(QAbstractTableModel):
    """Plain rows of values under headers; a row may carry a colour. Sorted in Python."""

    def __init__(self, headers: tuple[str, ...], parent=None):
        super().__init__(parent)
        self.headers = headers
        self._rows: list[tuple] = []
        self._colours: list[QColor | None] = []
        self._keys: list[Any] = []

    def set_rows(self, rows: list[tuple], colours: list[QColor | None] | None = None,
                 keys: list[Any] | None = None) -> None:
        """Show these rows; `keys` identify each row for the view (e.g. an e-mail)."""
        self.beginResetModel()
        self._rows = rows
        self._colours = colours or [None] * len(rows)
        self._keys = keys or [None] * len(rows)
        self.endResetModel()

    def key(self, row: int) -> Any:
        """What a row stands for."""
        return self._keys[row]

    def column(self, index: int) -> list[str]:
        """Every value shown in one column, top to bottom (as text)."""
        return [_text(row[index]) for row in self._rows]

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _text(value)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colours[index.row()]
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, (int, float)):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort by one column; blanks last."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()  # the selection follows its rows
        held = [self._rows[index.row()] for index in before]
        rows = list(zip(self._rows, self._colours, self._keys))
        known = [r for r in rows if r[0][column] is not None]
        known.sort(key=lambda r: _sort_key(r[0][column]),
                   reverse=order == Qt.SortOrder.DescendingOrder)
        ordered = known + [r for r in rows if r[0][column] is None]
        self._rows = [r[0] for r in ordered]
        self._colours = [r[1] for r in ordered]
        self._keys = [r[2] for r in ordered]
        position = {id(row): n for n, row in enumerate(self._rows)}
        self.changePersistentIndexList(
            before, [self.index(position[id(row)], index.column()) for row, index in zip(held, before)])
        self.layoutChanged.emit()


def _fit_columns(table: QTableView) -> None:
    """Size each column to its contents; when they leave the stretching column too little
    room (1024 pixels), a long one (an e-mail) is cut to MAX_COLUMN_WIDTH, elided."""
    header = table.horizontalHeader()
    fixed = [c for c in range(header.count())
             if header.sectionResizeMode(c) != QHeaderView.ResizeMode.Stretch]
    for column in fixed:  # the stretching one takes the rest by itself
        table.resizeColumnToContents(column)
    if sum(header.sectionSize(c) for c in fixed) > table.viewport().width() - STRETCH_ROOM:
        for column in fixed:
            header.resizeSection(column, min(header.sectionSize(column), MAX_COLUMN_WIDTH))


def rows_table(model: RowsModel, stretch: int) -> QTableView:
    """A sortable table whose columns fit their contents and whose `stretch` column takes
    the room left over (not the last one, so a count is never a metre wide)."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSortingEnabled(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)
    # Fit to what the first rows hold: measuring 100,000 people would stall the window.
    header.setResizeContentsPrecision(SIZE_SAMPLE)
    header.setMinimumSectionSize(40)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # both ends of an e-mail stay
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setWordWrap(False)
    return table


def abandonment_tip(left) -> str:
    """The abandonment rate's hover: what it counts, with its numerator and denominator."""
    quarters = "".join(f"<br>{q}: {n:,} of {d:,}" for q, n, d in left.by_quarter)
    return (f"{left.explained()}.<br>Counted over the apps in service that a builder who "
            f"has left built or owned, by the quarter they left:{quarters}")


def _word(vocabulary, value: str | None) -> str | None:
    """A vocabulary value as its label, None kept (blanks sort last)."""
    return label(vocabulary, value) if value else None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _sort_key(value):
    return (0, value) if isinstance(value, (int, float)) else (1, str(value).casefold())


class OwnershipView(RefreshWhenSeen, QWidget):
    """The Ownership page."""

    loaded = Signal()  # the figures on screen are current (tests wait for it)
    plan_opened = Signal(object)  # the HandoverDialog just shown

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._stale = True
        self._build()
        workspace.opened.connect(self._refresh_when_seen)
        workspace.changed.connect(self._changed)

    def _build(self) -> None:
        self.figures = {name: QLabel() for name in ("single", "orphaned", "load", "leavers")}
        grid = QGridLayout()
        for n, figure in enumerate(self.figures.values()):
            figure.setTextFormat(Qt.TextFormat.RichText)
            grid.addWidget(figure, n // 2, n % 2)
        self.tabs = QTabWidget()
        self.models = [
            RowsModel(("E-mail", "Name", "Department", "Status", "Leave date", "Plan",
                       "Done", "Apps", "Overdue")),
            RowsModel(("App ID", "Name", "Department", "Only maintainer")),
            RowsModel(("App ID", "Name", "Department")),
            RowsModel(("E-mail", "Name", "Department", "Role", "Status", "Apps owned", "Capacity")),
            RowsModel(("Department", "Citizen developers", "Pro-developers", "Ratio", "Against 4–8")),
        ]
        titles = ("Upcoming leavers", "Single-person dependency", "No active owner",
                  "Load vs capacity", "Citizens per pro-dev")
        # The column that takes the room left over: a name, or the department of a ratio.
        stretch = {LEAVERS: 1, SINGLE: 1, ORPHANED: 1, LOAD: 1, RATIOS: 0}
        self.tables = [self._table(model, stretch[n]) for n, model in enumerate(self.models)]
        for title, table in zip(titles, self.tables):
            self.tabs.addTab(table, title)
        # A tab not yet shown was fitted to a size it never had: fit it again when it is.
        self.tabs.currentChanged.connect(lambda tab: _fit_columns(self.tables[tab]))
        self.tables[LEAVERS].doubleClicked.connect(lambda _index: self.open_selected_plan())
        self.open_button = QPushButton("Open handover plan…")
        self.open_button.clicked.connect(self.open_selected_plan)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bar)

    def _table(self, model: RowsModel, stretch: int) -> QTableView:
        return rows_table(model, stretch)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        for table in self.tables:  # wider, an e-mail shows whole again; narrower, it gives way
            _fit_columns(table)

    # ---- loading ---------------------------------------------------------------------------

    def _changed(self, done) -> None:
        # People, plans, and the apps' owners, names, departments and lifecycles.
        if (affected.touches(done, Entity.PERSON, Entity.HANDOVER_PLAN, Entity.HANDOVER_ITEM,
                             Entity.TEAM)
                or affected.apps_came_or_went(done) or affected.app_fields(done) & OWNERSHIP_FIELDS):
            self._refresh_when_seen()

    def refresh(self) -> None:
        """Count the figures again on the worker thread, then show them."""
        portfolio = self._workspace.portfolio
        self._stale = False
        if portfolio is None:
            return

        def work(_progress):
            with portfolio.reading() as session:
                return portfolio_ownership(session), upcoming_leavers(session)

        run_in_background(work, on_success=lambda found: self.show_figures(*found), parent=self,
                          label="Counting ownership…")

    def show_figures(self, measures, leavers) -> None:
        """Put the measures and the leavers' progress on the page."""
        self._show_summary(measures, leavers)
        self._show_leavers(leavers)
        self.models[SINGLE].set_rows([(a.app_id, a.name, a.department, ", ".join(a.maintainers))
                                      for a in measures.single_person_dependency])
        self.models[ORPHANED].set_rows([(a.app_id, a.name, a.department)
                                        for a in measures.no_active_owner])
        self.models[LOAD].set_rows(
            [(p.email, p.name, p.department, _word(PersonRole, p.role),
              _word(PersonStatus, p.status), p.apps_owned, p.capacity)
             for p in measures.people],
            [WARNING if p.over_capacity else None for p in measures.people],
            [p.email for p in measures.people])
        self.models[RATIOS].set_rows(
            [(d.department, d.citizen_developers, d.pro_developers, d.ratio,
              RATIO_VERDICTS[d.verdict]) for d in measures.departments],
            [GOOD if d.verdict == WITHIN else WARNING for d in measures.departments])
        for table in self.tables:
            _fit_columns(table)
        self.loaded.emit()

    def _show_summary(self, measures, leavers) -> None:
        left, over = measures.abandonment, len(measures.over_capacity)
        colour = (GOOD if left.within_target else WARNING).name()
        overdue = sum(p.overdue for p in leavers)
        self.figures["single"].setText(
            f"<b>{len(measures.single_person_dependency):,}</b> apps depend on a single person")
        self.figures["orphaned"].setText(
            f"<b>{len(measures.no_active_owner):,}</b> apps have no active owner · abandonment "
            f"<b style='color:{colour}'>{left.rate:.1%}</b> ({left.numerator:,} of "
            f"{left.denominator:,} leavers' apps; mature programmes stay under "
            f"{ABANDONMENT_TARGET:.0%})")
        self.figures["orphaned"].setToolTip(abandonment_tip(left))
        self.figures["load"].setText(f"<b>{over:,}</b> people own more apps than their capacity")
        low, high = RATIO_TARGET
        self.figures["leavers"].setText(
            f"<b>{len(leavers):,}</b> people leaving or with open handovers; <b>{overdue:,}</b> "
            f"items overdue · target {low}–{high} citizens per pro-dev")

    def _show_leavers(self, leavers) -> None:
        self.models[LEAVERS].set_rows(
            [(p.email, p.name, p.department, _word(PersonStatus, p.status), p.leave_date,
              _word(PlanStatus, p.plan_status) or "No plan yet",
              p.done, p.items, p.overdue) for p in leavers],
            [WARNING if p.overdue or p.plan_status is None else None for p in leavers],
            [p.email for p in leavers])

    # ---- handover plans ----------------------------------------------------------------------

    def open_selected_plan(self) -> None:
        """Open the handover plan of the selected leaver (planning it first if needed)."""
        rows = self.tables[LEAVERS].selectionModel().selectedRows()
        if rows:
            open_plan(self._workspace, self.models[LEAVERS].key(rows[0].row()), self,
                      shown=self.plan_opened.emit)
