"""`programme`: the --json contract, a quarter's deliveries, the table, a bad quarter."""

from __future__ import annotations

import json


def test_programme_json_keeps_the_contract_and_a_quarter_narrows_it(sample_db, run):
    db = sample_db(80, 3)
    status, out, _err = run("--db", db, "programme", "--json")
    assert status == 0
    everything = json.loads(out)
    for key in ("solutions_delivered", "lead_time_days", "hours_saved_per_year", "cost_avoided",
                "licence_cost", "net_value", "unknown_inputs"):
        assert key in everything
    assert everything["solutions_delivered"] == sum(everything["delivered_by_quarter"].values())
    quarter, delivered = max(everything["delivered_by_quarter"].items(), key=lambda kv: kv[1])
    status, out, _err = run("--db", db, "programme", "--json", "--quarter", quarter.lower())
    assert status == 0
    narrowed = json.loads(out)
    assert narrowed["quarter"] == quarter and narrowed["solutions_delivered"] == delivered
    assert narrowed["apps_in_service"] <= everything["apps_in_service"]


def test_programme_prints_a_table_with_unknowns_said(sample_db, run):
    status, out, _err = run("--db", sample_db(80, 3), "programme")
    assert status == 0
    assert "inputs unknown" in out and "Net value (first year)" in out and "By department" in out


def test_a_bad_quarter_is_a_usage_error(sample_db, run):
    status, _out, err = run("--db", sample_db(20, 1), "programme", "--quarter", "2026-Q7")
    assert status == 2
    assert "YYYY-Qn" in err and "2026-Q7" in err
