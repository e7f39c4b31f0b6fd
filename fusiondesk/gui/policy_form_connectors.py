"""The Connectors page's DLP groups: business, non-business and blocked side by side.

A name belongs to one group, so adding it to a group takes it out of the others, and
names move between groups by dragging or from the right-click menu. Under the groups,
the portfolio's own systems: the group the edited policy gives each, and how many apps
of each tier use it (what blocking one would touch; Preview lists the apps).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core.labels import label
from fusiondesk.core.policy import LIST_SEPARATOR, Policy, PolicyKey, name_key
from fusiondesk.core.terms import ConnectorGroup
from fusiondesk.gui.policy_form_inputs import (
    SettingInput,
    _NameEntry,
    editable_name,
    listed_names,
    mark_joined_names,
    names_listed,
)

# Each group's key, in the order a data policy shows them.
GROUP_KEYS = {"connectors.approved": ConnectorGroup.BUSINESS,
              "connectors.non_business": ConnectorGroup.NON_BUSINESS,
              "connectors.blocked": ConnectorGroup.BLOCKED}
DEFAULT_GROUP_KEY = "connectors.unlisted"
GROUP_COLOURS = {ConnectorGroup.BUSINESS: "#2e7d32", ConnectorGroup.NON_BUSINESS: "#ef6c00",
                 ConnectorGroup.BLOCKED: "#c62828"}
# the same hues light enough to read on a dark palette
DARK_GROUP_COLOURS = {ConnectorGroup.BUSINESS: "#81c784", ConnectorGroup.NON_BUSINESS: "#ffb74d",
                      ConnectorGroup.BLOCKED: "#ef9a9a"}


class GroupList(SettingInput):
    """One group's names; the editor moves names between its lists."""

    def __init__(self, spec: PolicyKey, group: ConnectorGroup):
        super().__init__(spec)
        self.group = group
        self.header = QLabel(f"<b style='color:{GROUP_COLOURS[group]}'>■</b> {spec.shown.label}")
        self.header.setToolTip(spec.shown.tip)
        self.names = QListWidget()
        self.names.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.names.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.names.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.names.setAlternatingRowColors(True)
        self.names.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.names.setToolTip(spec.shown.tip)
        self.names.setMinimumHeight((self.names.fontMetrics().height() + 6) * 6)
        self.names.setAccessibleName(f"{spec.shown.label} connectors")
        self.count = QLabel()
        self.count.setEnabled(False)
        self._listeners: list[Callable[[], None]] = []
        self._quiet = False  # showing a policy is no edit
        self.widget = QWidget()
        column = QVBoxLayout(self.widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.header)
        column.addWidget(self.names, 1)
        column.addWidget(self.count)
        # a drop from another group arrives as rows inserted; a drag away as rows removed
        self.names.model().rowsInserted.connect(lambda *_: self._changed())
        self.names.model().rowsRemoved.connect(lambda *_: self._changed())
        self.names.itemChanged.connect(lambda _item: self._changed())  # corrected in place

    def value(self) -> list[str]:
        return listed_names(self.names)

    def set_value(self, value: Sequence[str]) -> None:
        self._quiet = True
        self.names.clear()
        for name in value:
            self.names.addItem(editable_name(name))
        self._quiet = False
        self._count()

    def on_change(self, slot: Callable[[], None]) -> None:
        self._listeners.append(slot)

    def focus_widget(self) -> QWidget:
        return self.names

    def keys(self) -> dict[str, int]:
        """Each listed name (normalised) -> its row."""
        return {name_key(name): row for row, name in enumerate(self.value())}

    def take(self, names: set[str]) -> list[str]:
        """Remove these names (normalised) from the list; the spellings removed."""
        taken = []
        for row in sorted((r for k, r in self.keys().items() if k in names), reverse=True):
            taken.append(self.names.takeItem(row).text())
        return taken

    def add(self, names: list[str]) -> None:
        """Append names (already checked to be absent)."""
        for name in names:
            self.names.addItem(editable_name(name))
        self.names.scrollToBottom()

    def mark_joined(self, colour: str | None) -> None:
        """Colour the entries that hold several names (the ones the policy refuses); None clears."""
        self._quiet = True  # colouring is no edit
        mark_joined_names(self.names, colour)
        self._quiet = False

    def _changed(self) -> None:
        if self._quiet:
            return
        self._count()
        for listener in self._listeners:
            listener()

    def _count(self) -> None:
        self.count.setText(names_listed(self.names.count()))


