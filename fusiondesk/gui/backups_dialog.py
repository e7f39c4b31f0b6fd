"""The Backups dialog: see the portfolio's backups, make one now, or go back to one.

Making and restoring a backup copies the whole file, so both run on the worker thread;
the list itself is at most a few dozen small files and is read directly.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.gui.errors import show_error
from fusiondesk.gui.settings import restore_geometry, save_geometry
from fusiondesk.gui.tasks import run_in_background
from fusiondesk.services.opening import Backup, back_up, backup_folder, backups_of, restore

SERVER_NOTE = ("This portfolio is on a database server. Its backups are made by the database "
               "administrator (for example with pg_dump), not by FusionDesk.")
REASONS = {"manual": "Made by hand", "daily": "Daily, on opening", "before-restore": "Before a restore",
           "before-migration": "Before a FusionDesk upgrade", "copied": "Copied in"}


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask a yes/no question (tests replace this to answer it)."""
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes
                                  | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def human_size(size: int) -> str:
    """Bytes as KB or MB, the way a file manager shows them."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def describe(backup: Backup) -> str:
    """When a backup was made, for lists and questions."""
    return f"{backup.created:%Y-%m-%d %H:%M:%S}"


class BackupsDialog(QDialog):
    """Lists the open portfolio's backups; backs up now; restores one."""

    def __init__(self, workspace, on_restored: Callable[[], None], parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._on_restored = on_restored
        self._busy = False
        self.backups: list[Backup] = []
        self.setWindowTitle("Backups")
        self.resize(560, 400)  # until the user's own size is restored
        self._build()
        self.refresh()
        restore_geometry("backups_dialog", self)

    @property
    def _portfolio(self):
        return self._workspace.portfolio

    def _has_files(self) -> bool:
        return self._portfolio is not None and self._portfolio.is_sqlite

    def _build(self) -> None:
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels(["Created", "Reason", "Size"])
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        header.setStretchLastSection(False)
        fit, stretch = QHeaderView.ResizeMode.ResizeToContents, QHeaderView.ResizeMode.Stretch
        for column, mode in enumerate((fit, stretch, fit)):  # created, reason, size
            header.setSectionResizeMode(column, mode)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.backup_button = QPushButton("Back up now")
        self.restore_button = QPushButton("Restore…")
        self.folder_button = QPushButton("Show folder")
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button.clicked.connect(self.show_folder)
        self.status = QLabel()
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        for button in (self.backup_button, self.restore_button, self.folder_button):
            actions.addWidget(button)
        actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.note, self.list):
            layout.addWidget(widget)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(close)

    # ---- the list -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the backups again, newest first."""
        self.list.clear()
        if not self._has_files():
            self.backups = []
            self.note.setText(SERVER_NOTE if self._portfolio is not None else "No portfolio is open.")
            self._update_buttons()
            return
        self.backups = backups_of(self._portfolio)
        self.note.setText(f"Backups of {self._portfolio.location.path.name}, newest first. "
                          "FusionDesk makes one each day on opening and keeps the newest 20.")
        for backup in self.backups:
            item = QTreeWidgetItem([describe(backup), REASONS.get(backup.reason, backup.reason),
                                    human_size(backup.size)])
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(0, str(backup.path))
            self.list.addTopLevelItem(item)
        if self.backups:
            self.list.setCurrentItem(self.list.topLevelItem(0))
        self._update_buttons()

    def selected_backup(self) -> Backup | None:
        """The backup chosen in the list."""
        row = self.list.indexOfTopLevelItem(self.list.currentItem()) if self.list.currentItem() else -1
        return self.backups[row] if 0 <= row < len(self.backups) else None

    def _update_buttons(self) -> None:
        usable = self._has_files() and not self._busy
        self.backup_button.setEnabled(usable)
        self.restore_button.setEnabled(usable and self.selected_backup() is not None)
        self.folder_button.setEnabled(self._has_files())

    # ---- actions ------------------------------------------------------------------------

    def back_up_now(self) -> None:
        """Make a backup on the worker thread, then list it."""
        portfolio = self._portfolio
        self._start("Backing up the portfolio…")
        run_in_background(lambda _progress: back_up(portfolio),
                          on_success=self._backed_up, on_failure=self._failed,
                          parent=self, label="Backing up the portfolio…")

    def _backed_up(self, backup: Backup) -> None:
        self._finish(f"Backed up at {describe(backup)} ({human_size(backup.size)}).")

    def restore_selected(self) -> None:
        """After confirming, replace the portfolio with the chosen backup."""
        backup = self.selected_backup()
        if backup is None or not confirm(self, "Restore backup", restore_question(backup)):
            return
        portfolio = self._portfolio
        self._start(f"Restoring the backup of {describe(backup)}…")
        run_in_background(lambda _progress: restore(portfolio, backup),
                          on_success=lambda safety: self._restored(backup, safety),
                          on_failure=self._failed, parent=self,
                          label="Restoring the backup…")

    def _restored(self, backup: Backup, safety: Backup) -> None:
        self._finish(f"Restored the backup of {describe(backup)}. The state before it was "
                     f"backed up at {describe(safety)}; restore that to undo.")
        self._on_restored()  # the main window reopens the portfolio from the restored file

    def show_folder(self) -> None:
        """Open the backup folder in the file manager."""
        if self._has_files():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(backup_folder(self._portfolio))))

    # ---- while a job runs ---------------------------------------------------------------

    def _start(self, text: str) -> None:
        self._busy = True
        self.status.setText(text)
        self._update_buttons()

    def _finish(self, text: str) -> None:
        self._busy = False
        self.refresh()
        self.status.setText(text)

    def _failed(self, exc: BaseException, trace: str) -> None:
        self._finish("Nothing was changed.")
        show_error(self, exc, trace)

    def done(self, result: int) -> None:
        """Close (not while a backup or restore runs: its result must be seen)."""
        if self._busy:
            self.status.setText("Please wait until this finishes; it cannot be stopped halfway.")
            return
        save_geometry("backups_dialog", self)
        super().done(result)


def restore_question(backup: Backup) -> str:
    """What the user is asked before a restore."""
    return (f"The portfolio will be replaced by the backup of {describe(backup)}. The current "
            "state is backed up first, so this can be undone by restoring that.")
