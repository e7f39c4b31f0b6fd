"""A value longer than its column: refused before the write, in one line, on both backends."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import text

from fusiondesk.core.facts import AppFacts, Integration, Owner
from fusiondesk.core.fields import APP_FIELD_BY_NAME
from fusiondesk.core.validation import InvalidValues, Limit, check_length
from fusiondesk.db.store.limits import app_limits, person_limits
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.people import edits as people

from tests.postgres.dump import dump


@pytest.fixture
def portfolio(empty_portfolio):
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, AppFacts(app_id="PA-1", name="Expense Tracker"), "alice")
    return empty_portfolio


def _where(portfolio) -> str:
    return str(portfolio.location.path or portfolio.location.url)


def test_limits_are_the_models_column_lengths():
    assert app_limits()["name"] == Limit(500)
    assert app_limits()["department"] == Limit(100)
    assert app_limits()["co_owners"] == Limit(320, each=True, names=200)
    assert person_limits()["email"] == Limit(320)
    assert "notes" not in app_limits()  # Text: no limit


def test_a_list_is_measured_as_stored_and_owners_one_by_one():
    compliance = APP_FIELD_BY_NAME["compliance"]
    assert check_length(compliance, ("x" * 99, "y" * 99), Limit(200)) is None  # 99 + 2 + 99
    assert "201 characters" in check_length(compliance, ("x" * 100, "y" * 99), Limit(200))
    owners = APP_FIELD_BY_NAME["co_owners"]
    limit = Limit(320, each=True, names=200)
    assert check_length(owners, ("a" * 300 + "@x.example",), limit) is None
    assert "at most 200" in check_length(owners, ("A" * 201,), limit)


def test_an_edit_too_long_is_one_line_naming_field_app_and_limit(portfolio):
    before = dump(portfolio)
    with pytest.raises(InvalidValues) as refused:
        with portfolio.transaction() as session:
            stored = app_edits.load_app(session, "PA-1")
            app_edits.save_app(session, "PA-1", {"department": "D" * 101}, stored.version, "bob")
    message = str(refused.value)
    assert len(message.splitlines()) == 1
    assert "Department of app PA-1" in message and "101 characters" in message and "at most 100" in message
    assert dump(portfolio) == before


def test_a_new_app_with_a_too_long_owner_is_refused_whole(portfolio):
    before = dump(portfolio)
    with pytest.raises(InvalidValues, match="owner of 201 characters; at most 200"):
        with portfolio.transaction() as session:
            app_edits.create_app(session, AppFacts(app_id="PA-2", name="Visitor Log",
                                                   owners=(Owner("primary", name="N" * 201),)), "bob")
    assert dump(portfolio) == before


def test_a_person_too_long_is_refused(portfolio):
    with pytest.raises(InvalidValues, match="Department of person ann@contoso.example"):
        with portfolio.transaction() as session:
            people.create_person(session, {"email": "ann@contoso.example", "department": "D" * 150}, "bob")


def _inventory(tmp_path, rows) -> str:
    path = tmp_path / "inventory.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["App ID", "Name", "Department", "Platform"],
                                      *[[*row, "Power Apps"] for row in rows]])
    return str(path)


def test_an_import_lists_too_long_cells_as_row_problems_and_writes_the_rest(portfolio, run, tmp_path):
    path = _inventory(tmp_path, [["A-1", "Budget Tracker", "Finance" * 20],
                                 ["A-2", "N" * 501, "HR"],
                                 ["A-3", "Asset Intake", "IT"]])
    code, out, err = run("--db", _where(portfolio), "import", path, "--json")
    assert code == 0 and not err
    errors = json.loads(out)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "Department (C)"), (3, "Name (B)")]
    assert "Department of app A-1 has text of 140 characters; at most 100 fit" in errors[0]["message"]
    assert "at most 500 fit; this row is skipped" in errors[1]["message"]
    with portfolio.engine.connect() as connection:
        stored = connection.execute(text("SELECT app_id, department FROM app ORDER BY app_id")).all()
    assert stored == [("A-1", None), ("A-3", "IT"), ("PA-1", None)]


def test_a_strict_import_with_a_too_long_cell_writes_nothing(portfolio, run, tmp_path):
    before = dump(portfolio)
    path = _inventory(tmp_path, [["A-1", "Budget Tracker", "Finance" * 20], ["A-3", "Intake", "IT"]])
    code, _, err = run("--db", _where(portfolio), "import", path, "--strict")
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert dump(portfolio) == before


def test_a_value_too_long_that_reaches_the_server_is_one_sentence(backend, portfolio):
    if backend == "sqlite":
        pytest.skip("SQLite stores any length; the checks above are what refuse it there")
    from fusiondesk.core.errors import PortfolioError

    with pytest.raises(PortfolioError, match="longer than the database holds"):
        with portfolio.transaction() as session:
            session.execute(text("UPDATE app SET department = :d"), {"d": "D" * 101})
    with portfolio.reading() as session:
        assert session.execute(text("SELECT department FROM app")).scalar() is None


def test_summaries_of_many_long_owners_and_integrations_are_stored_whole(empty_portfolio):
    owners = tuple(Owner("co_owner", email=f"o{n}" + "x" * 290 + "@contoso.example") for n in range(3))
    systems = tuple(Integration(f"S{n}" + "y" * 190) for n in range(8))
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, AppFacts(app_id="PA-9", name="Big", owners=owners,
                                               integrations=systems), "tester")
    with empty_portfolio.reading() as session:
        stored = session.execute(text(
            "SELECT owner_summary, integration_summary FROM app WHERE app_id = 'PA-9'")).one()
    assert len(stored.owner_summary) > 900 and len(stored.integration_summary) > 1500
