"""`fusiondesk import`: the JSON contract, exit statuses, dry run, strict, report, options."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import Workbook, load_workbook

from fusiondesk.db.engine import open_portfolio

from tests.postgres.dump import dump as dump_portfolio

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = str(ROOT / "sample_data" / "sample_inventory.xlsx")
PROBLEM_KEYS = {"sheet", "row", "column", "value", "message"}


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> str:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return str(path)


def dump(path: str) -> list[str]:
    return dump_portfolio(path)


def small_file(tmp_path: Path, name: str = "small.xlsx", invalid: bool = False) -> str:
    rows = [["app_id", "name", "platform", "users", "last_used"],
            ["A-1", "Budget Tracker", "Power Apps", "1,200", "03/04/2025"],
            ["A-2", "Asset Intake", "ServiceNow", 7, None]]
    if invalid:
        rows.append(["A-3", None, "Zapier", 2, None])
    return write_xlsx(tmp_path / name, {"Apps": rows})


def test_json_is_one_object_with_the_contract_keys(run, tmp_path):
    db = str(tmp_path / "p.fdesk")
    code, out, err = run("--db", db, "import", SAMPLE, "--json")
    assert (code, err) == (0, "")
    found = json.loads(out)
    assert list(found) == ["created", "updated", "unchanged", "invalid", "errors", "warnings",
                           "sheets", "skipped_sheets", "columns", "owners_without_email",
                           "handover_plans"]
    assert (found["created"], found["updated"], found["unchanged"], found["invalid"]) == \
           (400 + 120, 0, 0, 0)
    assert found["warnings"] and all(set(w) == PROBLEM_KEYS for w in found["warnings"])
    duplicate = next(w for w in found["warnings"] if "same app_id" in w["message"])
    assert duplicate["sheet"] == "Apps" and isinstance(duplicate["row"], int)

    code, out, _ = run("--db", db, "import", SAMPLE, "--json")
    again = json.loads(out)
    assert (code, again["created"], again["updated"], again["unchanged"]) == (0, 0, 0, 520)


def test_invalid_rows_are_listed_and_the_rest_imported(run, tmp_path):
    db = str(tmp_path / "p.fdesk")
    code, out, _ = run("--db", db, "import", small_file(tmp_path, invalid=True), "--json")
    found = json.loads(out)
    assert (code, found["created"], found["invalid"]) == (0, 2, 1)
    assert found["errors"] == [{"sheet": "Apps", "row": 4, "column": "name (B)", "value": "",
                                "message": "the app has no name; this row is skipped until "
                                           "it has one"}]


def test_strict_aborts_with_status_1_and_the_database_unchanged(run, tmp_path):
    db = str(tmp_path / "p.fdesk")
    assert run("--db", db, "import", small_file(tmp_path))[0] == 0
    before = dump(db)
    code, out, err = run("--db", db, "import", small_file(tmp_path, "bad.xlsx", invalid=True),
                         "--strict", "--json")
    assert code == 1
    assert json.loads(out)["invalid"] == 1
    assert len(err.strip().splitlines()) == 1 and "nothing was imported" in err
    assert dump(db) == before


def test_dry_run_previews_and_writes_nothing(run, tmp_path):
    db = str(tmp_path / "p.fdesk")
    assert run("--db", db, "import", small_file(tmp_path))[0] == 0
    changed = write_xlsx(tmp_path / "changed.xlsx", {"Apps": [
        ["app_id", "name", "users"], ["A-1", "Budget Tracker", 1300], ["A-9", "New", 1]]})
    before = dump(db)
    code, out, _ = run("--db", db, "import", changed, "--dry-run")
    assert code == 0
    assert "Preview of changed.xlsx (nothing was written)" in out
    assert "A-1 Budget Tracker: users “1200” → “1300”" in out
    assert "apps:   1 created, 1 updated, 0 unchanged, 0 invalid" in out
    assert dump(db) == before


def test_an_unreadable_file_exits_2_with_one_line_and_touches_nothing(run, tmp_path):
    db = tmp_path / "never.fdesk"
    junk = tmp_path / "inventory.xlsx"
    junk.write_bytes(b"this is not a workbook at all" * 10)
    code, out, err = run("--db", str(db), "import", str(junk))
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and "inventory.xlsx" in err
    assert not db.exists()  # the portfolio is not even created

    code, _, err = run("--db", str(db), "import", str(tmp_path / "missing.xlsx"))
    assert code == 2 and len(err.splitlines()) == 1


def test_bad_usage_exits_2_with_one_line(run, tmp_path):
    code, _, err = run("--db", str(tmp_path / "p.fdesk"), "import", SAMPLE,
                       "--date-order", "ymd")
    assert code == 2 and len(err.splitlines()) == 1 and "--date-order" in err
    code, _, err = run("--db", str(tmp_path / "p.fdesk"), "import", SAMPLE, "--sheet", "Nope")
    assert code == 2 and len(err.splitlines()) == 1 and "Nope" in err


def test_report_saves_every_problem(run, tmp_path):
    report = tmp_path / "problems.xlsx"
    code, _, _ = run("--db", str(tmp_path / "p.fdesk"), "import",
                     small_file(tmp_path, invalid=True), "--report", str(report))
    assert code == 0
    rows = list(load_workbook(report).active.iter_rows(values_only=True))
    assert rows == [("severity", "sheet", "row", "column", "value", "message"),
                    ("warning", "Apps", 2, "last_used (E)", "03/04/2025", rows[1][5]),
                    ("error", "Apps", 4, "name (B)", None, rows[2][5])]


def test_profile_maps_headers_and_values(run, tmp_path):
    profile = tmp_path / "export.toml"
    profile.write_text('name = "Admin export"\n[columns]\n"App Display Name" = "name"\n'
                       '"Stage" = "lifecycle"\n"Reach" = "users"\n'
                       '[values.lifecycle]\n"Live-ish" = "production"\n', encoding="utf-8")
    source = write_xlsx(tmp_path / "export.xlsx", {"Export": [
        ["App Display Name", "Stage", "Reach"], ["Visitor Log", "Live-ish", 12]]})
    db = str(tmp_path / "p.fdesk")
    code, out, _ = run("--db", db, "import", source, "--profile", str(profile), "--json")
    assert (code, json.loads(out)["created"], json.loads(out)["errors"]) == (0, 1, [])
    code, out, _ = run("--db", db, "apps", "--json")
    (app,) = json.loads(out)
    assert (app["name"], app["lifecycle"], app["users"]) == ("Visitor Log", "production", 12)


def test_date_order_and_sheet_options(run, tmp_path):
    source = write_xlsx(tmp_path / "two.xlsx", {
        "Apps": [["app_id", "name", "last_used"], ["D-1", "Dated", "03/04/2025"]],
        "People": [["email", "name"], ["ann@contoso.example", "Ann"]]})
    db = str(tmp_path / "p.fdesk")
    code, out, _ = run("--db", db, "import", source, "--sheet", "Apps", "--date-order", "mdy",
                       "--json")
    assert (code, json.loads(out)["created"]) == (0, 1)  # People was not imported
    code, out, _ = run("--db", db, "apps", "--json")
    assert json.loads(out)[0]["last_used"] == "2025-03-04"
    code, out, _ = run("--db", db, "people", "--json")
    assert json.loads(out) == []


def test_strict_writes_nothing_when_any_cell_has_an_error(run, tmp_path):
    db = str(tmp_path / "p.fdesk")
    path = write_xlsx(tmp_path / "bad.xlsx", {"Apps": [
        ["app_id", "name", "users"], ["A-1", "Budget Tracker", "lots"], ["A-2", "Intake", 3]]})
    open_portfolio(db).close()  # an empty portfolio (`info` no longer creates one)
    before = dump(db)

    code, _, err = run("--db", db, "import", path, "--strict")

    assert code == 1 and "1 error" in err and "nothing was imported" in err
    assert dump(db) == before  # the valid row was not written either


def test_dry_run_with_no_portfolio_previews_against_an_empty_one_and_creates_nothing(
        run, tmp_path):
    db = tmp_path / "none-yet.fdesk"
    code, out, err = run("--db", str(db), "import", small_file(tmp_path), "--dry-run", "--json")

    assert (code, err) == (0, "")
    assert json.loads(out)["created"] == 2
    assert not db.exists() and not list(tmp_path.glob("none-yet*"))


def test_json_lists_every_column_with_what_it_became(run, tmp_path):
    path = write_xlsx(tmp_path / "cols.xlsx", {"Apps": [
        ["App Name", "Owner", "Favourite colour"], ["Budget Tracker", "Adele Vance", "blue"]]})
    code, out, _ = run("--db", str(tmp_path / "p.fdesk"), "import", path, "--json", "--dry-run")

    columns = json.loads(out)["columns"]
    assert [(c["column"], c["header"], c["field"]) for c in columns] == [
        ("A", "App Name", "name"), ("B", "Owner", "primary_owner"),
        ("C", "Favourite colour", None)]
    assert columns[2]["reason"].startswith("ignored:") and columns[0]["confidence"] > 0.6


def test_a_census_extract_is_not_an_inventory_and_writes_nothing(run, tmp_path):
    census = tmp_path / "census.csv"
    census.write_text("NAME,STATE,DIVISION,POPULATION\nAutauga County,Alabama,East South "
                      "Central,58805\nBaldwin County,Alabama,East South Central,231767\n",
                      encoding="utf-8")
    db = tmp_path / "p.fdesk"

    code, out, err = run("--db", str(db), "import", str(census))

    assert code == 2 and out == ""
    assert "does not look like an inventory of apps" in err
    assert not db.exists()


def test_a_code_list_beside_the_inventory_is_skipped_with_a_warning(run, tmp_path):
    path = write_xlsx(tmp_path / "book.xlsx", {
        "Register": [["App Name", "Owner", "Platform"], ["Budget Tracker", "ann@x.com", "Power Apps"]],
        "Codes": [["Code", "Name", "Description"], ["FIN", "Finance", "Finance department"]]})

    code, out, _ = run("--db", str(tmp_path / "p.fdesk"), "import", path, "--json")

    found = json.loads(out)
    assert code == 0 and found["created"] == 1
    assert any("Codes" == w["sheet"] and "does not look like" in w["message"]
               for w in found["warnings"])


def test_a_profile_maps_a_plain_list_explicitly(run, tmp_path):
    plain = tmp_path / "plain.csv"
    plain.write_text("Name,Status\nBudget Tracker,Live\n", encoding="utf-8")
    profile = tmp_path / "plain.toml"
    profile.write_text('name = "plain"\n[columns]\n"Name" = "name"\n"Status" = "lifecycle"\n',
                       encoding="utf-8")

    code, out, err = run("--db", str(tmp_path / "p.fdesk"), "import", str(plain),
                         "--profile", str(profile), "--json")

    assert (code, err) == (0, "") and json.loads(out)["created"] == 1


def _bad_file(tmp_path: Path) -> str:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    return str(bad)


def test_a_bad_file_leaves_an_existing_portfolio_and_its_backups_as_they_were(run, tmp_path):
    """The portfolio is read while the file is parsed, yet a refused file changes nothing."""
    from fusiondesk import paths

    db = tmp_path / "p.fdesk"
    assert run("--db", str(db), "import", small_file(tmp_path))[0] == 0
    backups_before = sorted(p.name for p in paths.backups_dir().rglob("*"))
    for path in paths.backups_dir().rglob("*"):
        if path.is_file():
            path.unlink()  # so today's daily backup would be made again
    before = db.read_bytes()
    code, out, err = run("--db", str(db), "import", _bad_file(tmp_path))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert db.read_bytes() == before
    assert not [p for p in paths.backups_dir().rglob("*") if p.is_file()]
    assert backups_before  # the first import did back up: the check above means something
    code, out, _ = run("--db", str(db), "import", small_file(tmp_path), "--json")
    assert (code, json.loads(out)["unchanged"]) == (0, 2)
    assert [p for p in paths.backups_dir().rglob("*") if p.is_file()]  # a good file: backed up


def test_a_bad_file_does_not_migrate_an_older_portfolio(run, tmp_path):
    from sqlalchemy import create_engine

    from fusiondesk.db import migrate

    db = tmp_path / "old.fdesk"
    engine = create_engine(f"sqlite:///{db}")
    migrate.upgrade(engine, "0001")
    engine.dispose()
    before = db.read_bytes()
    code, _, err = run("--db", str(db), "import", _bad_file(tmp_path))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert db.read_bytes() == before
