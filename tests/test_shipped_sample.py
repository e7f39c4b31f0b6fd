"""The shipped sample: made again from the generator alike, and copied, never opened in place."""

from __future__ import annotations

import sqlite3

from openpyxl import load_workbook

from fusiondesk import paths
from fusiondesk.shipped_sample import (
    INVENTORY_NAME,
    SAMPLE_NAME,
    shipped_sample,
    user_sample,
    write_shipped_sample,
)


def _portfolio_app_ids(path) -> list[str]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return sorted(row[0] for row in connection.execute("SELECT app_id FROM app"))


def _workbook_app_ids(path) -> list[str]:
    book = load_workbook(path, read_only=True)
    try:
        rows = book["Apps"].iter_rows(min_row=2, max_col=1, values_only=True)
        return sorted({row[0].strip() for row in rows if row[0]})
    finally:
        book.close()


def test_remade_files_hold_the_shipped_apps_in_one_file_each(tmp_path):
    folder = tmp_path / "sample_data"
    folder.mkdir()
    sample = write_shipped_sample(folder)
    made = folder / SAMPLE_NAME
    assert len(sample.apps) == 400
    assert sorted(p.name for p in folder.iterdir()) == sorted([SAMPLE_NAME, INVENTORY_NAME])
    assert _portfolio_app_ids(made) == _portfolio_app_ids(shipped_sample())
    assert _workbook_app_ids(folder / INVENTORY_NAME) == _portfolio_app_ids(made)


def test_the_user_gets_a_private_copy_and_the_shipped_file_is_untouched():
    shipped = shipped_sample()
    before = shipped.read_bytes()
    copy = user_sample()
    assert copy == paths.data_home() / SAMPLE_NAME
    assert copy.read_bytes() == before and shipped.read_bytes() == before
    assert copy.stat().st_mode & 0o777 == 0o600
