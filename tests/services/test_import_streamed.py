"""A big sheet's columns converted while its rows stream in read exactly as converted after.

The parser child sends a sheet in slices of 5,000 rows (`sandbox._SLICE_ROWS`); the
sheets here are taller, so their columns are converted slice by slice under the header
and mapping the first slice shows (`sheets.streamed`), and checked against the whole
sheet at the end. Whatever the file holds, the records and problems must be those of a
read that converts everything after the last row.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from fusiondesk.services.importing.read import read_inventory
from fusiondesk.sheets import reader, sandbox
from fusiondesk.sheets.streamed import StreamedColumns

ROWS = 2 * sandbox._SLICE_ROWS + 1_500  # three slices
HEADERS = ["App ID", "App name", "Platform", "Environment", "Users", "Primary owner",
           "Co-owners", "Integrations", "Data sensitivity", "Last modified"]


def _row(n: int) -> list[object]:
    users: object = n % 700
    if n % 997 == 0:
        users = "lots"  # an error: not a number
    elif n % 991 == 0:
        users = "~1,200"  # a warning: approximate
    sensitivity = "secret-ish" if n % 1_301 == 0 else ("internal", "confidential")[n % 2]
    modified: object = date(2025, 1 + n % 12, 1 + n % 28)
    if n % 1_777 == 0:
        modified = "03/04/2025"  # text, its day/month order settled by the column
    return [f"APP-{n:06d}", f"App {n % 4_000}", ("Power Apps", "Power Automate")[n % 2],
            ("Production", "Dev", "Test")[n % 3], users,
            f"owner{n % 900}@contoso.example", f"co{n % 300}@contoso.example; x{n % 50}@contoso.example" if n % 5 else None,
            "SharePoint:read" if n % 7 else "SAP:write", sensitivity, modified]


def _write(path: Path, rows: list[list[object]], merges: tuple[str, ...] = ()) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Apps"
    for row in rows:
        sheet.append(row)
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    workbook.save(path)
    return path


def _inventory_rows() -> list[list[object]]:
    rows = [["Inventory of apps"], [], HEADERS]
    rows += [_row(n) for n in range(1, ROWS + 1)]
    rows[4_000] = ["Total", None, None, None, 12_345]  # first slice
    rows[7_200] = list(HEADERS)  # a repeat of the header, second slice
    rows[8_000] = [None] * len(HEADERS)  # a blank row
    rows[9_000][1] = None  # an app without a name: an error, the row skipped
    rows[11_000] = ["Subtotal Finance", None, None, None, 77]  # third slice
    rows.append([])
    rows.append(["Source: the admin centre export of 1 March"])
    return rows


def _read(path: Path, monkeypatch, streamed: bool):
    """The inventory, and what each sheet's slices handed over (None: nothing was used)."""
    used: list = []
    original = StreamedColumns.take

    def take(self, table):
        early = original(self, table)
        used.append(early)
        return early

    with monkeypatch.context() as patch:
        patch.setattr(StreamedColumns, "take", take)
        if not streamed:
            patch.setattr(reader.Workbook, "watch_slices", lambda self, watcher: None)
        inventory = read_inventory(path)
    return inventory, used


def _outcome(inventory) -> tuple:
    records = [(r.row, r.values, r.valid) for table in inventory.tables for r in table.records]
    problems = inventory.problems + [p for table in inventory.tables for p in table.problems]
    return records, [(p.severity, *p.to_dict().values()) for p in problems]


@pytest.fixture(scope="module")
def inventory_file(tmp_path_factory) -> Path:
    return _write(tmp_path_factory.mktemp("streamed") / "apps.xlsx", _inventory_rows())


def test_columns_converted_as_rows_arrive_read_as_converted_after(inventory_file, monkeypatch):
    streamed, used = _read(inventory_file, monkeypatch, streamed=True)
    after, not_used = _read(inventory_file, monkeypatch, streamed=False)
    assert not_used == [] and len(used) == 1 and used[0]  # the early work was used
    assert {"app_id", "name", "users", "primary_owner", "integrations"} <= {
        name for _, name in used[0]._columns}
    assert "Total" in used[0].texts[0] and "App 7" in used[0].texts[1]
    assert _outcome(streamed) == _outcome(after)
    records, problems = _outcome(streamed)
    assert len(records) == ROWS - 4  # less the total, subtotal, header repeat, blank row
    found = {(severity, sheet_row, message.split(";")[0])
             for severity, _, sheet_row, _, _, message, *_ in problems}
    assert ("warning", 4_001, "row skipped: a total row (“Total”)") in found
    assert any(row == 9_001 and "no name" in text for _, row, text in found)
    assert any(row == 997 + 3 and severity == "error" for severity, row, _ in found)
    assert any(row == 991 + 3 and severity == "warning" for severity, row, _ in found)


def test_a_column_the_first_slice_leaves_blank_is_read_as_usual(tmp_path, monkeypatch):
    # Under a blank header, a column empty in the first slice is spacing to the first
    # rows, and a column of its own ("Column K") once later rows fill it.
    rows = [list(HEADERS) + [None]] + [_row(n) + [None] for n in range(1, ROWS + 1)]
    rows[-1][-1] = "a note in the last column"
    path = _write(tmp_path / "late_column.xlsx", rows)
    streamed, used = _read(path, monkeypatch, streamed=True)
    after, _ = _read(path, monkeypatch, streamed=False)
    assert used == [None]  # the header guessed from the first rows was not the sheet's
    assert _outcome(streamed) == _outcome(after)


def test_cells_merged_down_the_data_are_filled_before_converting(tmp_path, monkeypatch):
    rows = [list(HEADERS)] + [_row(n) for n in range(1, ROWS + 1)]
    rows[6_001][3] = "Sandbox"  # merged down to the rows below it
    path = _write(tmp_path / "merged.xlsx", rows, merges=("D6002:D6010",))
    streamed, used = _read(path, monkeypatch, streamed=True)
    after, _ = _read(path, monkeypatch, streamed=False)
    assert used == [None]
    assert _outcome(streamed) == _outcome(after)
    values = {r.row: r.values for r in streamed.tables[0].records}
    assert {values[n]["environment"] for n in range(6_002, 6_011)} == {"Sandbox"}
