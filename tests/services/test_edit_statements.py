"""A one-field edit from the app editor costs a handful of statements, its undo as many."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from fusiondesk.core.facts import AppFacts, Integration, Owner
from fusiondesk.core.terms import Entity
from fusiondesk.db.models import App
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.classification.reclassify import reclassify
from fusiondesk.services.people import edits as people

# Read the app once with its version, update it under a version check, one log insert
# (and, when a classified field changed, the policy in force for reclassifying it).
ONE_FIELD_BOUND = 6

# Counted at SQLite's driver (its trace callback sees the fast paths that bypass SQLAlchemy's
# events); the statements are the store's own on every backend.
pytestmark = pytest.mark.sqlite_only


@contextmanager
def counted(portfolio, session):
    """Every statement the session runs: through SQLAlchemy, and straight through the driver."""
    through_engine: list[str] = []
    through_driver: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        through_engine.append(statement)

    def traced(statement):
        # a trigger's body is reported as a comment; the driver opens the transaction
        # itself before the first write (the caller's transaction, not the edit's cost)
        if not statement.startswith("--") and statement.strip() != "BEGIN":
            through_driver.append(statement)

    event.listen(portfolio.engine, "before_cursor_execute", seen)
    raw = session.connection().connection.dbapi_connection
    raw.set_trace_callback(traced)
    try:
        yield through_engine, through_driver
    finally:
        raw.set_trace_callback(None)
        event.remove(portfolio.engine, "before_cursor_execute", seen)


@pytest.fixture
def app(empty_portfolio):
    facts = AppFacts(app_id="PA-1", name="Expense Tracker", platform="Power Apps",
                     department="Finance", users=49, scope="team",
                     owners=(Owner("primary", email="ann@contoso.example"),
                             Owner("co_owner", email="bob@contoso.example")),
                     integrations=(Integration("SharePoint", "read"),))
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, facts, "tester")
    return empty_portfolio


def _edit_and_undo(portfolio, changes):
    with portfolio.reading() as session:
        version = app_edits.load_app(session, "PA-1").version
    with portfolio.transaction() as session:
        with counted(portfolio, session) as (engine, driver):
            done = app_edits.save_app(session, "PA-1", changes, version, "tester")
        edit = (list(engine), list(driver))
    with portfolio.transaction() as session:
        with counted(portfolio, session) as (engine, driver):
            app_edits.revert(session, done, "tester")
        undo = (list(engine), list(driver))
    return done, edit, undo


def test_a_one_field_edit_and_its_undo_each_cost_a_handful_of_statements(app):
    done, edit, undo = _edit_and_undo(app, {"notes": "moved to the new site"})
    for engine, driver in (edit, undo):
        assert len(driver) <= ONE_FIELD_BOUND, "\n".join(s.split("\n")[0][:80] for s in driver)
        assert len(engine) <= len(driver)
    assert done.keys(Entity.APP) == ["PA-1"]


def test_a_classified_field_edit_reclassifies_that_app_within_the_bound(app):
    # 49 → 30 users: classification reads it, but the app needs no review it did not need
    done, edit, undo = _edit_and_undo(app, {"users": 30})
    for engine, driver in (edit, undo):
        assert len(driver) <= ONE_FIELD_BOUND, "\n".join(s.split("\n")[0][:80] for s in driver)
    assert done.keys(Entity.APP) == ["PA-1"]
    assert done.keys(Entity.REVIEW) == []


def test_an_edit_that_reaches_a_milestone_adds_only_the_review_statements(app):
    # Mission-critical makes it Tier 4, which needs an architecture review: the edit
    # reads the app's reviews once, inserts the review and logs it (one executemany);
    # the undo removes it (read, delete, log) and the app is reclassified once.
    done, edit, undo = _edit_and_undo(app, {"criticality": "mission_critical"})
    assert [k.startswith("PA-1#") for k in done.keys(Entity.REVIEW)] == [True]
    for engine, driver in (edit, undo):
        # the log inserts left out: SQLite's trace reports each row of an executemany
        statements = [s for s in driver if not s.startswith("INSERT INTO change_log")]
        assert len(statements) <= ONE_FIELD_BOUND + 2, "\n".join(s[:80] for s in driver)


def test_the_classification_written_with_an_edit_is_what_reclassifying_stores(app):
    columns = (App.tier, App.possible_tier, App.flags, App.drift, App.policy_version)
    with app.reading() as session:
        version = app_edits.load_app(session, "PA-1").version
        before = session.execute(select(*columns)).one()
    with app.transaction() as session:
        app_edits.save_app(session, "PA-1", {"criticality": "mission_critical", "users": 400,
                                             "data_sensitivity": "regulated"}, version, "tester")
    with app.transaction() as session:
        written = session.execute(select(*columns)).one()
        reclassify(session)
        assert session.execute(select(*columns)).one() == written
    assert written != before


def test_a_one_field_person_edit_that_no_app_reads_costs_three_statements(app):
    with app.reading() as session:
        _, version = people.load_person(session, "ann@contoso.example")
    with app.transaction() as session:
        with counted(app, session) as (_engine, driver):
            done = people.save_person(session, "ann@contoso.example", {"department": "Finance"},
                                      version, "tester")
    assert len(driver) == 3, driver  # read the person, update under a version check, log
    assert done.keys(Entity.PERSON) == ["ann@contoso.example"]


def test_a_status_edit_still_reclassifies_the_apps_the_person_owns(app):
    with app.reading() as session:
        _, version = people.load_person(session, "ann@contoso.example")
        before = session.scalar(select(App.flags))
    with app.transaction() as session:
        people.save_person(session, "ann@contoso.example", {"status": "left"}, version, "tester")
    with app.reading() as session:
        after = session.scalar(select(App.flags))
    assert after != before
