"""Which columns of an .xlsx sheet are hidden: exports hide their system columns.

Dataverse's "Export to Excel" (the CoE Starter Kit's inventory exports among them)
hides "(Do Not Modify) …" columns that hold row ids and checksums. calamine does not
report column visibility, so the sheet's `<cols>` element is read here: it stands
before the sheet's data, so only the start of the sheet is parsed.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from defusedxml.ElementTree import iterparse

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def hidden_columns(path: Path, sheet: str) -> frozenset[int]:
    """1-based indices of the hidden columns of a sheet; empty when unknown or not .xlsx."""
    try:
        with zipfile.ZipFile(path) as package:
            part = _sheet_part(package, sheet)
            return _hidden_in(package, part) if part else frozenset()
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError):
        return frozenset()  # visibility is a nicety: a file the reader accepted still imports


def _names(package: zipfile.ZipFile) -> dict[str, str]:
    # Some writers store "xl\\workbook.xml": compare names with forward slashes.
    return {name.replace("\\", "/").lstrip("/"): name for name in package.namelist()}


def _sheet_part(package: zipfile.ZipFile, sheet: str) -> str | None:
    names = _names(package)
    workbook = _office_document(package, names)
    rels = posixpath.join(posixpath.dirname(workbook), "_rels",
                          posixpath.basename(workbook) + ".rels")
    targets = {rel.get("Id"): rel.get("Target", "")
               for _, rel in iterparse(package.open(names[rels]))
               if rel.tag == f"{_PACKAGE_REL}Relationship"}
    for _, element in iterparse(package.open(names[workbook])):
        if element.tag == f"{_MAIN}sheet" and element.get("name") == sheet:
            target = targets.get(element.get(f"{_REL}id"), "")
            part = (target.lstrip("/") if target.startswith("/")
                    else posixpath.normpath(posixpath.join(posixpath.dirname(workbook), target)))
            return names.get(part)
    return None


def _office_document(package: zipfile.ZipFile, names: dict[str, str]) -> str:
    for _, rel in iterparse(package.open(names["_rels/.rels"])):
        if rel.tag == f"{_PACKAGE_REL}Relationship" and rel.get("Type", "").endswith(
                "/officeDocument"):
            return rel.get("Target", "").lstrip("/")
    return "xl/workbook.xml"


def _hidden_in(package: zipfile.ZipFile, part: str) -> frozenset[int]:
    hidden: set[int] = set()
    for event, element in iterparse(package.open(part), events=("start",)):
        if element.tag == f"{_MAIN}sheetData":
            break  # <cols> comes before the data: the rest of the sheet is not read
        if element.tag == f"{_MAIN}col" and element.get("hidden") in ("1", "true"):
            first, last = int(element.get("min", "0")), int(element.get("max", "0"))
            hidden.update(range(first, min(last, 16384) + 1))
    return frozenset(hidden)
