"""One input per kind of policy setting: spin boxes, a checkbox, an editable list of names.

Each input shows a policy value and gives it back typed as the core stores it, so the
form checks it with the loader's own rules. The kind, range, unit and tooltip come
from the key's declaration in core.policy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core.labels import LABELS
from fusiondesk.core.policy import BOOL, CHOICE, FLOAT, INT, LIST_SEPARATOR, PolicyKey, name_key

# Periodic-review cadences as a CoE lead says them (91 days is how the default says quarterly).
_CADENCES = {7: "weekly", 14: "every two weeks", 30: "monthly", 31: "monthly", 91: "quarterly",
             92: "quarterly", 182: "every six months", 183: "every six months", 365: "yearly",
             730: "every two years"}
FACTOR_DECIMALS = 2


def plain_words(unit: str, value: float) -> str:
    """A number the way a person says it ('= 10 days', 'quarterly', 'doubled'); '' if nothing to add."""
    if unit == "×":
        return "the users at the last review" + (" (doubled)" if value == 2 else "")
    if unit == "hours" and value >= 24:
        days = value / 24
        return f"= {days:g} days" if days == int(days) else f"≈ {days:.1f} days"
    if unit == "days" and value:
        if value in _CADENCES:
            return _CADENCES[int(value)]
        if value >= 60:
            return f"≈ {value / 30.44:.0f} months"
    return ""


class SettingInput:
    """What the form needs of every input: its widget, its value, and news of a change."""

    widget: QWidget

    def __init__(self, spec: PolicyKey):
        self.spec = spec

    def value(self) -> Any:
        """The value as the policy stores it."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show a policy value."""
        raise NotImplementedError

    def on_change(self, slot: Callable[[], None]) -> None:
        """Call `slot` whenever the person changes the value."""
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        """Where the cursor goes when the form points at this setting."""
        return self.widget


class _SpinInput(SettingInput):
    """A number in a spin box with its unit, a plain-words note and the key's range."""

    def __init__(self, spec: PolicyKey, spin: QAbstractSpinBox):
        super().__init__(spec)
        self.spin = spin
        shown = spec.shown
        spin.setSuffix(shown.unit if shown.unit == "×" else f" {shown.unit}")
        spin.setSpecialValueText(shown.zero_means)  # shown at the minimum, which is then 0
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        spin.setMinimumWidth(150)
        self.note = QLabel()
        self.note.setEnabled(False)  # greyed, in either palette: a gloss, not a value
        self.widget = QWidget()
        row = QHBoxLayout(self.widget)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(spin)
        row.addWidget(self.note)
        row.addStretch(1)
        spin.valueChanged.connect(self._explain)

    def _explain(self, value: float) -> None:
        self.note.setText(plain_words(self.spec.shown.unit, value))

    def on_change(self, slot: Callable[[], None]) -> None:
        self.spin.valueChanged.connect(lambda _value: slot())

    def focus_widget(self) -> QWidget:
        return self.spin


class NumberInput(_SpinInput):
    """A whole number: users, hours, days, systems."""

    def __init__(self, spec: PolicyKey):
        spin = QSpinBox()
        spin.setRange(int(spec.minimum), int(spec.shown.maximum))
        spin.setGroupSeparatorShown(True)  # 10,000 users, not 10000
        super().__init__(spec, spin)

    def value(self) -> int:
        return self.spin.value()

    def set_value(self, value: int) -> None:
        self.spin.setValue(value)
        self._explain(value)


class FactorInput(_SpinInput):
    """A multiple greater than its minimum (user growth: 2.00× is doubled)."""

    def __init__(self, spec: PolicyKey):
        spin = QDoubleSpinBox()
        spin.setDecimals(FACTOR_DECIMALS)
        spin.setSingleStep(0.25)
        # the minimum itself is not allowed ("greater than 1"): the smallest step above it is
        spin.setRange(spec.minimum + 10 ** -FACTOR_DECIMALS, spec.shown.maximum)
        super().__init__(spec, spin)
        self._stored: tuple[float, float] | None = None  # (as stored, as the spin box rounds it)

    def value(self) -> float:
        # A stored 1.005 shows as 1.01: untouched, it is given back as stored, not as shown.
        if self._stored is not None and self.spin.value() == self._stored[1]:
            return self._stored[0]
        return self.spin.value()

    def set_value(self, value: float) -> None:
        self.spin.setValue(value)
        self._stored = (value, self.spin.value())


class YesNoInput(SettingInput):
    """A yes/no setting as a checkbox carrying its own label."""

    def __init__(self, spec: PolicyKey):
        super().__init__(spec)
        self.widget = self.box = QCheckBox(spec.shown.label)

    def value(self) -> bool:
        return self.box.isChecked()

    def set_value(self, value: bool) -> None:
        self.box.setChecked(value)

    def on_change(self, slot: Callable[[], None]) -> None:
        self.box.toggled.connect(lambda _checked: slot())


class ChoiceInput(SettingInput):
    """One of a few values, in words (the vocabulary's labels), from a drop-down."""

    def __init__(self, spec: PolicyKey):
        super().__init__(spec)
        words = next((LABELS[v] for v in LABELS if tuple(v) == spec.choices), {})
        self.box = QComboBox()
        for value in spec.choices:
            self.box.addItem(words.get(value, value), value)
        self.box.setMinimumWidth(150)
        self.widget = QWidget()  # the box as wide as its words, not the page
        row = QHBoxLayout(self.widget)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.box)
        row.addStretch(1)

    def value(self) -> str:
        return self.box.currentData()

    def set_value(self, value: str) -> None:
        self.box.setCurrentIndex(max(self.box.findData(value), 0))

    def focus_widget(self) -> QWidget:
        return self.box

    def on_change(self, slot: Callable[[], None]) -> None:
        self.box.currentIndexChanged.connect(lambda _index: slot())


