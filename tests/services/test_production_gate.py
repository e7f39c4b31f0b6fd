"""The production gate in a portfolio: a passed readiness review and the policy's stages."""

from fusiondesk.core.facts import AppFacts
from fusiondesk.db.store.apps import load_facts, read_app
from fusiondesk.services.apps.edits import create_app
from fusiondesk.services.classification.governance import classified_apps
from fusiondesk.services.reviews.actions import complete_review, request_review
from fusiondesk.services.reviews.queues import reviews_for_app

DOCUMENTED = dict(doc_functional=True, doc_data_sources=True, doc_logic=True)


def _signs(session, app_id):
    found = next(c for c in classified_apps(session) if c.facts.app_id == app_id)
    return [f.name for f in found.result.flags if f.name in
            ("outside_production", "no_readiness_review", "deployed_undocumented")]


def _readiness(session, app_id):
    stored = read_app(session, app_id)
    return stored.facts.readiness_passed, load_facts(session, [stored.db_id])[stored.db_id].readiness_passed


def test_a_passed_readiness_review_opens_the_gate_a_rejected_one_does_not(empty_portfolio):
    with empty_portfolio.transaction() as session:
        create_app(session, AppFacts("P-1", "Payroll Bridge", lifecycle="production", users=80,
                                     environment_type="production", **DOCUMENTED), "tester")
        create_app(session, AppFacts("P-2", "Shift Swap", lifecycle="production", users=80,
                                     environment="Contoso (default)", environment_type="default",
                                     **DOCUMENTED), "tester")
        assert _signs(session, "P-1") == ["no_readiness_review"]
        assert _signs(session, "P-2") == ["outside_production", "no_readiness_review"]
        assert _readiness(session, "P-1") == (False, False)
        for outcome in ("rejected", "approved_with_conditions"):
            request_review(session, "P-1", "production_readiness", "tester")
            review = next(r for r in reviews_for_app(session, "P-1") if r.is_open)
            complete_review(session, review.id, outcome, "tester", reviewer="rita@contoso.example")
            passed = outcome != "rejected"
            assert _readiness(session, "P-1") == (passed, passed), outcome
        assert _signs(session, "P-1") == []
