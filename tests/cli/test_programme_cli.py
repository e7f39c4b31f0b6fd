"""`programme`: the --json contract, a quarter's deliveries, the table, a bad quarter."""

from __future__ import annotations

import json

import pytest


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


def test_a_what_if_on_a_value_assumption_shows_the_figures_it_would_move(sample_db, run):
    db = sample_db(80, 3)
    before = json.loads(run("--db", db, "programme", "--json")[1])
    status, out, _err = run("--db", db, "policy", "--what-if", "value.hourly_rate=100", "--json")
    assert status == 0
    found = json.loads(out)
    assert found["changed"] == []  # an hourly rate moves no tier
    value = found["programme"]
    assert value["before"]["net_value"] == before["net_value"]
    saved = before["saved_value"]
    rate = before["assumptions"]["hourly_rate"]
    expected = before["net_value"] + saved * (100 / rate - 1)
    assert value["after"]["net_value"] == pytest.approx(expected, abs=1)  # each figure is rounded
    assert json.loads(run("--db", db, "programme", "--json")[1]) == before  # nothing was saved
    status, out, _err = run("--db", db, "policy", "--what-if", "tier3.users=40", "--json")
    assert "programme" not in json.loads(out)
