"""Inventory import: preview, matching, upsert, the log, strictness, cancel and the report."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from fusiondesk import sample_generator
from fusiondesk.core.facts import AppFacts, Integration, Owner
from fusiondesk.core.values import app_values, format_value, owners_from_columns
from fusiondesk.db.models import App, ChangeLogEntry, Person
from fusiondesk.db.store.apps import load_facts
from fusiondesk.db.store.people import read_people
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.classification.reclassify import reclassify
from fusiondesk.services.importing import apply as import_apply
from fusiondesk.services.importing.importer import (
    ImportAborted,
    ImportCancelled,
    ImportStale,
    apply_import,
    plan_import,
    read_inventory,
    save_problem_report,
)
from fusiondesk.services.importing.rows import OwnerBook

from tests.postgres.dump import dump as dump_portfolio

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "sample_inventory.xlsx"
HEADERS = ["app_id", "name", "platform", "environment", "users", "lifecycle",
           "primary_owner", "co_owners", "integrations", "notes"]


def write_xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook with one sheet per entry (None is an empty cell)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def apps_file(tmp_path: Path, rows: list[list], name: str = "inventory.xlsx",
              headers: list[str] = HEADERS) -> Path:
    return write_xlsx(tmp_path / name, {"Apps": [headers, *rows]})


def dump(portfolio) -> list[str]:
    """Every table's rows (and on SQLite its schema): equal dumps mean equal content."""
    return dump_portfolio(portfolio)


def plan_of(portfolio, path: Path, **options):
    with portfolio.reading() as session:
        return plan_import(session, path, **options)


def imported(portfolio, path: Path, **options):
    return apply_import(portfolio, plan_of(portfolio, path), **options)


def log_rows(portfolio) -> list[tuple]:
    with portfolio.reading() as session:
        return session.execute(select(
            ChangeLogEntry.entity, ChangeLogEntry.entity_key, ChangeLogEntry.field,
            ChangeLogEntry.old_value, ChangeLogEntry.new_value, ChangeLogEntry.source,
            ChangeLogEntry.source_detail).order_by(ChangeLogEntry.id)).all()


def stored(portfolio, app_id: str):
    with portfolio.reading() as session:
        return app_edits.load_app(session, app_id)


def as_text(values: dict) -> dict[str, str]:
    """Canonical values as a flat sheet shows them (what an inventory can carry)."""
    return {name: format_value(name, value) for name, value in values.items()}


BASE_ROWS = [
    ["PA-1", "Budget Tracker", "Power Apps", "Prod", 10, "production", "ann@contoso.example",
     None, "SharePoint:read", "keeps the budget"],
    ["SN-2", "Asset Intake", "ServiceNow", "Prod", 40, "pilot", "bob@contoso.example",
     "cy@contoso.example", "SAP:write", None],
]


@pytest.fixture
def base(empty_portfolio, tmp_path):
    """A portfolio holding the two apps of BASE_ROWS, imported from a file."""
    imported(empty_portfolio, apps_file(tmp_path, BASE_ROWS, "base.xlsx"))
    return empty_portfolio


# --- the sample inventory ----------------------------------------------------------------

@pytest.fixture(scope="module")
def generated():
    return sample_generator.generate(400, seed=7, today=date(2026, 11, 1))


def test_sample_inventory_imports_into_an_empty_portfolio_with_nothing_lost(
        empty_portfolio, generated):
    result = imported(empty_portfolio, SAMPLE)

    assert result.counts["apps"].as_dict() == {"created": len(generated.apps), "updated": 0,
                                              "unchanged": 0, "invalid": 0}
    assert result.counts["people"].created == len(generated.people)
    assert result.errors == []
    with empty_portfolio.reading() as session:
        facts = {f.app_id: f for f in load_facts(session).values()}
        people = {p.email: p for p in read_people(session)}
    assert len(facts) == len(generated.apps)
    for app in generated.apps:  # every field of every app, as the sheet can say it
        assert as_text(app_values(facts[app.app_id])) == as_text(app_values(app)), app.app_id
    for person in generated.people:
        assert as_text(vars_of(people[person.email])) == as_text(vars_of(person))


