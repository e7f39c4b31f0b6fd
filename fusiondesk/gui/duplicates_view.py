"""The Duplicates tab: groups of apps likely built twice, each with its score and reasons,
and the keep / merge / retire decision recorded (undoable, in the change log).

Finding the groups reads every app (seconds at 100,000), so it runs on the worker thread,
and only when the tab is seen after a change.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core.duplicates import DuplicateGroup
from fusiondesk.core.labels import label
from fusiondesk.core.terms import DuplicateVerdict, Entity
from fusiondesk.gui.lazy import RefreshWhenSeen
from fusiondesk.gui.tasks import run_in_background, while_alive
from fusiondesk.services import duplicates
from fusiondesk.services.duplicates import Decision, DuplicateReport

COLUMNS = ("Score", "Apps", "Names", "Decision")
SHOW = (("Awaiting a decision", "undecided"), ("Decided", "decided"), ("All", "all"))


class DuplicatesView(RefreshWhenSeen, QWidget):
    """Groups of likely duplicates, their reasons, and the decision buttons."""

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._stale = True  # read when first seen: the search reads every app
        self.report: DuplicateReport | None = None
        self.rows: list[tuple[DuplicateGroup, Decision | None]] = []
        self._build()
        workspace.opened.connect(self._opened)  # methods: dropped with the page (no lambda)
        workspace.changed.connect(self._changed)

    def _opened(self, _portfolio) -> None:
        self._refresh_when_seen()

    def _build(self) -> None:
        self.show_combo = QComboBox()
        for text, value in SHOW:
            self.show_combo.addItem(text, value)
        self.show_combo.activated.connect(lambda _i: self._fill())
        self.summary = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:"))
        bar.addWidget(self.show_combo)
        bar.addWidget(self.summary, 1)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selected)
        self.reasons = _reading_pane()
        self.buttons = {verdict: QPushButton(label(DuplicateVerdict, verdict) + "…")
                        for verdict in DuplicateVerdict}
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Decide:"))
        for verdict, button in self.buttons.items():
            button.clicked.connect(lambda _c=False, v=verdict: self.decide(v))
            buttons.addWidget(button)
        buttons.addStretch(1)
        lower = QWidget()
        below = QVBoxLayout(lower)
        below.addWidget(self.reasons, 1)
        below.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self._selected()

    def _changed(self, done) -> None:
        # Names, departments, systems and decisions move groups; reviews and people do not.
        if not done or any(c.entity in (Entity.APP, Entity.DUPLICATES, Entity.PORTFOLIO)
                           for c in done.changes):
            self._refresh_when_seen()

    def refresh(self) -> None:
        """Find the groups again (on the worker thread)."""
        self._stale = False
        portfolio = self._workspace.portfolio
        if portfolio is None:
            return

        def work(_progress):
            with portfolio.reading() as session:
                return duplicates.find_groups(session)

        run_in_background(work, on_success=while_alive(self, self._found), parent=self,
                          label="Looking for apps built twice…")

    def _found(self, report: DuplicateReport) -> None:
        self.report = report
        self.summary.setText(f"{len(report.undecided)} groups await a decision, "
                             f"{len(report.decided)} decided, among {report.apps:,} apps.")
        self._fill()

    def _fill(self) -> None:
        if self.report is None:
            return
        shown = self.show_combo.currentData()
        rows = [] if shown == "decided" else [(g, None) for g in self.report.undecided]
        if shown != "undecided":
            rows += list(self.report.decided)
        self.rows = rows
        self.table.setRowCount(len(rows))
        for row, (group, decision) in enumerate(rows):
            values = (f"{group.score:.2f}", str(len(group.app_ids)),
                      " ≈ ".join(dict.fromkeys(group.names)),
                      label(DuplicateVerdict, decision.decision) if decision else "—")
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        if rows:
            self.table.selectRow(0)
        self._selected()

    def _selected(self) -> None:
        chosen = self.selected()
        for button in self.buttons.values():
            button.setEnabled(chosen is not None)
        if chosen is None:
            self.reasons.setText("Select a group to see why its apps look like one solution.")
            return
        group, decision = chosen
        lines = "".join(f"<li>{_escape(reason)}</li>" for reason in group.reasons)
        apps = ", ".join(f"{_escape(n)} ({a})" for a, n in zip(group.app_ids, group.names))
        said = "" if decision is None else (
            f"<p><b>Decided:</b> {label(DuplicateVerdict, decision.decision)} by "
            f"{_escape(decision.who)} on {decision.decided_on}"
            + (f": {_escape(decision.note)}" if decision.note else "") + "</p>")
        self.reasons.setText(f"<p><b>Score {group.score:.2f}</b>: {apps}</p><ul>{lines}</ul>{said}")

    def selected(self) -> tuple[DuplicateGroup, Decision | None] | None:
        """The group (and its decision) selected in the table."""
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def decide(self, verdict: str) -> None:
        """Record a decision on the selected group, with a note."""
        chosen = self.selected()
        if chosen is None:
            return
        note, ok = QInputDialog.getText(self, label(DuplicateVerdict, verdict),
                                        "A note for the record (optional):")
        if ok:
            group = chosen[0]
            self._workspace.run(f"Duplicates: {verdict}", lambda s, who: duplicates.decide(
                s, group, verdict, who, note), duplicates.revert_decision, parent=self)


def _reading_pane() -> QTextBrowser:
    """Rich text that scrolls when a big group's names do not fit."""
    pane = QTextBrowser()
    pane.setFrameShape(QFrame.Shape.NoFrame)
    pane.viewport().setAutoFillBackground(False)
    return pane


def _escape(text) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
