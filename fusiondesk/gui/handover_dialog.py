"""A leaver's handover plan: each app's triage, action, successor, checklist and due date.

Accepting an item and ticking a box go through `Workspace.run`, so each is one
undo step and every view hears of it. Overdue items are shown in red. Exporting
to xlsx runs on the worker thread. `plan_handover_for` is the People page's
"Plan handover…": ask the leave date, mark the person, show the plan.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core import clock
from fusiondesk.core.errors import PortfolioError
from fusiondesk.core.handover import CHECKLIST
from fusiondesk.core.labels import label
from fusiondesk.core.terms import Action, Entity, PersonStatus, PlanStatus, Triage
from fusiondesk.gui.errors import show_error
from fusiondesk.gui.settings import restore_geometry, save_geometry
from fusiondesk.gui.tasks import run_in_background
from fusiondesk.services import affected
from fusiondesk.services.handover.planning import (
    accept_item,
    mark_leaving,
    mark_left,
    plan_for,
    recorded_leave_date,
    refresh_plans_for,
    revert_handover,
    set_checklist,
)
from fusiondesk.services.handover.plans import StoredItem, StoredPlan, newest_plan

OVERDUE = QColor("#c62828")
DONE_COLOUR = QColor("#808080")
HEAD = ("App", "Tier", "Triage", "Action", "Covered by", "Successor")
TAIL = ("Due", "Status")
CHECK_COLUMNS = {key: len(HEAD) + n for n, key in enumerate(CHECKLIST)}
COLUMNS = (*HEAD, *CHECKLIST.values(), *TAIL)
SUCCESSOR = HEAD.index("Successor")
NOBODY = "(nobody yet)"


class HandoverDialog(QDialog):
    """One person's handover plan, worked through item by item."""

    exported = Signal(str)  # the path of a finished export

    def __init__(self, workspace, email: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self.email = email.strip().lower()
        self.plan: StoredPlan | None = None
        self._filling = False  # no checklist writes while the table is being filled
        self.setWindowTitle(f"Handover of {self.email}")
        self._build()
        workspace.changed.connect(self._portfolio_changed)  # a bound slot: dropped with the dialog
        self.reload()
        if not restore_geometry("handover_dialog", self):
            self.resize(1200, 520)

    def _build(self) -> None:
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.itemChanged.connect(self._ticked)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.accept_button = QPushButton("Accept item")
        self.accept_button.setToolTip("Apply this app's ownership change (undo with Ctrl+Z)")
        self.accept_button.clicked.connect(self.accept_selected)
        self.export_button = QPushButton("Export xlsx…")
        self.export_button.clicked.connect(self.choose_export)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        self.status = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.accept_button, self.export_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    # ---- showing the plan ----------------------------------------------------------------

    def _portfolio_changed(self, done) -> None:
        if not self._shows(done):
            return
        # Later, not now: a tick's own itemChanged handler must not rebuild the table under it.
        QTimer.singleShot(0, self.reload)

    def _shows(self, done) -> bool:
        """True when a change touches this plan: people, plans, owners, its items or its apps."""
        items = self.plan.items if self.plan else ()
        named_items = {c.key for c in done.changes if c.entity == Entity.HANDOVER_ITEM}
        return (affected.touches(done, Entity.PERSON, Entity.HANDOVER_PLAN)
                or bool(named_items & {str(item.id) for item in items})
                or affected.apps_came_or_went(done)
                or bool(affected.app_ids(done) & {item.app_id for item in items})
                or bool(affected.app_fields(done) & affected.OWNER_FIELDS))

    def reload(self) -> None:
        """Read the plan again and show it, keeping the selected app selected."""
        if self._workspace.portfolio is None:
            return
        keep = self.selected_item()
        try:
            with self._workspace.read() as session:
                self.plan = plan_for(session, self.email)
        except PortfolioError as exc:  # e.g. the marking was undone: there is no plan now
            self.plan = None
            self.summary.setText(str(exc))
            self.table.setRowCount(0)
            self._update_buttons()
            return
        self._fill(self.plan, clock.today())
        if keep is not None:
            self.select_app(keep.app_id)

    def _fill(self, plan: StoredPlan, today: date) -> None:
        self._filling = True
        self.table.setRowCount(len(plan.items))
        for row, item in enumerate(plan.items):
            self._fill_row(row, item, today)
        self._filling = False
        self.table.resizeColumnsToContents()
        self.summary.setText(_summary_text(plan, today))
        self._update_buttons()

    def _fill_row(self, row: int, item: StoredItem, today: date) -> None:
        done = item.status == PlanStatus.DONE
        colour = OVERDUE if item.is_overdue(today) else DONE_COLOUR if done else None
        cells = [item.name, f"Tier {item.tier}" if item.tier else "", label(Triage, item.triage),
                 label(Action, item.action), item.covered_by or "", ""]
        tips = [item.app_id, "", item.triage_why, item.action_why, "", ""]
        for column, (text, tip) in enumerate(zip(cells, tips)):
            self._cell(row, column, text, tip, colour)
        self._successor_cell(row, item, colour)
        for key, column in CHECK_COLUMNS.items():
            cell = self._cell(row, column, "", CHECKLIST[key], colour)
            cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                          | Qt.ItemFlag.ItemIsSelectable)
            cell.setCheckState(Qt.CheckState.Checked if item.checklist[key] else Qt.CheckState.Unchecked)
            cell.setData(Qt.ItemDataRole.UserRole, key)
        due = item.due.isoformat() if item.due else ""
        self._cell(row, len(COLUMNS) - 2, due, "overdue" if item.is_overdue(today) else "", colour)
        status = label(PlanStatus, item.status)
        if item.accepted:
            status += f" (accepted {item.accepted_on.isoformat()})"
        self._cell(row, len(COLUMNS) - 1, status, "", colour)

    def _cell(self, row: int, column: int, text: str, tip: str, colour) -> QTableWidgetItem:
        cell = QTableWidgetItem(text)
        cell.setToolTip(tip)
        if colour is not None:
            cell.setForeground(colour)
        self.table.setItem(row, column, cell)
        return cell

    def _successor_cell(self, row: int, item: StoredItem, colour) -> None:
        """Accepted: who took over. Open: a choice of the ranked candidates, best first."""
        self.table.removeCellWidget(row, SUCCESSOR)
        if item.accepted or not item.candidates:
            text = item.successor_email or NOBODY
            self._cell(row, SUCCESSOR, text, item.uncovered_why or "", colour)
            return
        box = QComboBox()
        for candidate in item.candidates:
            box.addItem(f"{candidate.email} ({candidate.score})", candidate.email)
            box.setItemData(box.count() - 1, "\n".join(candidate.reasons), Qt.ItemDataRole.ToolTipRole)
        chosen = box.findData(item.successor_email)
        box.setCurrentIndex(max(chosen, 0))
        self._cell(row, SUCCESSOR, "", "", colour)
        self.table.setCellWidget(row, SUCCESSOR, box)

    # ---- selection -----------------------------------------------------------------------

    def selected_row(self) -> int | None:
        """The selected row, if any."""
        rows = self.table.selectionModel().selectedRows() if self.plan else []
        return rows[0].row() if rows else None

    def selected_item(self) -> StoredItem | None:
        """The item on the selected row."""
        row = self.selected_row()
        return None if row is None else self.plan.items[row]

    def select_app(self, app_id: str) -> None:
        """Select the row of one app."""
        for row, item in enumerate(self.plan.items if self.plan else ()):
            if item.app_id == app_id:
                self.table.selectRow(row)
                return

    def chosen_successor(self, row: int) -> str | None:
        """The successor picked on a row (the best candidate unless changed)."""
        box = self.table.cellWidget(row, SUCCESSOR)
        return box.currentData() if isinstance(box, QComboBox) else self.plan.items[row].successor_email

    def _update_buttons(self) -> None:
        item = self.selected_item()
        self.accept_button.setEnabled(item is not None and not item.accepted)
        self.export_button.setEnabled(self.plan is not None)

    # ---- changes -------------------------------------------------------------------------

    def accept_selected(self) -> None:
        """Apply the selected item's ownership change, as one undo step."""
        item = self.selected_item()
        if item is None or item.accepted:
            return
        successor = self.chosen_successor(self.selected_row())
        text = f"Hand {item.name} over to {successor or item.covered_by or 'its team'}"
        self._workspace.run(text, lambda session, who: accept_item(session, item.id, who, successor),
                            revert_handover, parent=self, on_failure=self._refused)

    def _ticked(self, cell: QTableWidgetItem) -> None:
        key = cell.data(Qt.ItemDataRole.UserRole)
        if self._filling or key not in CHECKLIST or self.plan is None:
            return
        item = self.plan.items[cell.row()]
        done = cell.checkState() == Qt.CheckState.Checked
        verb = "Tick" if done else "Untick"
        self._workspace.run(f"{verb} '{CHECKLIST[key]}' for {item.name}",
                            lambda session, who: set_checklist(session, item.id, key, done, who),
                            revert_handover, parent=self, on_failure=self._refused)

    def _refused(self, exc: BaseException, trace: str) -> None:
        show_error(self, exc, trace)
        self.reload()  # e.g. the plan changed meanwhile: show it as it is now

    def choose_export(self) -> None:
        """Ask where to save the plan, then export it."""
        suggested = f"handover-{self.email.split('@')[0]}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "Export handover plan", suggested,
                                              "Excel workbook (*.xlsx)")
        if path:
            self.export_to(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def export_to(self, path: str) -> None:
        """Write the plan to `path` on the worker thread."""
        portfolio, email = self._workspace.portfolio, self.email

        def work(_progress):
            with portfolio.reading() as session:
                from fusiondesk.services.handover.export import export_plan  # deferred: openpyxl

                return str(export_plan(plan_for(session, email), path))

        def done(written: str) -> None:
            self.status.setText(f"Exported to {Path(written).name}")
            self.exported.emit(written)

        run_in_background(work, on_success=done, parent=self, label="Exporting the handover plan…")

    def done(self, result: int) -> None:
        save_geometry("handover_dialog", self)
        super().done(result)

    def closeEvent(self, event) -> None:
        save_geometry("handover_dialog", self)
        super().closeEvent(event)


def _summary_text(plan: StoredPlan, today: date) -> str:
    who = f"{plan.person_name} ({plan.person_email})" if plan.person_name else plan.person_email
    when = plan.leave_date.isoformat() if plan.leave_date else "no leave date"
    status = label(PersonStatus, plan.person_status).lower() or "status unknown"
    parts = [f"<b>{who}</b> — {status}, {when}",
             f"{plan.done} of {len(plan.items)} apps done · plan "
             f"{label(PlanStatus, plan.status).lower()}"]
    late = len(plan.overdue(today))
    if late:
        parts.append(f"<span style='color:{OVERDUE.name()}'>{late} overdue</span>")
    if plan.uncovered:
        parts.append(f"<span style='color:{OVERDUE.name()}'>{len(plan.uncovered)} with nobody "
                     "to take over (see the Successor column's tooltip)</span>")
    return " · ".join(parts)


# --- from the People page ----------------------------------------------------------------

DEFAULT_NOTICE_DAYS = 14  # the leave date offered when none is recorded


class LeaveDateDialog(QDialog):
    """Asks when a person leaves, or whether they have already left."""

    def __init__(self, email: str, parent: QWidget | None = None, recorded: date | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Plan handover for {email}")
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        # The date on record is the answer unless the lead changes it; a guess only without one.
        shown = recorded or clock.today() + timedelta(days=DEFAULT_NOTICE_DAYS)
        self.date_edit.setDate(QDate(shown.year, shown.month, shown.day))
        self.left_box = QCheckBox("Has already left (plan is due today)")
        self.left_box.toggled.connect(lambda left: self.date_edit.setEnabled(not left))
        form = QFormLayout()
        form.addRow("Leaves on", self.date_edit)
        form.addRow("", self.left_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def answer(self) -> tuple[bool, date]:
        """(has left, leave date)."""
        return self.left_box.isChecked(), self.date_edit.date().toPython()


def ask_leave_date(parent: QWidget | None, email: str,
                   recorded: date | None = None) -> tuple[bool, date] | None:
    """(has left, leave date), or None when cancelled (tests replace this to answer it)."""
    dialog = LeaveDateDialog(email, parent, recorded)
    return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None


def plan_handover_for(workspace, email: str, parent: QWidget | None = None,
                      shown: Callable[[HandoverDialog], None] | None = None) -> None:
    """Ask the leave date, mark the person (one undo step) on the worker thread, show their plan."""
    with workspace.read() as session:
        recorded = recorded_leave_date(session, email)
    answer = ask_leave_date(parent, email, recorded)
    if answer is None:
        return
    left, when = answer

    def mark(session, who):
        marked = mark_left(session, email, who) if left else mark_leaving(session, email, when, who)
        return marked.changes

    state = "left" if left else f"leaving on {when.isoformat()}"
    # Planning reads every person and everyone's load: on a big portfolio, not the GUI's job.
    workspace.run(f"Mark {email} {state}", mark, revert_handover, parent=parent,
                  on_done=lambda _done: open_plan(workspace, email, parent, shown))


def open_plan(workspace, email: str, parent: QWidget | None = None,
              shown: Callable[[HandoverDialog], None] | None = None) -> None:
    """Show a leaver's plan, planning it first (on the worker thread) if they have none yet."""
    portfolio = workspace.portfolio

    def show(_plans=None) -> None:
        dialog = HandoverDialog(workspace, email, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()  # window-modal without blocking the event loop
        if shown is not None:
            shown(dialog)

    with portfolio.reading() as session:
        has_plan = newest_plan(session, email) is not None
    if has_plan:
        show()
        return

    def plan(_progress):  # e.g. marked leaving by an import made before plans existed
        with portfolio.transaction() as session:
            return refresh_plans_for(session, [email], portfolio.user)

    run_in_background(plan, on_success=show, parent=parent, label=f"Planning the handover of {email}…")
