"""The sentences a refused file gets, shared by the checks and the reader.

Each names the file, says what is wrong in the user's words and what to do next.
"""

from __future__ import annotations

from fusiondesk.sheets.problems import SheetError


def encrypted(name: str, application: str = "Excel") -> SheetError:
    """A password-protected or encrypted file."""
    return SheetError(f"{name} is password-protected or encrypted; remove the password in "
                      f"{application} and try again.")


def damaged(name: str) -> SheetError:
    """A container that is cut short or malformed in an ordinary way."""
    return SheetError(f"{name} is damaged or not a real workbook; open it in Excel, save it "
                      "again and retry.")


def hostile(name: str) -> SheetError:
    """A structure out of every honest bound, or a parse that went past its budget."""
    return SheetError(f"{name} was not opened because its internal structure is damaged or "
                      "hostile; open it in Excel, save it again as .xlsx and retry, or ask "
                      "for a fresh export.")


def not_a_spreadsheet(name: str, kind: str) -> SheetError:
    """A file of another kind with a spreadsheet's name, e.g. kind="a Word document"."""
    return SheetError(f"{name} is not a spreadsheet (it is {kind}); choose the Excel or CSV "
                      "file that holds the inventory.")


def too_old(name: str, version: str, kind: str) -> SheetError:
    """A BIFF2-4 file: Excel 2.x-4.0, which calamine (and every modern reader) cannot read."""
    return SheetError(f"{name} is an Excel {version} {kind}, a format from before Excel 5 "
                      "that FusionDesk cannot read; open it in Excel or LibreOffice, save it "
                      "as .xlsx and try again.")


def an_inventory(name: str, columns: list[str], wanted: str, instead: str) -> SheetError:
    """An app inventory given where a list of another kind (`wanted`) was asked for."""
    shown = ", ".join(f"'{c}'" for c in columns[:3])
    return SheetError(f"{name}: this is an app inventory (columns {shown}, …), not {wanted}; "
                      f"import it as an inventory, and {instead}.")
