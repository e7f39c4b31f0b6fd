"""The governance policy as a form: a page per topic, an input per setting, every problem marked.

Pages and inputs follow the keys' declarations in core.policy (topic, label, tooltip,
unit, range), so a new key appears here without touching this module. The form checks
with `check_policy_values`, the rules the TOML loader applies, and marks every
problem beside its field at once.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPalette, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core.governance import GOVERNANCE, TIER_COLOURS, governance_for
from fusiondesk.core.policy import (
    BOOL,
    CheckedPolicy,
    Policy,
    PolicyTopic,
    PortfolioNames,
    check_policy_values,
    get_policy_value,
    policy_key,
    policy_keys,
)
from fusiondesk.gui.policy_form_connectors import (
    DEFAULT_GROUP_KEY,
    GROUP_KEYS,
    ConnectorGroupsEditor,
)
from fusiondesk.gui.policy_form_inputs import NameListInput, SettingInput, input_for

# What each page is about, in DOMAIN.md's words, shown above its settings.
TOPIC_INTROS = {
    PolicyTopic.TIERS: (
        "An app is in the highest tier whose criteria match, and every criterion that matched "
        "is shown as a reason. Active users are the criterion set here; data sensitivity, "
        "compliance regimes, scope, integrations, criticality, custom code and complex "
        "calculations are fixed rules. Thresholds are inclusive."),
    PolicyTopic.REVIEWS: (
        "Which reviews an app needs follows from its tier and facts. A requested review is due "
        "its tier's review time later; completing a periodic review schedules the next."),
    PolicyTopic.PLATFORMS: (
        "The platforms the CoE supports. An app on any other platform shows the platform "
        "sprawl warning sign."),
    PolicyTopic.CONNECTORS: (
        "Connectors fall into the groups of a data (DLP) policy: an app may use business "
        "connectors together, or non-business ones together, never both, and never a blocked "
        "one. Business connectors are the approved ones. An integration's record may say "
        "whether its system is approved, an external API or an enterprise system; when it "
        "does not, these lists decide. Names match ignoring case, but exactly: list each "
        "spelling your inventories use."),
    PolicyTopic.WARNING_SIGNS: (
        "Warning signs are shown on each app with an explanation and counted across the "
        "portfolio."),
    PolicyTopic.ENVIRONMENTS: (
        "The production gate. Each environment type (as the Power Platform admin center names "
        "them) or environment name listed here has that stage. An app in production use in a "
        "development or test environment is flagged, and a Tier 2 or higher app in production "
        "needs a passed production-readiness review and its documentation."),
    PolicyTopic.VALUE: (
        "What the programme's value is counted at: the Programme page, `programme` and the "
        "audit workbook's Programme sheet. An app's own licence cost wins over its plan's "
        "price; an input nobody recorded stays unknown and is counted, never taken as zero."),
}


def error_colour(widget: QWidget) -> str:
    """A red that reads on the widget's palette, light or dark."""
    return "#ef9a9a" if widget.palette().color(QPalette.ColorRole.Window).lightness() < 128 else "#c62828"


def _tier_table() -> QLabel:
    """What each tier means in practice, for reading beside its threshold."""
    rows = "".join(
        f"<tr><td><b style='color:{TIER_COLOURS[tier]}'>■</b>&nbsp;Tier&nbsp;{tier}</td>"
        f"<td>{model.builder}</td><td>{model.review}</td><td>{model.deployment}</td></tr>"
        for tier, model in sorted(GOVERNANCE.items(), reverse=True))
    table = QLabel(
        "<p><b>What each tier means</b></p><table cellspacing='0' cellpadding='4'>"
        "<tr><th align='left'>Tier</th><th align='left'>Who builds</th>"
        f"<th align='left'>Review</th><th align='left'>Deployment path</th></tr>{rows}</table>",
        wordWrap=True)
    return table