def vars_of(person) -> dict:
    return {name: getattr(person, name) for name in person.__dataclass_fields__}


def test_sample_owners_integrations_and_dates_are_the_generators(empty_portfolio, generated):
    imported(empty_portfolio, SAMPLE)
    with_team = next(a for a in generated.apps if any(o.team for o in a.owners))
    with_links = next(a for a in generated.apps if len(a.integrations or ()) >= 2)
    for app in (generated.apps[0], with_team, with_links):
        facts = stored(empty_portfolio, app.app_id).facts
        assert [(o.role, o.email, o.team) for o in facts.owners] == \
               [(o.role, o.email, o.team) for o in app.owners]
        assert [(i.system, i.direction) for i in facts.integrations] == \
               [(i.system, i.direction) for i in app.integrations]
        assert (facts.created, facts.last_used, facts.deployed_on) == \
               (app.created, app.last_used, app.deployed_on)


def test_sample_reimport_is_all_unchanged_and_writes_nothing(empty_portfolio, generated):
    imported(empty_portfolio, SAMPLE)
    before, log_before = dump(empty_portfolio), log_rows(empty_portfolio)

    result = imported(empty_portfolio, SAMPLE)

    expected = len(generated.apps) + len(generated.people)
    assert result.totals.as_dict() == {"created": 0, "updated": 0, "unchanged": expected,
                                       "invalid": 0}
    assert result.backup is None  # nothing to write, so no backup either
    assert log_rows(empty_portfolio) == log_before
    assert dump(empty_portfolio) == before


def test_created_apps_carry_the_classification_reclassify_would_store(empty_portfolio):
    imported(empty_portfolio, SAMPLE)
    columns = (App.id, App.tier, App.possible_tier, App.flags, App.drift, App.policy_version)
    with empty_portfolio.transaction() as session:
        before = session.execute(select(*columns).order_by(App.id)).all()
        reclassify(session)
        after = session.execute(select(*columns).order_by(App.id)).all()
    assert before == after
    assert all(row.tier in (1, 2, 3, 4) for row in before)


def test_owners_of_a_row_read_as_the_flat_columns_say(empty_portfolio):
    # OwnerBook remembers owners per cell for speed; it must agree with the core's reading
    rows = read_inventory(SAMPLE).tables
    with empty_portfolio.reading() as session:
        book = OwnerBook(session)
    for table in rows:
        for record in table.records[:200] if table.entity == "apps" else ():
            mine = [(o.role, o.email, o.team) for o in book.owners(record.values)]
            core = [(o.role, o.email, o.team) for o in owners_from_columns(record.values)]
            assert mine == core


# --- updates, matching, duplicates, owners ------------------------------------------------

def test_update_shows_field_differences_and_writes_only_them(base, tmp_path):
    rows = [list(BASE_ROWS[0]), list(BASE_ROWS[1])]
    rows[0][4] = 25  # users
    rows[0][5] = "Retired"  # lifecycle, spelled as an export spells it
    rows[0][7] = "dee@contoso.example"  # a co-owner added
    path = apps_file(tmp_path, rows, "update.xlsx")

    plan = plan_of(base, path)

    assert plan.counts["apps"].as_dict() == {"created": 0, "updated": 1, "unchanged": 1,
                                            "invalid": 0}
    (app,) = plan.apps
    assert (app.app_id, app.action) == ("PA-1", "updated")
    assert [(d.field, d.old, d.new) for d in app.diffs] == [  # in canonical field order
        ("lifecycle", "production", "retired"), ("users", 10, 25),
        ("co_owners", None, ("dee@contoso.example",))]
    version = stored(base, "PA-1").version
    apply_import(base, plan)
    after = stored(base, "PA-1")
    assert after.version == version + 1
    assert (after.facts.users, after.facts.lifecycle, after.facts.notes) == \
           (25, "retired", "keeps the budget")
    assert [o.email for o in after.facts.owners] == ["ann@contoso.example",
                                                    "dee@contoso.example"]
    assert stored(base, "SN-2").version == 1
    assert log_rows(base)[-3:] == [
        ("app", "PA-1", "lifecycle", "production", "retired", "import", "update.xlsx"),
        ("app", "PA-1", "users", "10", "25", "import", "update.xlsx"),
        ("app", "PA-1", "co_owners", None, "dee@contoso.example", "import", "update.xlsx"),
    ]


