"""The dialog that adds or edits one person, with every refusal shown beside its field.

Saving goes through `Workspace.run`, so an edit is one undo step, and it is made
against the version the dialog read: if someone else saved the person meanwhile the
edit is refused (never silently overwriting theirs) and the dialog stays open.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core import clock
from fusiondesk.core.errors import StaleEdit
from fusiondesk.core.fields import PERSON_FIELD_BY_NAME
from fusiondesk.core.labels import choices
from fusiondesk.core.terms import Certification, Entity, PersonRole, PersonStatus
from fusiondesk.core.validation import InvalidValues
from fusiondesk.core.values import LIST_SEPARATOR, split_list
from fusiondesk.gui.certifications_panel import CertificationsPanel
from fusiondesk.gui.errors import show_error
from fusiondesk.gui.history_panel import HistoryPanel
from fusiondesk.gui.settings import restore_geometry, save_geometry
from fusiondesk.services.changes import ChangeSet
from fusiondesk.services.people.edits import (
    create_person,
    list_people,
    load_person,
    revert_person,
    save_person,
    validate_person,
)

UNKNOWN_LABEL = "(unknown)"
NO_CAPACITY = -1  # the spin box's "unknown" value: capacity is optional
MAX_CAPACITY = 9999
LEAVE_DATE_NEEDED = "A leave date is required when the person is leaving (it is the handover deadline)."
ERROR_STYLE = "color: #c62828;"


class PersonEditor(QDialog):
    """Add a person (`email` None) or edit an existing one."""

    def __init__(self, workspace, email: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        # The person's key: their e-mail, or their name while they have none.
        self.email = (email.strip().lower() if "@" in email else email) if email else None
        self._version: int | None = None
        self._baseline: dict[str, Any] = {}  # what the form showed when loaded
        self.saved: ChangeSet | None = None
        self.setWindowTitle(f"Edit {self.email}" if self.email else "New person")
        self.setMinimumWidth(480)  # room for a message under a field on one or two lines
        self.errors: dict[str, QLabel] = {}
        self._build(self._known_people())
        if self.email:
            self._load()
        else:
            self.status_box.setCurrentIndex(self.status_box.findData(PersonStatus.ACTIVE))
        restore_geometry("person_editor", self)

    # ---- building the form -------------------------------------------------------------

    def _known_people(self) -> list[dict]:
        # One short query (a few thousand rows at most) for the department and manager lists.
        with self._workspace.read() as session:
            return list_people(session)

    def _build(self, people: list[dict]) -> None:
        self.message = _error_label()
        self.email_edit = QLineEdit()
        self.email_edit.setPlaceholderText("name@company.com")
        self.email_edit.setReadOnly(self.email is not None)  # the key other records use
        self.name_edit = QLineEdit()
        self.department_box = _editable_combo(sorted({p["department"] for p in people if p["department"]}))
        self.role_box = _choice_combo(PersonRole, allow_unknown=True)
        self.certification_box = _choice_combo(Certification, allow_unknown=True)
        self.platforms_edit = QLineEdit()
        self.platforms_edit.setPlaceholderText("e.g. Power Apps; Mendix")
        self.status_box = _choice_combo(PersonStatus, allow_unknown=False)
        self.manager_box = _editable_combo(sorted(p["email"] for p in people if p["email"] != self.email))
        self.capacity_box = _capacity_box()
        form = QFormLayout()
        rows = [
            ("email", self.email_edit), ("name", self.name_edit),
            ("department", self.department_box), ("role", self.role_box),
            ("certification", self.certification_box), ("certified_platforms", self.platforms_edit),
            ("status", self.status_box), ("leave_date", self._leave_date_row()),
            ("manager_email", self.manager_box), ("capacity", self.capacity_box),
        ]
        for name, widget in rows:
            form.addRow(PERSON_FIELD_BY_NAME[name].label + ":", self._with_error(name, widget))
        details = QWidget()
        details.setLayout(form)
        self.tabs = QTabWidget()
        self.tabs.addTab(details, "Details")
        self.certifications = CertificationsPanel(self._workspace, self.email)
        self.tabs.addTab(self.certifications, "Certifications")
        self.history = HistoryPanel(self._workspace, Entity.PERSON, self.email)
        self.tabs.addTab(self.history, "History")
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs)
        layout.addWidget(self._buttons())

    def _leave_date_row(self) -> QWidget:
        self.leave_check = QCheckBox("Has a leave date")
        self.leave_date = QDateEdit()
        self.leave_date.setCalendarPopup(True)
        self.leave_date.setDisplayFormat("yyyy-MM-dd")
        self.leave_date.setDate(QDate(clock.today() + timedelta(days=30)))
        self.leave_date.setEnabled(False)
        self.leave_check.toggled.connect(self.leave_date.setEnabled)
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.leave_check)
        box.addWidget(self.leave_date, 1)
        return row

    def _with_error(self, name: str, widget: QWidget) -> QWidget:
        self.errors[name] = _error_label()
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        box.addWidget(self.errors[name])
        return holder

    def _buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.reload_button = QPushButton("Reload")
        self.reload_button.setToolTip("Discard your changes and show the person as saved now")
        self.reload_button.setVisible(False)
        self.buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.reload_button.clicked.connect(self._load)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        return self.buttons

    # ---- between the form and canonical values -----------------------------------------

    def _load(self) -> None:
        with self._workspace.read() as session:
            values, self._version = load_person(session, self.email)
        self._show_values(values)
        self._baseline = self._read()
        self._clear_messages()
        self.reload_button.setVisible(False)

    def _show_values(self, values: dict[str, Any]) -> None:
        self.email_edit.setText(values["email"] or "")
        # An e-mail is set once: someone an import named without one can have it filled in.
        self.email_edit.setReadOnly(values["email"] is not None)
        if values["email"] is None:
            self.email_edit.setPlaceholderText("needs an e-mail: add it to complete this person")
        self.name_edit.setText(values["name"] or "")
        self.department_box.setCurrentText(values["department"] or "")
        _select(self.role_box, values["role"])
        _select(self.certification_box, values["certification"])
        self.platforms_edit.setText(LIST_SEPARATOR.join(values["certified_platforms"] or ()))
        _select(self.status_box, values["status"])
        self.leave_check.setChecked(values["leave_date"] is not None)
        if values["leave_date"] is not None:
            self.leave_date.setDate(QDate(values["leave_date"]))
        self.manager_box.setCurrentText(values["manager_email"] or "")
        capacity = values["capacity"]
        self.capacity_box.setValue(NO_CAPACITY if capacity is None else min(capacity, MAX_CAPACITY))

    def _read(self) -> dict[str, Any]:
        capacity = self.capacity_box.value()
        return {
            "email": self.email_edit.text().strip().lower() or None,
            "name": self.name_edit.text().strip() or None,
            "department": self.department_box.currentText().strip() or None,
            "role": self.role_box.currentData(),
            "certification": self.certification_box.currentData(),
            "certified_platforms": split_list(self.platforms_edit.text()) or None,
            "status": self.status_box.currentData(),
            "leave_date": self.leave_date.date().toPython() if self.leave_check.isChecked() else None,
            "manager_email": self.manager_box.currentText().strip().lower() or None,
            "capacity": None if capacity == NO_CAPACITY else capacity,
        }

    def values(self) -> dict[str, Any]:
        """The canonical values to save: what changed when editing, everything known when new."""
        current = self._read()
        if self.email is None:
            return {k: v for k, v in current.items() if v is not None}
        return {k: v for k, v in current.items() if self._baseline.get(k) != v}

    # ---- saving -----------------------------------------------------------------------

    def accept(self) -> None:
        """Save; on a refusal, show why and stay open."""
        self._clear_messages()
        changes = self.values()
        problems = self._problems(changes)
        if problems:
            self._show_problems(problems)
            return
        if not changes:
            self._close_saved()
            return
        self.buttons.setEnabled(False)
        self._workspace.run(self._undo_text(), self._action(changes), revert_person, parent=self,
                            on_done=self._saved, on_failure=self._not_saved)

    def _close_saved(self) -> None:
        save_geometry("person_editor", self)
        super().accept()

    def reject(self) -> None:
        """Close without saving."""
        save_geometry("person_editor", self)
        super().reject()

    def _problems(self, changes: dict[str, Any]) -> dict[str, str]:
        # Checked here as well as by the service so that every problem shows at once.
        problems: dict[str, str] = {}
        try:
            validate_person(changes)
        except InvalidValues as exc:
            problems.update(exc.problems)
        final = {**self._read(), **changes}
        if final["status"] == PersonStatus.LEAVING and final["leave_date"] is None:
            problems["leave_date"] = LEAVE_DATE_NEEDED
        return problems

    def _saved(self, done: ChangeSet) -> None:
        self.saved = done
        self.buttons.setEnabled(True)
        self._close_saved()

    def _not_saved(self, exc: BaseException, trace: str) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, InvalidValues):
            self._show_problems(exc.problems)
        elif isinstance(exc, StaleEdit):
            self._show_message(str(exc))
            self.reload_button.setVisible(True)
        else:
            show_error(self, exc, trace)

    def _action(self, changes: dict[str, Any]):
        if self.email is None:
            return lambda session, who: create_person(session, changes, who)
        email, version = self.email, self._version
        return lambda session, who: save_person(session, email, changes, version, who)

    def _undo_text(self) -> str:
        if self.email is None:
            return f"Add person {self.email_edit.text().strip().lower()}"
        return f"Edit person {self.email}"

    # ---- messages ---------------------------------------------------------------------

    def _show_problems(self, problems: dict[str, str]) -> None:
        for name, text in problems.items():
            label = self.errors.get(name)
            if label is None:  # a problem with no field of its own still gets said
                self._show_message(f"{self.message.text()}\n{text}".strip())
                continue
            label.setText(text)
            label.setVisible(True)
        self.adjustSize()  # grow so wrapped messages are not cut off

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)
        self.adjustSize()

    def _clear_messages(self) -> None:
        for label in (self.message, *self.errors.values()):
            label.clear()
            label.setVisible(False)


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def _choice_combo(vocabulary: type[StrEnum], allow_unknown: bool) -> QComboBox:
    box = QComboBox()
    if allow_unknown:
        box.addItem(UNKNOWN_LABEL, None)
    for text, value in choices(vocabulary):
        box.addItem(text, value)
    return box


def _select(box: QComboBox, value: str | None) -> None:
    index = box.findData(value)
    if index < 0:
        # A value from an old import that is no longer allowed: keep it visible rather
        # than silently replacing it; saving will say why it is refused.
        box.addItem(str(value), value)
        index = box.count() - 1
    box.setCurrentIndex(index)


def _editable_combo(items: list[str]) -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.addItem("")
    box.addItems(items)
    return box


def _capacity_box() -> QSpinBox:
    box = QSpinBox()
    box.setRange(NO_CAPACITY, MAX_CAPACITY)
    box.setSpecialValueText("unknown")  # shown at NO_CAPACITY
    box.setSuffix(" apps")
    box.setToolTip("How many apps this person can own or support; step below 0 for unknown")
    return box
