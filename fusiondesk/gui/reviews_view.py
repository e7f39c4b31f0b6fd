"""The Reviews page (my queue, overdue, due this week, by reviewer) and an app's Reviews tab.

Completing a review goes through `Workspace.run`, so it is one undo step and is
logged; the rows are a plain list sorted in Python (reviews number in the
thousands at most).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core import clock
from fusiondesk.core.reviews import OUTCOME_LABELS, REVIEW_LABELS
from fusiondesk.core.terms import Entity
from fusiondesk.gui import settings
from fusiondesk.gui.confirm_many import ask_first, plural
from fusiondesk.gui.errors import show_error
from fusiondesk.gui.lazy import RefreshWhenSeen
from fusiondesk.gui.list_model import ListModel, sorted_unknown_last
from fusiondesk.gui.review_throughput import ThroughputPanel
from fusiondesk.gui.tasks import run_in_background, while_alive
from fusiondesk.services import affected
from fusiondesk.services.reviews.actions import (
    complete_review,
    count_required_reviews,
    ensure_required_reviews,
    revert_review,
)
from fusiondesk.services.reviews.queues import (
    ReviewRow,
    by_reviewer,
    due_this_week,
    my_queue,
    overdue,
    reviews_for_app,
)
from fusiondesk.services.reviews.stats import portfolio_review_stats

USER_EMAIL_KEY = settings.USER_EMAIL_KEY  # the reviewer whose queue "My queue" shows
MY_QUEUE, OVERDUE, THIS_WEEK, BY_REVIEWER = "My queue", "Overdue", "Due this week", "By reviewer"
QUEUES = (MY_QUEUE, OVERDUE, THIS_WEEK, BY_REVIEWER)
UNASSIGNED = ""
QUEUE_COLUMNS = ("app_id", "app_name", "type", "requested", "due", "status", "reviewer_email")
APP_COLUMNS = ("type", "requested", "due", "status", "reviewer_email", "outcome", "completed",
               "notes")
HEADERS = {"app_id": "App ID", "app_name": "App", "type": "Review", "requested": "Requested",
           "due": "Due", "status": "Status", "reviewer_email": "Reviewer", "outcome": "Outcome",
           "completed": "Completed", "notes": "Notes"}
WIDTHS = {"app_id": 110, "app_name": 220, "type": 150, "requested": 95, "due": 95,
          "status": 130, "reviewer_email": 200, "outcome": 170, "completed": 95, "notes": 200}
LATE_COLOUR = QColor("#c62828")


def configured_email() -> str | None:
    """The user's own reviewer e-mail from the settings, if they gave one."""
    return settings.user_email()


def status_text(review: ReviewRow, today: date) -> str:
    """'3 days overdue', 'due today', 'due in 2 days', or the outcome once completed."""
    if not review.is_open:
        return OUTCOME_LABELS.get(review.outcome, review.outcome or "")
    if review.due is None:
        return "no due date"
    days = (review.due - today).days
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} overdue"
    return "due today" if days == 0 else f"due in {days} day{'s' if days != 1 else ''}"


def cell_value(review: ReviewRow, column: str) -> Any:
    """The value one column sorts by (dates stay dates; status sorts by due or completed)."""
    if column == "status":
        return review.due if review.is_open else review.completed
    return getattr(review, column)


def cell_text(review: ReviewRow, column: str, today: date) -> str:
    """What a cell shows."""
    if column == "status":
        return status_text(review, today)
    value = getattr(review, column)
    if column == "type":
        return REVIEW_LABELS.get(value, value)
    if column == "outcome":
        return OUTCOME_LABELS.get(value, value or "")
    return value.isoformat() if isinstance(value, date) else (value or "")


def sort_reviews(rows: list[ReviewRow], column: str, descending: bool) -> list[ReviewRow]:
    """Rows ordered by one column; empty values always last."""
    value = lambda r: cell_value(r, column)  # noqa: E731
    first = next((value(r) for r in rows if value(r) is not None), None)
    return sorted_unknown_last(rows, value, descending, as_text=not isinstance(first, date))


