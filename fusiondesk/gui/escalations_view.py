"""The Escalations page: escalation cases along the path, lessons searchable; and, on the
app editor, the app's own case with its stage and next step, and "Escalate…".

Every step runs through Workspace.run with `revert_case` as its undo, so Ctrl+Z takes a
partner, a decision or a close back as it takes back an edit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core.escalation import KEEP_AS_IS, trigger_label
from fusiondesk.core.labels import label
from fusiondesk.core.terms import Entity, EscalationStage
from fusiondesk.gui.duplicates_view import DuplicatesView
from fusiondesk.gui.lazy import RefreshWhenSeen
from fusiondesk.gui.tasks import run_in_background, while_alive
from fusiondesk.services import escalations as cases
from fusiondesk.services.escalations import Case

TYPING_PAUSE_MS = 250
COLUMNS = ("Case", "App", "Stage", "From", "Owner", "Pro-dev partner", "Since",
           "Next step / lesson")
STATES = (("Open", True), ("Closed", False), ("All", None))


def _touches_cases(done) -> bool:
    return not done or any(c.entity in (Entity.ESCALATION, Entity.APP, Entity.PORTFOLIO)
                           for c in done.changes)


class EscalationsPage(QTabWidget):
    """The navigation's Escalations page: cases in one tab, likely duplicates in the other."""

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.cases = EscalationCasesView(workspace)
        self.duplicates = DuplicatesView(workspace)
        self.addTab(self.cases, "Escalation cases")
        self.addTab(self.duplicates, "Duplicates")


class EscalationCasesView(RefreshWhenSeen, QWidget):
    """Cases with filters (open/closed, stage), a lessons search, a case's detail and its steps."""

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._stale = False
        self.shown: list[Case] = []
        self._typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.refresh)
        self._build()
        # Bound methods, not lambdas: Qt drops a method's connection when the page goes, while
        # a lambda would still be called on a deleted page by a workspace that outlives it.
        workspace.opened.connect(self._opened)
        workspace.changed.connect(self._changed)
        self.refresh()

    def _opened(self, _portfolio) -> None:
        self._refresh_when_seen()

    def _changed(self, done) -> None:
        if _touches_cases(done):
            self._refresh_when_seen()

    def _build(self) -> None:
        self.state = QComboBox()
        for text, value in STATES:
            self.state.addItem(text, value)
        self.stage = QComboBox()
        self.stage.addItem("Any stage", None)
        for stage in EscalationStage:
            self.stage.addItem(label(EscalationStage, stage), stage.value)
        for combo in (self.state, self.stage):
            combo.activated.connect(lambda _i: self.refresh())
        self.search_box = QLineEdit(placeholderText="Search lessons, outcomes, decisions, apps")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(lambda _t: self._typing.start())
        bar = QHBoxLayout()
        for widget in (QLabel("Show:"), self.state, self.stage):
            bar.addWidget(widget)
        bar.addWidget(self.search_box, 1)
        self.table = _table(COLUMNS)
        self.table.itemSelectionChanged.connect(self._selected)
        self.detail = CaseDetail(self._workspace, self)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.count_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.count_label)

    def refresh(self) -> None:
        """Read the cases matching the filters again (on the worker thread)."""
        self._stale = False
        portfolio = self._workspace.portfolio
        if portfolio is None:
            self._show([])
            return
        state, stage = self.state.currentData(), self.stage.currentData()
        text = self.search_box.text().strip() or None

        def work(_progress):
            with portfolio.reading() as session:
                return cases.list_cases(session, state, stage, text)

        run_in_background(work, on_success=while_alive(self, self._show), parent=self,
                          label="Reading escalation cases…")

    def _show(self, found: list[Case]) -> None:
        chosen = self.detail.case.id if self.detail.case else None
        self.shown = found
        self.table.setRowCount(len(found))
        for row, case in enumerate(found):
            last = case.next_step if case.is_open else (case.lesson or "")
            values = (f"#{case.id}", case.app_name,
                      label(EscalationStage, case.stage), case.trigger_label, case.owner,
                      case.partner_email or "—", case.recognised_on.isoformat(), last)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(f"{case.app_name} ({case.app_id})" if column == 1 else value)
                self.table.setItem(row, column, item)
        self.count_label.setText(f"{len(found)} cases shown; "
                                 f"{sum(c.is_open for c in found)} of them open.")
        again = next((row for row, c in enumerate(found) if c.id == chosen), 0 if found else None)
        if again is None:
            self.detail.show_case(None)
        else:
            self.table.selectRow(again)
            self.detail.show_case(found[again])

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.detail.show_case(self.shown[rows[0].row()] if rows else None)


