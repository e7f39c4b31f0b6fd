"""What can go wrong with a spreadsheet: whole-file errors and per-cell problems."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"


class SheetError(Exception):
    """A file that cannot be imported; the message says what is wrong and what to do."""


class MappingError(SheetError):
    """A column mapping that cannot be used (unknown field, field used twice, no name column)."""


class ProfileError(SheetError):
    """A saved mapping profile that cannot be read or written."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One cell the import could not take as written, and why.

    `column` is the header text with its column letter, e.g. "Users (F)", so the
    user can find the cell; `value` is the cell as written.
    """

    sheet: str
    row: int
    column: str
    value: str
    message: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        """True for an error (the cell became unknown), False for a warning."""
        return self.severity == ERROR

    def to_dict(self) -> dict[str, object]:
        """The problem as a plain dict, for a problems table or export."""
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 1-based column index: 1 → A, 27 → AA."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_label(header: str, index: int) -> str:
    """A header with its column letter, as problems show it: "Users (F)"."""
    letter = column_letter(index)
    return f"{header} ({letter})" if header else f"Column {letter}"
