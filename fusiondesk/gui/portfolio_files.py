"""The main window's portfolio files: opening (never creating one unasked), new, recent,
a copy saved elsewhere, backups, and a damaged file restored from its newest backup."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from fusiondesk import paths
from fusiondesk.core.errors import PortfolioCorrupt
from fusiondesk.gui import settings
from fusiondesk.gui.backups_dialog import BackupsDialog
from fusiondesk.gui.errors import show_error
from fusiondesk.gui.tasks import run_in_background
from fusiondesk.services.opening import open_for_work, restore_damaged, save_copy


def _missing_file(location: str) -> bool:
    """A portfolio file path (not a database URL) with nothing there."""
    return "://" not in location and not Path(location).expanduser().exists()


FILE_FILTER = f"FusionDesk portfolio (*{paths.PORTFOLIO_SUFFIX});;All files (*)"


class PortfolioFiles:
    """The File menu's portfolio actions, mixed into the main window (its workspace,
    status bar and recent menu)."""

    # -- opening portfolios ---------------------------------------------------------
    def open_location(self, location: str, create: bool = False, then=None) -> None:
        """Open a portfolio off the GUI thread (integrity check, migration, backup)."""
        def opened(portfolio):
            self.workspace.set_portfolio(portfolio)
            if then is not None:
                then()

        run_in_background(lambda _progress: open_for_work(location, create=create), on_success=opened,
                          on_failure=lambda exc, trace: self._open_failed(location, exc, trace),
                          parent=self, label=f"Opening {Path(location).name}…")

    def _opener(self, location: str):
        return lambda _checked=False: self.open_location(location)

    def open_at_start(self, location: str | None, explicit: bool) -> None:
        """At start-up: the portfolio named on the command line, else the last one used.

        A path with no file behind it is never created unasked (a typo would make an empty
        portfolio that is then reopened every time); a last portfolio gone leaves the welcome page.
        """
        if not location:
            return
        if not _missing_file(location):
            self.open_location(location, create=explicit and "://" in location)
        elif explicit:
            self.offer_to_create(location)

    def offer_to_create(self, location: str) -> None:
        """Ask before creating a portfolio where none is; open it only if the user says so."""
        answer = QMessageBox.question(
            self, "No portfolio there",
            f"There is no portfolio at {location}.\n\nCreate a new, empty portfolio there?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.open_location(location, create=True)

    def _open_failed(self, location: str, exc: BaseException, trace: str) -> None:
        if isinstance(exc, PortfolioCorrupt) and exc.newest_backup is not None:
            answer = QMessageBox.question(self, "Damaged portfolio", f"{exc}\n\nRestore it now?")
            if answer == QMessageBox.StandardButton.Yes:
                restore_damaged(location, exc.newest_backup)
                self.open_location(location)
            return
        show_error(self, exc, trace)

    def _import_into_default(self) -> None:
        """From the welcome page: open (or create) the default portfolio, then import into it."""
        self.open_location(str(paths.default_portfolio()), create=True, then=self.import_inventory)

    def new_portfolio(self) -> None:
        """Create and open an empty portfolio file."""
        path, _ = QFileDialog.getSaveFileName(self, "New portfolio", str(paths.data_home()), FILE_FILTER)
        if path:
            if not path.endswith(paths.PORTFOLIO_SUFFIX):
                path += paths.PORTFOLIO_SUFFIX
            self.open_location(path, create=True)

    def choose_portfolio(self) -> None:
        """Pick a portfolio file to open."""
        path, _ = QFileDialog.getOpenFileName(self, "Open portfolio", str(paths.data_home()), FILE_FILTER)
        if path:
            self.open_location(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for location in settings.recent_portfolios():
            if not _missing_file(location):  # moved or deleted since: nothing to reopen
                self.recent_menu.addAction(location, self._opener(location))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none yet)").setEnabled(False)

    def save_copy(self) -> None:
        """Write a consistent copy of the open portfolio elsewhere."""
        portfolio = self.workspace.portfolio
        if portfolio is None or not portfolio.is_sqlite:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save a copy", str(paths.data_home()), FILE_FILTER)
        if path:
            run_in_background(lambda _p: save_copy(portfolio, path),
                              on_success=lambda _r: self.statusBar().showMessage(f"Copy saved to {path}", 5000),
                              parent=self, label="Saving a copy…")

    def show_backups(self) -> None:
        """List, make and restore backups."""
        if self.workspace.portfolio is None:
            return
        location = self.workspace.portfolio.location.display
        BackupsDialog(self.workspace, lambda: self.open_location(location), self).exec()
