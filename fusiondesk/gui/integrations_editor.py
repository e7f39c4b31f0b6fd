"""Editing an app's integrations: system, direction and what is known of the connector."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core.facts import Integration
from fusiondesk.core.fields import DIRECTIONS

HEADERS = ("System", "Direction", "Approved connector", "External API", "Enterprise system",
           "Asynchronous")
TRISTATE = {"": None, "yes": True, "no": False}


class IntegrationsEditor(QWidget):
    """A small table of integrations with Add and Remove."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.horizontalHeader().setStretchLastSection(True)
        add, remove = QPushButton("Add integration"), QPushButton("Remove selected")
        add.clicked.connect(lambda: self.add(Integration("")))
        remove.clicked.connect(self._remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def show_integrations(self, integrations) -> None:
        """Fill the table."""
        self.table.setRowCount(0)
        for item in integrations or ():
            self.add(item)

    def add(self, item: Integration) -> None:
        """Append one row."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(item.system))
        self.table.setCellWidget(row, 1, _combo(["", *DIRECTIONS], item.direction or ""))
        for column, value in zip((2, 3, 4), (item.approved, item.external_api, item.enterprise)):
            self.table.setCellWidget(row, column, _combo(list(TRISTATE), _tristate_text(value)))
        self.table.setCellWidget(row, 5, _combo(["no", "yes"], "yes" if item.asynchronous else "no"))

    def integrations(self) -> tuple[Integration, ...]:
        """The integrations as typed (rows with no system are ignored)."""
        result = []
        for row in range(self.table.rowCount()):
            system = (self.table.item(row, 0).text() if self.table.item(row, 0) else "").strip()
            if not system:
                continue
            texts = [self.table.cellWidget(row, c).currentText() for c in range(1, 6)]
            result.append(Integration(
                system, texts[0] or None, TRISTATE[texts[1]], TRISTATE[texts[2]],
                TRISTATE[texts[3]], texts[4] == "yes",
            ))
        return tuple(result)

    def _remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)


def _combo(choices: list[str], current: str) -> QComboBox:
    combo = QComboBox()
    combo.addItems(choices)
    combo.setCurrentText(current)
    return combo


def _tristate_text(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")
