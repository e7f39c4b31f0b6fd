"""Milestone reviews appear on their own: from an edit, a bulk edit, a new app, an import
and a policy change, exactly once, due by the SLA, logged with why, and undone with the edit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from fusiondesk.core.facts import AppFacts, Integration, Owner
from fusiondesk.core.reviews import due_date
from fusiondesk.db.models import App, ChangeLogEntry, Review
from fusiondesk.services import change_history
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.classification.governance import (
    change_policy,
    edited_policy,
    replace_policy,
    revert_policy,
)
from fusiondesk.services.classification.reclassify import policy_in_force
from fusiondesk.services.importing.importer import ImportCancelled, apply_import, plan_import

from tests.services.test_importer import apps_file

TODAY = date(2026, 11, 1)  # tests/conftest.py sets FUSIONDESK_TODAY
# Tier 2 (department scope), in production, reviewed last spring: its periodic review is
# next spring, and it needs nothing else until it connects to something.
APP = AppFacts(
    app_id="T-2", name="Leave Planner", platform="Power Apps", lifecycle="production",
    scope="department", users=40, data_sensitivity="public", data_categories=(), compliance=(),
    integrations=(), criticality="low", calc_complexity="simple", custom_code=False,
    support="team", dr_plan=True, doc_functional=True, doc_data_sources=True, doc_logic=True,
    last_review=date(2026, 4, 1),
    owners=(Owner("primary", email="ann@contoso.example"), Owner("co_owner", email="bo@contoso.example")),
)
READS_SAP = {"integrations": (Integration("SAP", "read"),)}  # an enterprise system, read only


@pytest.fixture
def portfolio(empty_portfolio):
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, APP, "tester")
    return empty_portfolio


def _reviews(portfolio, app_id=None) -> list[tuple]:
    """(app db id, type, requested, due, completed) of every review, oldest first."""
    with portfolio.reading() as session:
        return [tuple(row) for row in session.execute(
            select(Review.app_id, Review.type, Review.requested, Review.due, Review.completed)
            .order_by(Review.id))]


def _types(portfolio) -> list[str]:
    return [row[1] for row in _reviews(portfolio)]


def _edit(portfolio, changes, app_id="T-2"):
    with portfolio.reading() as session:
        version = app_edits.load_app(session, app_id).version
    with portfolio.transaction() as session:
        return app_edits.save_app(session, app_id, changes, version, "tester")


def _tier(portfolio, app_id="T-2") -> int:
    with portfolio.reading() as session:
        return _cached_tier(session, app_id)


def _cached_tier(session, app_id):
    return session.scalar(select(App.tier).where(App.app_id == app_id))


def test_a_new_app_gets_its_periodic_review_a_cadence_after_its_last(portfolio):
    assert _reviews(portfolio) == [(1, "periodic", TODAY, date(2027, 4, 1), None)]


def test_an_edit_that_adds_an_integration_requests_one_integration_review(portfolio):
    done = _edit(portfolio, READS_SAP)
    tier = _tier(portfolio)
    with portfolio.reading() as session:
        due = due_date(TODAY, tier, policy_in_force(session))
        log = session.execute(select(ChangeLogEntry.entity_key, ChangeLogEntry.field,
                                     ChangeLogEntry.source, ChangeLogEntry.source_detail)
                              .where(ChangeLogEntry.entity == "review",
                                     ChangeLogEntry.field == "(review)")
                              .order_by(ChangeLogEntry.id)).all()
    integration = [row for row in _reviews(portfolio) if row[1] == "integration"]
    assert integration == [(1, "integration", TODAY, due, None)]
    assert due is not None and due > TODAY
    key = f"T-2#{len(_reviews(portfolio))}"
    assert (key, "(review)", "rule", "required: enterprise system: SAP") in log
    assert key in done.keys("review")  # in the edit's own change set

    again = _edit(portfolio, {**READS_SAP, "notes": "still reads SAP"})
    assert again.keys("review") == []
    assert [row[1] for row in _reviews(portfolio)].count("integration") == 1


def test_undo_of_the_edit_removes_the_review_and_redo_brings_it_back(portfolio):
    done = _edit(portfolio, READS_SAP)
    with_review = _reviews(portfolio)
    with portfolio.transaction() as session:
        undone = app_edits.revert(session, done, "tester")
    assert _types(portfolio) == ["periodic"]
    with portfolio.transaction() as session:
        app_edits.revert(session, undone, "tester")  # redo
    assert _reviews(portfolio) == with_review


def test_an_edit_no_review_guards_requests_nothing(portfolio):
    done = _edit(portfolio, {"notes": "moved to the new site", "users": 45})
    assert done.keys("review") == []
    assert _types(portfolio) == ["periodic"]


def test_reaching_pilot_or_sensitive_data_requests_those_reviews(portfolio):
    _edit(portfolio, {"lifecycle": "pilot"})
    assert "production_readiness" in _types(portfolio)
    _edit(portfolio, {"data_sensitivity": "confidential"})
    assert _types(portfolio).count("security") == 1


def test_an_approved_milestone_review_still_covers_the_app(portfolio):
    from fusiondesk.services.reviews.actions import record_review

    with portfolio.transaction() as session:
        record_review(session, "T-2", "integration", "approved", "tester")
    count = len(_reviews(portfolio))
    _edit(portfolio, READS_SAP)
    assert _types(portfolio).count("integration") == 1
    assert len(_reviews(portfolio)) >= count


def test_a_bulk_edit_requests_once_per_app(portfolio):
    with portfolio.transaction() as session:
        app_edits.create_app(session, APP.with_changes(app_id="T-3", name="Rota"), "tester")
    with portfolio.transaction() as session:
        done = app_edits.bulk_edit(session, ["T-2", "T-3"], READS_SAP, "tester")
    integration = [row[0] for row in _reviews(portfolio) if row[1] == "integration"]
    assert sorted(integration) == [1, 2]
    with portfolio.transaction() as session:
        app_edits.revert(session, done, "tester")
    assert "integration" not in _types(portfolio)


def test_undo_of_a_new_app_removes_it_with_its_reviews_and_redo_restores_both(empty_portfolio):
    with empty_portfolio.transaction() as session:
        done = app_edits.create_app(session, APP, "tester")
    with empty_portfolio.transaction() as session:
        undone = app_edits.revert(session, done, "tester")
    assert _reviews(empty_portfolio) == []
    with empty_portfolio.transaction() as session:
        app_edits.revert(session, undone, "tester")
    assert _types(empty_portfolio) == ["periodic"]


# --- a policy change ------------------------------------------------------------------

def test_a_policy_change_that_raises_a_tier_requests_what_that_tier_needs(portfolio):
    assert _tier(portfolio) == 2
    with portfolio.transaction() as session:
        done = replace_policy(session, edited_policy(session, {"tier3.users": "30"}), "tester")
    assert _tier(portfolio) == 3
    assert _types(portfolio) == ["periodic", "architecture"]  # Tier 3: design reviewed
    with portfolio.reading() as session:
        due = due_date(TODAY, 3, policy_in_force(session))
    assert _reviews(portfolio)[1] == (1, "architecture", TODAY, due, None)
    with portfolio.transaction() as session:
        undone = revert_policy(session, done, "tester")
    assert (_tier(portfolio), _types(portfolio)) == (2, ["periodic"])
    with portfolio.transaction() as session:
        revert_policy(session, undone, "tester")  # redo
    assert (_tier(portfolio), _types(portfolio)) == (3, ["periodic", "architecture"])


def test_the_cli_policy_change_requests_them_too(portfolio):
    with portfolio.transaction() as session:
        change_policy(session, {"tier3.users": "30"}, "tester")
    assert _types(portfolio) == ["periodic", "architecture"]


# --- an import ------------------------------------------------------------------------

HEADERS = ["app_id", "name", "platform", "environment", "users", "lifecycle", "scope",
           "primary_owner", "co_owners", "integrations"]
PRODUCTION_TIER_2 = [[f"PA-{n}", f"Rota {n}", "Power Apps", "Prod", 20, "production",
                      "department", "ann@contoso.example", None, None] for n in (1, 2, 3)]


def _plan(portfolio, path):
    with portfolio.reading() as session:
        return plan_import(session, path)


def test_an_import_requests_the_reviews_of_its_new_apps_in_its_transaction(empty_portfolio,
                                                                         tmp_path):
    path = apps_file(tmp_path, PRODUCTION_TIER_2, headers=HEADERS)
    result = apply_import(empty_portfolio, _plan(empty_portfolio, path))
    with empty_portfolio.reading() as session:
        due = due_date(TODAY, 2, policy_in_force(session))
        tiers = {_cached_tier(session, f"PA-{n}") for n in (1, 2, 3)}
        logged = session.scalar(select(ChangeLogEntry.source_detail).where(
            ChangeLogEntry.entity == "review", ChangeLogEntry.field == "(review)"))
    assert tiers == {2}
    # never reviewed: the periodic review is due by the SLA, like any first review
    assert _reviews(empty_portfolio) == [(n, "periodic", TODAY, due, None) for n in (1, 2, 3)]
    assert logged.startswith("required: Tier 2 (production)")
    assert result.logged == 1 + 3 + 3  # the owner, the apps, one row per review (its values are its own)


def test_a_cancelled_import_requests_nothing(empty_portfolio, tmp_path):
    path = apps_file(tmp_path, PRODUCTION_TIER_2, headers=HEADERS)
    plan = _plan(empty_portfolio, path)

    def cancel(done, total):
        if done == total:  # the last step, after the reviews were requested
            raise ImportCancelled("stop")

    with pytest.raises(ImportCancelled):
        apply_import(empty_portfolio, plan, progress=cancel)
    assert _reviews(empty_portfolio) == []


def test_a_reimport_that_adds_an_integration_requests_its_review_once(portfolio, tmp_path):
    row = [["T-2", "Leave Planner", "Power Apps", "Prod", 40, "production", "department",
            "ann@contoso.example", "bo@contoso.example", "SAP:read"]]
    apply_import(portfolio, _plan(portfolio, apps_file(tmp_path, row, "a.xlsx", HEADERS)))
    apply_import(portfolio, _plan(portfolio, apps_file(tmp_path, row, "b.xlsx", HEADERS)))
    assert _types(portfolio).count("integration") == 1


def test_a_filled_sample_holds_its_review_history_with_the_overdue_flag(sample_portfolio):
    with sample_portfolio.reading() as session:
        rows = session.execute(select(Review.app_id, Review.due, Review.completed)).all()
        flagged = {app for app, flags in session.execute(select(App.id, App.flags))
                   if "review_overdue" in (flags or "")}
    overdue = {app for app, due, completed in rows if completed is None and due < TODAY}
    assert any(completed is not None for _, _, completed in rows)
    assert overdue and overdue <= flagged  # classified after the reviews went in


def test_an_imported_app_s_reviews_are_logged_in_one_row_naming_each_and_why(empty_portfolio,
                                                                            tmp_path):
    # enterprise scope, writes to SAP, in pilot: architecture, integration, readiness, periodic
    row = ["PB-1", "Payroll Sync", "Power Apps", "Prod", 20, "pilot", "enterprise",
           "ann@contoso.example", None, "SAP:write"]
    result = apply_import(empty_portfolio, _plan(empty_portfolio, apps_file(tmp_path, [row],
                                                                          headers=HEADERS)))
    with empty_portfolio.reading() as session:
        ids = session.scalars(select(Review.id).order_by(Review.id)).all()
        logged = session.execute(select(ChangeLogEntry.entity_key, ChangeLogEntry.new_value,
                                        ChangeLogEntry.source, ChangeLogEntry.source_detail)
                                 .where(ChangeLogEntry.entity == "review")).all()
        history = change_history.list_changes(session, change_history.ChangeFilter(app_id="PB-1"))
    assert _types(empty_portfolio) == ["architecture", "integration", "production_readiness",
                                       "periodic"]
    assert [tuple(r[:3]) for r in logged] == [
        (f"PB-1#{'+'.join(map(str, ids))}", "(created)", "rule")]
    why = logged[0][3]
    assert why.startswith("required: Architecture (Tier 4")
    assert "; Integration (writes to SAP" in why and "; Production readiness (Tier 4 app in pilot" in why
    assert "; Periodic (Tier 4 (pilot)" in why
    assert result.logged == 1 + 1 + 1  # the owner, the app, its reviews
    # in the app's history: the import, its row and its reviews' row
    assert [(change.rows, change.source) for change in history] == [(2, "import")]
