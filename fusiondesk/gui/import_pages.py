"""The later import wizard pages: values, preview, and the import itself (columns: import_columns_page)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from fusiondesk.core.fields import APP_FIELD_BY_NAME, PERSON_FIELD_BY_NAME
from fusiondesk.gui.errors import show_error
from fusiondesk.gui.tasks import Cancelled, run_in_background
from fusiondesk.services.affected import everything
from fusiondesk.services.importing.choices import SheetChoice, inventory_from_choices, unrecognised
from fusiondesk.services.importing.importer import (
    ImportAborted,
    Outcome,
    apply_import,
    save_problem_report,
)
from fusiondesk.services.importing.match import plan_from_inventory
from fusiondesk.sheets.problems import MappingError

LEAVE_UNKNOWN = "(leave unknown)"
PREVIEW_ROWS = 2000  # rows listed in the preview tables; the counts are always complete
ERROR_STYLE = "color: #c62828;"
REFUSAL_STYLE = ("color: #c62828; font-size: 11pt; padding: 10px; border: 1px solid #c62828; "
                 "border-radius: 4px;")


def field_spec(entity: str, name: str):
    """The declaration of a field of apps or people."""
    return (APP_FIELD_BY_NAME if entity == "apps" else PERSON_FIELD_BY_NAME)[name]


def readonly_item(text) -> QTableWidgetItem:
    """A table cell people can read and select but not edit."""
    item = QTableWidgetItem("" if text is None else str(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class ValuesPage(QWizardPage):
    """Step 4: what each value the reader did not recognise means."""

    def __init__(self, wizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle("Values")
        self.setSubTitle("Values FusionDesk did not recognise. Say what each means, or leave it unknown.")
        self.note = QLabel()
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Sheet", "Field", "Value in the file", "Means"])
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table)

    def initializePage(self) -> None:
        state = self._wizard.state
        rows = [(c, name, value) for c in state.included
                for name, values in unrecognised(c, state.date_order).items() for value in values]
        self.table.setRowCount(len(rows))
        self.note.setText("Every value was recognised." if not rows else
                          f"{len(rows)} value(s) need a meaning; unknown values are flagged, never treated as safe.")
        self.table.setVisible(bool(rows))
        for row, (choice, name, value) in enumerate(rows):
            spec = field_spec(choice.entity, name)
            combo = QComboBox()
            combo.addItem(LEAVE_UNKNOWN, None)
            for option in spec.choices:
                combo.addItem(option, option)
            current = choice.values.get(name, {}).get(value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.currentIndexChanged.connect(
                lambda _i, c=choice, n=name, v=value, box=combo: _set_value(c, n, v, box.currentData()))
            for column, text in enumerate((choice.table.sheet, spec.label, value)):
                self.table.setItem(row, column, readonly_item(text))
            self.table.setCellWidget(row, 3, combo)
        self.table.resizeColumnsToContents()


def _set_value(choice, field_name: str, value: str, meaning: str | None) -> None:
    maps = choice.values.setdefault(field_name, {})
    if meaning is None:
        maps.pop(value, None)
    else:
        maps[value] = meaning


class PreviewPage(QWizardPage):
    """Step 5: counts, each change field by field, and every problem, before anything is written."""

    def __init__(self, wizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle("Preview")
        self.setSubTitle("Nothing has been written yet.")
        self.counts = QLabel(wordWrap=True)
        self.refusal = QLabel(wordWrap=True, styleSheet=REFUSAL_STYLE, visible=False)
        self.refusal.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.strict = QCheckBox("Import nothing if any row is invalid (strict)")
        self.changes = _table(["Sheet", "Row", "Change", "App / person", "Fields"])
        self.problems = _table(["Severity", "Sheet", "Row", "Column", "Value", "Message"])
        self.tabs = QTabWidget()
        self.tabs.addTab(self.changes, "Changes")
        self.tabs.addTab(self.problems, "Problems")
        self.report = QPushButton("Save problem report…")
        self.report.clicked.connect(lambda: _save_report(self, self._wizard.state.plan))
        bottom = QHBoxLayout()
        bottom.addWidget(self.strict)
        bottom.addStretch()
        bottom.addWidget(self.report)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.refusal)
        layout.addWidget(self.tabs, 1)
        layout.addStretch()  # takes the room only while a refusal replaces the tables
        layout.addLayout(bottom)
        self._ready = False
        self._attempt = 0  # results of a preview the user has since left are dropped

    def initializePage(self) -> None:
        self._ready = False
        self._attempt += 1
        attempt = self._attempt
        self.setButtonText(QWizard.WizardButton.NextButton, "Import")
        self.counts.setText("Comparing with the portfolio…")
        self._show_refusal(None)
        state, portfolio = self._wizard.state, self._wizard.workspace.portfolio
        state.plan = None
        source, choices, order = str(state.path), [_snapshot(c) for c in state.choices], state.date_order

        def work(_progress):
            # Normalising every row takes a while on big sheets, and a mapping can be refused
            # here (a key column that would merge rows): both belong off the GUI thread.
            inventory = inventory_from_choices(source, choices, order)
            with portfolio.reading() as session:
                return plan_from_inventory(session, inventory)

        run_in_background(work, parent=self, label="Comparing with the portfolio…",
                          on_success=lambda plan: attempt == self._attempt and self._show(plan),
                          on_failure=lambda exc, trace: attempt == self._attempt
                          and self._failed(exc, trace))

    def cleanupPage(self) -> None:
        """Going Back: a preview still running is no longer wanted."""
        self._attempt += 1
        self._ready = False
        super().cleanupPage()

    def _failed(self, exc: BaseException, trace: str) -> None:
        """A mapping the import refuses is the user's to fix: say why, and how; anything
        else is a fault, reported as one."""
        if isinstance(exc, MappingError):
            self.counts.setText("<b>The import cannot go ahead.</b> Nothing has been written.")
            self._show_refusal(f"{exc}\n\nGo Back to Columns to change the mapping, then "
                               "come back to the preview.")
        else:
            self.counts.setText("The preview failed; nothing has been written.")
            show_error(self, exc, trace)
        self.completeChanged.emit()

    def _show_refusal(self, message: str | None) -> None:
        """The reason the import cannot go ahead, in place of the preview tables."""
        self.refusal.setText(message or "")
        self.refusal.setVisible(message is not None)
        for widget in (self.tabs, self.strict, self.report):
            widget.setVisible(message is None)

    def _show(self, plan) -> None:
        self._wizard.state.plan, self._ready = plan, True
        totals = plan.totals
        self.counts.setText(
            f"<b>{totals.created:,}</b> to create, <b>{totals.updated:,}</b> to update, "
            f"{totals.unchanged:,} unchanged, <b>{totals.invalid:,}</b> invalid rows; "
            f"{len(plan.errors):,} errors and {len(plan.warnings):,} warnings.")
        rows = [(a.sheet, a.row, a.action, a.name, "; ".join(
                    f"{d.field}: {d.old!s} → {d.new!s}" for d in a.diffs) if a.action == Outcome.UPDATED else "")
                for a in plan.apps if a.action in (Outcome.CREATED, Outcome.UPDATED)]
        rows += [(p.sheet, p.row, p.action, p.email, "; ".join(f"{d.field}: {d.old!s} → {d.new!s}" for d in p.diffs))
                 for p in plan.people]
        _fill(self.changes, rows[:PREVIEW_ROWS])
        _fill(self.problems, [(p.severity, p.sheet, p.row, p.column, p.value, p.message)
                              for p in plan.problems[:PREVIEW_ROWS]])
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self._ready


class RunPage(QWizardPage):
    """Step 6: the import, in one transaction, with progress and cancel; then the summary."""

    def __init__(self, wizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle("Import")
        self.summary = QLabel(wordWrap=True)
        report = QPushButton("Save problem report…")
        report.clicked.connect(lambda: _save_report(self, self._wizard.state.result or self._wizard.state.plan))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        buttons = QHBoxLayout()
        buttons.addWidget(report)
        buttons.addStretch()
        layout.addLayout(buttons)
        layout.addStretch()
        self._done = False

    def initializePage(self) -> None:
        self._done = False
        self.summary.setText("Importing…")
        wizard = self._wizard
        plan, strict, portfolio = wizard.state.plan, wizard.preview_page.strict.isChecked(), wizard.workspace.portfolio
        run_in_background(lambda progress: apply_import(portfolio, plan, strict=strict, progress=progress),
                          parent=self, label=f"Importing {plan.source}…", cancellable=True,
                          on_success=self._finished, on_failure=lambda exc, _t: self._stopped(exc))

    def _finished(self, result) -> None:
        self._wizard.state.result, self._done = result, True
        totals = result.totals
        backup = f" A backup was made first: {result.backup.name}." if result.backup else ""
        self.summary.setText(
            f"Imported {result.source}: {totals.created:,} created, {totals.updated:,} updated, "
            f"{totals.unchanged:,} unchanged, {totals.invalid:,} invalid rows skipped.{backup}"
            + "".join(f"\n\n{line}" for line in _follow_ups(result)))
        self._wizard.workspace.announce_outside_history(  # an import may have touched anything
            everything(), "Undo history cleared: an import is not undone step by step "
            "(File ▸ Backups has the copy made before it).")
        self.completeChanged.emit()

    def _stopped(self, exc: BaseException) -> None:
        self._done = True
        if isinstance(exc, ImportAborted):
            self.summary.setStyleSheet(ERROR_STYLE)
            self.summary.setText(str(exc))
        elif isinstance(exc, Cancelled):
            self.summary.setText("Import cancelled. Nothing was changed.")
        else:
            self.summary.setStyleSheet(ERROR_STYLE)
            self.summary.setText(f"The import failed and nothing was changed: {exc}")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self._done


def _follow_ups(result) -> list[str]:
    """What the lead should know happened beside the rows: handovers, people to complete."""
    lines = []
    if result.handover_plans:
        lines.append(f"Handover planned for {result.handover_plans} leaver"
                     f"{'s' if result.handover_plans != 1 else ''}: see the Ownership page.")
    if result.handovers_pending:
        lines.append(result.handovers_pending)
    if result.named_owners:
        lines.append(f"{result.named_owners} owner{'s' if result.named_owners != 1 else ''} "
                     "given only by name were added without an e-mail: import the directory "
                     "(e.g. Entra ID users) or add them on the People page.")
    return lines


def _snapshot(choice: SheetChoice) -> SheetChoice:
    """A copy of a sheet's decisions for the worker, so edits after Back cannot race it."""
    return replace(choice, mapping=dict(choice.mapping),
                   values={name: dict(values) for name, values in choice.values.items()})


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, readonly_item(value))
    table.resizeColumnsToContents()


def _save_report(parent, plan_or_result) -> None:
    if plan_or_result is None:
        return
    path, _ = QFileDialog.getSaveFileName(parent, "Save problem report", str(Path.home() / "import-problems.xlsx"),
                                          "Excel workbook (*.xlsx)")
    if path:
        save_problem_report(plan_or_result, path)
