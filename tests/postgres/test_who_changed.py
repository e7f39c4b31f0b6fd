"""On a server the change log names the database account; the typed name is only a label."""

from __future__ import annotations

from fusiondesk.core.facts import AppFacts
from fusiondesk.db.engine import open_portfolio
from fusiondesk.services.apps.edits import create_app
from fusiondesk.services.change_log import query_log


def test_the_log_names_the_database_user_with_the_typed_name_as_a_label(postgres_url):
    portfolio = open_portfolio(postgres_url(), daily_backup=False)
    try:
        assert portfolio.database_user == "fusiondesk"
        portfolio.user = "Someone Else"  # what a lead types in Settings: it cannot pose as another account
        with portfolio.transaction() as session:
            create_app(session, AppFacts(app_id="W-1", name="Who"), portfolio.user)
        with portfolio.reading() as session:
            whos = {entry.who for entry in query_log(session, app_id="W-1")}
        assert whos == {"fusiondesk (Someone Else)"}
    finally:
        portfolio.close()


def test_a_file_keeps_the_typed_name(tmp_path):
    portfolio = open_portfolio(tmp_path / "p.fdesk", daily_backup=False)
    try:
        portfolio.user = "Ann Lead"
        assert portfolio.database_user is None and portfolio.user == "Ann Lead"
    finally:
        portfolio.close()
