"""The change log read as changes: one per user action, with app names, a page at a time."""

from __future__ import annotations

from datetime import datetime

import pytest

from fusiondesk.core.facts import AppFacts
from fusiondesk.db.models import ChangeLogEntry
from fusiondesk.db.store.driver import insert_rows
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.change_history import (
    ChangeFilter,
    change_entries,
    count_changes,
    list_changes,
)
from fusiondesk.services.changes import FieldChange, log_changes
from fusiondesk.services.importing.importer import apply_import, plan_import

NAMES = {"PA-1": "Expense Tracker", "PA-2": "Visitor Log", "PA-3": "Trip Planner"}


@pytest.fixture
def portfolio(empty_portfolio):
    """Three apps, made one action (one transaction) each."""
    for app_id, name in NAMES.items():
        with empty_portfolio.transaction() as session:
            app_edits.create_app(session, AppFacts(app_id=app_id, name=name, users=12), "alice")
    return empty_portfolio


def _edit(portfolio, app_id: str, changes: dict, who: str = "bob"):
    with portfolio.transaction() as session:
        stored = app_edits.load_app(session, app_id)
        return app_edits.save_app(session, app_id, changes, stored.version, who)


def _changes(portfolio, **filters):
    with portfolio.reading() as session:
        return list_changes(session, ChangeFilter(**filters))


def test_an_edit_of_several_fields_is_one_change_naming_the_app(portfolio):
    _edit(portfolio, "PA-1", {"users": 60, "criticality": "mission_critical"})
    newest = _changes(portfolio)[0]
    assert newest.who == "bob" and newest.source == "edit" and newest.rows >= 2
    assert newest.what.startswith("Edited app 'Expense Tracker': ")
    assert "Users: 12 → 60" in newest.what
    assert "Criticality: (blank) → Mission-critical" in newest.what  # the label, not the value
    assert "PA-1" in newest.keys  # the id stays at hand, for a tooltip
    # mission-critical and 60 users: Tier 4, whose reviews the rules request in the same change
    assert newest.what.endswith(" reviews requested") and "; " in newest.what


def test_each_created_app_is_its_own_change_newest_first(portfolio):
    shown = _changes(portfolio)
    assert [c.what for c in shown] == [f"App '{name}' created" for name in reversed(NAMES.values())]
    assert [c.last_id for c in shown] == sorted((c.last_id for c in shown), reverse=True)


def test_a_bulk_edit_of_many_apps_is_one_change(portfolio):
    with portfolio.transaction() as session:
        app_edits.bulk_edit(session, list(NAMES), {"department": "Finance"}, "carol")
    newest = _changes(portfolio)[0]
    assert newest.what.startswith("Bulk edit of 3 apps")
    assert len(_changes(portfolio)) == 4  # three creations and the bulk edit
    with portfolio.reading() as session:
        rows, names = change_entries(session, newest.key)
    assert {r.entity_key for r in rows} == set(NAMES)
    assert names == NAMES  # each row can show its app's name


def test_an_undo_is_one_change_of_its_own(portfolio):
    done = _edit(portfolio, "PA-2", {"users": 99})
    with portfolio.transaction() as session:
        app_edits.revert(session, done, "bob")
    undo, edit = _changes(portfolio)[:2]
    assert undo.source == "undo" and "Visitor Log" in undo.what and "99 → 12" in undo.what
    assert edit.source == "edit" and "12 → 99" in edit.what


def test_an_import_reads_as_new_and_updated_apps(portfolio, tmp_path):
    sheet = tmp_path / "inventory.csv"
    sheet.write_text("App ID,App Name,Users\nPA-1,Expense Tracker,500\nPA-9,Fleet Booking,3\n"
                     "PA-10,Room Finder,4\n", encoding="utf-8")
    with portfolio.reading() as session:
        plan = plan_import(session, sheet)
    apply_import(portfolio, plan)
    newest = _changes(portfolio)[0]
    assert newest.source == "import"
    assert newest.what.startswith("Imported inventory.csv: 2 new, 1 updated")


def test_filters_select_the_changes_with_a_matching_row(portfolio):
    _edit(portfolio, "PA-3", {"notes": "Badge printer in lobby"})
    assert [c.who for c in _changes(portfolio, who="bob")] == ["bob"]
    assert len(_changes(portfolio, text="badge")) == 1
    assert len(_changes(portfolio, app_id="PA-1")) == 1
    assert _changes(portfolio, since=datetime(2100, 1, 1)) == []
    with portfolio.reading() as session:
        assert count_changes(session) == 4
        assert count_changes(session, ChangeFilter(source="edit", who="alice")) == 3


def test_pages_go_back_in_time_from_the_last_change_shown(portfolio):
    for users in range(13, 20):
        _edit(portfolio, "PA-1", {"users": users})
    with portfolio.reading() as session:
        first = list_changes(session, limit=4)
        second = list_changes(session, before=first[-1].last_id, limit=4)
        rest = list_changes(session, before=second[-1].last_id, limit=4)
    seen = [c.key for c in first + second + rest]
    assert len(seen) == 10 == len(set(seen))  # 3 creations and 7 edits, none twice


def test_rows_logged_before_change_ids_group_by_when_who_and_source(portfolio):
    with portfolio.transaction() as session:
        stamp = datetime(2025, 3, 1, 9, 30)
        rows = [{"at": stamp, "who": "dave", "entity": "app", "entity_key": key, "field": "users",
                 "old_value": "1", "new_value": "2", "source": "bulk_edit",
                 "source_detail": None} for key in ("PA-1", "PA-2")]
        # as a portfolio from before migration 0011 holds them: no change id
        insert_rows(session, ChangeLogEntry.__table__, rows)
    oldest = _changes(portfolio, who="dave")
    assert len(oldest) == 1 and oldest[0].rows == 2 and oldest[0].at == stamp
    with portfolio.reading() as session:
        rows, _names = change_entries(session, oldest[0].key)
    assert {r.entity_key for r in rows} == {"PA-1", "PA-2"}


def test_a_change_is_named_by_the_action_that_started_it_not_what_followed(portfolio):
    with portfolio.transaction() as session:
        log_changes(session, [FieldChange("app", "PA-1", "users", 12, 500)], "erin", "import",
                    "inventory.xlsx")
        log_changes(session, [FieldChange("handover_plan", "ann@contoso.example", "(plan)",
                                          None, "(created)")], "erin", "handover")
    newest = _changes(portfolio)[0]
    assert (newest.who, newest.source, newest.detail, newest.rows) == (
        "erin", "import", "inventory.xlsx", 2)
    assert newest.what.startswith("Imported inventory.xlsx: 0 new, 1 updated")


def test_reviews_the_rules_request_on_their_own_read_as_such():
    from fusiondesk.core.terms import Entity, Source
    from fusiondesk.db.store.change_log import EntityCount
    from fusiondesk.services.change_history import describe

    requested = [EntityCount(Entity.REVIEW, 620, 620, 0)]
    assert describe(Source.RULE, None, requested, ["type", "due"], None, {}) == \
        "Requested 620 reviews the rules require"
    # a reclassification that touched apps still reads as one
    moved = [EntityCount(Entity.APP, 3, 0, 0)]
    assert describe(Source.RULE, None, moved, ["tier"], None, {}).startswith("Reclassified 3 apps")
