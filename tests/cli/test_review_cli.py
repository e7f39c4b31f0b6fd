"""The reviews, review, log and audit commands: what scripts can rely on."""

import json

import pytest
from sqlalchemy import delete

from fusiondesk.core.reviews import REVIEW_TYPES


@pytest.fixture
def db(sample_db):
    """A 30-app sample without its review history: these tests add the reviews they count."""
    path = sample_db(30, 4)
    from fusiondesk.db.engine import open_portfolio
    from fusiondesk.db.models import Review
    from fusiondesk.services.classification.reclassify import reclassify

    portfolio = open_portfolio(path, daily_backup=False)
    try:
        with portfolio.transaction() as session:
            session.execute(delete(Review))
            reclassify(session)
    finally:
        portfolio.close()
    return path


def _json(run, *argv):
    code, out, err = run(*argv)
    assert code == 0, err
    return json.loads(out)


def test_reviews_lists_open_reviews_earliest_due_first(db, run):
    assert _json(run, "--db", db, "reviews", "--json") == []  # a new portfolio has none
    rows = _json(run, "--db", db, "reviews", "--add-required", "--json")
    assert rows and {r["type"] for r in rows} <= set(REVIEW_TYPES)
    assert {"id", "app_id", "app_name", "type", "requested", "due", "reviewer", "outcome",
            "notes", "completed", "days_late"} == set(rows[0])
    dues = [r["due"] for r in rows if r["due"]]
    assert dues == sorted(dues)
    late = _json(run, "--db", db, "reviews", "--overdue", "--json")
    assert [r["id"] for r in late] == [r["id"] for r in rows if r["days_late"] > 0]
    assert all(r["due"] < "2026-11-01" for r in late)


def test_review_completes_the_open_review_and_shows_in_the_log(db, run):
    opened = _json(run, "--db", db, "reviews", "--add-required", "--json")[0]
    done = _json(run, "--db", db, "review", opened["app_id"], "--type", opened["type"],
                 "--outcome", "approved with conditions", "--reviewer", "Rev@Contoso.example",
                 "--notes", "add a DR plan", "--json")
    assert (done["id"], done["outcome"], done["completed"]) == (
        opened["id"], "approved_with_conditions", "2026-11-01")
    assert (done["reviewer"], done["notes"]) == ("rev@contoso.example", "add a DR plan")
    log = _json(run, "--db", db, "log", "--app", opened["app_id"], "--json")
    assert [e["at"] for e in log] == sorted((e["at"] for e in log), reverse=True)
    assert {"id", "at", "who", "entity", "key", "field", "old", "new", "source",
            "detail"} == set(log[0])
    outcome = next(e for e in log if e["field"] == "outcome")
    # on a server the log names the database account, the typed name beside it as a label
    who = "tester" if "://" not in db else "fusiondesk (tester)"
    assert (outcome["key"], outcome["new"], outcome["who"], outcome["source"]) == (
        f"{opened['app_id']}#{opened['id']}", "approved_with_conditions", who, "review")
    assert any(e["entity"] == "app" and e["field"] == "last_review" for e in log)


def test_review_without_an_open_one_records_a_review_done_now(db, run):
    app_id = _json(run, "--db", db, "apps", "--json")[0]["app_id"]
    code, out, _ = run("--db", db, "review", app_id, "--type", "security", "--outcome", "rejected")
    assert code == 0 and out.startswith(f"Recorded the security review of {app_id}")
    assert _json(run, "--db", db, "reviews", "--json") == []  # nothing left open


@pytest.mark.parametrize("argv, message", [
    (["review", "NOPE", "--type", "security", "--outcome", "approved"], "No app with id 'NOPE'"),
    (["review", "X", "--type", "pen-test", "--outcome", "approved"], "Unknown review type"),
    (["review", "X", "--type", "security", "--outcome", "maybe"], "Unknown outcome"),
    (["review", "X", "--outcome", "approved"], "--type"),
    (["log", "--since", "2026-13-01"], "not a date; use YYYY-MM-DD"),
])
def test_mistakes_exit_2_with_one_line(db, run, argv, message):
    code, out, err = run("--db", db, *argv)
    assert code == 2 and out == "" and message in err and len(err.strip().splitlines()) == 1


def test_log_since_and_limit(db, run):
    every = _json(run, "--db", db, "log", "--json")
    assert every[-1]["source"] == "sample"  # the sample fill is the oldest row
    assert _json(run, "--db", db, "log", "--since", "2999-01-01", "--json") == []
    assert len(_json(run, "--db", db, "log", "--limit", "1", "--json")) == 1
    code, out, _ = run("--db", db, "log")
    assert code == 0 and out.splitlines()[0].split()[:3] == ["at", "who", "entity"]


def test_audit_then_done_then_nothing_new(db, run):
    first = _json(run, "--db", db, "audit", "--done", "--json")
    assert first["first_audit"] and first["marked_done"] and len(first["new_apps"]) == 30
    again = _json(run, "--db", db, "audit", "--json")
    assert not again["first_audit"] and again["new_apps"] == again["new_flags"] == []
    assert again["grew_beyond_tier"] == first["grew_beyond_tier"]  # still true now
    assert _json(run, "--db", db, "log", "--limit", "1", "--json")[0]["source"] == "audit"
    code, out, _ = run("--db", db, "audit")
    assert code == 0 and "Critical apps lacking support" in out


def test_reviews_stats_json_follows_the_contract_and_the_reviews(db, run):
    from fusiondesk.db.engine import open_portfolio
    from fusiondesk.services.reviews.actions import complete_review
    from fusiondesk.services.reviews.queues import open_reviews

    empty = _json(run, "--db", db, "reviews", "--stats", "--json")
    assert {"by_tier", "by_reviewer", "sla_met_share", "median_turnaround_hours", "open",
            "overdue"} <= set(empty)
    assert (empty["open"], empty["sla_met_share"], empty["median_turnaround_hours"]) == \
           (0, None, None)
    rows = _json(run, "--db", db, "reviews", "--add-required", "--json")
    portfolio = open_portfolio(db)
    try:
        with portfolio.transaction() as session:
            first = open_reviews(session)[0]
            complete_review(session, first.id, "approved", "tester",
                            reviewer="rita@contoso.example", completed=first.requested)
    finally:
        portfolio.close()
    found = _json(run, "--db", db, "reviews", "--stats", "--json")
    still_open = _json(run, "--db", db, "reviews", "--json")  # a periodic one schedules the next
    assert first.id not in {r["id"] for r in still_open} and len(still_open) >= len(rows) - 1
    assert found["open"] == len(still_open) and found["completed"] == 1
    assert found["overdue"] == sum(1 for r in still_open if r["days_late"] > 0)
    assert found["median_turnaround_hours"] == 0.0
    met = None if first.due is None else float(first.requested <= first.due)
    assert found["sla_met_share"] == met  # a lapsed periodic review is due before it is asked
    assert found["by_reviewer"]["rita@contoso.example"]["completed"] == 1
    assert sum(t["open"] for t in found["by_tier"].values()) == found["open"]
    code, out, _ = run("--db", db, "reviews", "--stats")
    assert code == 0 and "SLA met" in out and "By tier" in out and "rita@contoso.example" in out
