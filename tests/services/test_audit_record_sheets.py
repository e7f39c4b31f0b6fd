"""A big portfolio's Reviews, Ownership and Citizen developers rows, written by a second process,
make the same workbook as when they are written here."""

import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

from fusiondesk.core import clock
from fusiondesk.db.store.driver import database_url
from fusiondesk.services.audit import record_sheets
from fusiondesk.services.audit.record_sheets import (
    OWNERSHIP_SHEET,
    REVIEWS_SHEET,
    write_apart,
    write_reviews,
)
from fusiondesk.services.audit.workbook import SHEETS, export_audit
from fusiondesk.sheets.rowstream import StyleNumbers

STAMP = datetime(2026, 11, 1, 9, 30)


def _export(portfolio, path):
    with portfolio.reading() as session:
        return export_audit(session, path, STAMP, "auditor", "sample")


def _second_process_counted(monkeypatch) -> list[int]:
    """Every portfolio is 'big' from here on; returns a list that grows when the second process starts."""
    started: list[int] = []
    real = record_sheets.second_process

    def counted():
        started.append(1)
        return real()

    monkeypatch.setattr(record_sheets, "PARALLEL_FROM", 0)
    monkeypatch.setattr(record_sheets, "second_process", counted)
    return started


def test_rows_written_by_the_second_process_make_the_same_workbook(sample_portfolio, tmp_path, monkeypatch):
    here = _export(sample_portfolio, tmp_path / "here.xlsx").path
    started = _second_process_counted(monkeypatch)
    apart = _export(sample_portfolio, tmp_path / "apart.xlsx").path
    assert started == [1]
    # the same sheet XML, byte for byte (the package's creation time aside) ...
    with zipfile.ZipFile(here) as a, zipfile.ZipFile(apart) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name != "docProps/core.xml":
                assert a.read(name) == b.read(name), name
    # ... and so the same cells, styles and filters as a reader sees them
    first, second = openpyxl.load_workbook(here), openpyxl.load_workbook(apart)
    for name in SHEETS:
        assert list(first[name].iter_rows(values_only=True)) == list(second[name].iter_rows(values_only=True))
        assert first[name].auto_filter.ref == second[name].auto_filter.ref
    reviews = second[REVIEWS_SHEET]
    assert reviews.max_row > 1 and second[OWNERSHIP_SHEET].max_row > 1
    requested = [row[3].value for row in reviews.iter_rows(min_row=2) if row[3].value is not None]
    assert requested and all(isinstance(value, datetime) for value in requested)  # dates, not text


def test_the_second_process_counts_what_the_sheets_here_count(sample_portfolio):
    today = clock.today()
    with sample_portfolio.reading() as session, tempfile.TemporaryDirectory() as folder:
        rows: list[tuple] = []
        overdue = write_reviews(session, today, rows)
        written = write_apart(database_url(session), Path(folder), StyleNumbers(5, 6), today)
        assert written.overdue == overdue and written.rows[REVIEWS_SHEET].rows == len(rows) > 0
        xml = written.rows[REVIEWS_SHEET].path.read_text(encoding="utf-8")
        assert xml.startswith('<row r="2">') and f'<row r="{len(rows) + 1}">' in xml
        assert ' s="5"><v>' in xml  # the date style's number, as the workbook numbered it
        for rows_file in written.rows.values():
            rows_file.close()
        assert not list(Path(folder).iterdir())  # nothing left behind


def test_an_error_in_the_second_process_reaches_the_caller_and_leaves_no_file(
        sample_portfolio, tmp_path, monkeypatch):
    _second_process_counted(monkeypatch)
    monkeypatch.setattr(record_sheets, "database_url", lambda _session: "sqlite:///" + str(tmp_path / "gone" / "x.fdesk"))
    try:
        _export(sample_portfolio, tmp_path / "audit.xlsx")
    except Exception as error:  # noqa: BLE001 - the driver's own error, whatever its class
        assert "unable to open" in str(error).lower() or "no such" in str(error).lower()
    else:
        raise AssertionError("the export went on without the second process's rows")
    assert not (tmp_path / "audit.xlsx").exists()
