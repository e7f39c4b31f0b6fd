"""Settings → Your name and e-mail: who the change log names, and whose review queue is 'mine'."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit

from fusiondesk.core.validation import is_email
from fusiondesk.gui import settings


class IdentityDialog(QDialog):
    """Name (for the change log) and e-mail (for 'my queue')."""

    def __init__(self, default_name: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Your name and e-mail")
        self.name_edit = QLineEdit(settings.user_name() or "")
        self.name_edit.setPlaceholderText(default_name)
        self.email_edit = QLineEdit(settings.user_email() or "")
        self.email_edit.setPlaceholderText("name@company.com")
        self.error = QLabel(styleSheet="color: #c62828;")
        form = QFormLayout(self)
        form.addRow(QLabel("Every change you make is logged under this name."))
        form.addRow("Name:", self.name_edit)
        form.addRow("E-mail:", self.email_edit)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> None:
        """Store the identity if the e-mail is blank or valid."""
        email = self.email_edit.text().strip()
        if email and not is_email(email):
            self.error.setText(f"'{email}' is not an e-mail address.")
            return
        settings.save_identity(self.name_edit.text(), email)
        self.accept()
