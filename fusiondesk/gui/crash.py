"""Errors that escape anywhere: logged to a file, shown with a copyable detail, and survived.

Qt calls sys.excepthook for an exception raised in a slot; replacing it means a bug
in one button never closes the window (and with it unsaved context), and a person
can copy the detail into a bug report.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from fusiondesk import paths

log = logging.getLogger("fusiondesk")


def configure_logging() -> logging.Handler:
    """Write the application log to the data directory (once)."""
    for handler in log.handlers:
        if isinstance(handler, logging.FileHandler):
            return handler
    handler = logging.FileHandler(paths.log_file(), encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return handler


class _Relay(QObject):
    """Carries errors from any thread to the GUI thread."""

    caught = Signal(str, str)


_relay: _Relay | None = None


def install_error_handler() -> None:
    """Catch every uncaught exception (GUI thread and others) for the rest of the run."""
    global _relay
    configure_logging()
    _relay = _Relay()
    _relay.caught.connect(show_unexpected)
    sys.excepthook = _on_exception
    threading.excepthook = lambda args: _on_exception(args.exc_type, args.exc_value, args.exc_traceback)


def _on_exception(kind, value, trace) -> None:
    if issubclass(kind, KeyboardInterrupt):
        QApplication.quit()
        return
    detail = "".join(traceback.format_exception(kind, value, trace))
    log.error("Unexpected error: %s\n%s", value, detail)
    if _relay is not None:
        _relay.caught.emit(f"{kind.__name__}: {value}", detail)


def show_unexpected(summary: str, detail: str) -> QMessageBox:
    """The dialog: what happened in one line, the technical detail to copy, and where it was logged."""
    box = QMessageBox(QMessageBox.Icon.Critical, "FusionDesk",
                      "Something went wrong, but FusionDesk is still running and nothing was "
                      f"lost.\n\n{summary}\n\nThe details are in {paths.log_file()}.",
                      QMessageBox.StandardButton.Ok, QApplication.activeWindow())
    box.setDetailedText(detail)
    box.open()
    return box
