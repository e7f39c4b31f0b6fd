"""The app editor: every canonical field, owners with roles and integrations, validated in place."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core.errors import StaleEdit
from fusiondesk.core.facts import AppFacts
from fusiondesk.core.fields import APP_FIELD_BY_NAME, APP_FIELDS, EMAILS, Group
from fusiondesk.core.terms import Entity
from fusiondesk.core.validation import InvalidValues, check_values
from fusiondesk.core.values import app_values, facts_from_values
from fusiondesk.gui.errors import show_error
from fusiondesk.gui.escalations_view import AppEscalationPanel
from fusiondesk.gui.field_inputs import input_for
from fusiondesk.gui.history_panel import HistoryPanel
from fusiondesk.gui.integrations_editor import IntegrationsEditor
from fusiondesk.gui.reviews_view import AppReviewsPanel
from fusiondesk.gui.value_panel import ValuePanel
from fusiondesk.gui.why_panel import WhyPanel
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.apps import table as app_table
from fusiondesk.services.classification.reclassify import policy_in_force, with_owner_statuses
from fusiondesk.services.people.edits import list_people

# The editor's form tabs and the registry's groups each shows, in order: a field appears
# where core.fields places it, after the fields declared before it.
TAB_GROUPS = {
    "General": (Group.GENERAL, Group.BUSINESS, Group.NOTES),
    "Risk": (Group.RISK,),
    "Owners": (Group.OWNERS,),
    "Dates && governance": (Group.DATES, Group.GOVERNANCE),
    "Value": (Group.VALUE,),
}
TABS = {title: tuple(f.name for group in groups for f in APP_FIELDS if f.group == group)
        for title, groups in TAB_GROUPS.items()}
ERROR_STYLE = "color: #c62828;"


class AppEditor(QDialog):
    """Edit one app (or create one when `app_id` is None)."""

    def __init__(self, workspace, app_id: str | None, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.saved_app_id: str | None = None
        self._stored = self._load(app_id)
        self.setWindowTitle(f"Edit {self._stored.facts.name}" if self._stored else "New app")
        self.inputs = {}
        self.errors: dict[str, QLabel] = {}
        self._build()
        self._show(self._stored.facts if self._stored else AppFacts(app_id="", name=""))
        self.explain()
        self.resize(720, 560)

    def _load(self, app_id):
        if app_id is None:
            return None
        with self.workspace.read() as session:
            return app_edits.load_app(session, app_id)

    # -- layout -------------------------------------------------------------------
    def _build(self) -> None:
        suggestions = self._suggestions()
        self.tabs = QTabWidget()
        for title, names in TABS.items():
            page, form = QWidget(), QFormLayout()
            page.setLayout(form)
            for name in names:
                self._add_field(form, name, suggestions)
            self.tabs.addTab(page, title)
        self.value_panel = ValuePanel()  # the ledger's figures, below its fields (issue 18)
        self.tabs.widget(list(TABS).index("Value")).layout().addRow(self.value_panel)
        self.integrations = IntegrationsEditor()
        self.tabs.addTab(self.integrations, "Integrations")
        self.why = WhyPanel()
        self.why_index = self.tabs.addTab(self.why, "Why this tier")
        app_id = self._stored.facts.app_id if self._stored else None
        self.reviews = AppReviewsPanel(self.workspace, app_id)
        self.tabs.addTab(self.reviews, "Reviews")
        self.escalation = AppEscalationPanel(self.workspace, app_id)
        self.tabs.addTab(self.escalation, "Escalation")
        self.history = HistoryPanel(self.workspace, Entity.APP, app_id)
        self.tabs.addTab(self.history, "History")
        self.tabs.currentChanged.connect(self._tab_changed)
        if self._stored is not None:
            self.inputs["app_id"].widget.setReadOnly(True)  # the key imports match on
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)

    def _add_field(self, form: QFormLayout, name: str, suggestions) -> None:
        spec = APP_FIELD_BY_NAME[name]
        field_input = input_for(spec, suggestions)
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.hide()
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(field_input.widget)
        box.addWidget(error)
        form.addRow(spec.label + ("*" if spec.required else ""), holder)
        self.inputs[name], self.errors[name] = field_input, error

    def _tab_changed(self, index: int) -> None:
        if index == self.why_index:
            self.explain()
        elif index == list(TABS).index("Value"):
            self.show_value()

    def show_value(self) -> None:
        """Work out what the form's value ledger is worth (before saving)."""
        try:
            values = self.values()
        except InvalidValues as exc:
            self.value_panel.show_problem("Correct these first: " + "; ".join(exc.problems.values()))
            return
        base = self._stored.facts if self._stored else AppFacts(app_id="", name="")
        with self.workspace.read() as session:
            policy = policy_in_force(session)
        self.value_panel.show_value(facts_from_values(values, base), policy)

    def explain(self) -> None:
        """Classify what the form says now (before saving) and show why."""
        try:
            values = self.values()
        except InvalidValues as exc:
            self.why.show_problem("Correct these first: " + "; ".join(exc.problems.values()))
            return
        base = self._stored.facts if self._stored else AppFacts(app_id="", name="")
        facts = facts_from_values(values, base)
        with self.workspace.read() as session:
            facts = with_owner_statuses(session, facts)
            policy = policy_in_force(session)
        result = self.why.explain(facts, policy)
        self.tabs.setTabText(self.why_index, f"Why Tier {result.tier}")

    def _suggestions(self) -> dict[str, list[str]]:
        with self.workspace.read() as session:
            people = list_people(session)
            emails = [p["email"] for p in people]
            return {
                # who deployed it: anyone in People, by e-mail (or name while they have none)
                "deployed_by": [p["email"] or p["name"] for p in people],
                "platform": app_table.distinct_values(session, "platform"),
                "department": app_table.distinct_values(session, "department"),
                "environment": app_table.distinct_values(session, "environment"),
                "licence": app_table.distinct_values(session, "licence"),
                EMAILS: emails,
            }

    def _show(self, facts: AppFacts) -> None:
        for name, value in app_values(facts).items():
            if name in self.inputs:  # integrations have their own table
                self.inputs[name].show(value)
        self.integrations.show_integrations(facts.integrations)

    # -- reading and saving -------------------------------------------------------
    def values(self) -> dict:
        """Every field as typed; raises InvalidValues listing each bad one."""
        values, problems = {}, {}
        for name, field_input in self.inputs.items():
            value, problem = field_input.read()
            if problem:
                problems[name] = problem
            values[name] = value
        values["integrations"] = self.integrations.integrations()
        if not values.get("app_id") and self._stored is None:
            values["app_id"] = ""
        checked = {k: v for k, v in values.items() if k != "app_id" and k not in problems}
        problems.update(check_values(checked))
        if problems:
            raise InvalidValues(problems)
        return values

    def changes(self) -> dict:
        """Only the fields that differ from what was loaded."""
        values = self.values()
        before = self._stored.values if self._stored else {}
        return {k: v for k, v in values.items() if k != "app_id" and before.get(k) != v}

    def save(self) -> None:
        """Validate, then save on the worker thread as one undo step; close once saved."""
        self._clear_errors()
        try:
            text, action = self._create() if self._stored is None else self._update()
        except InvalidValues as exc:
            self._show_errors(exc.problems)
            return
        if action is None:  # nothing was changed
            self.accept()
            return
        self.buttons.setEnabled(False)
        self.workspace.run(text, action, app_edits.revert, parent=self,
                           on_done=self._saved, on_failure=self._not_saved)

    def _create(self):
        values = self.values()
        facts = facts_from_values(values, AppFacts(app_id=values.get("app_id") or "", name=""))
        return f"Add {facts.name}", lambda s, who: app_edits.create_app(s, facts, who)

    def _update(self):
        changes, stored = self.changes(), self._stored
        if not changes:
            return None, None
        return f"Edit {stored.facts.name}", lambda s, who: app_edits.save_app(
            s, stored.facts.app_id, changes, stored.version, who)

    def _saved(self, done) -> None:
        # A new app's id is made by the use case when the form left it empty.
        self.saved_app_id = done.changes[0].key if self._stored is None else self._stored.facts.app_id
        self.buttons.setEnabled(True)
        self.accept()

    def _not_saved(self, exc: BaseException, trace: str) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, InvalidValues):
            self._show_errors(exc.problems)
        elif isinstance(exc, StaleEdit):
            self._show_banner(str(exc))
        else:
            show_error(self, exc, trace)

    def _clear_errors(self) -> None:
        self.banner.hide()
        for label in self.errors.values():
            label.hide()

    def _show_errors(self, problems: dict[str, str]) -> None:
        for name, message in problems.items():
            label = self.errors.get(name)
            if label is None:
                continue
            label.setText(message)
            label.show()
        first = next((n for n in problems if n in self.inputs), None)
        if first:
            self._reveal(first)
        self._show_banner("Please correct the marked fields: " + "; ".join(problems.values()))

    def _reveal(self, name: str) -> None:
        for index, names in enumerate(TABS.values()):
            if name in names:
                self.tabs.setCurrentIndex(index)
        self.inputs[name].widget.setFocus()

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()