def test_a_blank_cell_never_erases_what_the_portfolio_knows(base, tmp_path):
    rows = [list(BASE_ROWS[0]), list(BASE_ROWS[1])]
    rows[0][4] = rows[0][9] = rows[0][8] = None  # users, notes and integrations left blank
    plan = plan_of(base, apps_file(tmp_path, rows, "blanks.xlsx"))
    assert plan.totals.unchanged == 2 and plan.apps == []


def test_none_stated_for_integrations_matches_none_stored_and_clears_those_stored(
        base, tmp_path):
    rows = [list(BASE_ROWS[0]), list(BASE_ROWS[1])]
    rows[0][8] = "none"  # PA-1 loses its SharePoint link
    imported(base, apps_file(tmp_path, rows, "none.xlsx"))
    assert stored(base, "PA-1").facts.integrations == ()
    # the same file again: "none" against no links stored is unchanged, row as a whole
    again = plan_of(base, apps_file(tmp_path, rows, "none-again.xlsx"))
    assert again.totals.unchanged == 2 and again.apps == []


def test_update_keeps_what_a_flat_sheet_cannot_say_about_integrations(base, tmp_path):
    with base.transaction() as session:
        app = app_edits.load_app(session, "PA-1")
        approved = (Integration("SharePoint", "read", approved=True, enterprise=False),)
        app_edits.save_app(session, "PA-1", {"integrations": approved}, app.version, "tester")
    rows = [list(BASE_ROWS[0])]
    rows[0][8] = "SharePoint:write; Outlook:read"
    imported(base, apps_file(tmp_path, rows, "links.xlsx"))
    links = stored(base, "PA-1").facts.integrations
    assert links == (Integration("SharePoint", "write", approved=True, enterprise=False),
                     Integration("Outlook", "read"))


def test_rows_without_app_id_match_by_name_platform_environment(base, tmp_path):
    headers = ["name", "platform", "environment", "users"]
    path = apps_file(tmp_path, [["  budget TRACKER ", "POWER APPS", "prod ", 11],
                                ["Budget Tracker", "Power Apps", "Test", 3]],
                     "no-ids.xlsx", headers)

    plan = plan_of(base, path)

    assert plan.counts["apps"].as_dict() == {"created": 1, "updated": 1, "unchanged": 0,
                                            "invalid": 0}
    updated, created = plan.apps_with("updated")[0], plan.apps_with("created")[0]
    assert updated.app_id == "PA-1"
    assert [(d.field, d.old, d.new) for d in updated.diffs] == [("users", 10, 11)]
    assert created.app_id.startswith("fd-")  # generated, and stable within the plan
    apply_import(base, plan)
    assert stored(base, created.app_id).facts.environment == "Test"
    assert plan_of(base, path).totals.unchanged == 2  # the second time, both match


def test_duplicate_rows_are_reported_with_both_rows_and_imported_once(empty_portfolio, tmp_path):
    row = ["X-1", "Shift Roster", "Power Apps", "Prod", 5, "pilot", "ann@contoso.example",
           None, None, None]
    path = apps_file(tmp_path, [row, ["Y-2", "Other", None, None, 1, None, None, None, None,
                                      None], list(row)])

    plan = plan_of(empty_portfolio, path)

    assert plan.counts["apps"].created == 2
    (warning,) = [p for p in plan.warnings if "same" in p.message]
    assert (warning.sheet, warning.row, warning.value) == ("Apps", 4, "X-1")
    assert "rows 2 and 4" in warning.message
    apply_import(empty_portfolio, plan)
    with empty_portfolio.reading() as session:
        assert session.scalar(select(func.count()).select_from(App)) == 2


