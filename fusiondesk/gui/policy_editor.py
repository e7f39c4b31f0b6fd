"""Settings → Policy: edit tier thresholds, approved lists and review timings, with a preview."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core.policy import PolicyError, describe_policy_key, policy_keys, policy_value_text
from fusiondesk.gui.tasks import run_in_background
from fusiondesk.services.classification.governance import (
    edited_policy,
    replace_policy,
    revert_policy,
)
from fusiondesk.services.classification.reclassify import policy_in_force, preview_policy

ERROR_STYLE = "color: #c62828;"


class PolicyEditor(QDialog):
    """One field per policy setting; Preview counts apps that would change tier, Save applies."""

    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Governance policy")
        with workspace.read() as session:
            self._policy = policy_in_force(session)
        self.fields: dict[str, QLineEdit] = {}
        self.message = QLabel(wordWrap=True)
        self.preview_label = QLabel("Preview shows how many apps would change tier before you save.",
                                    wordWrap=True)
        self._build()
        self.resize(640, 620)

    def _build(self) -> None:
        form_widget = QWidget()
        form = QFormLayout(form_widget)
        for key in policy_keys():
            edit = QLineEdit(policy_value_text(self._policy, key))
            edit.setToolTip(describe_policy_key(key))
            edit.textChanged.connect(lambda _t: self.preview_label.setText("Changed: preview again."))
            form.addRow(key, edit)
            self.fields[key] = edit
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        preview = QPushButton("Preview")
        preview.clicked.connect(self.preview)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(preview, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Policy version {self._policy.version}. Hover a setting for what it means."))
        layout.addWidget(scroll)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def changed_settings(self) -> dict[str, str]:
        """Only the settings whose text differs from the policy in force."""
        return {key: edit.text() for key, edit in self.fields.items()
                if edit.text() != policy_value_text(self._policy, key)}

    def _candidate(self):
        self.message.setText("")
        self.message.setStyleSheet("")
        with self.workspace.read() as session:
            try:
                return edited_policy(session, self.changed_settings())
            except PolicyError as exc:
                self.message.setStyleSheet(ERROR_STYLE)
                self.message.setText(str(exc))
                return None

    def preview(self) -> None:
        """Count, off the GUI thread, how many apps would move to each tier."""
        candidate = self._candidate()
        if candidate is None:
            return
        portfolio = self.workspace.portfolio

        def work(_progress):
            with portfolio.reading() as session:
                return preview_policy(session, candidate)

        run_in_background(work, on_success=self._show_preview, parent=self, label="Previewing…")

    def _show_preview(self, moves: dict[int, int]) -> None:
        total = sum(moves.values())
        if not total:
            self.preview_label.setText("No app would change tier.")
            return
        detail = ", ".join(f"{n} to Tier {tier}" for tier, n in sorted(moves.items(), reverse=True))
        self.preview_label.setText(f"{total} apps would change tier: {detail}.")

    def save(self) -> None:
        """Store the policy as a new version and reclassify every app (undoable)."""
        candidate = self._candidate()
        if candidate is None:
            return
        if not self.changed_settings():
            self.accept()
            return
        self.workspace.run("Change policy", lambda s, who: replace_policy(s, candidate, who),
                           revert_policy, parent=self.parentWidget())
        self.accept()