class _NameEntry(QLineEdit):
    """The line a name is typed into: Enter adds it, and does not also press the dialog's Save."""

    def keyPressEvent(self, event) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()  # a QLineEdit passes Enter on to the dialog's default button


class NameListInput(SettingInput):
    """A list of names: edit in place, add with completion from the portfolio, remove the selected."""

    VISIBLE_ROWS = 7

    def __init__(self, spec: PolicyKey):
        super().__init__(spec)
        self.names = QListWidget()
        self.names.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.names.setAlternatingRowColors(True)
        self.names.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.names.setFixedHeight((self.names.fontMetrics().height() + 6) * self.VISIBLE_ROWS)
        self.entry = _NameEntry(placeholderText="Add a name (suggestions come from this portfolio)")
        self.entry.setClearButtonEnabled(True)
        self.suggestions = QStringListModel()
        completer = QCompleter(self.suggestions, self.entry)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.entry.setCompleter(completer)
        self.add_button = QPushButton("Add")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setEnabled(False)
        self.status = QLabel()
        self.status.setEnabled(False)
        self._listeners: list[Callable[[], None]] = []
        self.widget = self._laid_out()
        self.entry.returnPressed.connect(self.add_entry)
        self.add_button.clicked.connect(self.add_entry)
        self.remove_button.clicked.connect(self.remove_selected)
        self.names.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.names.selectedItems())))
        self.names.itemChanged.connect(lambda _item: self._changed())

    def _laid_out(self) -> QWidget:
        widget = QWidget()
        column = QVBoxLayout(widget)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.names)
        row = QHBoxLayout()
        row.addWidget(self.entry, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        column.addLayout(row)
        column.addWidget(self.status)
        return widget

    def value(self) -> list[str]:
        return listed_names(self.names)

    def set_value(self, value: Sequence[str]) -> None:
        self.names.blockSignals(True)
        self.names.clear()
        for name in value:
            self.names.addItem(editable_name(name))
        self.names.blockSignals(False)
        self._count()

    def on_change(self, slot: Callable[[], None]) -> None:
        self._listeners.append(slot)

    def focus_widget(self) -> QWidget:
        return self.names

    def set_suggestions(self, names: Sequence[str]) -> None:
        """The portfolio's own names the entry completes from."""
        self.suggestions.setStringList(list(names))

    def add_entry(self) -> None:
        """Add what is typed; a pasted 'A; B' adds each name, one already listed is pointed at."""
        typed = [part.strip() for part in self.entry.text().split(LIST_SEPARATOR) if part.strip()]
        listed = {name_key(name): row for row, name in enumerate(self.value())}
        added = [name for name in typed if name_key(name) not in listed]
        for name in dict.fromkeys(added, None):
            self.names.addItem(editable_name(name))
        self.entry.clear()
        if added:
            self.names.scrollToBottom()
            self._changed()
        elif typed:
            row = listed[name_key(typed[0])]
            self.names.setCurrentRow(row)
            self.status.setText(f"“{typed[0]}” is already listed.")

    def remove_selected(self) -> None:
        """Take the selected names off the list."""
        rows = sorted((self.names.row(item) for item in self.names.selectedItems()), reverse=True)
        for row in rows:
            self.names.takeItem(row)
        if rows:
            self._changed()

    def mark_joined(self, colour: str | None) -> None:
        """Colour the entries that hold several names (the ones the policy refuses); None clears."""
        self.names.blockSignals(True)  # colouring is no edit
        mark_joined_names(self.names, colour)
        self.names.blockSignals(False)

    def _changed(self) -> None:
        self._count()
        for listener in self._listeners:
            listener()

    def _count(self) -> None:
        self.status.setText(names_listed(self.names.count()))


# What the list of names and the connector groups share: a list of editable names.
def listed_names(names: QListWidget) -> list[str]:
    """The names in a list, top to bottom."""
    return [names.item(row).text() for row in range(names.count())]


def editable_name(name: str) -> QListWidgetItem:
    """A name the user can correct in place (double-click or F2)."""
    item = QListWidgetItem(name)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
    return item


def mark_joined_names(names: QListWidget, colour: str | None) -> None:
    """Colour the entries that hold several names (the ones the policy refuses); None clears."""
    for row in range(names.count()):
        item = names.item(row)
        joined = colour is not None and LIST_SEPARATOR in item.text()
        item.setForeground(QColor(colour) if joined else QBrush())


def names_listed(count: int) -> str:
    """The line under a list of names."""
    return ("No names listed." if not count
            else f"{count} name{'s' if count != 1 else ''}. Double-click one to correct it.")


def input_for(spec: PolicyKey) -> SettingInput:
    """The input a key's kind calls for."""
    if spec.kind == INT:
        return NumberInput(spec)
    if spec.kind == FLOAT:
        return FactorInput(spec)
    if spec.kind == BOOL:
        return YesNoInput(spec)
    if spec.kind == CHOICE:
        return ChoiceInput(spec)
    return NameListInput(spec)
