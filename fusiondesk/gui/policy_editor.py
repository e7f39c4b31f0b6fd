"""Settings → Policy: the governance policy as a form, with a preview of the apps it would move.

The form (gui.policy_form) marks every problem at once and Save waits until there is
none. Preview classifies the portfolio under the edited policy on the worker thread and
lists the apps that would change tier; Save puts the policy in force through
`Workspace.run`, one undoable step, logged field by field. On a shared portfolio only
an admin may save; anyone may try settings and preview them.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core.flags import FLAG_LABELS
from fusiondesk.core.permissions import POLICY, may
from fusiondesk.core.policy import Policy, default_policy, get_policy_value, policy_key
from fusiondesk.gui.policy_form import PolicyForm, error_colour
from fusiondesk.gui.settings import restore_geometry, save_geometry
from fusiondesk.gui.tasks import run_in_background
from fusiondesk.services.classification.connector_impact import connector_summary
from fusiondesk.services.classification.governance import replace_policy, revert_policy
from fusiondesk.services.classification.policy_preview import portfolio_names, preview_policy
from fusiondesk.services.classification.reclassify import policy_in_force
from fusiondesk.services.classification.what_if import Moved, WhatIf

NOT_PREVIEWED = "Preview shows which apps would change tier or warning signs before you save."
STALE = "Changed since the preview: press Preview again."


def _tier(tier: int | None) -> str:
    return f"Tier {tier}" if tier else "Unclassified"


def preview_summary(preview: WhatIf) -> str:
    """One line: how many apps would move between which tiers, and how many only change signs."""
    if not preview.moved:
        return "No app would change tier or warning signs."
    counts = sorted(preview.tier_moves().items(), key=lambda kv: (-kv[0][1], -(kv[0][0] or 0)))
    moves = "; ".join(f"{_tier(old)} → {_tier(new)}: {n:,}" for (old, new), n in counts)
    total = len(preview.tier_changes)
    text = (f"{total:,} app{'s' if total != 1 else ''} would change tier ({moves})." if total
            else "No app would change tier.")
    signs_only = len(preview.moved) - total
    if signs_only:
        text += (f" {signs_only:,} more would gain or lose a warning sign.")
    return text


def _signs(move: Moved) -> str:
    return ", ".join([*(f"+ {FLAG_LABELS.get(f, f)}" for f in move.flags_added),
                      *(f"− {FLAG_LABELS.get(f, f)}" for f in move.flags_removed)])


class PreviewPanel(QWidget):
    """The apps the edited policy would move, with their tier now and under the edit."""

    COLUMNS = ("Name", "Now", "Would be", "Warning signs", "Department", "Owners", "App id")
    LISTED = 2000  # a table of 100,000 moved apps helps nobody and takes seconds to fill
    CAPPED = (3, 5)  # warning signs, owners: as wide as their text up to CAP, the rest on hover
    CAP = 240

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary = QLabel(NOT_PREVIEWED, wordWrap=True)
        self.summary.setStyleSheet("font-weight: 600;")
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in self.CAPPED:  # long lists: capped so Department and Owners stay in view
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        title = QLabel("Preview")
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        column = QVBoxLayout(self)
        column.addWidget(title)
        column.addWidget(QLabel("The apps whose tier or warning signs the edited policy would "
                                "change. Nothing is saved until you press Save.", wordWrap=True))
        column.addWidget(self.summary)
        column.addWidget(self.table, 1)

    def show_preview(self, preview: WhatIf) -> None:
        """List the apps that would move (the first LISTED of them, biggest rise first)."""
        summary = preview_summary(preview)
        if len(preview.moved) > self.LISTED:
            summary += f" The first {self.LISTED:,} are listed."
        self.summary.setText(summary)
        listed = preview.moved[:self.LISTED]
        self.table.setRowCount(len(listed))
        for row, move in enumerate(listed):
            cells = (move.name, _tier(move.tier_before), _tier(move.tier_after), _signs(move),
                     move.department or "", ", ".join(move.owners), move.app_id)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col in (0, 5) and move.owners:
                    item.setToolTip("Owners: " + ", ".join(move.owners))
                elif col == 3:
                    item.setToolTip(text)
                self.table.setItem(row, col, item)
        for col in self.CAPPED:
            self.table.resizeColumnToContents(col)
            self.table.setColumnWidth(col, min(self.table.columnWidth(col), self.CAP))
        self.table.setEnabled(True)

    def mark_stale(self) -> None:
        """The form changed after the preview: the list no longer describes it."""
        if self.table.rowCount() or self.summary.text() != NOT_PREVIEWED:
            self.summary.setText(STALE)
            self.table.setEnabled(False)


class PolicyEditor(QDialog):
    """The policy form, its problems, a preview of the apps it would move, and Save."""

    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.setWindowTitle("Governance policy")
        portfolio = workspace.portfolio
        self.may_save = may(portfolio.role, POLICY)
        with workspace.read() as session:  # one small row: the policy in force
            self._policy = policy_in_force(session)
        self._previewed: Policy | None = None
        self.form = PolicyForm()
        self.preview_panel = PreviewPanel()
        self.preview_row = self.form.add_page("Preview", self.preview_panel)
        self.status = QLabel(wordWrap=True)
        self.status.linkActivated.connect(self.form.show_setting)
        self.buttons = self._buttons()
        self._lay_out(portfolio.role)
        self.form.edited.connect(self._edited)
        self.form.set_policy(self._policy)
        if not restore_geometry("policy_editor", self):
            self.resize(900, 580)
        self._ask_for_names(portfolio)

    def _buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.preview_button = QPushButton("Preview")
        self.preview_button.setToolTip("Show which apps the edited policy would move to another tier")
        self.preview_button.clicked.connect(self.preview)
        buttons.addButton(self.preview_button, QDialogButtonBox.ButtonRole.ActionRole)
        defaults = buttons.addButton("Restore defaults", QDialogButtonBox.ButtonRole.ResetRole)
        defaults.setToolTip("Show the shipped default policy in the form (nothing is saved yet)")
        defaults.clicked.connect(lambda: self.form.set_policy(default_policy(), base=self._policy))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        return buttons

    def _lay_out(self, role: str | None) -> None:
        heading = QLabel(f"Policy version {self._policy.version}. Hover over a setting for what it "
                         "means; saving puts a new version in force and brings every app's tier "
                         "and signs in line with it (Undo brings the old one back).",
                         wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        if not self.may_save:
            layout.addWidget(self._read_only_note(role))
        layout.addWidget(self.form, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def _read_only_note(self, role: str) -> QLabel:
        held = f"an {role}" if role[:1] in "aeiou" else f"a {role}"
        if role == "none":
            held = "without a FusionDesk role"
        note = QLabel(f"Only a FusionDesk admin can change the policy of this shared portfolio "
                      f"(your account is {held}). You can try settings and preview them.",
                      wordWrap=True)
        note.setObjectName("readOnlyNote")
        note.setStyleSheet("font-weight: 600;")
        return note

    def _ask_for_names(self, portfolio) -> None:
        def work(_progress):
            with portfolio.reading() as session:
                return portfolio_names(session), connector_summary(session, self._policy)

        run_in_background(work, on_success=self._show_names, parent=self,
                          label="Reading the portfolio's names…")

    def _show_names(self, found) -> None:
        names, uses = found
        self.form.set_suggestions(names)
        if self.form.connector_groups is not None:
            self.form.connector_groups.systems.show_uses(uses)

    # -- the state of the form --------------------------------------------------------
    def candidate(self) -> Policy | None:
        """The edited policy when every setting is allowed, else None."""
        return self.form.checked.policy if self.form.checked else None

    def _edited(self) -> None:
        problems = self.form.problem_keys()
        self.save_button.setEnabled(self.may_save and not problems)
        self.preview_button.setEnabled(not problems)
        if not self.may_save:
            self.save_button.setToolTip("Only a FusionDesk admin can change the policy here")
        self.status.setText(self._problem_note(problems) if problems else self._change_note())
        if self._previewed is not None and self.candidate() != self._previewed:
            self.preview_panel.mark_stale()

    def _problem_note(self, problems: list[str]) -> str:
        labels = ", ".join(policy_key(key).shown.label for key in problems)
        count = f"{len(problems)} setting{'s' if len(problems) != 1 else ''}"
        return (f"<span style='color:{error_colour(self.status)}'>{count} to correct before "
                f"saving: {labels}.</span> <a href='{problems[0]}'>Go to the first</a>")

    def _change_note(self) -> str:
        candidate = self.candidate()
        changed = [policy_key(key).shown.label for key in self.form.fields
                   if get_policy_value(candidate, key) != get_policy_value(self._policy, key)]
        if not changed:
            return "No change from the policy in force."
        return f"Changed: {', '.join(changed)}."

    # -- preview and save -------------------------------------------------------------
    def preview(self) -> None:
        """Classify the portfolio under the edited policy on the worker; list the apps that move."""
        candidate = self.candidate()
        if candidate is None:
            return
        self._previewed = candidate
        self.form.topics.setCurrentRow(self.preview_row)
        self.preview_panel.summary.setText("Previewing…")
        portfolio = self.workspace.portfolio

        def work(progress):
            with portfolio.reading() as session:
                return preview_policy(session, candidate, progress=progress)

        run_in_background(work, on_success=self._show_preview, parent=self,
                          label="Previewing the policy…", cancellable=True)

    def _show_preview(self, preview: WhatIf) -> None:
        self.preview_panel.show_preview(preview)
        if self.candidate() != self._previewed:
            self.preview_panel.mark_stale()  # edited while the preview ran

    def save(self) -> None:
        """Put the edited policy in force as a new version, every app's tier and signs in line
        with it: the apps the change can move are reclassified (undoable)."""
        candidate = self.candidate()
        if not self.may_save or candidate is None:
            return
        if candidate != self._policy:
            self.workspace.run("Change policy", lambda s, who: replace_policy(s, candidate, who),
                               revert_policy, parent=self.parentWidget())
        self.accept()

    def done(self, result: int) -> None:
        save_geometry("policy_editor", self)
        super().done(result)
