"""Reading the portfolio while the file is parsed: the same plan as reading it afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from fusiondesk.db.models import App
from fusiondesk.services.importing.importer import apply_import, plan_import, read_inventory
from fusiondesk.services.importing.match import plan_from_inventory
from fusiondesk.services.importing.stored import EVERY_COMPARED_FIELD, PortfolioRead, StoredApps

from tests.services.test_importer import write_xlsx  # the importer tests' workbook writer

HEADERS = ["app_id", "name", "platform", "environment", "users", "primary_owner", "notes"]


def write_apps(path: Path, rows: list[list], headers: list[str] = HEADERS) -> Path:
    return write_xlsx(path, {"Apps": [headers, *rows]})


def shape(plan) -> tuple:
    """What a plan says, comparable across two plans."""
    return (plan.counts["apps"].as_dict(), plan.counts["people"].as_dict(),
            sorted((a.action, a.app_id if a.db_id else a.name, a.db_id, a.version,
                    sorted(map(repr, a.values.items())),
                    [(d.field, repr(d.old), repr(d.new)) for d in a.diffs]) for a in plan.apps),
            [(p.sheet, p.row, p.column, p.message) for p in plan.problems])


def test_every_compared_field_covers_what_a_file_can_map_in_compared_order():
    from fusiondesk.core.fields import APP_FIELDS
    from fusiondesk.services.importing.app_matcher import compared_fields
    from fusiondesk.sheets.normalise import NormalisedRow, NormalisedTable

    every = {f.name: None for f in APP_FIELDS}
    table = NormalisedTable("f.xlsx", "Apps", "apps", [NormalisedRow(2, every)])
    assert compared_fields([table]) == EVERY_COMPARED_FIELD


def test_narrowing_a_full_read_equals_reading_only_those_fields(sample_portfolio):
    fields = ("name", "users", "criticality", "last_used", "integrations", "co_owners")
    with sample_portfolio.reading() as session:
        full = StoredApps(session, EVERY_COMPARED_FIELD, True)
        for by_key in (False, True):
            narrow, direct = full.narrowed(fields, by_key), StoredApps(session, fields, by_key)
            assert narrow.vectors == direct.vectors and narrow.vector_of == direct.vector_of
            assert (narrow.app_ids, narrow.ids, narrow.versions) == \
                   (direct.app_ids, direct.ids, direct.versions)
            assert dict(narrow.by_key) == dict(direct.by_key)
            assert narrow.by_key_read is by_key
        single = full.narrowed(("users",), False)
        assert single.vectors == StoredApps(session, ("users",), False).vectors


@pytest.mark.parametrize("change", ["unchanged", "edited", "without ids"])
def test_reading_early_plans_exactly_what_reading_afterwards_plans(sample_portfolio, tmp_path,
                                                                  change):
    with sample_portfolio.reading() as session:
        stored = StoredApps(session, ("name", "platform", "environment", "users"), False)
    rows = []
    for n, app_id in enumerate(stored.app_ids[:25]):
        name, platform, environment, users = stored.vector_of[app_id]
        if change == "edited" and n % 3 == 0:
            users = (users or 0) + 7
        rows.append([None if change == "without ids" else app_id, name, platform,
                     environment, users, None, None])
    rows.append(["NEW-1", "A new app", "Power Apps", "Prod", 3, "new.owner@example.com", None])
    path = write_apps(tmp_path / "apps.xlsx", rows)
    with sample_portfolio.reading() as session:
        early = plan_import(session, path)  # the portfolio read while the file is parsed
        later = plan_from_inventory(session, read_inventory(path))
    assert shape(early) == shape(later)
    counts = early.counts["apps"].as_dict()
    assert counts["created"] == 1 and counts["updated"] + counts["unchanged"] == 25
    assert counts["updated"] == (9 if change == "edited" else 0)


def test_an_unreadable_file_leaves_the_early_read_closed(sample_portfolio, tmp_path):
    from fusiondesk.sheets.problems import SheetError

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook at all")
    with sample_portfolio.reading() as session:
        with pytest.raises(SheetError):
            plan_import(session, bad)
    # the session was handed back whole: the portfolio still imports
    good = write_apps(tmp_path / "good.xlsx", [["G-1", "Good", "Zapier", "Prod", 1, None, None]])
    with sample_portfolio.reading() as session:
        plan = plan_import(session, good)
    assert apply_import(sample_portfolio, plan).counts["apps"].created == 1


def test_a_read_without_apps_refuses_to_give_them(empty_portfolio):
    with empty_portfolio.reading() as session, PortfolioRead(session, None) as reading:
        assert reading.people() == [] and not reading.any_apps()
        with pytest.raises(RuntimeError):
            reading.apps(("name",), False)


# --- the People sheet planned while the Apps sheet is parsed --------------------------------

PEOPLE_HEADERS = ["email", "name", "department", "status", "manager_email"]


def people_and_apps(sample_portfolio, path: Path, people_sheets: tuple[str, ...]) -> Path:
    """A workbook whose People sheet(s) change, add, repeat and name people every way."""
    with sample_portfolio.reading() as session:
        stored = StoredApps(session, ("name", "platform", "environment", "users"), False)
        known = [p for p in read_inventory_people(session) if p.email][:3]
    people = [PEOPLE_HEADERS,
              [known[0].email, known[0].name, "Finance (renamed)", None, None],
              [known[1].email.upper(), known[1].name, None, "left", None],
              ["new.person@example.com", "Nia Newcomer", "Sales", None, known[0].name],
              [None, known[2].name, "Legal", None, None],  # matched by name
              ["new.person@example.com", "Nia Again", None, None, None],  # repeated
              ["lost@example.com", "Lou Lost", None, None, "Nobody Known"]]
    apps = [HEADERS] + [[app_id, *stored.vector_of[app_id], "Nia Newcomer", None]
                        for app_id in stored.app_ids[:6]]
    sheets = {"Apps": apps, people_sheets[0]: people}
    for extra in people_sheets[1:]:
        sheets[extra] = [PEOPLE_HEADERS, ["other@example.com", "Nia Newcomer", None, None, None]]
    return write_xlsx(path, sheets)


def read_inventory_people(session):
    from fusiondesk.db.store.people import read_people

    return read_people(session)


@pytest.mark.parametrize("people_sheets", [("People",), ("People", "Users")])
def test_people_planned_early_are_planned_as_after_reading(sample_portfolio, tmp_path,
                                                           monkeypatch, people_sheets):
    from fusiondesk.services.importing.early_people import EarlyPeople

    taken = []
    take = EarlyPeople.take
    monkeypatch.setattr(EarlyPeople, "take",
                        lambda self, tables: taken.append(take(self, tables)) or taken[-1])
    path = people_and_apps(sample_portfolio, tmp_path / "both.xlsx", people_sheets)
    with sample_portfolio.reading() as session:
        early = plan_import(session, path)
        later = plan_from_inventory(session, read_inventory(path))
    # the early plan was used with one People sheet, and dropped with two
    assert [t is not None for t in taken] == [len(people_sheets) == 1]
    assert shape(early) == shape(later)
    assert [(p.action, p.email, sorted(p.values), p.merge_from) for p in early.people] == \
           [(p.action, p.email, sorted(p.values), p.merge_from) for p in later.people]
    people = early.counts["people"].as_dict()
    assert people["created"] >= 2 and people["updated"] >= 3
    assert any("Nobody Known" in p.message for p in early.problems)  # manager not found
    assert any("same person" in p.message for p in early.problems)  # the repeated e-mail


def test_fields_no_app_fills_read_as_none_without_being_fetched(sample_portfolio):
    from fusiondesk.db.store.compared import compared_rows, filled_fields

    fields = ("users", "notes", "it_backlog_item", "created", "integrations")
    with sample_portfolio.transaction() as session:
        session.execute(update(App).values(notes=None, it_backlog_item=None,
                                           integration_summary=""))
        first = session.scalars(select(App.app_id).order_by(App.id).limit(1)).one()
        session.execute(update(App).where(App.app_id == first).values(notes="kept"))
    with sample_portfolio.reading() as session:
        assert filled_fields(session, fields) == {"users", "notes", "created"}
        stored = StoredApps(session, fields, False)
        every = {row[1]: row[3:] for row in compared_rows(session, fields, False)}
    assert stored.vector_of == every  # the same values as fetching every field
    assert stored.vector_of[first][1] == "kept"
    assert {vector[2] for vector in stored.vectors} == {None}