class ReviewsModel(ListModel):
    """Reviews shown as a table, sorted in Python."""

    def __init__(self, columns: tuple[str, ...] = QUEUE_COLUMNS, parent=None):
        super().__init__(columns, HEADERS, parent)
        self.today = clock.today()
        self._sort: tuple[str, bool] | None = None

    def set_rows(self, rows: list[ReviewRow]) -> None:
        """Show these reviews (in the current sort order)."""
        self.beginResetModel()
        self.today = clock.today()
        self._rows = sort_reviews(rows, *self._sort) if self._sort else list(rows)
        self.endResetModel()

    def review(self, row: int) -> ReviewRow:
        """The review on one row."""
        return self._rows[row]

    def row_of(self, review_id: int) -> int | None:
        """The row showing a review, if shown."""
        return next((i for i, r in enumerate(self._rows) if r.id == review_id), None)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        review, column = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(review, column, self.today)
        if role == Qt.ItemDataRole.ForegroundRole and review.days_late(self.today):
            return LATE_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole and column == "notes":
            return review.notes
        if role == Qt.ItemDataRole.UserRole:
            return review.id
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort on a header click."""
        self._sort = (self.columns[column], order == Qt.SortOrder.DescendingOrder)
        self.set_rows(self._rows)


def reviews_table(model: ReviewsModel, column: str, order: Qt.SortOrder) -> QTableView:
    """A read-only table of reviews, sorted by `column` until a header is clicked."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSortingEnabled(True)
    table.sortByColumn(model.columns.index(column), order)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for index, name in enumerate(model.columns):
        table.setColumnWidth(index, WIDTHS[name])
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(False)
    return table