def _blank_icon() -> QIcon:
    # every topic keeps an icon's room, so the names do not shift when a warning appears
    blank = QPixmap(16, 16)
    blank.fill(Qt.GlobalColor.transparent)
    return QIcon(blank)


class _Field:
    """One setting on its page: the label, the input, the message under it."""

    def __init__(self, key: str, setting: SettingInput, label: QLabel | None):
        self.key = key
        self.setting = setting
        self.label = label
        self.message = QLabel(wordWrap=True)
        self.message.setVisible(False)
        # the input with its message right under it, so a problem reads as the field's own
        self.widget = QWidget()
        column = QVBoxLayout(self.widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(setting.widget)
        column.addWidget(self.message)

    def mark(self, problem: str | None) -> None:
        self.message.setText(problem or "")
        self.message.setVisible(bool(problem))
        self.message.setStyleSheet(f"color: {error_colour(self.message)};")
        if hasattr(self.setting, "mark_joined"):  # a list of names, alone or in a group
            self.setting.mark_joined(error_colour(self.message) if problem else None)
        label = self.label or getattr(self.setting, "box", None)
        if label is not None:
            label.setStyleSheet(f"color: {error_colour(label)}; font-weight: bold;" if problem else "")


class PolicyForm(QWidget):
    """Topics on the left, their settings on the right; `edited` on every change."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.fields: dict[str, _Field] = {}
        self.topics = QListWidget()
        self.topics.setIconSize(QSize(16, 16))
        self.topics.setSpacing(2)
        self.topics.setStyleSheet("QListWidget::item { padding: 4px 6px; }")
        self._no_icon = _blank_icon()
        self.pages = QStackedWidget()
        self._topic_rows: dict[PolicyTopic, int] = {}
        self._base: Policy | None = None
        self.checked: CheckedPolicy | None = None
        self.connector_groups: ConnectorGroupsEditor | None = None
        for topic in PolicyTopic:
            self._add_page(topic)
        self.topics.currentRowChanged.connect(self._show_page)
        self.topics.setFixedWidth(self.topics.sizeHintForColumn(0) + 48)
        self.topics.setCurrentRow(0)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.topics)
        layout.addWidget(self.pages, 1)

    # -- building -----------------------------------------------------------------
    def _add_page(self, topic: PolicyTopic) -> None:
        keys = [key for key in policy_keys() if policy_key(key).shown.topic == topic]
        page = QWidget()
        column = QVBoxLayout(page)
        title = QLabel(topic.value)
        title.setStyleSheet("font-size: 15pt; font-weight: 600;")
        column.addWidget(title)
        column.addWidget(QLabel(TOPIC_INTROS[topic], wordWrap=True))
        if grouped := [key for key in keys if key in GROUP_KEYS or key == DEFAULT_GROUP_KEY]:
            column.addWidget(self._connector_groups(grouped))
            keys = [key for key in keys if key not in grouped]
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        tier = None
        for key in keys:
            spec = policy_key(key)
            if spec.tier and spec.tier != tier and topic == PolicyTopic.REVIEWS:
                tier = spec.tier
                form.addRow(self._tier_heading(tier))
            self._add_field(form, key)
        column.addLayout(form)
        if topic == PolicyTopic.TIERS:
            column.addSpacing(12)
            column.addWidget(_tier_table())
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(page)
        self._topic_rows[topic] = self.pages.addWidget(scroll)
        self.topics.addItem(QListWidgetItem(self._no_icon, topic.value))

    def _tier_heading(self, tier: int) -> QLabel:
        heading = QLabel(f"Tier {tier}: {governance_for(tier).review}")
        heading.setStyleSheet("font-weight: 600; margin-top: 8px;")
        return heading

    def _add_field(self, form: QFormLayout, key: str) -> None:
        spec = policy_key(key)
        setting = input_for(spec)
        setting.widget.setToolTip(spec.shown.tip)
        label = None
        if spec.kind != BOOL:  # a checkbox carries its own label
            label = QLabel(spec.shown.label)
            label.setToolTip(spec.shown.tip)
            label.setBuddy(setting.focus_widget())
        field = _Field(key, setting, label)
        if label is None:
            form.addRow(field.widget)
        else:
            form.addRow(label, field.widget)
        setting.on_change(self._changed)
        self.fields[key] = field

    def _connector_groups(self, keys: list[str]) -> ConnectorGroupsEditor:
        """The DLP groups as one editor of three lists (gui.policy_form_connectors)."""
        lists = [key for key in keys if key in GROUP_KEYS]
        editor = self.connector_groups = ConnectorGroupsEditor([policy_key(k) for k in lists])
        for key in lists:
            setting = editor.lists[key]
            setting.widget.setToolTip(policy_key(key).shown.tip)
            field = _Field(key, setting, setting.header)
            editor.place(key, field.widget)
            setting.on_change(self._changed)
            self.fields[key] = field
        if DEFAULT_GROUP_KEY in keys:  # the default group reads best right under the groups
            form = QFormLayout()
            self._add_field(form, DEFAULT_GROUP_KEY)
            editor.add_below(form)
        editor.add_systems()
        return editor

    def add_page(self, title: str, page: QWidget) -> int:
        """A page of the dialog's own after the topics (the preview); its row in the sidebar."""
        self.topics.addItem(QListWidgetItem(self._no_icon, title))
        return self.pages.addWidget(page)

    def _show_page(self, row: int) -> None:
        if row >= 0:
            self.pages.setCurrentIndex(row)

    # -- values -------------------------------------------------------------------
    def set_policy(self, policy: Policy, base: Policy | None = None) -> None:
        """Show `policy`; problems are checked against `base` (the policy in force)."""
        self._base = base or policy
        for key, field in self.fields.items():
            field.setting.set_value(get_policy_value(policy, key))
        self._changed()

    def values(self) -> dict[str, Any]:
        """Every setting's value as the form holds it, by dotted key."""
        return {key: field.setting.value() for key, field in self.fields.items()}

    def set_suggestions(self, names: dict[PortfolioNames, list[str]]) -> None:
        """Complete each list from the portfolio's own names of its kind."""
        for key, field in self.fields.items():
            source = policy_key(key).shown.names_from
            if isinstance(field.setting, NameListInput) and source is not None:
                field.setting.set_suggestions(names.get(source, []))
        if self.connector_groups is not None:
            self.connector_groups.set_suggestions(names.get(PortfolioNames.SYSTEMS, []))

    # -- problems -----------------------------------------------------------------
    def _changed(self) -> None:
        if self._base is None:
            return
        self.checked = check_policy_values(self.values(), self._base)
        if self.connector_groups is not None:
            self.connector_groups.policy_changed(self.checked.policy)
        for key, field in self.fields.items():
            problem = self.checked.problems.get(key)
            field.mark(problem.hint if problem else None)
        self._mark_topics()
        self.edited.emit()

    def _mark_topics(self) -> None:
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for topic, row in self._topic_rows.items():
            count = sum(1 for key in self.checked.problems if policy_key(key).shown.topic == topic)
            item = self.topics.item(row)
            item.setIcon(warning if count else self._no_icon)
            item.setToolTip(f"{count} setting{'s' if count != 1 else ''} to correct" if count else "")

    def problem_keys(self) -> list[str]:
        """The settings to correct, in form order."""
        problems = self.checked.problems if self.checked else {}
        return [key for key in self.fields if key in problems]

    def show_setting(self, key: str) -> None:
        """Turn to the page of `key` and put the cursor on it."""
        self.topics.setCurrentRow(self._topic_rows[policy_key(key).shown.topic])
        field = self.fields[key]
        scroll: QScrollArea = self.pages.currentWidget()
        scroll.ensureWidgetVisible(field.setting.widget)
        field.setting.focus_widget().setFocus(Qt.FocusReason.OtherFocusReason)
