"""Rows written many per statement are stored exactly as one by one, in order."""

import sqlite3
from datetime import date, datetime

import pytest
from sqlalchemy import select

from fusiondesk.core.terms import Entity, Source
from fusiondesk.db.models import App, ChangeLogEntry, IntegrationLink, Review, Team
from fusiondesk.db.store import driver
from fusiondesk.db.store.driver import (
    KEY_CONFLICTS,
    _SharedValues,
    insert_rows,
    insert_tuples,
    raw_rows,
)
from fusiondesk.db.store.import_log import insert_log, log_stamp
from fusiondesk.db.store.reviews import insert_review_rows


def test_many_rows_per_statement_keep_every_row_and_its_order(empty_portfolio):
    rows = [(f"team {n}", None if n % 3 else f"dept {n}") for n in range(1, 1300)]
    with empty_portfolio.transaction() as session:
        insert_tuples(session, Team.__table__, ("name", "department"), rows)
    with empty_portfolio.reading() as session:
        stored = session.execute(select(Team.name, Team.department).order_by(Team.id)).all()
    assert [tuple(row) for row in stored] == rows


@pytest.mark.sqlite_only  # the SQLite fast path; elsewhere Core binds by name
def test_a_row_of_the_wrong_length_is_refused_and_nothing_is_written(empty_portfolio):
    with pytest.raises(sqlite3.ProgrammingError):
        with empty_portfolio.transaction() as session:
            insert_tuples(session, Team.__table__, ("name", "department"),
                          [("one", None), ("two",), ("three", None, "extra")])
    with empty_portfolio.reading() as session:
        assert session.scalars(select(Team.name)).all() == []


@pytest.fixture
def copy_always(monkeypatch):
    """PostgreSQL's COPY path for a few rows too (it starts at COPY_FROM rows)."""
    monkeypatch.setattr(driver, "COPY_FROM", 1)


def test_a_key_taken_is_a_key_conflict_and_nothing_is_written(empty_portfolio, copy_always):
    # PostgreSQL's rows go by COPY: its refusal still reads as SQLAlchemy's, as use cases expect
    with empty_portfolio.transaction() as session:
        insert_tuples(session, Team.__table__, ("name",), [("Finance",)])
    with pytest.raises(KEY_CONFLICTS):
        with empty_portfolio.transaction() as session:
            insert_tuples(session, Team.__table__, ("name",), [("Sales",), ("Finance",)])
    with empty_portfolio.reading() as session:
        assert session.scalars(select(Team.name)).all() == ["Finance"]


def test_dates_times_blanks_and_vocabulary_values_are_stored_as_given(empty_portfolio,
                                                                     copy_always):
    at = datetime(2026, 11, 1, 9, 30, 5)
    columns = ("at", "who", "entity", "entity_key", "field", "old_value", "new_value",
               "source", "source_detail")
    rows = [(at, "ann", Entity.APP, "PA-1", "notes", None, "tab\there; new\nline \\ done",
             Source.IMPORT, "june.xlsx")]
    with empty_portfolio.transaction() as session:
        insert_log(session, [(log_stamp(session, at), *row[1:]) for row in rows])
        app = session.execute(App.__table__.insert().values(app_id="PA-1", name="One",
                                                              version=1)).inserted_primary_key[0]
        insert_review_rows(session, [(app, "security", date(2026, 11, 1), None)])
    with empty_portfolio.reading() as session:
        logged = session.execute(select(*(getattr(ChangeLogEntry, c) for c in columns))).all()
        review = session.execute(select(Review.type, Review.requested, Review.due)).one()
    assert [tuple(row) for row in logged] == rows
    assert tuple(review) == ("security", date(2026, 11, 1), None)


def test_shared_values_read_as_the_rows_and_repeats_are_one_object(empty_portfolio, monkeypatch):
    monkeypatch.setattr(_SharedValues, "BLOCK", 7)  # several blocks
    monkeypatch.setattr(_SharedValues, "MOST", 5)  # and a column that stops being shared
    rows = [(f"team {n}", f"dept {n % 3}") for n in range(40)]
    with empty_portfolio.transaction() as session:
        insert_tuples(session, Team.__table__, ("name", "department"), rows)
    query = select(Team.name, Team.department).order_by(Team.id)
    with empty_portfolio.reading() as session:
        shared, plain = raw_rows(session, query, shared=True), raw_rows(session, query)
    assert shared == plain == rows
    departments = {id(row[1]) for row in shared}
    assert len(departments) == 3  # one object per department, across blocks
    assert len({id(row[1]) for row in plain}) > 3


def test_rows_as_dicts_get_the_defaults_core_would_give_them(empty_portfolio, copy_always):
    with empty_portfolio.transaction() as session:
        app = session.execute(App.__table__.insert().values(app_id="PA-1", name="One",
                                                              version=1)).inserted_primary_key[0]
        insert_rows(session, IntegrationLink.__table__,
                    [{"app_id": app, "system": "SAP", "direction": "read"},
                     {"app_id": app, "system": "Workday", "direction": "write"}])
    with empty_portfolio.reading() as session:
        stored = session.execute(select(IntegrationLink.system, IntegrationLink.position,
                                        IntegrationLink.asynchronous)
                                 .order_by(IntegrationLink.id)).all()
    assert [tuple(row) for row in stored] == [("SAP", 0, False), ("Workday", 0, False)]
