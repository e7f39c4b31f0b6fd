"""`fusiondesk copy`: a whole portfolio moves from a file to a server and back, verified."""

from __future__ import annotations

import json

import pytest

from fusiondesk.db.engine import open_portfolio
from fusiondesk.db.store.apps import load_facts
from fusiondesk.services.change_log import query_log


def _everything(location: str):
    portfolio = open_portfolio(location, create=False, daily_backup=False)
    try:
        with portfolio.reading() as session:
            facts = sorted(load_facts(session).values(), key=lambda f: f.app_id)
            log = [(c.id, c.at, c.entity, c.entity_key, c.field, c.old_value, c.new_value, c.who,
                    c.source, c.source_detail) for c in query_log(session)]
        return facts, log
    finally:
        portfolio.close()


@pytest.mark.sqlite_only  # the round trip goes through the server itself
def test_a_file_goes_to_a_server_and_back_with_every_row_and_the_log(run, sample_db, postgres_url, tmp_path):
    source = sample_db(40, 5)
    server = postgres_url()
    back = str(tmp_path / "back.fdesk")

    before = open(source, "rb").read()
    code, out, err = run("copy", source, server, "--json")
    assert code == 0, err
    assert open(source, "rb").read() == before  # a copy writes nothing of its source
    tables = json.loads(out)["tables"]
    assert tables["app"]["rows"] == 40 and tables["change_log"]["rows"] > 0 and tables["ownership"]["rows"] > 40
    assert run("copy", server, back)[0] == 0

    assert _everything(back) == _everything(source) == _everything(server)
    code, out, _err = run("--db", server, "info", "--json")
    assert json.loads(out)["counts"]["apps"] == 40
    # the server's ids go on after the copied ones: a new row does not collide
    from fusiondesk.core.facts import AppFacts
    from fusiondesk.services.apps.edits import create_app

    portfolio = open_portfolio(server, create=False, daily_backup=False)
    try:
        with portfolio.transaction() as session:
            create_app(session, AppFacts(app_id="NEW-1", name="After the copy"), "tester")
    finally:
        portfolio.close()


def test_copying_into_a_portfolio_that_has_rows_is_refused(run, sample_db, tmp_path):
    source = sample_db(10, 1)
    other = sample_db(5, 2)
    code, _out, err = run("copy", source, other)
    assert code == 2 and "already holds a portfolio" in err and err.count("\n") == 1