def test_unknown_owner_is_added_as_a_person_and_warned(base, tmp_path):
    rows = [["Z-9", "Visitor Log", "Power Apps", "Prod", 3, "idea", "NEW.Maker@Contoso.example ",
             None, None, None]]
    plan = plan_of(base, apps_file(tmp_path, rows, "owners.xlsx"))

    (warning,) = plan.warnings
    assert warning.message == "owner new.maker@contoso.example not in the portfolio; will be added"
    assert (warning.row, warning.column) == (2, "primary_owner (G)")
    assert plan.new_owners == ["new.maker@contoso.example"]
    apply_import(base, plan)
    owner = stored(base, "Z-9").facts.owners[0]
    assert (owner.email, owner.status) == ("new.maker@contoso.example", "active")
    assert ("person", "new.maker@contoso.example", "(person)", None, "(created)", "import",
            "owners.xlsx") in log_rows(base)


def test_only_the_apps_and_people_sheets_of_a_workbook_are_imported(empty_portfolio, tmp_path):
    path = write_xlsx(tmp_path / "audit.xlsx", {
        "Summary": [["Name", "Value"], ["Apps", 1]],
        "Apps": [HEADERS, ["A-1", "Expenses", "Power Apps", "Prod", 5, "production",
                           "ann@contoso.example", None, None, None]],
        "Findings": [["Name", "Flag"], ["Expenses", "undocumented"]],
    })

    plan = plan_of(empty_portfolio, path)

    assert [s.sheet for s in plan.sheets] == ["Apps"]
    assert [app.app_id for app in plan.apps] == ["A-1"]


def test_an_empty_apps_sheet_leaves_the_inventory_on_another_sheet_to_be_found(
        empty_portfolio, tmp_path):
    path = write_xlsx(tmp_path / "inventory.xlsx", {
        "Apps": [],
        "Inventory": [HEADERS, ["A-1", "Expenses", "Power Apps", "Prod", 5, "production",
                                None, None, None, None]],
    })

    plan = plan_of(empty_portfolio, path)

    assert [s.sheet for s in plan.sheets] == ["Inventory"]
    assert plan.totals.created == 1


def test_row_without_a_name_is_invalid_with_sheet_row_and_column(empty_portfolio, tmp_path):
    path = apps_file(tmp_path, [["A-1", "Kept", None, None, 1, None, None, None, None, None],
                                ["A-2", None, "Power Apps", None, 2, None, None, None, None,
                                 None]])
    plan = plan_of(empty_portfolio, path)
    assert plan.counts["apps"].as_dict() == {"created": 1, "updated": 0, "unchanged": 0,
                                            "invalid": 1}
    (error,) = plan.errors
    assert (error.sheet, error.row, error.column) == ("Apps", 3, "name (B)")
    assert "no name" in error.message


def test_ambiguous_match_by_name_is_an_invalid_row(base, tmp_path):
    with base.transaction() as session:
        app_edits.create_app(session, AppFacts("PA-3", "Budget Tracker", platform="Power Apps",
                                               environment="Prod"), "tester")
    path = apps_file(tmp_path, [["budget tracker", "Power Apps", "Prod", 5]], "ambiguous.xlsx",
                     ["name", "platform", "environment", "users"])
    plan = plan_of(base, path)
    assert plan.totals.invalid == 1 and "matches 2 apps" in plan.errors[0].message


# --- people ---------------------------------------------------------------------------------

def people_file(tmp_path: Path, rows: list[list], name: str = "people.xlsx") -> Path:
    headers = ["email", "name", "role", "status", "leave_date"]
    return write_xlsx(tmp_path / name, {"People": [headers, *rows]})


def test_people_are_matched_by_email_and_a_status_change_reclassifies_their_apps(base, tmp_path):
    with base.reading() as session:
        flags_before = session.scalar(select(App.flags).where(App.app_id == "PA-1")) or ""
    path = people_file(tmp_path, [["ANN@contoso.example", "Ann Lee", "citizen_developer",
                                   "left", "2026-10-30"]])

    plan = plan_of(base, path)

    (person,) = plan.people
    assert (person.action, person.email) == ("updated", "ann@contoso.example")
    assert {d.field for d in person.diffs} == {"name", "role", "status", "leave_date"}
    apply_import(base, plan)
    with base.reading() as session:
        flags = session.scalar(select(App.flags).where(App.app_id == "PA-1"))
        status = session.scalar(select(Person.status).where(Person.email == "ann@contoso.example"))
    assert status == "left"
    assert "builder_gone" in flags and "builder_gone" not in flags_before


