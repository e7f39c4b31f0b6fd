"""Asking before one click creates or changes many records.

The question names how many records of what will be made ("Create 1,010 reviews for
812 apps?"), counted beforehand, and its button says what it does ("Create 1,010
reviews"), not "OK". The box is window-modal and non-blocking (`open`), like the other
dialogs that start a change.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

# A change to more records than this asks first (a bulk edit of a handful does not).
MANY = 20


def plural(count: int, noun: str) -> str:
    """'1 review', '1,010 reviews'."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def ask_first(parent: QWidget, title: str, question: str, detail: str, button: str,
              on_yes: Callable[[], None]) -> QMessageBox:
    """Open the question; `on_yes` runs only if the person presses `button`."""
    box = QMessageBox(QMessageBox.Icon.Question, title, question, parent=parent)
    box.setInformativeText(detail)
    yes = box.addButton(button, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(yes)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)

    def answered(_result: int) -> None:
        box.deleteLater()
        if box.clickedButton() is yes:
            on_yes()

    box.finished.connect(answered)
    box.open()
    return box
