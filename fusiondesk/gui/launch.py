"""Starting the GUI: a clear word when no window can open here, then the window on a portfolio."""

from __future__ import annotations

import os
import sys

NO_DISPLAY = (
    "fusiondesk: no display found. Use the command line (fusiondesk --help), "
    "or set QT_QPA_PLATFORM=offscreen to run the window headless."
)


def has_display() -> bool:
    """Whether Qt can open a window here (checked before Qt prints a plugin trace)."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def launch(location: str, explicit: bool = False) -> int:
    """Open the main window on `location` (or the last portfolio used) and run the event loop."""
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2  # as for any other environment problem: one line, exit 2
    from fusiondesk.gui.display_check import display_problem

    problem = display_problem()  # missing X11 libraries or a dead DISPLAY: one line, not Qt's abort
    if problem:
        print(problem, file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QApplication

    from fusiondesk import APP_NAME
    from fusiondesk.gui import settings
    from fusiondesk.gui.crash import install_error_handler
    from fusiondesk.gui.main_window import MainWindow, window_icon
    from fusiondesk.gui.theme import apply_theme, prepare_high_dpi

    prepare_high_dpi()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setDesktopFileName("fusiondesk")  # Wayland matches the window to fusiondesk.desktop
    icon = window_icon()
    if icon is not None:
        app.setWindowIcon(icon)
    apply_theme(app)
    install_error_handler()
    window = MainWindow()
    window.show()
    # With nothing to open, the welcome page: sample, import, or start empty.
    window.open_at_start(location if explicit else settings.last_portfolio(), explicit)
    return app.exec()