def test_a_person_without_email_is_matched_by_name(base, tmp_path):
    imported(base, people_file(tmp_path, [["ann@contoso.example", "Ann Lee", None, None, None]]))
    plan = plan_of(base, people_file(tmp_path, [[None, "ann lee", "pro_developer", None, None]],
                                     "by-name.xlsx"))
    assert plan.counts["people"].updated == 1 and plan.errors == []
    assert plan.people[0].email == "ann@contoso.example"
    assert "matched by name" in plan.warnings[0].message


# --- all or nothing -------------------------------------------------------------------------

def test_strict_aborts_on_an_invalid_row_and_writes_nothing(base, tmp_path):
    before = dump(base)
    path = apps_file(tmp_path, [["N-1", "New app", None, None, 1, None, None, None, None, None],
                                ["N-2", None, None, None, 2, None, None, None, None, None]])
    with pytest.raises(ImportAborted, match="1 invalid row"):
        imported(base, path, strict=True)
    assert dump(base) == before


def test_cancel_through_progress_rolls_everything_back(base, tmp_path, monkeypatch):
    monkeypatch.setattr(import_apply, "BATCH", 2)  # several batches, so cancel lands mid-way
    rows = [[f"C-{n}", f"App {n}", "Zapier", None, n, None, "eve@contoso.example", None, None,
             None] for n in range(9)]
    changed = [list(BASE_ROWS[0])]
    changed[0][4] = 99
    path = apps_file(tmp_path, rows + changed, "cancel.xlsx")
    before = dump(base)
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if len(calls) == 3:
            raise ImportCancelled()

    with pytest.raises(ImportCancelled):
        imported(base, path, progress=progress)
    assert calls[-1][0] < calls[-1][1]
    assert dump(base) == before


def test_a_plan_gone_stale_writes_nothing(base, tmp_path):
    rows = [list(BASE_ROWS[0])]
    rows[0][4] = 12
    plan = plan_of(base, apps_file(tmp_path, rows, "stale.xlsx"))
    app = stored(base, "PA-1")
    with base.transaction() as session:  # someone edits the app after the preview
        app_edits.save_app(session, "PA-1", {"users": 11}, app.version, "tester")
    before = dump(base)
    with pytest.raises(ImportStale):
        apply_import(base, plan)
    assert dump(base) == before


def test_every_change_is_logged_as_coming_from_the_file(base, tmp_path):
    rows = [list(BASE_ROWS[0]), ["N-7", "Late Joiner", "Mendix", None, 1, None, None, None,
                                 None, None]]
    rows[0][5] = "retired"
    imported(base, apps_file(tmp_path, rows, "june.xlsx"))
    everything = log_rows(base)
    # the reviews the new apps need are requested by the rules, each saying why
    requested = [row for row in everything if row[0] == "review"]
    assert {row[5] for row in requested} == {"rule"}
    assert all(row[6].startswith("required: ") for row in requested)
    log = [row for row in everything if row[0] != "review"]
    assert all(row[5] == "import" for row in log)
    june = [row for row in log if row[6] == "june.xlsx"]
    assert june == [("app", "N-7", "(app)", None, "(created)", "import", "june.xlsx"),
                    ("app", "PA-1", "lifecycle", "production", "retired", "import",
                     "june.xlsx")]
    created = [row[1] for row in log if row[2] == "(app)"]
    assert created == ["PA-1", "SN-2", "N-7"]


# --- the problem report ---------------------------------------------------------------------

