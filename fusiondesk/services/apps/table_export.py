"""Exporting what the portfolio table shows: its columns, filter and sort, to xlsx or CSV."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fusiondesk.db.store import Session
from fusiondesk.services.apps import table as app_table
from fusiondesk.services.apps.table import COLUMN_BY_KEY
from fusiondesk.sheets.writer import SheetWriter, new_workbook, save_workbook, write_csv

_PAGE = 2000


def export_table(session: Session, ids: list[int], keys: list[str], path: Path, progress=None) -> int:
    """Write the rows `ids` (in that order) with the columns `keys`; returns rows written."""
    headers = [COLUMN_BY_KEY[k].header for k in keys]
    as_csv = path.suffix.lower() == ".csv"
    rows = _rows(session, ids, tuple(keys), progress, typed=not as_csv)
    if as_csv:
        return write_csv(path, headers, rows)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"Export to .xlsx or .csv; '{path.name}' is neither.")
    workbook = new_workbook()
    sheet = SheetWriter(workbook, "Portfolio", [(h, 34 if k == "name" else 16) for h, k in zip(headers, keys)])
    sheet.extend(rows)
    sheet.finish()
    save_workbook(workbook, path)
    return sheet.rows


def _rows(session, ids, keys, progress, typed: bool):
    for start in range(0, len(ids), _PAGE):
        page = ids[start:start + _PAGE]
        cells = app_table.fetch_cells(session, page, keys)
        for db_id in page:
            yield [_value(k, cells[db_id].get(k), typed) for k in keys]
        if progress is not None:
            progress(min(start + _PAGE, len(ids)), len(ids))


def _value(key: str, raw, typed: bool):
    """In xlsx, dates stay dates and counts numbers; everything else as the table shows it."""
    if typed and key not in ("tier", "drift") and isinstance(raw, (int, date)) and not isinstance(raw, bool):
        return raw
    return app_table.display(key, raw)
