"""Editing apps: what reaches the database, the log, undo, and stale edits refused."""

import pytest
from sqlalchemy import select

from fusiondesk.core.errors import StaleEdit
from fusiondesk.core.facts import AppFacts, Integration, Owner
from fusiondesk.core.validation import InvalidValues
from fusiondesk.db.models import App, ChangeLogEntry
from fusiondesk.services.apps import edits as app_edits


@pytest.fixture
def app(empty_portfolio):
    facts = AppFacts(app_id="PA-1", name="Expense Tracker", platform="Power Apps",
                     department="Finance", users=49, scope="team",
                     owners=(Owner("primary", email="ann@contoso.example"),),
                     integrations=(Integration("SharePoint", "read"),))
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, facts, "tester")
    return empty_portfolio


def _load(portfolio, app_id="PA-1"):
    with portfolio.reading() as session:
        return app_edits.load_app(session, app_id)


def _log(portfolio, entity="app"):
    """The log rows about apps (the reviews the rules request are logged apart)."""
    with portfolio.reading() as session:
        return session.execute(select(ChangeLogEntry.field, ChangeLogEntry.old_value,
                                      ChangeLogEntry.new_value, ChangeLogEntry.source)
                               .where(ChangeLogEntry.entity == entity)
                               .order_by(ChangeLogEntry.id)).all()


def test_created_app_has_owner_integration_tier_and_a_log_row(app):
    stored = _load(app)
    assert stored.facts.owners[0].email == "ann@contoso.example"
    assert stored.facts.owners[0].status == "active"  # the unknown owner was added as a person
    assert stored.facts.integrations == (Integration("SharePoint", "read"),)
    with app.reading() as session:
        assert session.scalar(select(App.tier).where(App.app_id == "PA-1")) is not None
    assert _log(app) == [("(app)", None, "(created)", "edit")]
    # Tier 2 (it reads SharePoint) and in use: its periodic review was requested with it
    assert _log(app, "review")[0] == ("(review)", None, "(created)", "rule")


def test_edit_reaches_database_logs_each_field_and_bumps_version(app):
    stored = _load(app)
    with app.transaction() as session:
        done = app_edits.save_app(session, "PA-1", {"users": 50, "notes": "grew"}, stored.version, "tester")
    after = _load(app)
    assert (after.facts.users, after.facts.notes, after.version) == (50, "grew", stored.version + 1)
    assert {(c.field, c.old, c.new) for c in done.changes if c.entity == "app"} == {
        ("users", 49, 50), ("notes", None, "grew")}
    assert _log(app)[1:] == [("users", "49", "50", "edit"), ("notes", None, "grew", "edit")]


def test_undo_reverts_and_is_logged_as_its_own_change(app):
    stored = _load(app)
    with app.transaction() as session:
        done = app_edits.save_app(session, "PA-1", {"users": 50}, stored.version, "tester")
    with app.transaction() as session:
        undone = app_edits.revert(session, done, "tester")
    assert _load(app).facts.users == 49
    with app.transaction() as session:
        app_edits.revert(session, undone, "tester")  # redo
    assert _load(app).facts.users == 50
    assert [row[3] for row in _log(app)] == ["edit", "edit", "undo", "undo"]


def test_stale_edit_is_refused_showing_both_values(app):
    stale = _load(app)
    with app.transaction() as session:
        app_edits.save_app(session, "PA-1", {"department": "HR"}, stale.version, "other")
    with pytest.raises(StaleEdit) as caught:
        with app.transaction() as session:
            app_edits.save_app(session, "PA-1", {"department": "Legal"}, stale.version, "tester")
    assert "now 'HR', yours 'Legal'" in str(caught.value)
    assert _load(app).facts.department == "HR"


def test_failed_edit_leaves_no_change_and_no_log_row(app):
    before = _load(app)
    with pytest.raises(InvalidValues, match="Lifecycle"):
        with app.transaction() as session:
            app_edits.save_app(session, "PA-1", {"lifecycle": "launched"}, before.version, "tester")
    assert _load(app) == before
    assert len(_log(app)) == 1


def test_owner_change_replaces_owners_and_summary(app):
    stored = _load(app)
    with app.transaction() as session:
        app_edits.save_app(session, "PA-1", {"primary_owner": ("bob@contoso.example",),
                                             "owner_team": ("Finance Automation",)},
                           stored.version, "tester")
    owners = _load(app).facts.owners
    assert {(o.role, o.email, o.team) for o in owners} == {
        ("primary", "bob@contoso.example", None), ("co_owner", None, "Finance Automation")}
    with app.reading() as session:
        summary = session.scalar(select(App.owner_summary))
    assert summary == "bob@contoso.example; Finance Automation"


def test_bulk_edit_is_one_change_set_and_undoes_together(sample_portfolio):
    with sample_portfolio.reading() as session:
        ids = list(session.scalars(select(App.app_id).order_by(App.id).limit(5)))
        before = {i: app_edits.load_app(session, i).facts.department for i in ids}
    with sample_portfolio.transaction() as session:
        done = app_edits.bulk_edit(session, ids, {"department": "Shared Services"}, "tester")
    with sample_portfolio.reading() as session:
        assert {app_edits.load_app(session, i).facts.department for i in ids} == {"Shared Services"}
    with sample_portfolio.transaction() as session:
        app_edits.revert(session, done, "tester")
    with sample_portfolio.reading() as session:
        assert {i: app_edits.load_app(session, i).facts.department for i in ids} == before


def test_delete_and_undo_brings_back_owners_and_integrations(app):
    before = _load(app).facts
    with app.transaction() as session:
        done = app_edits.delete_apps(session, ["PA-1"], "tester")
    with app.reading() as session:
        assert session.scalar(select(App.id)) is None
    with app.transaction() as session:
        app_edits.revert(session, done, "tester")
    assert _load(app).facts == before
