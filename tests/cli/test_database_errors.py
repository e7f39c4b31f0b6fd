"""Errors from the database are words: one line, exit 2, and never the password."""

from __future__ import annotations

import pytest

from fusiondesk.core.errors import PortfolioError
from fusiondesk.db import engine

SECRET = "s3cret-Pa55"


@pytest.mark.parametrize("url, words", [
    (f"postgresql+psycopg://lead:{SECRET}@127.0.0.1:1/portfolio", "did not answer"),
    (f"postgresql+psycopg://lead:{SECRET}@no-such-host.invalid/portfolio", "name is unknown"),
])
def test_an_unreachable_server_is_one_line_without_the_password(run, url, words):
    pytest.importorskip("psycopg", reason="the PostgreSQL driver is an optional extra")
    code, out, err = run("--db", url, "info", "--json")
    assert code == 2 and out == ""
    assert words in err and err.count("\n") == 1
    assert SECRET not in err and "***" in err


@pytest.mark.parametrize("said, words", [
    ('FATAL:  password authentication failed for user "lead"', "user name or password"),
    ('FATAL:  database "portfolio" does not exist', "database does not exist"),
    ('FATAL:  role "lead" does not exist', "no such user"),
])
def test_what_a_server_says_is_translated(said, words):
    assert words in engine._connection_words("postgresql://lead:***@db/portfolio", said)


@pytest.mark.parametrize("condition, words", [
    # SQLite's own limits stand in for a full disk and a read-only share: same errors.
    ("PRAGMA max_page_count = {pages}", "disk holding the portfolio is full"),
    ("PRAGMA query_only = ON", "read-only"),
])
@pytest.mark.sqlite_only
def test_a_write_the_database_refuses_is_one_sentence_and_changes_nothing(empty_portfolio, condition, words):
    with empty_portfolio.reading() as session:
        before = session.connection().exec_driver_sql("SELECT count(*) FROM setting").scalar()
    with pytest.raises(PortfolioError) as caught:
        with empty_portfolio.transaction() as session:
            connection = session.connection()
            pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
            connection.exec_driver_sql(condition.format(pages=pages))
            connection.exec_driver_sql(
                "INSERT INTO setting (key, value) VALUES ('big', ?)", ("x" * 200_000,))
    assert words in str(caught.value) and "\n" not in str(caught.value)
    empty_portfolio.close()  # the pragma stays with the connection: start afresh
    with empty_portfolio.reading() as session:
        assert session.connection().exec_driver_sql("SELECT count(*) FROM setting").scalar() == before
