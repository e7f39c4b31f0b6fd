"""The audit workbook's Programme sheet states what `programme --json` counts, and the
Apps sheet carries the value ledger out and back in unchanged."""

from __future__ import annotations

from datetime import datetime

import openpyxl

from fusiondesk.core.facts import AppFacts
from fusiondesk.db.store.apps import load_facts
from fusiondesk.services.apps.edits import create_app
from fusiondesk.services.audit.workbook import SHEETS, export_audit
from fusiondesk.services.classification.reclassify import policy_in_force
from fusiondesk.services.importing.importer import apply_import, plan_import
from fusiondesk.services.programme import programme_figures, programme_json

STAMP = datetime(2026, 11, 1, 9, 30)
LEDGER = ("hours_saved_per_month", "minutes_saved_per_run", "runs_per_month",
          "prodev_estimate_hours", "licence", "licence_cost_per_month", "it_backlog_item")


def _export(portfolio, tmp_path):
    with portfolio.reading() as session:
        return export_audit(session, tmp_path / "audit.xlsx", STAMP, "auditor", "sample").path


def _figures(sheet) -> dict:
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}


def test_the_programme_sheet_is_second_and_states_the_cli_figures(sample_portfolio, tmp_path):
    path = _export(sample_portfolio, tmp_path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[1] == "Programme" == SHEETS[1]
    with sample_portfolio.reading() as session:
        found = programme_json(programme_figures(session, policy_in_force(session)))
    shown = _figures(book["Programme"])
    currency = found["currency"]
    assert shown[f"Net value (first year, {currency})"] == found["net_value"]
    assert shown[f"Pro-dev cost avoided ({currency})"] == found["cost_avoided"]
    assert shown[f"Licence cost a year ({currency})"] == found["licence_cost"]
    assert shown["Hours saved a year"] == found["hours_saved_per_year"]
    assert shown["Unknown inputs (never counted as zero)"] == found["unknown_inputs"] > 0
    assert shown["Solutions delivered"] == found["solutions_delivered"]
    assert shown["A saved hour"] == found["assumptions"]["hourly_rate"]
    for tier, days in found["lead_time_days"].items():
        assert shown[f"Tier {tier}" if tier != "unclassified" else "Unclassified"] == days


def test_a_figure_no_app_records_reads_unknown_not_zero(empty_portfolio, tmp_path):
    with empty_portfolio.transaction() as session:
        create_app(session, AppFacts(app_id="U-1", name="Unrecorded", lifecycle="production"),
                   "tester")
    shown = _figures(openpyxl.load_workbook(_export(empty_portfolio, tmp_path))["Programme"])
    assert shown["Hours saved a year"] == "unknown"
    assert shown["Net value (first year, USD)"] == "unknown"
    assert shown["Unknown inputs (never counted as zero)"] == 3


def test_the_apps_sheet_carries_the_value_ledger_out_and_back(sample_portfolio, empty_portfolio,
                                                             tmp_path):
    path = _export(sample_portfolio, tmp_path)
    with empty_portfolio.reading() as session:
        plan = plan_import(session, path)
    assert not plan.errors
    apply_import(empty_portfolio, plan)

    def ledgers(portfolio):
        with portfolio.reading() as session:
            return {f.app_id: tuple(getattr(f, name) for name in LEDGER)
                    for f in load_facts(session).values()}
    before = ledgers(sample_portfolio)
    assert any(ledger[1] is not None for ledger in before.values())  # the sample records some
    assert ledgers(empty_portfolio) == before
