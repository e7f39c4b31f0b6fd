"""One input widget per canonical field kind, each able to say 'unknown' and why a value is bad."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QPlainTextEdit, QWidget

from fusiondesk.core.fields import BOOL, DATE, EMAILS, ENUM, INT, LIST, TIER, Field
from fusiondesk.core.labels import choices, vocabulary_of
from fusiondesk.core.values import format_value, split_list

UNKNOWN = ""  # the blank choice: the fact is not known


class FieldInput:
    """A widget for one field: `read()` gives (value, problem), `show(value)` fills it."""

    def __init__(self, spec: Field, widget: QWidget):
        self.spec, self.widget = spec, widget

    def read(self) -> tuple[Any, str | None]:
        raise NotImplementedError

    def show(self, value: Any) -> None:
        raise NotImplementedError


class TextInput(FieldInput):
    """Free text; long fields get a multi-line box."""

    def __init__(self, spec: Field, multiline: bool = False):
        super().__init__(spec, QPlainTextEdit() if multiline else QLineEdit())
        if multiline:
            self.widget.setFixedHeight(70)
            self.widget.setTabChangesFocus(True)

    def _text(self) -> str:
        w = self.widget
        return w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()

    def read(self):
        text = self._text().strip()
        return (text or None), None

    def show(self, value):
        text = value or ""
        self.widget.setPlainText(text) if isinstance(self.widget, QPlainTextEdit) else self.widget.setText(text)


class ChoiceInput(FieldInput):
    """A fixed list of values plus 'unknown'; editable for open lists like platforms."""

    def __init__(self, spec: Field, choices: list[str], editable: bool = False):
        super().__init__(spec, QComboBox())
        self.widget.setEditable(editable)
        self.widget.addItems([UNKNOWN, *choices])

    def read(self):
        text = self.widget.currentText().strip()
        return (text or None), None

    def show(self, value):
        text = "" if value is None else str(value)
        if self.widget.findText(text) < 0:
            self.widget.addItem(text)
        self.widget.setCurrentText(text)


class EnumInput(ChoiceInput):
    """A closed vocabulary: each choice shows its label and stores its value."""

    def __init__(self, spec: Field):
        super().__init__(spec, [])
        for text, value in choices(vocabulary_of(spec.name)):
            self.widget.addItem(text, value)

    def read(self):
        return (self.widget.currentData() or None), None

    def show(self, value):
        index = self.widget.findData(value) if value else 0
        if index < 0:  # a value the vocabulary lacks (an older file): kept, shown as it is
            self.widget.addItem(str(value), value)
            index = self.widget.count() - 1
        self.widget.setCurrentIndex(index)


class BoolInput(ChoiceInput):
    """Yes / no / unknown."""

    def __init__(self, spec: Field):
        super().__init__(spec, ["yes", "no"])

    def read(self):
        text = self.widget.currentText()
        return ({"yes": True, "no": False}.get(text)), None

    def show(self, value):
        self.widget.setCurrentText("" if value is None else ("yes" if value else "no"))


class TierInput(ChoiceInput):
    """An approved tier, 1–4, or none on record."""

    def __init__(self, spec: Field):
        super().__init__(spec, ["1", "2", "3", "4"])

    def read(self):
        text = self.widget.currentText()
        return (int(text) if text else None), None


class NumberInput(TextInput):
    """A whole number; thousands separators are accepted as people type them."""

    def read(self):
        text = self._text().strip().replace(",", "").replace(" ", "")
        if not text:
            return None, None
        if not text.isdigit():
            return None, f"{self.spec.label} must be a whole number (got '{self._text().strip()}')"
        return int(text), None

    def show(self, value):
        self.widget.setText("" if value is None else str(value))


class DateInput(TextInput):
    """A date typed as YYYY-MM-DD (blank for unknown)."""

    def __init__(self, spec: Field):
        super().__init__(spec)
        self.widget.setPlaceholderText("YYYY-MM-DD")

    def read(self):
        text = self._text().strip()
        if not text:
            return None, None
        try:
            return date.fromisoformat(text), None
        except ValueError:
            return None, f"{self.spec.label} must be a date like 2026-03-31 (got '{text}')"

    def show(self, value):
        self.widget.setText(value.isoformat() if value else "")


class ListInput(TextInput):
    """Several values separated by ';' (e-mails are lower-cased)."""

    def __init__(self, spec: Field, completions: list[str] | None = None):
        super().__init__(spec)
        self.widget.setPlaceholderText("separate several with ;")
        if completions:
            completer = QCompleter(completions, self.widget)
            completer.setFilterMode(completer.filterMode().MatchContains)
            self.widget.setCompleter(completer)

    def read(self):
        parts = split_list(self._text()) or ()
        if self.spec.kind == EMAILS:
            parts = tuple(p.lower() for p in parts)
        return parts, None

    def show(self, value):
        self.widget.setText(format_value(self.spec.name, value) if value else "")


def input_for(spec: Field, suggestions: dict[str, list[str]]) -> FieldInput:
    """The right input for a canonical field."""
    if spec.kind == ENUM:
        return EnumInput(spec)
    if spec.kind == BOOL:
        return BoolInput(spec)
    if spec.kind == TIER:
        return TierInput(spec)
    if spec.kind == INT:
        return NumberInput(spec)
    if spec.kind == DATE:
        return DateInput(spec)
    if spec.kind in (LIST, EMAILS):
        return ListInput(spec, suggestions.get(spec.name) or suggestions.get(spec.kind))
    if spec.name in suggestions:
        return ChoiceInput(spec, suggestions[spec.name], editable=True)
    return TextInput(spec, multiline=spec.name in ("description", "notes"))