def _table(columns) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class CaseDetail(QWidget):
    """One case: what it came from, each stage's day, the decision, the lesson; and its next step."""

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self.case: Case | None = None
        self.text = _reading_pane()
        self.buttons = {name: QPushButton(title) for name, title in (
            ("partner", "Assign &partner…"), ("decide", "&Decide what to rebuild…"),
            ("close", "&Close with lesson…"), ("link", "&Link lesson to policy change…"))}
        self.buttons["partner"].clicked.connect(self.assign_partner)
        self.buttons["decide"].clicked.connect(self.decide)
        self.buttons["close"].clicked.connect(self.close_case)
        self.buttons["link"].clicked.connect(self.link)
        row = QHBoxLayout()
        for button in self.buttons.values():
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addLayout(row)
        self.show_case(None)

    def show_case(self, case: Case | None) -> None:
        """Show a case (None: say how to open one)."""
        self.case = case
        self.text.setText(case_html(case) if case else
                          "No case selected. Open one from an app with drift or a warning sign: "
                          "<i>Escalate…</i> on the app's Escalation tab.")
        stage = case.stage if case else None
        self.buttons["partner"].setEnabled(stage == EscalationStage.RECOGNISED)
        self.buttons["decide"].setEnabled(stage == EscalationStage.PARTNERED)
        self.buttons["close"].setEnabled(stage == EscalationStage.DECIDED)
        self.buttons["link"].setEnabled(case is not None)

    # -- the steps -----------------------------------------------------------------
    def assign_partner(self) -> None:
        """Ask for the pro-dev partner's e-mail, then record it."""
        email, ok = QInputDialog.getText(self, "Assign a pro-dev partner",
                                         "The pro-dev partner's e-mail:")
        if ok and email.strip():
            case_id = self.case.id
            self._run("Assign partner",
                      lambda s, who: cases.assign_partner(s, case_id, email, who))

    def decide(self) -> None:
        """Ask what is rebuilt (or keep as is), then record it."""
        text, ok = QInputDialog.getText(self, "Decide what to rebuild",
                                        f"What is rebuilt (or '{KEEP_AS_IS}'):")
        if ok and text.strip():
            case_id = self.case.id
            self._run("Decide rebuild", lambda s, who: cases.decide_rebuild(s, case_id, text, who))

    def close_case(self) -> None:
        """Ask for the outcome, the lesson and the policy change it led to, then close."""
        dialog = CloseCaseDialog(self._policy_changes(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            case_id, (outcome, lesson, change) = self.case.id, dialog.values()
            self._run("Close case", lambda s, who: cases.close_case(
                s, case_id, outcome, lesson, who, change))

    def link(self) -> None:
        """Link the lesson to a policy change (or unlink it)."""
        choices = self._policy_changes()
        names = ["(none)"] + [text for text, _ in choices]
        picked, ok = QInputDialog.getItem(self, "Link the lesson", "The policy change it led to:",
                                          names, 0, False)
        if ok:
            change = dict(choices).get(picked)
            case_id = self.case.id
            self._run("Link lesson",
                      lambda s, who: cases.link_policy_change(s, case_id, change, who))

    def _policy_changes(self) -> list[tuple[str, str]]:
        with self._workspace.read() as session:
            found = cases.policy_changes(session)
        return [(f"{str(at)[:16]} by {who}: {fields}", change) for change, at, who, fields in found]

    def _run(self, text: str, action) -> None:
        self._workspace.run(text, action, cases.revert_case, parent=self)


class CloseCaseDialog(QDialog):
    """The outcome, the lesson learnt and (optionally) the policy change it led to."""

    def __init__(self, policy_changes: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.setWindowTitle("Close the escalation case")
        self.outcome = QLineEdit(placeholderText="e.g. approval logic rebuilt; app kept")
        self.lesson = QPlainTextEdit(placeholderText="What the programme learnt")
        self.change = QComboBox()
        self.change.addItem("(none)", None)
        for text, change in policy_changes:
            self.change.addItem(text, change)
        form = QFormLayout(self)
        form.addRow("Outcome:", self.outcome)
        form.addRow("Lesson:", self.lesson)
        form.addRow("Led to policy change:", self.change)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.resize(520, 260)

    def values(self) -> tuple[str, str, str | None]:
        """(outcome, lesson, change id or None)."""
        return (self.outcome.text(), self.lesson.toPlainText(), self.change.currentData())


def case_html(case: Case) -> str:
    """A case as the detail panel and the app's Escalation tab show it."""
    days = [(label(EscalationStage, stage), getattr(case, f"{stage}_on"))
            for stage in ("recognised", "partnered", "decided", "closed")]
    path = " → ".join(f"<b>{name}</b> {day.isoformat()}" if day else f"<span style='color:gray'>"
                      f"{name}</span>" for name, day in days)
    rows = [("From", trigger_label(case.trigger)), ("Reason", case.reason),
            ("Owner", case.owner), ("Pro-dev partner", case.partner_email),
            ("Rebuild", case.rebuild), ("Outcome", case.outcome), ("Lesson", case.lesson),
            ("Led to policy change", case.policy_change)]
    cells = "".join(f"<tr><td style='color:gray;padding-right:12px'>{name}</td><td>{_escape(v)}"
                    "</td></tr>" for name, v in rows if v)
    step = "" if not case.is_open else f"<p><b>Next step:</b> {case.next_step}</p>"
    return (f"<p><b>Case #{case.id}</b> — {_escape(case.app_name)} ({_escape(case.app_id)})</p>"
            f"<p>{path}</p>{step}<table>{cells}</table>")


def _reading_pane() -> QTextBrowser:
    """Rich text that scrolls when a long lesson does not fit, and blends into the page."""
    pane = QTextBrowser()
    pane.setOpenLinks(False)
    pane.setFrameShape(QFrame.Shape.NoFrame)
    pane.viewport().setAutoFillBackground(False)
    return pane


def _escape(text) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class AppEscalationPanel(QWidget):
    """The app editor's Escalation tab: the app's open case (stage, next step), earlier cases
    with their lessons, and "Escalate…" when it shows drift or a warning sign."""

    def __init__(self, workspace, app_id: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self.app_id = app_id
        self.text = _reading_pane()
        self.escalate_button = QPushButton("&Escalate…")
        self.escalate_button.clicked.connect(self.escalate)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.escalate_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.triggers: list[str] = []
        workspace.changed.connect(self._changed)
        self.refresh()

    def _changed(self, done) -> None:
        if self.app_id and any(c.key == self.app_id or c.key.startswith(f"{self.app_id}#")
                               for c in done.changes):
            self.refresh()

    def refresh(self) -> None:
        """Read the app's cases and signs again."""
        if self.app_id is None or self._workspace.portfolio is None:
            self.text.setText("Save the app first: escalation cases belong to a stored app.")
            self.escalate_button.setEnabled(False)
            return
        with self._workspace.read() as session:
            found = cases.app_cases(session, self.app_id)
            self.triggers = cases.app_triggers(session, self.app_id)
        open_case = next((c for c in found if c.is_open), None)
        parts = [case_html(open_case)] if open_case else [
            "<p>No open escalation case." + (" The app shows: " + ", ".join(
                trigger_label(t) for t in self.triggers) + "." if self.triggers else "") + "</p>"]
        parts += [f"<p>Case #{c.id} ({c.closed_on}): {_escape(c.lesson or '')}</p>"
                  for c in found if not c.is_open]
        self.text.setText("".join(parts))
        self.escalate_button.setEnabled(open_case is None and bool(self.triggers))

    def escalate(self) -> None:
        """Open a case for one of the app's signs (drift first), with what was recognised."""
        names = [trigger_label(t) for t in self.triggers]
        picked, ok = QInputDialog.getItem(self, "Escalate", "Recognised from:", names, 0, False)
        if not ok:
            return
        trigger = self.triggers[names.index(picked)]
        reason, ok = QInputDialog.getText(self, "Escalate", "What was recognised (optional):")
        if ok:
            app_id = self.app_id
            self._workspace.run("Escalate", lambda s, who: cases.open_case(
                s, app_id, trigger, who, reason=reason), cases.revert_case, parent=self)
