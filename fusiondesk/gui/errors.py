"""Showing errors: plain words first, the technical detail copyable underneath."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from fusiondesk.core.errors import PortfolioError
from fusiondesk.core.validation import InvalidValues
from fusiondesk.sheets.problems import SheetError

log = logging.getLogger("fusiondesk")


def user_message(exc: BaseException) -> str:
    """What to tell a person about an exception."""
    if isinstance(exc, InvalidValues):
        return "Some values were not accepted:\n" + "\n".join(f"• {m}" for m in exc.problems.values())
    if isinstance(exc, (PortfolioError, SheetError, OSError, ValueError)):
        return str(exc)
    return f"Something went wrong: {exc}. Nothing was saved."


def show_error(parent: QWidget | None, exc: BaseException, detail: str = "") -> None:
    """A dialog that says what went wrong; unexpected errors are also logged."""
    expected = isinstance(exc, (PortfolioError, SheetError, InvalidValues, OSError, ValueError))
    if not expected:
        log.error("Unexpected error: %s\n%s", exc, detail)
    box = QMessageBox(QMessageBox.Icon.Warning if expected else QMessageBox.Icon.Critical,
                      "FusionDesk", user_message(exc), QMessageBox.StandardButton.Ok, parent)
    if detail and not expected:
        box.setDetailedText(detail)
    box.open() if parent is not None and parent.isVisible() else box.exec()
