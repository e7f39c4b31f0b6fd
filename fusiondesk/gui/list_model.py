"""Small tables held as Python lists: sorted in Python, unknown values always last.

Pages with hundreds to a few thousand rows (people, reviews, the change log) sort
their own lists; the 100,000-app portfolio table sorts in SQL instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt


def sorted_unknown_last(rows: list, value: Callable[[Any], Any], descending: bool,
                        as_text: bool = True) -> list:
    """Rows ordered by `value(row)`; rows whose value is unknown (None) stay at the end."""
    known = [r for r in rows if value(r) is not None]
    unknown = [r for r in rows if value(r) is None]
    key = (lambda r: str(value(r)).casefold()) if as_text else value
    return sorted(known, key=key, reverse=descending) + unknown


class ListModel(QAbstractTableModel):
    """Rows from a list, columns named by keys, headers from a key → title table."""

    def __init__(self, columns: tuple[str, ...], headers: dict[str, str], parent=None):
        super().__init__(parent)
        self.columns = columns
        self._headers = headers
        self._rows: list = []

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[self.columns[section]]
        return None
