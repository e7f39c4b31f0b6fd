"""The change log: every kind of change writes its rows in the same transaction, the log is
append-only, queries and histories read it newest first; the portfolio audit built on it."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from fusiondesk.core.errors import NotAllowed, StaleEdit
from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.db import migrate
from fusiondesk.db.models import ChangeLogEntry, Setting
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.audit import quarterly as audit
from fusiondesk.services.change_log import filter_choices, history, log_json, query_log
from fusiondesk.services.classification.governance import change_policy
from fusiondesk.services.people import edits as people
from fusiondesk.services.reviews import actions as reviews

APP = AppFacts(app_id="PA-1", name="Expense Tracker", platform="Power Apps", users=12,
               scope="team", lifecycle="production",
               owners=(Owner("primary", email="ann@contoso.example"),))


@pytest.fixture
def portfolio(empty_portfolio):
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, APP, "alice")
        app_edits.create_app(session, AppFacts(app_id="PA-2", name="Visitor Log"), "alice")
    return empty_portfolio


def _refusal(portfolio):
    """What the database says to the application's own UPDATE or DELETE of the log.

    SQLite's triggers refuse it; on PostgreSQL the role holds no such right (0008), which
    is checked before its trigger (the wall for anyone granted the right) is reached, and
    the refusal reaches the user in words.
    """
    if portfolio.is_sqlite:
        return IntegrityError, "append-only"
    return NotAllowed, "refused this change"


def _rows(portfolio, **filters):
    with portfolio.reading() as session:
        return query_log(session, **filters)


def _count(portfolio) -> int:
    with portfolio.reading() as session:
        return session.scalar(select(func.count(ChangeLogEntry.id)))


def _edit(session, app_id, changes, who="bob", source="edit"):
    stored = app_edits.load_app(session, app_id)
    return app_edits.save_app(session, app_id, changes, stored.version, who, source)


def _shape(entries):
    return [(e.entity, e.entity_key, e.field, e.old_value, e.new_value, e.source)
            for e in entries]


# --- every kind of change -----------------------------------------------------------

def test_every_kind_of_change_writes_exactly_its_rows_with_its_source(portfolio):
    start = _count(portfolio)
    with portfolio.transaction() as session:
        done = _edit(session, "PA-1", {"users": 40})
        app_edits.revert(session, done, "bob")
        app_edits.bulk_edit(session, ["PA-1", "PA-2"], {"department": "Finance"}, "bob")
        _, version = people.load_person(session, "ann@contoso.example")
        people.save_person(session, "ann@contoso.example", {"status": "leaving",
                           "leave_date": date(2026, 12, 1)}, version, "bob")
        change_policy(session, {"tier3.users": "60"}, "bob")
        reviews.request_review(session, "PA-1", "security", "bob")
    rows = _shape(reversed(_rows(portfolio)))[start:]
    assert rows[:7] == [
        ("app", "PA-1", "users", "12", "40", "edit"),
        ("app", "PA-1", "users", "40", "12", "undo"),
        ("app", "PA-1", "department", None, "Finance", "bulk_edit"),
        ("app", "PA-2", "department", None, "Finance", "bulk_edit"),
        ("person", "ann@contoso.example", "status", "active", "leaving", "edit"),
        ("person", "ann@contoso.example", "leave_date", None, "2026-12-01", "edit"),
        ("policy", "policy", "tier3.users", "50", "60", "policy"),
    ]
    assert [r[2] for r in rows[7:]] == ["(review)", "type", "requested"]  # Tier 1: no SLA
    assert {r[5] for r in rows[7:]} == {"review"}


def test_undo_is_its_own_change_and_erases_nothing(portfolio):
    with portfolio.transaction() as session:
        done = _edit(session, "PA-1", {"notes": "typo"})
    edit_rows = _shape(_rows(portfolio, app_id="PA-1"))
    with portfolio.transaction() as session:
        app_edits.revert(session, done, "bob")
    after = _shape(_rows(portfolio, app_id="PA-1"))
    assert after[0] == ("app", "PA-1", "notes", "typo", None, "undo")
    assert after[1:] == edit_rows


@pytest.mark.parametrize("failure", ["stale", "after_logging"])
def test_a_failed_change_leaves_no_log_row(portfolio, failure):
    before = _count(portfolio)
    with pytest.raises((StaleEdit, RuntimeError)):
        with portfolio.transaction() as session:
            if failure == "stale":
                app_edits.save_app(session, "PA-1", {"users": 99}, 0, "bob")
            else:
                _edit(session, "PA-1", {"users": 99})
                raise RuntimeError("power cut")
    assert _count(portfolio) == before


# --- append-only --------------------------------------------------------------------

@pytest.mark.parametrize("statement", [
    "UPDATE change_log SET new_value = 'forged'",
    "DELETE FROM change_log",
    "DELETE FROM change_log WHERE id = 1",
])
def test_the_database_refuses_to_change_or_delete_log_rows(portfolio, statement):
    before = _shape(_rows(portfolio))
    refused, words = _refusal(portfolio)
    with pytest.raises(refused, match=words):
        with portfolio.transaction() as session:
            session.execute(text(statement))
    assert _shape(_rows(portfolio)) == before


@pytest.mark.sqlite_only  # on PostgreSQL: tests/postgres/test_append_only_log.py
def test_another_program_cannot_rewrite_the_log_either(portfolio):
    connection = sqlite3.connect(portfolio.location.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            connection.execute("UPDATE change_log SET who = 'nobody'")
        connection.execute(  # appending is what the log is for
            "INSERT INTO change_log (at, who, entity, entity_key, field, source) "
            "VALUES ('2026-11-01 10:00:00', 'script', 'app', 'PA-1', 'notes', 'import')")
        connection.commit()
    finally:
        connection.close()
    assert _rows(portfolio, who="script")[0].source == "import"


def test_downgrading_below_0004_removes_the_guard(portfolio):
    from alembic import command

    config = migrate._config()
    with portfolio.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    with portfolio.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM change_log WHERE entity_key = 'PA-2'")
    assert {e.entity_key for e in _rows(portfolio)} == {"PA-1"}
    migrate.upgrade(portfolio.engine)
    with pytest.raises(DBAPIError):  # straight through the engine: the database's own refusal
        with portfolio.engine.begin() as connection:
            connection.exec_driver_sql("DELETE FROM change_log")


# --- reading --------------------------------------------------------------------------

def test_query_filters_combine_and_come_newest_first(portfolio):
    with portfolio.transaction() as session:
        _edit(session, "PA-1", {"users": 30}, who="bob")
        _edit(session, "PA-2", {"users": 5, "notes": "Quarter-end rush"}, who="carol")
        reviews.request_review(session, "PA-1", "security", "carol")
    ids = [e.id for e in _rows(portfolio)]
    assert ids == sorted(ids, reverse=True)
    assert {e.entity_key for e in _rows(portfolio, who="carol", entity="app")} == {"PA-2"}
    assert [e.field for e in _rows(portfolio, app_id="PA-2", source="edit")] == [
        "notes", "users", "(app)"]
    assert [e.new_value for e in _rows(portfolio, text="QUARTER")] == ["Quarter-end rush"]
    assert len(_rows(portfolio, limit=2)) == 2
    assert _rows(portfolio, since=date.today() + timedelta(days=1)) == []
    assert len(_rows(portfolio, since=datetime.now() - timedelta(hours=1))) == _count(portfolio)


def test_an_app_history_includes_its_reviews_but_not_look_alike_ids(portfolio):
    with portfolio.transaction() as session:
        app_edits.create_app(session, AppFacts(app_id="PA-10", name="Lookalike"), "alice")
        reviews.request_review(session, "PA-10", "security", "bob")
        reviews.request_review(session, "PA-1", "architecture", "bob")
    with portfolio.reading() as session:
        found = history(session, "app", "PA-1")
    assert {e.entity_key.split("#")[0] for e in found} == {"PA-1"}
    assert {e.entity for e in found} == {"app", "review"}
    assert found[-1].field == "(app)"  # the creation comes last: newest first


def test_a_person_history_and_the_filter_choices(portfolio):
    with portfolio.transaction() as session:
        _, version = people.load_person(session, "ann@contoso.example")
        people.save_person(session, "ann@contoso.example", {"name": "Ann"}, version, "bob")
    with portfolio.reading() as session:
        found = history(session, "person", "ann@contoso.example")
        choices = filter_choices(session)
    assert _shape(found) == [("person", "ann@contoso.example", "name", None, "Ann", "edit")]
    assert choices == {"entity": ["app", "person"], "source": ["edit"], "who": ["alice", "bob"]}
    assert log_json(found[0])["new"] == "Ann"


# --- the portfolio audit --------------------------------------------------------------

def test_first_audit_counts_everything_as_new_and_marking_it_is_logged(portfolio):
    with portfolio.reading() as session:
        report = audit.audit_since_last(session)
    assert report.first_audit
    assert [i.app_id for i in report.new_apps] == ["PA-1", "PA-2"]
    with portfolio.transaction() as session:
        audit.mark_audit_done(session, "lead")
    entry = _rows(portfolio)[0]
    assert (entry.entity, entry.field, entry.new_value, entry.source) == (
        "audit", "last_audit", "2026-11-01", "audit")
    with portfolio.reading() as session:
        assert [h["who"] for h in audit.audit_history(session)] == ["lead"]
        report = audit.audit_since_last(session)
    assert not report.first_audit
    assert (report.new_apps, report.tier_changes, report.new_flags, report.drift,
            report.changes_by_source) == ([], [], [], [], {})


def test_audit_reports_what_changed_since_the_last_one(portfolio):
    with portfolio.transaction() as session:
        _edit(session, "PA-1", {"approved_tier": 1, "criticality": "high", "support": "none"})
        audit.mark_audit_done(session, "lead")
    with portfolio.transaction() as session:
        _edit(session, "PA-1", {"users": 600})  # Tier 4 now: beyond approved Tier 1
        app_edits.create_app(session, AppFacts(app_id="PA-3", name="Kiosk"), "alice")
        _edit(session, "PA-2", {"approved_tier": 2})
        _, version = people.load_person(session, "ann@contoso.example")
        people.save_person(session, "ann@contoso.example", {"status": "left"}, version, "bob")
    with portfolio.reading() as session:
        report = audit.audit_since_last(session)
    assert [i.app_id for i in report.new_apps] == ["PA-3"]
    assert [(i.app_id, i.detail) for i in report.tier_changes] == [("PA-1", "Tier 3 → Tier 4")]
    assert [i.app_id for i in report.approvals] == ["PA-2"]
    assert [i.app_id for i in report.drift] == []  # PA-1 already drifted at the last audit
    assert "User growth" in dict((i.app_id, i.detail) for i in report.new_flags)["PA-1"]
    assert [(p.email, p.apps) for p in report.owners_left] == [("ann@contoso.example", ("PA-1",))]
    assert [i.app_id for i in report.grew_beyond_tier] == ["PA-1"]
    assert [i.app_id for i in report.critical_unsupported] == ["PA-1"]
    assert report.changes_by_source == {"edit": 4}  # 3 edits and a new app; the audit apart
    assert audit.audit_json(report)["owners_left"][0]["apps"] == ["PA-1"]


def test_marking_an_audit_done_can_be_undone(portfolio):
    with portfolio.transaction() as session:
        done = audit.mark_audit_done(session, "lead")
    with portfolio.transaction() as session:
        undone = audit.revert_audit(session, done, "lead")
    with portfolio.reading() as session:
        assert audit.audit_history(session) == []
        assert audit.audit_since_last(session).first_audit
        assert session.scalar(select(Setting.value).where(Setting.key == audit.BASELINE_KEY)) is None
    assert (_rows(portfolio)[0].source, _rows(portfolio)[0].new_value) == ("undo", None)
    with portfolio.transaction() as session:
        audit.revert_audit(session, undone, "lead")  # redo
        assert json.loads(session.scalar(select(Setting.value).where(
            Setting.key == audit.HISTORY_KEY)))[0]["who"] == "lead"


def test_an_import_logs_its_times_as_an_edit_does_and_a_since_filter_finds_them(empty_portfolio):
    from tests.services.test_importer import SAMPLE, imported

    imported(empty_portfolio, SAMPLE)  # people, apps and requested reviews, in bulk
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, AppFacts(app_id="PA-9", name="Edited after"), "alice")
    with empty_portfolio.reading() as session:
        kept = session.execute(text("SELECT DISTINCT length(CAST(at AS TEXT)) FROM change_log"))
        assert len(kept.all()) == 1  # one shape of stored time, whichever path wrote the row
        first = session.scalar(select(func.min(ChangeLogEntry.at)))
        every = session.scalar(select(func.count(ChangeLogEntry.id)))
        since = session.scalar(select(func.count(ChangeLogEntry.id))
                               .where(ChangeLogEntry.at >= first))
    assert since == every  # "since" the first row's very second finds that row too
