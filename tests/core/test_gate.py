"""The production gate: where an app in production runs, its readiness review, its documents."""

from dataclasses import replace

import pytest

from fusiondesk.core.facts import AppFacts
from fusiondesk.core.gate import environment_stage, gate_problems, gate_status
from fusiondesk.core.policy import default_policy, set_policy_value
from fusiondesk.core.tiers import classify

from tests.core.tier_fixtures import TODAY

DOCUMENTED = dict(doc_functional=True, doc_data_sources=True, doc_logic=True)


def app(**facts) -> AppFacts:
    facts.setdefault("lifecycle", "production")
    return AppFacts("A-1", "Leave Tracker", **facts)


@pytest.mark.parametrize("facts, stage", [
    (dict(environment_type="production"), "production"),
    (dict(environment_type="sandbox"), "test"),
    (dict(environment_type="default"), "development"),
    (dict(environment_type="teams"), "development"),
    (dict(environment="Contoso (default)"), None),  # a name in no list: unknown
    (dict(environment="Sandbox"), "test"),  # a name listed as a type matches too
    (dict(environment_type="developer", environment="Production"), "development"),  # type first
    (dict(), None),
])
def test_the_stage_comes_from_the_type_else_the_name(facts, stage):
    assert environment_stage(app(**facts), default_policy()) == stage


def test_the_lead_maps_their_own_environment_names():
    policy = set_policy_value(default_policy(), "environments.production", "Production; Contoso Live")
    assert environment_stage(app(environment="contoso live"), policy) == "production"
    assert environment_stage(app(environment="Contoso Live"), default_policy()) is None


def test_production_use_outside_production_is_flagged_for_any_tier():
    found = dict(gate_problems(app(environment_type="default", environment="Contoso (default)",
                                   **DOCUMENTED), 1, default_policy()))
    assert list(found) == ["outside_production"]
    assert "Contoso (default), a development environment" in found["outside_production"]


def test_tier_2_and_up_in_production_need_a_passed_readiness_review_and_documents():
    policy = default_policy()
    bare = app(environment_type="production", doc_functional=True, doc_logic=False)
    assert [name for name, _ in gate_problems(bare, 1, policy)] == []  # Tier 1 self-certifies
    found = dict(gate_problems(bare, 2, policy))
    assert set(found) == {"no_readiness_review", "deployed_undocumented"}
    assert "data sources, logic summary" in found["deployed_undocumented"]
    passed = replace(bare, readiness_passed=True, **DOCUMENTED)
    assert gate_problems(passed, 4, policy) == () and gate_status(passed, []) == "passed"
    assert gate_status(bare, [name for name, _ in gate_problems(bare, 2, policy)]) == "failed"


def test_only_apps_in_production_are_gated():
    for lifecycle in ("idea", "development", "pilot", "retired", None):
        piloting = app(lifecycle=lifecycle, environment_type="default")
        assert gate_problems(piloting, 4, default_policy()) == ()
        assert gate_status(piloting, ["no_readiness_review"]) == "not gated"


def test_the_gate_shows_as_warning_signs_with_their_reasons():
    result = classify(app(environment_type="sandbox", users=120, scope="cross_department"),
                      default_policy(), TODAY)
    assert result.tier == 3
    names = [flag.name for flag in result.flags]
    assert names[-3:] == ["outside_production", "no_readiness_review", "deployed_undocumented"]