class CompleteReviewDialog(QDialog):
    """Outcome, reviewer and notes of one review."""

    def __init__(self, review: ReviewRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.review = review
        self.setWindowTitle(f"Complete {REVIEW_LABELS[review.type].lower()} review")
        self.outcome_box = QComboBox()
        for name, label in OUTCOME_LABELS.items():
            self.outcome_box.addItem(label, name)
        self.reviewer_edit = QLineEdit(review.reviewer_email or configured_email() or "")
        self.reviewer_edit.setPlaceholderText("reviewer@company.com")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText("Conditions, findings, follow-ups")
        self.approve_tier_box = QCheckBox(
            "When approved, set the approved tier to the computed tier")
        self.approve_tier_box.setChecked(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(QLabel(f"<b>{review.app_name}</b> ({review.app_id})"))
        form.addRow("Outcome", self.outcome_box)
        form.addRow("Reviewer", self.reviewer_edit)
        form.addRow("Notes", self.notes_edit)
        form.addRow(self.approve_tier_box)
        form.addRow(buttons)

    def values(self) -> dict:
        """The keyword arguments of `ReviewsView.complete`."""
        return {"outcome": self.outcome_box.currentData(),
                "reviewer": self.reviewer_edit.text().strip() or None,
                "notes": self.notes_edit.toPlainText().strip() or None,
                "approve_tier": self.approve_tier_box.isChecked()}


class ReviewsView(RefreshWhenSeen, QWidget):
    """The reviewer's page: choose a queue, complete a review, request what the rules require."""

    throughput_shown = Signal(object)  # ReviewStats, once on screen (tests wait for it)

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._stale = False
        self.dialog: CompleteReviewDialog | None = None  # the dialog last opened (tests use it)
        self.confirmation: QMessageBox | None = None  # the last "Create N reviews?" question
        self.model = ReviewsModel(parent=self)
        self._build()
        workspace.opened.connect(self._refresh_when_seen)
        workspace.changed.connect(self._changed)
        self.refresh()

    def _build(self) -> None:
        self.queue_box = QComboBox()
        self.queue_box.addItems(QUEUES)
        self.queue_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.reviewer_box = QComboBox()
        self.reviewer_box.currentIndexChanged.connect(lambda _i: self._show_rows())
        self.complete_button = QPushButton("Complete…")
        self.complete_button.clicked.connect(self.complete_selected)
        self.require_button = QPushButton("Request required reviews")
        self.require_button.setToolTip("Request every review the rules call for that is neither "
                                       "open nor approved")
        self.require_button.clicked.connect(self.request_required)
        self.count_label = QLabel()
        self.table = reviews_table(self.model, "due", Qt.SortOrder.AscendingOrder)
        self.table.doubleClicked.connect(lambda _index: self.complete_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:"))
        bar.addWidget(self.queue_box)
        bar.addWidget(self.reviewer_box)
        bar.addStretch(1)
        bar.addWidget(self.require_button)
        bar.addWidget(self.complete_button)
        self.throughput = ThroughputPanel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.throughput)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

    def _changed(self, done) -> None:
        # Reviews, and the names of their apps (deleting an app deletes its reviews).
        if (affected.touches(done, Entity.REVIEW) or affected.apps_came_or_went(done)
                or "name" in affected.app_fields(done)):
            self._refresh_when_seen()

    def show_queue(self, name: str) -> None:
        """Switch to one of QUEUES."""
        self.queue_box.setCurrentIndex(QUEUES.index(name))

    def refresh(self) -> None:
        """Reload the chosen queue."""
        self._stale = False
        queue = self.queue_box.currentText()
        self._groups: dict[str, list[ReviewRow]] = {}
        if self._workspace.portfolio is not None:
            with self._workspace.read() as session:
                self._groups = self._load(session, queue)
            self._count_throughput()
        self._fill_reviewers(queue)
        self._show_rows()

    def _count_throughput(self) -> None:
        # a grouped scan of every review (0.75 s at 100,000 apps): on the worker thread
        portfolio = self._workspace.portfolio

        def work(_progress):
            with portfolio.reading() as session:
                return portfolio_review_stats(session)

        def counted(stats) -> None:
            if portfolio is self._workspace.portfolio:  # not one closed meanwhile
                self.throughput.show_stats(stats)
                self.throughput_shown.emit(stats)

        run_in_background(work, parent=self, label="Counting reviews…",
                          on_success=while_alive(self, counted),
                          on_failure=lambda exc, trace: show_error(self, exc, trace))

    def _load(self, session, queue: str) -> dict[str, list[ReviewRow]]:
        today = clock.today()
        if queue == BY_REVIEWER:
            return by_reviewer(session)
        if queue == OVERDUE:
            return {queue: overdue(session, today)}
        if queue == THIS_WEEK:
            return {queue: due_this_week(session, today)}
        return {queue: my_queue(session, configured_email())}

    def _fill_reviewers(self, queue: str) -> None:
        chosen = self.reviewer_box.currentData()
        self.reviewer_box.blockSignals(True)
        self.reviewer_box.clear()
        if queue == BY_REVIEWER:
            for email, rows in self._groups.items():
                self.reviewer_box.addItem(f"{email or '(unassigned)'} — {len(rows)}", email)
            self.reviewer_box.setCurrentIndex(max(0, self.reviewer_box.findData(chosen)))
        self.reviewer_box.setVisible(queue == BY_REVIEWER)
        self.reviewer_box.blockSignals(False)

    def _show_rows(self) -> None:
        queue = self.queue_box.currentText()
        key = self.reviewer_box.currentData() if queue == BY_REVIEWER else queue
        rows = self._groups.get(key, []) if key is not None else []
        self.model.set_rows(rows)
        self._update_count(queue, rows)
        self._update_buttons()

    def _update_count(self, queue: str, rows: list[ReviewRow]) -> None:
        late = sum(1 for r in rows if r.days_late(self.model.today))
        text = f"{len(rows)} open review{'s' if len(rows) != 1 else ''}"
        if late:
            text += f" · {late} overdue"
        if queue == MY_QUEUE:
            me = configured_email()
            text += (f" assigned to {me}" if me
                     else " (everyone's: set your reviewer e-mail to see yours)")
        self.count_label.setText(text)

    def _update_buttons(self) -> None:
        self.complete_button.setEnabled(self.selected_review() is not None)
        self.require_button.setEnabled(self._workspace.portfolio is not None)

    def selected_review(self) -> ReviewRow | None:
        """The review on the selected row."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.review(rows[0].row()) if rows else None

    def select_review(self, review_id: int) -> None:
        """Select one review and scroll to it."""
        row = self.model.row_of(review_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def complete_selected(self) -> None:
        """Ask for the outcome of the selected review, then complete it."""
        review = self.selected_review()
        if review is None:
            return
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = dialog = CompleteReviewDialog(review, self)
        dialog.accepted.connect(lambda: self.complete(review, **dialog.values()))
        dialog.open()

    def complete(self, review: ReviewRow, outcome: str, reviewer: str | None = None,
                 notes: str | None = None, approve_tier: bool = True) -> None:
        """Complete one review as one undo step; errors are shown, nothing half-done."""
        text = f"Complete {REVIEW_LABELS[review.type].lower()} review of {review.app_name}"

        def action(session, who):
            return complete_review(session, review.id, outcome, who, reviewer, notes, approve_tier)

        self._workspace.run(text, action, revert_review, parent=self, on_failure=self._not_completed)

    def _not_completed(self, exc: BaseException, trace: str) -> None:
        show_error(self, exc, trace)
        self.refresh()  # e.g. completed elsewhere meanwhile: show it as it is now

    def request_required(self) -> None:
        """Count the reviews the rules call for (on the worker), ask, then request them."""
        portfolio, today = self._workspace.portfolio, clock.today()

        def count(_progress):
            with portfolio.reading() as session:
                return count_required_reviews(session, None, today)

        run_in_background(count, on_success=lambda counted: self._ask_to_request(*counted, today),
                          on_failure=lambda exc, trace: show_error(self, exc, trace), parent=self,
                          label="Counting the reviews the rules call for…")

    def _ask_to_request(self, by_type: Counter, apps: int, today: date) -> None:
        total = sum(by_type.values())
        if not total:
            QMessageBox.information(self, "Request required reviews",
                                    "Every app already has the reviews its rules call for.")
            return
        kinds = ", ".join(f"{n:,} {REVIEW_LABELS[kind].lower()}"
                          for kind, n in by_type.most_common())
        self.confirmation = ask_first(
            self, "Request required reviews",
            f"Create {plural(total, 'review')} for {plural(apps, 'app')}?",
            f"{kinds}. Undo removes them all in one step.", f"Create {plural(total, 'review')}",
            lambda: self._workspace.run(
                "Request required reviews",
                lambda session, who: ensure_required_reviews(session, None, who, today),
                revert_review, parent=self))


class AppReviewsPanel(QWidget):
    """The Reviews tab of one app: every review, newest first, with outcomes and notes."""

    def __init__(self, workspace, app_id: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self.app_id = app_id
        self.model = ReviewsModel(APP_COLUMNS, self)
        self.table = reviews_table(self.model, "requested", Qt.SortOrder.DescendingOrder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        workspace.changed.connect(self._changed)
        self.refresh()

    def _changed(self, done) -> None:
        # Only this app's reviews matter here; their log keys are 'APP_ID#REVIEW_ID'.
        if self.app_id is not None and any(
                c.key.startswith(f"{self.app_id}#") for c in done.changes):
            self.refresh()

    def refresh(self) -> None:
        """Reload this app's reviews."""
        if self.app_id is None or self._workspace.portfolio is None:
            self.model.set_rows([])
            return
        with self._workspace.read() as session:
            self.model.set_rows(reviews_for_app(session, self.app_id))
