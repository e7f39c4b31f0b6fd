"""Help ▸ Warning signs…: every sign's icon, full name and what it means (DOMAIN.md)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core.flags import FLAG_DESCRIPTIONS, FLAG_LABELS, FLAG_NAMES
from fusiondesk.gui.badges import flag_icon

INTRO = ("FusionDesk raises these signs on an app from its facts and the policy in force, "
         "before they turn into a 3 a.m. call. The Portfolio's Warning signs column shows them as "
         "icons; hover an icon for its name, or the column's header for this list.")


class WarningSignLegend(QDialog):
    """A table of the warning signs, in the order the Flags column draws them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Warning signs")
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.table = QTableWidget(len(FLAG_NAMES), 2)
        self.table.setHorizontalHeaderLabels(["Warning sign", "What it means"])
        self.table.setIconSize(QSize(20, 20))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setWordWrap(True)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setStyleSheet("QTableWidget::item { padding: 4px 6px; }")
        for row, name in enumerate(FLAG_NAMES):
            sign = QTableWidgetItem(flag_icon(name), FLAG_LABELS[name])
            sign.setData(Qt.ItemDataRole.UserRole, name)
            self.table.setItem(row, 0, sign)
            self.table.setItem(row, 1, QTableWidgetItem(FLAG_DESCRIPTIONS[name]))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 600)


def show_warning_sign_legend(parent: QWidget | None = None) -> WarningSignLegend:
    """Open the legend of warning signs beside the window (not modal: it stays open to read)."""
    legend = WarningSignLegend(parent)
    legend.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    legend.show()
    return legend
