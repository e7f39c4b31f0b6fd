"""The person editor's Certifications tab: each certification per platform, its expiry, and
Add / Edit / Remove.

Each change is saved at once through `Workspace.run`, as its own undo step (a certification
is a row of its own, not a field of the person the dialog's OK saves), and reclassifies the
apps the person builds. An expired certification stays listed, marked, because it no longer
counts: the lead sees what to renew.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core import clock
from fusiondesk.core.certification import Certificate, certificate_problems
from fusiondesk.core.validation import InvalidValues
from fusiondesk.gui.errors import show_error
from fusiondesk.services.developers.edits import (
    add_certificate,
    change_certificate,
    remove_certificate,
    revert_certificates,
)
from fusiondesk.services.developers.records import certificates_for

EXPIRED = QColor("#c62828")
SOON_DAYS = 60  # an expiry this close is shown as due for renewal
SOON = QColor("#b26a00")
HEADERS = ("Platform", "Level", "Exam or course", "Obtained", "Expires", "Counts?")
KNOWN_PLATFORMS = ("Power Apps", "Power Automate", "Salesforce", "ServiceNow", "OutSystems",
                   "Mendix", "Zapier", "UiPath", "Kissflow", "Appian")


class CertificationsPanel(QWidget):
    """One person's certifications, editable; `changed` after each saved change."""

    changed = Signal()

    def __init__(self, workspace, person: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self.person = person
        self._ids: list[int] = []
        self._certs: list[Certificate] = []
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.add_button = QPushButton("Add…")
        self.edit_button = QPushButton("Edit…")
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._enable)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.reload()

    # ---- showing ------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the person's certifications again (a short read: a handful of rows)."""
        found = []
        if self.person and self._workspace.portfolio is not None:
            with self._workspace.read() as session:
                found = certificates_for(session, self.person)
        self._ids = [i for i, _c in found]
        self._certs = [c for _i, c in found]
        self._show(clock.today())

    def _show(self, today: date) -> None:
        self.table.setRowCount(len(self._certs))
        for row, cert in enumerate(self._certs):
            status, colour = _standing(cert, today)
            cells = (cert.platform, cert.level, cert.name or "", _day(cert.obtained),
                     _day(cert.expires) or "no expiry", status)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if colour is not None and column in (4, 5):
                    item.setForeground(colour)
                self.table.setItem(row, column, item)
        self.note.setText(_note(self.person, len(self._certs)))
        self.add_button.setEnabled(bool(self.person))
        self._enable()

    def _enable(self) -> None:
        chosen = bool(self.table.selectionModel().selectedRows())
        self.edit_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def selected(self) -> int | None:
        """The row chosen, or None."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    # ---- changing -----------------------------------------------------------------------

    def add(self) -> None:
        """Ask for a new certification and save it."""
        dialog = CertificateDialog(None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.save_new(dialog.certificate())

    def save_new(self, cert: Certificate) -> None:
        """Save a new certification of this person (one undo step)."""
        person = self.person
        self._run(f"Add certification of {person} on {cert.platform}",
                  lambda session, who: add_certificate(session, person, cert, who))

    def edit_selected(self) -> None:
        """Change the chosen certification."""
        row = self.selected()
        if row is None:
            return
        dialog = CertificateDialog(self._certs[row], self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.save_change(row, dialog.certificate())

    def save_change(self, row: int, cert: Certificate) -> None:
        """Save a change to the certification on a row."""
        certificate_id = self._ids[row]
        self._run(f"Edit certification of {self.person} on {cert.platform}",
                  lambda session, who: change_certificate(session, certificate_id, cert, who))

    def remove_selected(self) -> None:
        """Remove the chosen certification (undo brings it back)."""
        row = self.selected()
        if row is None:
            return
        certificate_id, platform = self._ids[row], self._certs[row].platform
        self._run(f"Remove certification of {self.person} on {platform}",
                  lambda session, who: remove_certificate(session, certificate_id, who))

    def _run(self, text: str, action) -> None:
        self._workspace.run(text, action, revert_certificates, parent=self,
                            on_done=self._done, on_failure=self._failed)

    def _done(self, _done) -> None:
        self.reload()
        self.changed.emit()

    def _failed(self, exc: BaseException, trace: str) -> None:
        if isinstance(exc, InvalidValues):
            self.note.setText("Not saved: " + "; ".join(exc.problems.values()) + ".")
            return
        show_error(self, exc, trace)


class CertificateDialog(QDialog):
    """Enter or change one certification: platform, level, exam, obtained, expiry."""

    def __init__(self, cert: Certificate | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Edit certification" if cert else "Add certification")
        self.setMinimumWidth(420)
        self.platform_box = QComboBox()
        self.platform_box.setEditable(True)
        self.platform_box.addItems(KNOWN_PLATFORMS)
        self.level_box = QComboBox()
        self.level_box.addItem("Certified (passed the exam)", "certified")
        self.level_box.addItem("Trained (completed the course)", "trained")
        self.exam_edit = QLineEdit()
        self.exam_edit.setPlaceholderText("e.g. PL-100 or Power Apps App Maker")
        self.obtained_check, self.obtained = _optional_date("Date known")
        self.expires_check, self.expires = _optional_date("Has an expiry")
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        form = QFormLayout()
        form.addRow("Platform:", self.platform_box)
        form.addRow("Level:", self.level_box)
        form.addRow("Exam or course:", self.exam_edit)
        form.addRow("Obtained:", _row(self.obtained_check, self.obtained))
        form.addRow("Expires:", _row(self.expires_check, self.expires))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        if cert is not None:
            self._show(cert)

    def _show(self, cert: Certificate) -> None:
        self.platform_box.setCurrentText(cert.platform)
        self.level_box.setCurrentIndex(max(0, self.level_box.findData(cert.level)))
        self.exam_edit.setText(cert.name or "")
        for check, edit, day in ((self.obtained_check, self.obtained, cert.obtained),
                                 (self.expires_check, self.expires, cert.expires)):
            check.setChecked(day is not None)
            if day is not None:
                edit.setDate(QDate(day))

    def certificate(self) -> Certificate:
        """The certification as entered."""
        return Certificate(
            " ".join(self.platform_box.currentText().split()), self.level_box.currentData(),
            self.obtained.date().toPython() if self.obtained_check.isChecked() else None,
            self.expires.date().toPython() if self.expires_check.isChecked() else None,
            self.exam_edit.text().strip() or None)

    def accept(self) -> None:
        """Close only when the entry can be saved; else say why beside the form."""
        problems = certificate_problems(self.certificate())
        if problems:
            self.problem.setText("; ".join(problems.values()) + ".")
            self.problem.setVisible(True)
            return
        super().accept()


def _optional_date(text: str) -> tuple[QCheckBox, QDateEdit]:
    check = QCheckBox(text)
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate(clock.today()))
    edit.setEnabled(False)
    check.toggled.connect(edit.setEnabled)
    return check, edit


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    box = QHBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        box.addWidget(widget)
    box.addStretch(1)
    return holder


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""


def _standing(cert: Certificate, today: date) -> tuple[str, QColor | None]:
    """'Counts' / 'Expired' / 'Renew soon', and the colour it is shown in."""
    if not cert.is_current(today):
        return "Expired: does not count", EXPIRED
    if cert.expires is not None and (cert.expires - today).days <= SOON_DAYS:
        return f"Counts; renew by {cert.expires.isoformat()}", SOON
    return "Counts", None


def _note(person: str | None, count: int) -> str:
    if not person:
        return "Save the person first; then add their certifications here."
    if not count:
        return ("No dated certification on record: the Certification level on the Details tab "
                "stands for every platform. Add one per platform to record its expiry.")
    return ("Per platform, these decide who may build an app of each tier and who is a "
            "certified successor; an expired one does not count. Each change is saved at once.")
