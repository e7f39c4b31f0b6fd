"""Help > About: version, where the data lives, licence, and the user guide."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFrame, QMessageBox, QTextBrowser, QVBoxLayout, QWidget

import fusiondesk
from fusiondesk import APP_NAME, __version__, paths

LICENCE = "MIT"


GUIDE_SECTIONS = ("Using it", "Where data lives")  # the README's sections a user needs


def user_guide_path() -> Path | None:
    """The README (its "Using it" section is the user guide), from a checkout or a bundle."""
    return next((p for p in _guide_places() if p.is_file()), None)


def _guide_places() -> list[Path]:
    places = [Path(fusiondesk.__file__).resolve().parent.parent / "README.md"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # the one-folder build ships the README beside its resources (fusiondesk.spec)
        places.append(Path(bundle) / "README.md")
    return places


def guide_markdown(readme: str) -> str:
    """The user guide's sections of the README, as Markdown (the whole README if renamed)."""
    sections, keep = [], False
    for line in readme.splitlines():
        if line.startswith("## "):
            keep = line[3:].strip() in GUIDE_SECTIONS
        if keep:
            sections.append(line)
    body = "\n".join(sections).strip()
    return f"# {APP_NAME} user guide\n\n{body}\n" if body else readme


def open_user_guide() -> GuideWindow | None:
    """Open the user guide in the system's viewer, or else in a window of our own.

    Never silent: with no viewer (a bare desktop, a container) or no guide shipped, the
    in-app window shows the guide, or says where it was looked for. Returns that window.
    """
    guide = user_guide_path()
    if guide is not None and QDesktopServices.openUrl(QUrl.fromLocalFile(str(guide))):
        return None
    return show_guide_window(guide)


class GuideWindow(QWidget):
    """The user guide rendered from Markdown, with links that open outside."""

    def __init__(self, guide: Path | None, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(f"{APP_NAME} user guide")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setFrameShape(QFrame.Shape.NoFrame)
        self.browser.document().setDocumentMargin(18)  # reading width, not a text field
        if guide is not None:  # pictures in the guide are named relative to the README
            self.browser.setSearchPaths([str(guide.parent)])
            self.browser.setMarkdown(guide_markdown(guide.read_text(encoding="utf-8")))
        else:
            self.browser.setMarkdown(_not_found_text())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.resize(760, 640)


def show_guide_window(guide: Path | None) -> GuideWindow:
    """Show (or bring forward) the in-app guide window."""
    global _guide_window
    if _guide_window is None:
        _guide_window = GuideWindow(guide, QApplication.activeWindow())
        _guide_window.destroyed.connect(_forget_guide_window)
    _guide_window.show()
    _guide_window.raise_()
    _guide_window.activateWindow()
    return _guide_window


_guide_window: GuideWindow | None = None


def _forget_guide_window() -> None:
    global _guide_window
    _guide_window = None


def _not_found_text() -> str:
    places = "\n".join(f"- `{place}`" for place in _guide_places())
    return (f"# {APP_NAME} user guide\n\nThe guide (the README's “Using it” section) is not "
            f"installed with this copy of {APP_NAME}. It was looked for in:\n\n{places}\n\n"
            "Reinstall from the one-folder build (`make package`) or a checkout, or run "
            "`fusiondesk --help` for the command line.\n")


def about_text(portfolio_location: str | None) -> str:
    """The About box's text (also shown by tests)."""
    open_line = f"<p>Open portfolio: {portfolio_location}</p>" if portfolio_location else ""
    return (f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>An offline portfolio for the lead of a low-code Centre of Excellence.</p>"
            f"<p>Data directory: {paths.data_home()}<br>"
            f"Log file: {paths.log_file()}</p>{open_line}"
            f"<p>Licence: {LICENCE}. The user guide is the README's “Using it” section.</p>")


def show_about(parent, portfolio_location: str | None) -> None:
    """The About box."""
    QMessageBox.about(parent, f"About {APP_NAME}", about_text(portfolio_location))
