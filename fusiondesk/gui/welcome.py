"""The first thing a new user sees: open the sample, import an inventory, or start empty."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from fusiondesk import APP_NAME
from fusiondesk.gui import settings


class WelcomePage(QWidget):
    """Three ways in, and the recent portfolios once there are any."""

    open_sample = Signal()
    import_inventory = Signal()
    start_empty = Signal()
    open_recent = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        title = QLabel(f"<h1>Welcome to {APP_NAME}</h1>"
                       "<p>Your low-code portfolio: every app, its tier and why, its warning signs, "
                       "and what happens when its builder leaves.</p>")
        title.setWordWrap(True)
        self.sample_button = QPushButton("Open the sample portfolio")
        self.sample_button.setToolTip("400 realistic apps across 10 platforms, to look around safely")
        self.import_button = QPushButton("Import an inventory…")
        self.import_button.setToolTip("Bring in an Excel or CSV export from an admin centre")
        self.empty_button = QPushButton("Start with an empty portfolio")
        for button, signal in ((self.sample_button, self.open_sample),
                               (self.import_button, self.import_inventory),
                               (self.empty_button, self.start_empty)):
            button.setMinimumHeight(44)
            button.clicked.connect(signal.emit)
        self.recent_label = QLabel("<b>Recent portfolios</b>")
        self.recent = QListWidget()
        self.recent.itemActivated.connect(lambda item: self.open_recent.emit(item.data(Qt.ItemDataRole.UserRole)))
        column = QVBoxLayout()
        column.addWidget(title)
        for widget in (self.sample_button, self.import_button, self.empty_button,
                       self.recent_label, self.recent):
            column.addWidget(widget)
        column.addStretch()
        holder = QWidget()
        holder.setLayout(column)
        holder.setMinimumWidth(520)
        holder.setMaximumWidth(640)
        layout = QVBoxLayout(self)
        layout.addWidget(holder, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.refresh()

    def refresh(self) -> None:
        """Show the recent portfolios (hidden on the very first run)."""
        self.recent.clear()
        for location in settings.recent_portfolios():
            self.recent.addItem(f"{Path(location).name} — {location}")
            self.recent.item(self.recent.count() - 1).setData(Qt.ItemDataRole.UserRole, location)
        has_recent = self.recent.count() > 0
        self.recent.setVisible(has_recent)
        self.recent_label.setVisible(has_recent)
