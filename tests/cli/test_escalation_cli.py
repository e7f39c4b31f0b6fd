"""The escalations and duplicates commands: the JSON scripts rely on, and each step of a case."""

import json


def _json(run, *argv):
    code, out, err = run(*argv)
    assert code == 0, err
    return json.loads(out)


def _drifted_without_a_case(run, db) -> str:
    """A drifted app the sample has not escalated already (one open case an app)."""
    taken = {c["app_id"] for c in _json(run, "--db", db, "escalations", "--state", "open", "--json")}
    return next(app["app_id"] for app in _json(run, "--db", db, "classify", "--drift", "--json")
                if app["app_id"] not in taken)


def test_a_case_is_opened_advanced_and_closed_from_the_command_line(sample_db, run):
    db = sample_db(60, 3)
    drifted = _drifted_without_a_case(run, db)
    before = {c["id"] for c in _json(run, "--db", db, "escalations", "--json")}
    code, out, _ = run("--db", db, "escalations", "--open", drifted, "--reason", "grew")
    assert code == 0 and "recognised" in out and "pro-dev partner" in out
    [case] = [c for c in _json(run, "--db", db, "escalations", "--json") if c["id"] not in before]
    number = str(case["id"])
    assert (case["app_id"], case["trigger"], case["stage"]) == (drifted, "tier_drift", "recognised")
    assert run("--db", db, "escalations", "--partner", number, "pat@contoso.example")[0] == 0
    assert run("--db", db, "escalations", "--decide", number, "keep as is")[0] == 0
    assert run("--db", db, "escalations", "--close", number, "--outcome", "kept",
               "--lesson", "Catch drift at 50 users")[0] == 0
    [closed] = _json(run, "--db", db, "escalations", "--search", "drift 50", "--json")
    assert {"id", "app_id", "stage", "owner", "partner", "recognised_on", "partnered_on",
            "decided_on", "closed_on", "lesson", "linked_change"} <= set(closed)
    assert (closed["stage"], closed["partner"]) == ("closed", "pat@contoso.example")
    assert "tester" in closed["owner"]  # "fusiondesk (tester)" on a server: its role and you
    assert number not in {str(c["id"]) for c in
                          _json(run, "--db", db, "escalations", "--state", "open", "--json")}


def test_a_step_out_of_order_exits_2_with_one_line(sample_db, run):
    db = sample_db(60, 3)
    drifted = _drifted_without_a_case(run, db)
    assert run("--db", db, "escalations", "--open", drifted)[0] == 0
    case = next(c["id"] for c in _json(run, "--db", db, "escalations", "--state", "open", "--json")
                if c["app_id"] == drifted)
    code, out, err = run("--db", db, "escalations", "--close", str(case), "--outcome", "x",
                         "--lesson", "y")
    assert code == 2 and out == "" and err.count("\n") == 1 and "next" in err


def test_duplicates_json_gives_groups_of_app_ids_with_scores_and_a_decision_sticks(sample_db, run):
    db = sample_db(400, 7)
    report = _json(run, "--db", db, "duplicates", "--json")
    undecided = [g for g in report["groups"] if g["decision"] is None]
    assert report["apps"] == 400 and undecided
    group = undecided[0]
    assert len(group["app_ids"]) >= 2 and 0 < group["score"] <= 1 and group["reasons"]
    assert run("--db", db, "duplicates", "--decide", group["key"], "keep", "--note", "both used")[0] == 0
    after = {g["key"]: g for g in _json(run, "--db", db, "duplicates", "--json")["groups"]}
    assert after[group["key"]]["decision"]["decision"] == "keep"
    assert "tester" in after[group["key"]]["decision"]["who"]
