"""Settling a re-import's unchanged rows by their records: the same plan as comparing values.

On SQLite each app is read as one record text (`stored_records`) and each row of the file
is written the same way (`record_texts`); a row whose record is stored says what its app
holds. These tests hold the plans made that way equal to the plans made value by value,
on a file written from the portfolio itself and after edits to either side.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from fusiondesk.core.fields import APP_COLUMNS
from fusiondesk.db.models import App, Ownership
from fusiondesk.db.store.apps import load_facts
from fusiondesk.db.store.compared import fields_held, record_texts, stored_records
from fusiondesk.sample_generator.inventory import app_row
from fusiondesk.services.importing import stored as stored_module
from fusiondesk.services.importing.app_matcher import compared_columns, compared_fields
from fusiondesk.services.importing.importer import plan_import, read_inventory
from fusiondesk.services.importing.stored import PortfolioRead, StoredApps

from tests.services.test_import_early_read import shape
from tests.services.test_importer import write_xlsx


def portfolio_rows(portfolio) -> list[list]:
    """Every app of the portfolio as the flat-sheet cells an export would write."""
    with portfolio.reading() as session:
        facts = sorted(load_facts(session).values(), key=lambda f: f.app_id)
    return [app_row(f) for f in facts]


def write_apps(path: Path, rows: list[list]) -> Path:
    return write_xlsx(path, {"Apps": [list(APP_COLUMNS), *rows]})


def both_ways(portfolio, path: Path, monkeypatch) -> tuple:
    """The plan made with records, and the plan made comparing every value."""
    with portfolio.reading() as session:
        by_records = plan_import(session, path)
    with monkeypatch.context() as patched:
        patched.setattr(stored_module, "records_supported", lambda session: False)
        with portfolio.reading() as session:
            by_values = plan_import(session, path)
    return by_records, by_values


def apps_read(monkeypatch) -> list:
    """The app_ids each read of apps in compared form asks for (None: every app)."""
    asked = []
    real = stored_module.StoredApps

    def reading(session, fields, by_key, app_ids=None):
        asked.append(app_ids)
        return real(session, fields, by_key, app_ids)

    monkeypatch.setattr(stored_module, "StoredApps", reading)
    return asked


def cell(rows: list[list], n: int, column: str, value) -> None:
    rows[n][APP_COLUMNS.index(column)] = value


@pytest.mark.sqlite_only  # records are written by SQLite's printf
def test_a_file_written_from_the_portfolio_is_its_records(sample_portfolio, tmp_path):
    path = write_apps(tmp_path / "same.xlsx", portfolio_rows(sample_portfolio))
    table = read_inventory(path).tables[0]
    fields = compared_fields([table])
    texts = record_texts(table.column("app_id"), compared_columns(table, fields))
    with sample_portfolio.reading() as session:
        records = stored_records(session, fields)
    assert records is not None and set(texts) == records
    assert len(records) == 60


def test_a_re_import_of_the_portfolio_s_own_file_is_unchanged_either_way(
        sample_portfolio, tmp_path, monkeypatch):
    path = write_apps(tmp_path / "same.xlsx", portfolio_rows(sample_portfolio))
    by_records, by_values = both_ways(sample_portfolio, path, monkeypatch)
    assert shape(by_records) == shape(by_values)
    assert by_records.counts["apps"].as_dict() == {"created": 0, "updated": 0,
                                                   "unchanged": 60, "invalid": 0}


def test_edits_on_either_side_plan_alike(sample_portfolio, tmp_path, monkeypatch):
    rows = portfolio_rows(sample_portfolio)
    ids = [row[0] for row in rows]
    # The file: changed values, a quote, a cleared cell, a list and owners reordered,
    # a new owner, a repeated row, a row without a name, and a new app.
    cell(rows, 0, "users", 4321)
    cell(rows, 1, "name", "Lou's \"quoted\" app; really")
    cell(rows, 2, "department", None)  # a blank cell says nothing: unchanged
    cell(rows, 3, "integrations", "none")  # stated: clears what is stored
    cell(rows, 4, "data_categories", "; ".join(reversed(
        (rows[4][APP_COLUMNS.index("data_categories")] or "pii; financial").split("; "))))
    cell(rows, 5, "primary_owner", "someone.new@example.com")
    cell(rows, 6, "custom_code", "yes" if rows[6][APP_COLUMNS.index("custom_code")] != "yes"
         else "no")
    cell(rows, 7, "name", None)  # no name: invalid
    cell(rows, 9, "owner_team", "A Brand New Team")
    rows.append(list(rows[8]))  # repeated
    rows.append(["NEW-1", "A new app", "Zapier", "Prod"] + [None] * (len(APP_COLUMNS) - 4))
    # The portfolio: edits made in FusionDesk since the last import.
    with sample_portfolio.transaction() as session:
        session.execute(update(App).where(App.app_id.in_(ids[10:13])).values(users=999_999))
        session.execute(update(App).where(App.app_id == ids[13]).values(platform="Moved"))
        gone = session.scalars(select(App.id).where(App.app_id == ids[14])).one()
        session.execute(Ownership.__table__.delete().where(Ownership.app_id == gone))
    path = write_apps(tmp_path / "edited.xlsx", rows)
    by_records, by_values = both_ways(sample_portfolio, path, monkeypatch)
    assert shape(by_records) == shape(by_values)
    updated = {app.app_id for app in by_records.apps if app.action == "updated"}
    assert {ids[0], ids[1], ids[3], ids[5], ids[9], ids[10], ids[11], ids[12], ids[13]} <= updated
    assert ids[2] not in updated
    counts = by_records.counts["apps"].as_dict()
    assert counts["created"] == 1 and counts["invalid"] == 1
    assert any("repeat" in p.message or "same" in p.message for p in by_records.problems)


@pytest.mark.sqlite_only  # records are written by SQLite's printf
def test_a_value_holding_the_record_separator_is_compared_value_by_value(
        sample_portfolio, tmp_path, monkeypatch):
    rows = portfolio_rows(sample_portfolio)
    with sample_portfolio.transaction() as session:
        session.execute(update(App).where(App.app_id == rows[0][0])
                        .values(description="odd \x1e text"))
    with sample_portfolio.reading() as session:
        assert stored_records(session, ("description", "users")) is None
    cell(rows, 0, "description", None)  # says nothing of it
    cell(rows, 1, "users", 77)
    path = write_apps(tmp_path / "odd.xlsx", rows)
    by_records, by_values = both_ways(sample_portfolio, path, monkeypatch)
    assert shape(by_records) == shape(by_values)
    assert {a.app_id for a in by_records.apps} == {rows[1][0]}


@pytest.mark.sqlite_only  # records are written by SQLite's printf
@pytest.mark.parametrize("value, text", [
    (None, "NULL"), ("", "''"), ("it's", "'it''s'"), (0, "'0'"), (12, "'12'"),
    (True, "'1'"), (False, "'0'"), (1.5, None), ("nul\0", None)])
def test_a_row_is_written_as_sqlite_quotes_it(empty_portfolio, value, text):
    from sqlalchemy import func
    written = record_texts(["A-1"], [[value]])[0]
    if text is None:  # never a stored record: the row goes value by value
        assert written.split(",", 1)[1] not in {"NULL", "''"} and "\0" in written
        return
    assert written == f"'A-1',{text}"
    with empty_portfolio.reading() as session:
        if not isinstance(value, bool):
            assert session.scalar(select(func.printf("%Q", value))) == text


def test_a_subset_reads_as_the_same_apps_of_a_full_read(sample_portfolio):
    fields = ("name", "users", "last_used", "integrations", "primary_owner", "co_owners")
    with sample_portfolio.reading() as session:
        full = StoredApps(session, fields, False)
        wanted = full.app_ids[5:9] + ["NOT-STORED"]
        part = StoredApps(session, fields, False, wanted)
    assert part.vector_of == {app_id: full.vector_of[app_id] for app_id in wanted[:-1]}
    for app_id in wanted[:-1]:
        mine, theirs = part.by_id[app_id], full.by_id[app_id]
        assert (part.ids[mine], part.versions[mine]) == (full.ids[theirs], full.versions[theirs])


def test_the_fields_held_are_those_some_app_fills(sample_portfolio):
    every = ("users", "notes", "it_backlog_item", "primary_owner", "business_owner",
             "owner_team")
    with sample_portfolio.transaction() as session:
        session.execute(update(App).values(notes=None, it_backlog_item=None))
        session.execute(Ownership.__table__.delete().where(Ownership.role == "business_owner"))
        session.execute(Ownership.__table__.delete().where(Ownership.team_id.is_not(None)))
    with sample_portfolio.reading() as session:
        assert fields_held(session, every) == {"users", "primary_owner"}


@pytest.mark.sqlite_only  # records are written by SQLite's printf
def test_records_are_read_once_the_apps_sheet_is_mapped(sample_portfolio):
    fields = ("name", "users")
    with sample_portfolio.reading() as session:
        with PortfolioRead(session) as reading:
            reading.expect_sheet("people", frozenset({"email", "name"}))  # not apps: nothing
            reading.expect_sheet("apps", frozenset({"app_id", "users", "name"}))
            records = reading.records(fields)
        assert records == stored_records(session, fields)  # the reading thread is done
    assert len(records) == 60


@pytest.mark.sqlite_only  # records are written by SQLite's printf
def test_a_re_import_reads_in_compared_form_only_the_apps_of_rows_that_differ(
        sample_portfolio, tmp_path, monkeypatch):
    rows = portfolio_rows(sample_portfolio)
    cell(rows, 3, "users", 31337)
    path = write_apps(tmp_path / "one.xlsx", rows)
    asked = apps_read(monkeypatch)
    with sample_portfolio.reading() as session:
        plan = plan_import(session, path)
    assert asked == [[rows[3][0]]]
    assert [(a.app_id, [d.field for d in a.diffs]) for a in plan.apps] == [(rows[3][0], ["users"])]


@pytest.mark.sqlite_only  # records are written by SQLite's printf
def test_when_most_rows_differ_every_app_is_read_in_one_scan(sample_portfolio, tmp_path,
                                                             monkeypatch):
    rows = portfolio_rows(sample_portfolio)
    for n in range(40):
        cell(rows, n, "users", 10_000 + n)
    path = write_apps(tmp_path / "most.xlsx", rows)
    asked = apps_read(monkeypatch)
    with sample_portfolio.reading() as session:
        plan = plan_import(session, path)
    assert asked == [None]
    assert plan.counts["apps"].as_dict()["updated"] == 40


@pytest.mark.parametrize("write", ["coe_kit_apps_xlsx", "ppac_inventory_xlsx", "ppac_inventory_csv",
                                   "powershell_apps_csv", "servicenow_apm_xlsx",
                                   "hand_tracker_xlsx"])
def test_the_fields_a_mapping_promises_are_those_its_records_hold(tmp_path, write):
    # What the Apps sheet's early mapping tells the portfolio read to expect: the records'
    # fields exactly (a profile's defaults and a kind's platform included), or the read
    # would be made for nothing.
    from fusiondesk.services.importing.read import sheet_setup
    from fusiondesk.services.importing.sheet import prepare_sheet, record_fields
    from fusiondesk.sheets.normalise import NormaliseOptions
    from fusiondesk.sheets.reader import open_workbook

    from tests.fixtures import exports

    path = getattr(exports, write)(tmp_path)
    with open_workbook(path) as workbook:
        tables = workbook.read_tables()
    apps = [t for t in tables if sheet_setup(t, path=path).entity == "apps"]
    assert apps
    for table in apps:
        setup = sheet_setup(table, path=path)
        normalised, _ = prepare_sheet(table, setup, NormaliseOptions())
        assert record_fields(setup) == set(normalised.records[0].values)
