"""The later import wizard pages: columns, values, preview, and the import itself."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
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
from fusiondesk.gui.tasks import Cancelled, run_in_background
from fusiondesk.services.changes import ChangeSet
from fusiondesk.services.import_choices import (
    inventory_from_choices,
    save_choice_as_profile,
    unrecognised,
)
from fusiondesk.services.import_match import plan_from_inventory
from fusiondesk.services.importer import (
    CREATED,
    UPDATED,
    ImportAborted,
    apply_import,
    save_problem_report,
)
from fusiondesk.sheets.mapping import fields_for

IGNORE = "(ignore this column)"
LEAVE_UNKNOWN = "(leave unknown)"
PREVIEW_ROWS = 2000  # rows listed in the preview tables; the counts are always complete
ERROR_STYLE = "color: #c62828;"


def _spec(entity: str, name: str):
    return (APP_FIELD_BY_NAME if entity == "apps" else PERSON_FIELD_BY_NAME)[name]


def _readonly(text) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    return item


class MappingPage(QWizardPage):
    """Step 3: which column feeds which field, with the suggestion's confidence."""

    def __init__(self, wizard):
        super().__init__()
        self._wizard = wizard
        self.setTitle("Columns")
        self.setSubTitle("Suggestions come from the headers; fix any that are wrong, or ignore a column.")
        self.sheet_box = QComboBox()
        self.sheet_box.currentIndexChanged.connect(self._show_sheet)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Column in the file", "Sample values", "Field", "Confidence"])
        self.table.horizontalHeader().setStretchLastSection(True)
        save = QPushButton("Save as profile…")
        save.clicked.connect(self._save_profile)
        top = QHBoxLayout()
        top.addWidget(QLabel("Sheet:"))
        top.addWidget(self.sheet_box, 1)
        top.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)

    def initializePage(self) -> None:
        self.sheet_box.blockSignals(True)
        self.sheet_box.clear()
        for choice in self._wizard.state.included:
            self.sheet_box.addItem(f"{choice.table.sheet} ({choice.entity})", choice)
        self.sheet_box.blockSignals(False)
        self._show_sheet()

    def _show_sheet(self) -> None:
        choice = self.sheet_box.currentData()
        if choice is None:
            return
        headers = choice.table.headers
        self.table.setRowCount(len(headers))
        names = [f.name for f in fields_for(choice.entity)]
        for row, header in enumerate(headers):
            combo = QComboBox()
            combo.addItem(IGNORE, None)
            for name in names:
                combo.addItem(f"{_spec(choice.entity, name).label} ({name})", name)
            combo.setCurrentIndex(max(0, combo.findData(choice.mapping.get(header))))
            combo.currentIndexChanged.connect(
                lambda _i, c=choice, h=header, box=combo: c.mapping.__setitem__(h, box.currentData()))
            self.table.setItem(row, 0, _readonly(header))
            self.table.setItem(row, 1, _readonly("; ".join(choice.samples(header))))
            self.table.setCellWidget(row, 2, combo)
            self.table.setItem(row, 3, _readonly(f"{choice.confidence.get(header, 0):.0%}"))
        self.table.resizeColumnsToContents()

    def validatePage(self) -> bool:
        for choice in self._wizard.state.included:
            used = [f for f in choice.mapping.values() if f]
            doubled = sorted({f for f in used if used.count(f) > 1})
            key = "name" if choice.entity == "apps" else "email"
            if doubled or key not in used:
                problem = (f"{', '.join(doubled)} is fed by two columns" if doubled
                           else f"no column is mapped to {key}, which every row needs")
                self.setSubTitle(f"Sheet {choice.table.sheet}: {problem}. Fix it to go on.")
                return False
        return True

    def _save_profile(self) -> None:
        choice = self.sheet_box.currentData()
        if choice is None:
            return
        name, ok = QInputDialog.getText(self, "Save profile", "Profile name:", text=choice.table.sheet)
        if not ok or not name.strip():
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save profile", str(Path.home() / f"{name}.toml"),
                                              "Profiles (*.toml)")
        if path:
            save_choice_as_profile(choice, name.strip(), self._wizard.state.date_order, Path(path))


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
            spec = _spec(choice.entity, name)
            combo = QComboBox()
            combo.addItem(LEAVE_UNKNOWN, None)
            for option in spec.choices:
                combo.addItem(option, option)
            current = choice.values.get(name, {}).get(value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.currentIndexChanged.connect(
                lambda _i, c=choice, n=name, v=value, box=combo: _set_value(c, n, v, box.currentData()))
            for column, text in enumerate((choice.table.sheet, spec.label, value)):
                self.table.setItem(row, column, _readonly(text))
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
        self.strict = QCheckBox("Import nothing if any row is invalid (strict)")
        self.changes = _table(["Sheet", "Row", "Change", "App / person", "Fields"])
        self.problems = _table(["Severity", "Sheet", "Row", "Column", "Value", "Message"])
        tabs = QTabWidget()
        tabs.addTab(self.changes, "Changes")
        tabs.addTab(self.problems, "Problems")
        report = QPushButton("Save problem report…")
        report.clicked.connect(lambda: _save_report(self, self._wizard.state.plan))
        bottom = QHBoxLayout()
        bottom.addWidget(self.strict)
        bottom.addStretch()
        bottom.addWidget(report)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(tabs)
        layout.addLayout(bottom)
        self._ready = False

    def initializePage(self) -> None:
        self._ready = False
        self.setButtonText(QWizard.WizardButton.NextButton, "Import")
        self.counts.setText("Comparing with the portfolio…")
        state, portfolio = self._wizard.state, self._wizard.workspace.portfolio
        inventory = inventory_from_choices(str(state.path), state.choices, state.date_order)

        def work(_progress):
            with portfolio.reading() as session:
                return plan_from_inventory(session, inventory)

        run_in_background(work, parent=self, label="Comparing with the portfolio…", on_success=self._show)

    def _show(self, plan) -> None:
        self._wizard.state.plan, self._ready = plan, True
        totals = plan.totals
        self.counts.setText(
            f"<b>{totals.created:,}</b> to create, <b>{totals.updated:,}</b> to update, "
            f"{totals.unchanged:,} unchanged, <b>{totals.invalid:,}</b> invalid rows; "
            f"{len(plan.errors):,} errors and {len(plan.warnings):,} warnings.")
        rows = [(a.sheet, a.row, a.action, a.name, "; ".join(
                    f"{d.field}: {d.old!s} → {d.new!s}" for d in a.diffs) if a.action == UPDATED else "")
                for a in plan.apps if a.action in (CREATED, UPDATED)]
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
        layout.addWidget(report)
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
            + (f" {result.handovers_pending}" if result.handovers_pending else ""))
        self._wizard.workspace.changed.emit(ChangeSet())
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


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, _readonly(value))
    table.resizeColumnsToContents()


def _save_report(parent, plan_or_result) -> None:
    if plan_or_result is None:
        return
    path, _ = QFileDialog.getSaveFileName(parent, "Save problem report", str(Path.home() / "import-problems.xlsx"),
                                          "Excel workbook (*.xlsx)")
    if path:
        save_problem_report(plan_or_result, path)
