"""The value ledger's figures (core.value): formulas, which form of hours saved wins,
unknown inputs kept unknown and counted, and every figure explained."""

from __future__ import annotations

from dataclasses import replace

import pytest

from fusiondesk.core.policy import default_policy
from fusiondesk.core.value import Assumptions, Ledger, ValueBreakdown, ValueTotals, app_value
from fusiondesk.core.value_reasons import app_reasons, totals_reasons

POLICY = replace(default_policy(), hourly_rate=40, prodev_day_rate=600, prodev_day_hours=8,
                 licence_premium=20, licence_standard=0, currency=("EUR",))
ASSUME = Assumptions.from_policy(POLICY)


def test_an_automation_saves_runs_times_minutes_and_that_form_wins_over_a_monthly_guess():
    ledger = Ledger(hours_saved_per_month=99, minutes_saved_per_run=6, runs_per_month=200)
    value = app_value(ledger, ASSUME)
    assert value.hours_saved_per_year == 6 * 200 / 60 * 12 == 240
    assert value.saved_value == 240 * 40
    reason = app_reasons(ledger, value, ASSUME)["hours_saved_per_year"]
    assert "200 runs a month × 6 minutes" in reason and "99 hours a month" in reason


def test_without_runs_the_monthly_hours_count_and_half_a_run_form_is_not_enough():
    assert app_value(Ledger(hours_saved_per_month=10, minutes_saved_per_run=5), ASSUME) \
        .hours_saved_per_year == 120
    value = app_value(Ledger(minutes_saved_per_run=5), ASSUME)
    assert value.hours_saved_per_year is None and value.saved_value is None and value.unknown_hours
    assert "not runs a month" in app_reasons(Ledger(minutes_saved_per_run=5), value, ASSUME)[
        "hours_saved_per_year"]


def test_cost_avoided_prices_the_estimate_by_the_pro_dev_day():
    value = app_value(Ledger(prodev_estimate_hours=12), ASSUME)
    assert value.cost_avoided == 12 / 8 * 600 == 900
    assert "1.5 days × 600 EUR" in app_reasons(Ledger(prodev_estimate_hours=12), value, ASSUME)[
        "cost_avoided"]


def test_the_apps_own_licence_cost_wins_over_its_plans_price_and_an_unpriced_plan_is_unknown():
    assert app_value(Ledger(licence="Premium", licence_cost_per_month=7), ASSUME).licence_cost == 84
    assert app_value(Ledger(licence="premium"), ASSUME).licence_cost == 240  # plans match ignoring case
    assert app_value(Ledger(licence="Standard"), ASSUME).licence_cost == 0  # known to cost nothing
    for unpriced in (Ledger(licence="Pay-as-you-go"), Ledger()):
        value = app_value(unpriced, ASSUME)
        assert value.licence_cost is None and value.unknown_licence


def test_net_value_and_payback_of_a_complete_ledger():
    ledger = Ledger(hours_saved_per_month=5, prodev_estimate_hours=4, licence="Premium")
    value = app_value(ledger, ASSUME)
    # 60 h × 40 = 2,400 saved; 0.5 day × 600 = 300 avoided; 240 licence
    assert value.net_value == 2400 + 300 - 240
    assert value.payback_months == 0  # the cost avoided covers the licence
    dear = app_value(ledger._replace(licence_cost_per_month=100), ASSUME)
    assert dear.payback_months == pytest.approx((1200 - 300) / 200)
    idle = app_value(ledger._replace(hours_saved_per_month=0, licence_cost_per_month=100), ASSUME)
    assert idle.payback_months is None and idle.net_value == 300 - 1200
    assert app_reasons(ledger, idle, ASSUME)["payback_months"].startswith("Never")


def test_an_unknown_input_makes_net_value_unknown_never_zero():
    value = app_value(Ledger(hours_saved_per_month=5, licence="Premium"), ASSUME)
    assert value.net_value is None and value.payback_months is None
    assert value.unknown_inputs == 1
    assert "pro-dev estimate not known" in app_reasons(Ledger(), value, ASSUME)["net_value"]


def test_totals_add_the_known_figures_and_count_the_unknown_inputs():
    totals = ValueTotals()
    totals.add(app_value(Ledger(hours_saved_per_month=10, licence="Premium"), ASSUME), apps=3)
    totals.add(app_value(Ledger(prodev_estimate_hours=8), ASSUME), apps=2, backlog_items=1)
    assert totals.apps == 5 and totals.backlog_items == 1
    assert totals.hours_saved_per_year == 3 * 120
    assert totals.cost_avoided == 2 * 600
    assert totals.licence_cost == 3 * 240
    assert (totals.unknown_hours, totals.unknown_estimate, totals.unknown_licence) == (2, 3, 2)
    assert totals.unknown_inputs == 7
    assert totals.net_value == 3 * 120 * 40 + 1200 - 720
    reasons = totals_reasons(totals, ASSUME)
    assert "2 apps unknown" in reasons["hours_saved_per_year"]
    assert "never counted as zero" in reasons["licence_cost"]


def test_a_figure_no_app_knows_is_unknown_not_zero():
    totals = ValueTotals()
    totals.add(app_value(Ledger(licence="Premium"), ASSUME), apps=4)
    assert totals.hours_saved_per_year is None and totals.cost_avoided is None
    assert totals.net_value is None and totals.payback_months is None
    assert totals.licence_cost == 4 * 240
    assert ValueTotals().hours_saved_per_year == 0  # no apps at all: nothing saved, truly


def test_the_breakdown_counts_each_app_in_its_department_platform_and_quarter():
    breakdown = ValueBreakdown()
    value = app_value(Ledger(hours_saved_per_month=1), ASSUME)
    breakdown.add(value, "HR", "Power Apps", "2026-Q1", apps=2)
    breakdown.add(value, "HR", None, None)
    assert breakdown.total.apps == 3
    assert breakdown.by_department["HR"].apps == 3
    assert breakdown.by_platform["Power Apps"].apps == 2 and breakdown.by_platform[None].apps == 1
    assert breakdown.by_quarter["2026-Q1"].hours_saved_per_year == 24
