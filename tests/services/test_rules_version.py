"""Stored tiers and signs follow this FusionDesk's rules: reclassified once when they change."""

from sqlalchemy import select

from fusiondesk.core.tiers import RULES_SETTING, RULES_VERSION
from fusiondesk.db.engine import open_portfolio
from fusiondesk.db.models import App, Setting
from fusiondesk.db.store.settings import read_setting, write_setting
from fusiondesk.services.classification.rules import keep_classifications_current


def _recorded(portfolio):
    with portfolio.reading() as session:
        return read_setting(session, RULES_SETTING)


def test_a_new_portfolio_follows_the_rules_from_the_start(empty_portfolio):
    assert _recorded(empty_portfolio) == str(RULES_VERSION)
    assert keep_classifications_current(empty_portfolio) == 0


def test_older_rules_are_replaced_once_on_open(sample_portfolio):
    with sample_portfolio.transaction() as session:
        # as a portfolio classified before the production gate existed would be
        for app in session.scalars(select(App)):
            app.flags = ";".join(f for f in (app.flags or "").split(";")
                                 if f not in ("outside_production", "no_readiness_review",
                                              "deployed_undocumented"))
        write_setting(session, RULES_SETTING, "1")
    with sample_portfolio.reading() as session:
        before = {a: f for a, f in session.execute(select(App.app_id, App.flags))}
    assert keep_classifications_current(sample_portfolio) == len(before)
    assert _recorded(sample_portfolio) == str(RULES_VERSION)
    with sample_portfolio.reading() as session:
        after = {a: f for a, f in session.execute(select(App.app_id, App.flags))}
    assert after != before and any("no_readiness_review" in (f or "") for f in after.values())
    assert keep_classifications_current(sample_portfolio) == 0  # once


def test_opening_for_work_brings_an_old_file_up_to_the_rules(tmp_path):
    from fusiondesk.services.opening import open_for_work
    from fusiondesk.services.portfolio import fill_with_sample

    path = tmp_path / "old.fdesk"
    portfolio = open_portfolio(path)
    with portfolio.transaction() as session:
        fill_with_sample(session, "tester", apps=30, seed=2)
        session.merge(Setting(key=RULES_SETTING, value="1"))
    portfolio.close()
    reopened = open_for_work(str(path))
    try:
        assert _recorded(reopened) == str(RULES_VERSION)
    finally:
        reopened.close()
