"""The audit workbook's governance sheets agree with the lead's own figures (issue 17)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import openpyxl
import pytest

from fusiondesk.core.flags import FLAG_LABELS
from fusiondesk.core.gate import GATE_SIGNS, gate_status
from fusiondesk.services.audit.workbook import export_audit
from fusiondesk.services.classification.governance import classified_apps
from fusiondesk.services.reviews.stats import portfolio_review_stats, stats_json

GATE_CHECKS = [sign.value for sign in GATE_SIGNS]


@pytest.fixture
def audit(sample_portfolio, tmp_path):
    with sample_portfolio.reading() as session:
        path = export_audit(session, tmp_path / "audit.xlsx", datetime(2026, 11, 1), "a", "p").path
    return openpyxl.load_workbook(path)


def _rows(sheet) -> list[dict]:
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row)) for row in rows[1:]]


def test_review_throughput_sheet_is_the_cli_figures(sample_portfolio, audit):
    with sample_portfolio.reading() as session:
        expected = stats_json(portfolio_review_stats(session))
    rows = _rows(audit["Review throughput"])
    assert expected["completed"] + expected["open"] > 0  # the sample has a review history
    overall = rows[0]
    assert overall["group"] == "all"
    for key in ("completed", "open", "overdue", "sla_met_share", "median_turnaround_hours",
                "median_queue_age_days"):
        assert overall[key] == expected[key], key
    by_tier = {r["name"]: r for r in rows if r["group"] == "tier"}
    assert set(by_tier) == {f"Tier {t}" if t != "unclassified" else "Unclassified"
                            for t in expected["by_tier"]}
    for tier, measures in expected["by_tier"].items():
        row = by_tier["Unclassified" if tier == "unclassified" else f"Tier {tier}"]
        assert {k: row[k] for k in measures} == measures, tier
    by_reviewer = {r["name"]: r for r in rows if r["group"] == "reviewer"}
    assert set(by_reviewer) == set(expected["by_reviewer"])
    for who, measures in expected["by_reviewer"].items():
        assert {k: by_reviewer[who][k] for k in measures} == measures, who
    share = next(c for c in audit["Review throughput"]["H"][1:] if c.value is not None)
    assert share.number_format == "0.0%"


def test_the_production_gate_per_app_per_check_and_in_the_summary(sample_portfolio, audit):
    with sample_portfolio.reading() as session:
        classified = {c.facts.app_id: c for c in classified_apps(session)}
    statuses = {a: gate_status(c.facts, [f.name for f in c.result.flags]) for a, c in classified.items()}
    apps = _rows(audit["Apps"])
    assert {r["app_id"]: r["production_gate"] for r in apps} == statuses
    assert {"passed", "failed", "not gated"} <= set(statuses.values())
    failing = Counter(f.name for c in classified.values() for f in c.result.flags
                      if f.name in GATE_CHECKS and c.facts.lifecycle == "production")
    listed = _rows(audit["Production gate"])
    assert Counter(check for r in listed for check in GATE_CHECKS if r[check]) == failing
    assert [r["app_id"] for r in listed] == sorted(a for a, s in statuses.items() if s == "failed")
    for row in listed:  # each check's column says why, as the app's warning sign does
        signs = {f.name: f.explanation for f in classified[row["app_id"]].result.flags}
        assert {c: row[c] for c in GATE_CHECKS if row[c]} == {c: signs[c] for c in GATE_CHECKS if c in signs}
    summary = {row[0]: row[1] for row in audit["Summary"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Apps failing the production gate"] == Counter(statuses.values())["failed"]
    assert summary["Apps in production (gated)"] == len(statuses) - Counter(statuses.values())["not gated"]
    for check in GATE_CHECKS:  # the Summary's table lists every check, failing or not
        assert summary[FLAG_LABELS[check]] == failing.get(check, 0), check


def test_a_citizen_deploying_alone_is_listed_with_who_deployed(sample_portfolio, audit):
    off_path = [r for r in _rows(audit["Production gate"]) if r["off_deployment_path"]]
    assert off_path, "the sample has citizens who deployed Tier 2+ apps alone"
    for row in off_path:
        assert row["deployed_by"] and row["deployed_by"] in row["off_deployment_path"]
        assert row["computed_tier"] >= 2