class ConnectorGroupsEditor(QWidget):
    """The three groups side by side, one line to add names, and the portfolio's systems."""

    def __init__(self, specs: Sequence[PolicyKey], parent: QWidget | None = None):
        super().__init__(parent)
        self.lists = {spec.key: GroupList(spec, GROUP_KEYS[spec.key]) for spec in specs}
        self.columns = QGridLayout()
        self.columns.setHorizontalSpacing(12)
        for col, group_list in enumerate(self.lists.values()):
            group_list.names.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            group_list.names.customContextMenuRequested.connect(
                lambda pos, source=group_list: self._menu(source, pos))
            self.columns.setColumnStretch(col, 1)
        self.entry = _NameEntry(placeholderText="A connector, or 'Platform: Connector' where a "
                                                "platform differs")
        self.entry.setClearButtonEnabled(True)
        self.suggestions = QStringListModel()
        completer = QCompleter(self.suggestions, self.entry)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.entry.setCompleter(completer)
        self.status = QLabel()
        self.status.setEnabled(False)
        self.systems = SystemsTable()
        self.systems.cellDoubleClicked.connect(self._take_system)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.columns)
        column.addLayout(self._add_row())
        column.addWidget(self.status)
        self.column = column

    def add_below(self, layout) -> None:
        """A row of the form's own under the groups (the default group)."""
        self.column.addLayout(layout)

    def add_systems(self) -> None:
        """The portfolio's systems, last: they read the groups and the default above them."""
        self.column.addSpacing(8)
        self.column.addWidget(self.systems.heading)
        self.column.addWidget(self.systems)
        self.column.addSpacing(12)

    def place(self, key: str, widget: QWidget) -> None:
        """Put a group's field (its list with the form's message under it) in its column."""
        self.columns.addWidget(widget, 0, list(self.lists).index(key))

    def _add_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.entry, 1)
        row.addWidget(QLabel("Add to"))
        for key, group_list in self.lists.items():
            button = QPushButton(label(ConnectorGroup, group_list.group))
            button.setToolTip(f"Put the typed names in the {button.text().lower()} group "
                              "(out of any other group)")
            button.clicked.connect(lambda _=False, k=key: self.add_entry(k))
            row.addWidget(button)
        return row

    def set_suggestions(self, names: Sequence[str]) -> None:
        """The portfolio's systems the entry completes from."""
        self.suggestions.setStringList(list(names))

    def add_entry(self, key: str) -> None:
        """Put what is typed in one group, taking it out of the others."""
        typed = [part.strip() for part in self.entry.text().split(LIST_SEPARATOR) if part.strip()]
        if typed:
            self.move_names(typed, key)
            self.entry.clear()

    def move_names(self, names: list[str], key: str) -> None:
        """Put `names` in the group of `key`, out of every other group; say what moved."""
        wanted = {name_key(name): name for name in names}
        target = self.lists[key]
        moved_from = []
        for other_key, other in self.lists.items():
            if other_key != key:
                moved_from += [(n, other.group) for n in other.take(set(wanted))]
        listed = target.keys()
        target.add([name for k, name in wanted.items() if k not in listed])
        group_words = label(ConnectorGroup, target.group)
        if moved_from:
            self.status.setText("; ".join(f"“{n}” moved from {label(ConnectorGroup, g)} to "
                                          f"{group_words}" for n, g in moved_from) + ".")
        elif all(k in listed for k in wanted):
            self.status.setText(f"Already in {group_words}.")
        else:
            self.status.setText("")

    def _menu(self, source: GroupList, pos) -> None:
        chosen = [item.text() for item in source.names.selectedItems()]
        if not chosen:
            return
        menu = QMenu(source.names)
        for key, group_list in self.lists.items():
            if group_list is not source:
                menu.addAction(f"Move to {label(ConnectorGroup, group_list.group)}",
                               lambda k=key: self.move_names(chosen, k))
        menu.addAction("Remove", lambda: source.take({name_key(n) for n in chosen}))
        menu.exec(source.names.viewport().mapToGlobal(pos))

    def _take_system(self, row: int, _column: int) -> None:
        self.entry.setText(self.systems.item(row, 0).text())
        self.entry.setFocus()

    def policy_changed(self, policy: Policy | None) -> None:
        """Show each system in the group the edited policy gives it."""
        if policy is not None:
            self.systems.regroup(policy)


class SystemsTable(QTableWidget):
    """The portfolio's connected systems: group under the edited policy, apps by tier now."""

    COLUMNS = ("Connector", "Group", "Apps", "Tier 4", "Tier 3", "Tier 2", "Tier 1")

    def __init__(self):
        super().__init__(0, len(self.COLUMNS))
        self.heading = QLabel("<b>In this portfolio</b> — double-click a connector to classify "
                              "it; Preview lists the apps a change would move.")
        self.heading.setWordWrap(True)
        self.setHorizontalHeaderLabels(self.COLUMNS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.setMinimumHeight((self.fontMetrics().height() + 8) * 8)
        self._policy: Policy | None = None

    def show_uses(self, uses) -> None:
        """Fill from `connector_summary` (ConnectorUse rows, most used first)."""
        self.setRowCount(len(uses))
        for row, use in enumerate(uses):
            cells = (use.system, "", use.apps, *(use.by_tier.get(t, 0) for t in (4, 3, 2, 1)))
            for col, value in enumerate(cells):
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.DisplayRole, value)
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, col, item)
        if self._policy is not None:
            self.regroup(self._policy)

    def regroup(self, policy: Policy) -> None:
        """The Group column as `policy` places each system (named alone, on no platform)."""
        self._policy = policy
        rules = policy.connector_rules
        for row in range(self.rowCount()):
            listed = rules.listing(name_key(self.item(row, 0).text()), None)
            group = ConnectorGroup(listed or policy.unlisted_connector_group)
            words = label(ConnectorGroup, group) + ("" if listed else " (on no list)")
            item = self.item(row, 1)
            item.setText(words)
            item.setForeground(group_colour(group, self))
            item.setToolTip("Listed in this group" if listed else
                            "On no list: in the default group, and unapproved unless its record "
                            "says approved")


def group_colour(group: ConnectorGroup, widget: QWidget) -> QColor:
    """The group's colour, readable on the widget's palette, light or dark."""
    dark = widget.palette().color(QPalette.ColorRole.Base).lightness() < 128
    return QColor((DARK_GROUP_COLOURS if dark else GROUP_COLOURS)[group])
