"""The Programme page's tables: value per department, platform or quarter, each cell explained.

A cell's tooltip is the sentence core.value_reasons gives for that figure of that group,
so a sponsor's "where does this come from?" is answered where the number is.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from fusiondesk.core.value import Assumptions, ValueTotals
from fusiondesk.core.value_reasons import totals_reasons

# (header, figure name in ValueTotals / the reasons)
COLUMNS = (("Apps", "apps"), ("Hours saved / year", "hours_saved_per_year"),
           ("Cost avoided", "cost_avoided"), ("Licence cost / year", "licence_cost"),
           ("Net value", "net_value"), ("Payback", "payback_months"),
           ("Unknown inputs", "unknown_inputs"))
NOT_RECORDED = "(not recorded)"
UNKNOWN = "unknown"


class ValueTableModel(QAbstractTableModel):
    """One row per group (a department, platform or quarter) with its totals; sorted in Python."""

    def __init__(self, group_title: str, parent=None):
        super().__init__(parent)
        self.headers = (group_title, *(title for title, _name in COLUMNS))
        self._rows: list[tuple[str, ValueTotals, dict[str, str]]] = []
        self._assumptions: Assumptions | None = None

    def set_groups(self, groups: dict[str | None, ValueTotals], assumptions: Assumptions) -> None:
        """Show these groups, each with its figures' reasons."""
        self.beginResetModel()
        self._assumptions = assumptions
        self._rows = [(name or NOT_RECORDED, totals, totals_reasons(totals, assumptions))
                      for name, totals in groups.items()]
        self._rows.sort(key=lambda row: (row[0] == NOT_RECORDED, row[0]))
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        name, totals, reasons = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return name if column == 0 else self.cell_text(totals, COLUMNS[column - 1][1])
        if role == Qt.ItemDataRole.ToolTipRole and column:
            return reasons.get(COLUMNS[column - 1][1])
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def cell_text(self, totals: ValueTotals, figure: str) -> str:
        """A figure as the table shows it: money in the policy's currency, unknown as such."""
        value = getattr(totals, figure)
        if figure == "payback_months":
            return payback_text(totals.net_value, value)
        if value is None:
            return UNKNOWN
        if figure in ("cost_avoided", "licence_cost", "net_value"):
            return self._assumptions.money(value)
        return f"{value:,.0f}"

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column; unknown figures go last either way."""
        reverse = order == Qt.SortOrder.DescendingOrder

        def key(row):
            if column == 0:
                return (False, row[0])
            value = getattr(row[1], COLUMNS[column - 1][1])
            return (value is None, 0 if value is None else (-value if reverse else value))
        self.layoutAboutToBeChanged.emit()
        self._rows.sort(key=key, reverse=reverse and column == 0)
        self.layoutChanged.emit()


def payback_text(net_value: float | None, months: float | None) -> str:
    """Payback as a lead reads it: unknown, never, at once, or months."""
    if net_value is None:
        return UNKNOWN
    if months is None:
        return "never"
    return "at once" if not months else f"{months:,.1f} months"