def test_problem_report_lists_every_problem_and_never_holds_a_formula(empty_portfolio, tmp_path):
    hostile = '=HYPERLINK("http://evil.example","click")'
    path = tmp_path / "hostile.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows([["name", "users", "lifecycle"],
                                    ["Ok app", "12", "production"],
                                    ["Bad users", hostile, "somewhere"],
                                    [None, "3", "pilot"]])
    plan = plan_of(empty_portfolio, path)

    report = save_problem_report(plan, tmp_path / "problems.xlsx")

    sheet = load_workbook(report).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("severity", "sheet", "row", "column", "value", "message")
    assert [(r[0], r[2], r[3]) for r in rows[1:]] == [
        (p.severity, p.row, p.column) for p in plan.problems]
    assert len(rows) == 1 + len(plan.problems) == 4
    cell = next(c for row in sheet.iter_rows(min_row=2) for c in row if c.value == hostile)
    assert cell.data_type == "s"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:F4"
    assert sheet["A1"].font.bold


def test_a_created_app_round_trips_owners_of_every_role(empty_portfolio, tmp_path):
    headers = ["app_id", "name", "primary_owner", "co_owners", "business_owner",
               "prodev_partner", "owner_team"]
    path = apps_file(tmp_path, [["R-1", "Roles", "a@x.example", "b@x.example; c@x.example",
                                 "d@x.example", "e@x.example", "Finance Ops"]],
                     "roles.xlsx", headers)
    imported(empty_portfolio, path)
    owners = stored(empty_portfolio, "R-1").facts.owners
    assert [(o.role, o.email or o.team) for o in owners] == [
        ("primary", "a@x.example"), ("co_owner", "b@x.example"), ("co_owner", "c@x.example"),
        ("business_owner", "d@x.example"), ("prodev_partner", "e@x.example"),
        ("co_owner", "Finance Ops")]
    assert plan_of(empty_portfolio, path).totals.unchanged == 1
    assert Owner("co_owner", team="Finance Ops") in owners


def test_an_app_added_since_the_preview_makes_the_plan_stale(base, tmp_path):
    plan = plan_of(base, apps_file(tmp_path, [["N-1", "Newcomer", None, None, 1, None, None,
                                               None, None, None]], "late.xlsx"))
    with base.transaction() as session:
        app_edits.create_app(session, AppFacts("N-1", "Someone else's"), "tester")
    before = dump(base)
    with pytest.raises(ImportStale):
        apply_import(base, plan)
    assert dump(base) == before


def test_ids_read_back_give_the_same_portfolio_as_ids_given(tmp_path, monkeypatch):
    # Server databases number rows themselves; the import then reads the ids back.
    from fusiondesk.db.engine import open_portfolio

    given = open_portfolio(tmp_path / "given.fdesk")
    imported(given, SAMPLE)
    monkeypatch.setattr(import_apply, "is_sqlite", lambda session: False)
    read_back = open_portfolio(tmp_path / "read-back.fdesk")
    imported(read_back, SAMPLE)
    try:
        with given.reading() as one, read_back.reading() as two:
            assert load_facts(one) == load_facts(two)
    finally:
        given.close()
        read_back.close()


def test_updates_of_dates_lists_and_yes_no_are_stored_as_edits_store_them(empty_portfolio,
                                                                          tmp_path):
    headers = ["app_id", "name", "last_used", "data_categories", "custom_code", "approved_tier"]
    first = apps_file(tmp_path, [["K-1", "Kinds", "2025-01-31", "pii", "no", 2]], "k1.xlsx",
                      headers)
    imported(empty_portfolio, first)
    second = apps_file(tmp_path, [["K-1", "Kinds", "03/02/2026", "PII; payment", "Y", "Tier 3"]],
                       "k2.xlsx", headers)

    plan = plan_of(empty_portfolio, second)

    assert [(d.field, d.old, d.new) for d in plan.apps[0].diffs] == [
        ("data_categories", ("pii",), ("pii", "payment")), ("custom_code", False, True),
        ("last_used", date(2025, 1, 31), date(2026, 2, 3)), ("approved_tier", 2, 3)]
    apply_import(empty_portfolio, plan)
    facts = stored(empty_portfolio, "K-1").facts
    assert (facts.last_used, facts.data_categories, facts.custom_code, facts.approved_tier) == \
           (date(2026, 2, 3), ("pii", "payment"), True, 3)
    assert plan_of(empty_portfolio, second).totals.unchanged == 1
