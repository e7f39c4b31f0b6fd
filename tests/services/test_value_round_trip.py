"""Every value survives export and re-import: the Apps sheet of the audit workbook re-imports
unchanged, whatever characters a cell holds (line breaks, tabs, leading quotes,
formula-like text, Excel's own escapes, 32,767 characters)."""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.db.engine import open_portfolio
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.audit.workbook import export_audit
from fusiondesk.services.importing.importer import plan_import
from fusiondesk.sheets.vocabulary import EXCEL_ERRORS

EXCEL_CELL_LIMIT = 32_767
# What XML 1.0 can carry (the rest is illegal in a workbook and removed on export).
_XML_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters=[
    chr(c) for c in range(32) if c not in (9, 10, 13)] + ["\ufffe", "\uffff"])
_TRICKY = st.sampled_from(["\r\n", "\r", "\n", "\t", "'", "=", "+1", "-", "@", "_x000D_", "n/a",
                           "_x005F_", "_x0041_", " ", "\u00a0", "é", "😀", '"', ";"])
# Leading and trailing spaces are trimmed by the import on purpose (cells typed by hand).
# A placeholder such as "n/a" or "-" stays literal: the workbook is FusionDesk's own, where an
# unknown is a blank cell. (Still read as an error: a text that is exactly an Excel error
# value such as "#N/A", which readers cannot tell from the error itself.)
_TEXT = st.lists(st.one_of(_TRICKY, st.text(_XML_CHARS, max_size=6)), min_size=1, max_size=12) \
    .map("".join).map(str.strip).filter(bool).filter(lambda text: text.casefold() not in EXCEL_ERRORS)


def _round_trip_counts(tmp_path, name: str, notes: str) -> dict:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # one per hypothesis example
    portfolio = open_portfolio(folder / "p.fdesk", daily_backup=False)
    try:
        with portfolio.transaction() as session:
            app_edits.create_app(session, AppFacts(
                app_id="RT-1", name=name, notes=notes, description=notes,
                owners=(Owner("primary", email="ann@contoso.example"),)), "tester")
        with portfolio.reading() as session:
            path = export_audit(session, folder / "audit.xlsx", datetime(2026, 12, 1), "t", "p").path
            plan = plan_import(session, path)
        assert not plan.errors, plan.errors
        return plan.counts["apps"].as_dict()
    finally:
        portfolio.close()
        shutil.rmtree(folder)


def test_a_name_with_a_windows_line_break_comes_back_the_same(tmp_path):
    counts = _round_trip_counts(tmp_path, "Expenses\r\nclaims", "line one\r\nline two\rthree")
    assert counts == {"created": 0, "updated": 0, "unchanged": 1, "invalid": 0}


def test_a_placeholder_typed_as_text_comes_back_as_text(tmp_path):
    counts = _round_trip_counts(tmp_path, "-", "n/a")
    assert counts == {"created": 0, "updated": 0, "unchanged": 1, "invalid": 0}


def test_a_cell_of_the_longest_text_excel_holds_comes_back_the_same(tmp_path):
    notes = ("Ünïcode\r\n\t'=SUM(A1)_x000D_ " * 2000)[:EXCEL_CELL_LIMIT].strip()
    counts = _round_trip_counts(tmp_path, "Long notes", notes)
    assert counts == {"created": 0, "updated": 0, "unchanged": 1, "invalid": 0}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_TEXT, notes=_TEXT)
def test_any_text_comes_back_the_same(tmp_path, name, notes):
    counts = _round_trip_counts(tmp_path, name, notes)
    assert counts == {"created": 0, "updated": 0, "unchanged": 1, "invalid": 0}, (name, notes)
