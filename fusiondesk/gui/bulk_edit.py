"""Bulk edit: one department, lifecycle or owner for every selected app, as one undo step."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel

from fusiondesk.core.fields import APP_FIELD_BY_NAME, LIFECYCLES, OWNER_COLUMNS, OWNER_ROLES
from fusiondesk.core.validation import check_values, is_email
from fusiondesk.gui.confirm_many import MANY, ask_first, plural
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.apps import table as app_table
from fusiondesk.services.people.edits import list_people

OWNER_COLUMN_OF_ROLE = {role: column for column, role in OWNER_COLUMNS.items()}


class BulkEditDialog(QDialog):
    """Pick the fields to change; only ticked ones are applied."""

    def __init__(self, workspace, app_ids: list[str], parent=None):
        super().__init__(parent)
        self.workspace, self.app_ids = workspace, app_ids
        self.confirmation = None  # the "Change N apps?" question of a large selection
        self.setWindowTitle(f"Bulk edit {len(app_ids)} apps")
        with workspace.read() as session:
            departments = app_table.distinct_values(session, "department")
            emails = [p["email"] for p in list_people(session)]
        self.department = _combo(departments, editable=True)
        self.lifecycle = _combo(list(LIFECYCLES))
        self.owner = _combo(emails, editable=True)
        self.owner_role = _combo(list(OWNER_ROLES))
        self.ticks = {name: QCheckBox(label) for name, label in
                      (("department", "Department"), ("lifecycle", "Lifecycle"), ("owner", "Owner"))}
        self.error = QLabel(styleSheet="color: #c62828;")
        form = QFormLayout(self)
        form.addRow(QLabel(f"Changes apply to all {len(app_ids)} selected apps and undo as one step."))
        form.addRow(self.ticks["department"], self.department)
        form.addRow(self.ticks["lifecycle"], self.lifecycle)
        form.addRow(self.ticks["owner"], self.owner)
        form.addRow("  as", self.owner_role)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def changes(self) -> dict:
        """The ticked changes as canonical values."""
        changes = {}
        if self.ticks["department"].isChecked():
            changes["department"] = self.department.currentText().strip() or None
        if self.ticks["lifecycle"].isChecked():
            changes["lifecycle"] = self.lifecycle.currentText()
        if self.ticks["owner"].isChecked():
            email = self.owner.currentText().strip().lower()
            if not is_email(email):
                raise ValueError(f"'{email}' is not an e-mail address.")
            changes[OWNER_COLUMN_OF_ROLE[self.owner_role.currentText()]] = (email,)
        return changes

    def apply(self) -> None:
        """Validate and run the bulk change off the GUI thread."""
        try:
            changes = self.changes()
        except ValueError as exc:
            self.error.setText(str(exc))
            return
        problems = check_values(changes)
        if not changes or problems:
            self.error.setText("; ".join(problems.values()) or "Tick at least one field to change.")
            return
        if len(self.app_ids) <= MANY:
            self._run(changes)
            return
        self.error.clear()
        self.confirmation = ask_first(
            self, "Bulk edit", f"Change {plural(len(self.app_ids), 'app')}?",
            f"{describe(changes)}. Undo brings them all back in one step.",
            f"Change {plural(len(self.app_ids), 'app')}", lambda: self._run(changes))

    def _run(self, changes: dict) -> None:
        ids = list(self.app_ids)
        self.workspace.run(f"Bulk edit {len(ids)} apps",
                           lambda s, who: app_edits.bulk_edit(s, ids, changes, who),
                           app_edits.revert, parent=self.parentWidget())
        self.accept()


def describe(changes: dict) -> str:
    """'Department → Finance; Lifecycle → retired' (what a bulk edit will set)."""
    return "; ".join(f"{APP_FIELD_BY_NAME[name].label} → {_shown(value)}"
                     for name, value in changes.items())


def _shown(value) -> str:
    if value is None:
        return "(none)"
    return ", ".join(value) if isinstance(value, tuple) else str(value)


def _combo(items: list[str], editable: bool = False) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(editable)
    combo.addItems(items)
    return combo
