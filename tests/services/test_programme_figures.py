"""The programme's figures (services.programme) on both databases: the grouped SQL path
counts what a plain walk over every app's facts counts, a quarter narrows to its
deliveries, and every ledger edit is in the change log."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from fusiondesk.core.delivery import median, parse_quarter, quarter_of
from fusiondesk.core.value import Assumptions, Ledger, ValueTotals, app_value
from fusiondesk.db.models import App
from fusiondesk.db.store.apps import load_facts
from fusiondesk.services.apps.edits import load_app, save_app
from fusiondesk.services.change_log import query_log
from fusiondesk.services.classification.reclassify import policy_in_force
from fusiondesk.services.programme import programme_figures, programme_json

SERVING = ("pilot", "production")


def _expected(facts, assumptions, first=None, last=None):
    """The figures from a walk over every app, with none of the store's grouping."""
    totals, delivered, lead = ValueTotals(), 0, {}
    for app in facts:
        deployed = app.deployed_on
        if first and not (deployed and first <= deployed <= last):
            continue
        if app.lifecycle in SERVING or (app.lifecycle is None and deployed):
            totals.add(app_value(Ledger(app.hours_saved_per_month, app.minutes_saved_per_run,
                                        app.runs_per_month, app.prodev_estimate_hours,
                                        app.licence, app.licence_cost_per_month), assumptions),
                       backlog_items=int(bool(app.it_backlog_item)))
        if deployed:
            delivered += 1
            if app.requested_on and deployed >= app.requested_on:
                lead.setdefault(app.tier, Counter())[(deployed - app.requested_on).days] += 1
    return totals, delivered, {tier: median(days) for tier, days in lead.items()}


def _facts_with_tiers(session):
    facts = load_facts(session)
    # the cached tier, as the store groups by it
    tiers = dict(session.execute(select(App.id, App.tier)).all())
    return [_Tiered(f, tiers[db_id]) for db_id, f in facts.items()]


class _Tiered:
    def __init__(self, facts, tier):
        self._facts, self.tier = facts, tier

    def __getattr__(self, name):
        return getattr(self._facts, name)


@pytest.mark.parametrize("quarter", [None, "2025-Q4"])
def test_the_figures_are_what_every_apps_ledger_adds_up_to(sample_portfolio, backend, quarter):
    with sample_portfolio.reading() as session:
        policy = policy_in_force(session)
        found = programme_figures(session, policy, quarter)
        apps = _facts_with_tiers(session)
    first, last = parse_quarter(quarter) if quarter else (None, None)
    totals, delivered, lead = _expected(apps, Assumptions.from_policy(policy), first, last)
    assert found.value.total.apps == totals.apps > 0
    assert found.value.total.unknown_inputs == totals.unknown_inputs
    assert quarter or totals.unknown_inputs > 0  # the sample has unknowns
    for figure in ("hours_saved_per_year", "cost_avoided", "licence_cost", "net_value"):
        assert getattr(found.value.total, figure) == pytest.approx(getattr(totals, figure))
    assert found.delivery.solutions_delivered == delivered > 0
    assert found.delivery.median_lead_days() == lead
    assert found.value.total.backlog_items == totals.backlog_items
    if quarter:
        assert set(found.delivery.delivered_by_quarter) == {quarter}
        assert all(q == quarter for q in found.value.by_quarter)


def test_the_json_keeps_the_contract(sample_portfolio, backend):
    with sample_portfolio.reading() as session:
        found = programme_json(programme_figures(session, policy_in_force(session)))
    contract = {"solutions_delivered", "lead_time_days", "hours_saved_per_year", "cost_avoided",
                "licence_cost", "net_value", "unknown_inputs"}
    assert contract <= found.keys()
    assert all(isinstance(days, float) for days in found["lead_time_days"].values())
    assert set(found["lead_time_days"]) <= {"1", "2", "3", "4", "unclassified"}
    assert sum(group["apps"] for group in found["by_department"].values()) \
        == found["apps_in_service"]


def test_a_ledger_edit_changes_the_figures_and_is_in_the_change_log(empty_portfolio, backend):
    from fusiondesk.core.facts import AppFacts
    from fusiondesk.services.apps.edits import create_app

    with empty_portfolio.transaction() as session:
        create_app(session, AppFacts(app_id="V-1", name="Invoice flow", lifecycle="production",
                                     licence="Premium"), "tester")
    with empty_portfolio.reading() as session:
        before = programme_figures(session, policy_in_force(session)).value.total
    assert before.hours_saved_per_year is None and before.unknown_inputs == 2
    with empty_portfolio.transaction() as session:
        stored = load_app(session, "V-1")
        save_app(session, "V-1", {"minutes_saved_per_run": 6, "runs_per_month": 100,
                                  "prodev_estimate_hours": 16, "it_backlog_item": "DMND0042"},
                 stored.version, "tester")
    with empty_portfolio.reading() as session:
        policy = policy_in_force(session)
        after = programme_figures(session, policy).value.total
        logged = {e.field: e.new_value for e in query_log(session, app_id="V-1")}
    assert after.hours_saved_per_year == 120 and after.unknown_inputs == 0
    assert after.cost_avoided == 2 * policy.prodev_day_rate
    assert after.backlog_items == 1
    assert logged["minutes_saved_per_run"] == "6" and logged["it_backlog_item"] == "DMND0042"
    assert quarter_of(None) is None
