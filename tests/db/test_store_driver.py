"""Rows written many per statement are stored exactly as one by one, in order."""

import sqlite3

import pytest
from sqlalchemy import select

from fusiondesk.db.models import Team
from fusiondesk.db.store.driver import insert_tuples


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
