"""Help > About: version, where the data lives, licence, and the user guide."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

import fusiondesk
from fusiondesk import APP_NAME, __version__, paths

LICENCE = "MIT"


def user_guide_path() -> Path | None:
    """The README (its "Using it" section is the user guide), from a checkout or a bundle."""
    places = [Path(fusiondesk.__file__).resolve().parent.parent / "README.md"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        places.append(Path(bundle) / "README.md")
    return next((p for p in places if p.is_file()), None)


def open_user_guide() -> bool:
    """Open the user guide in the system's viewer; False when it is not shipped."""
    guide = user_guide_path()
    return guide is not None and QDesktopServices.openUrl(QUrl.fromLocalFile(str(guide)))


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
