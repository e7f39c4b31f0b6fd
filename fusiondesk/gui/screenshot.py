"""`python -m fusiondesk.gui.screenshot OUT.png [PORTFOLIO]`: the README's picture of the real window.

Runs offscreen, opens the portfolio (the sample when none is named), waits for
the background open to finish, and saves a grab of the main window.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str]) -> int:
    """Save a screenshot of the main window."""
    from PySide6.QtWidgets import QApplication

    from fusiondesk.gui.main_window import MainWindow
    from fusiondesk.gui.tasks import wait_for_background

    out = argv[0] if argv else "resources/screenshot.png"
    location = _copy(argv[1]) if len(argv) > 1 else _sample_portfolio()
    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.resize(1400, 800)
    window.show()
    window.open_location(location)
    wait_for_background()
    for _ in range(20):
        app.processEvents()
    window.grab().save(out)
    print(out)
    return 0


def _copy(path: str) -> str:
    """Work on a copy: opening a portfolio may back it up or migrate it, never the original here."""
    target = os.path.join(tempfile.mkdtemp(), os.path.basename(path))
    shutil.copyfile(path, target)
    return target


def _sample_portfolio() -> str:
    from fusiondesk.services.opening import make_sample

    return make_sample(os.path.join(tempfile.mkdtemp(), "sample.fdesk"), "screenshot", apps=400)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
