"""The tier's deployment path checked against who deployed the app (issue 17, core.gate)."""

import pytest

from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.core.gate import deployment_path_problem, gate_problems, gate_status
from fusiondesk.core.policy import default_policy
from fusiondesk.core.tiers import classify

from tests.core.tier_fixtures import TODAY

CITIZEN, PRO, COE, BUSINESS = "citizen_developer", "pro_developer", "coe_admin", "business_owner"
MAKER = Owner("primary", email="ana@contoso.com", person_role=CITIZEN, status="active")
PARTNER = Owner("prodev_partner", email="raj@contoso.com", person_role=PRO, status="active")
READY = dict(environment_type="production", readiness_passed=True, doc_functional=True,
             doc_data_sources=True, doc_logic=True)


def deployed(by: str | None, role: str | None, owners=(MAKER,), **facts) -> AppFacts:
    facts.setdefault("lifecycle", "production")
    return AppFacts("A-7", "Expense Approvals", owners=tuple(owners), deployed_by=by,
                    deployer=by, deployer_role=role, **facts)


@pytest.mark.parametrize("tier", [2, 4])
def test_tier_2_and_4_need_a_pro_dev_or_coe_admin_to_deploy(tier):
    assert deployment_path_problem(deployed("raj@contoso.com", PRO), tier) is None
    assert deployment_path_problem(deployed("coe@contoso.com", COE), tier) is None
    why = deployment_path_problem(deployed("ana@contoso.com", CITIZEN), tier)
    assert why.startswith(f"Tier {tier} deployed by ana@contoso.com, a citizen developer")
    assert ("promotes it to production" if tier == 2 else "deploys it") in why
    # a business owner does not build: no pro-dev either
    assert deployment_path_problem(deployed("bo@contoso.com", BUSINESS), tier) is not None


def test_tier_3_is_joint_a_builder_with_a_pro_dev_partner_or_a_pro_dev():
    # the maker deployed, and the app has a pro-dev partner: joint
    assert deployment_path_problem(deployed("ana@contoso.com", CITIZEN, (MAKER, PARTNER)), 3) is None
    # a co-owner is a builder too
    co = Owner("co_owner", email="li@contoso.com", person_role=CITIZEN, status="active")
    assert deployment_path_problem(deployed("li@contoso.com", CITIZEN, (MAKER, co, PARTNER)), 3) is None
    assert deployment_path_problem(deployed("raj@contoso.com", PRO, (MAKER,)), 3) is None
    # the maker alone, no partner on record
    alone = deployment_path_problem(deployed("ana@contoso.com", CITIZEN, (MAKER,)), 3)
    assert "with no pro-dev partner" in alone
    # a citizen who does not build it, though the app has a partner
    outsider = deployment_path_problem(deployed("kim@contoso.com", CITIZEN, (MAKER, PARTNER)), 3)
    assert "does not build it" in outsider
    # a partner who has left still shared the release that happened
    gone = Owner("prodev_partner", email="raj@contoso.com", person_role=PRO, status="left")
    assert deployment_path_problem(deployed("ana@contoso.com", CITIZEN, (MAKER, gone)), 3) is None


def test_an_unknown_deployer_or_role_raises_nothing_and_tier_1_deploys_directly():
    assert deployment_path_problem(deployed(None, None), 4) is None
    assert deployment_path_problem(deployed("Someone Unknown", None), 4) is None
    assert deployment_path_problem(deployed("ana@contoso.com", CITIZEN), 1) is None


def test_the_deployment_path_is_part_of_the_production_gate():
    off = deployed("ana@contoso.com", CITIZEN, **READY)
    assert [name for name, _ in gate_problems(off, 4, default_policy())] == ["off_deployment_path"]
    assert gate_status(off, ["off_deployment_path"]) == "failed"
    on = deployed("raj@contoso.com", PRO, **READY)
    assert gate_problems(on, 4, default_policy()) == () and gate_status(on, []) == "passed"
    # only production is gated: a pilot a citizen pushed out is not a deployment
    assert gate_problems(deployed("ana@contoso.com", CITIZEN, lifecycle="pilot"), 4,
                         default_policy()) == ()


def test_classification_shows_the_sign_with_its_reason():
    result = classify(deployed("ana@contoso.com", CITIZEN, users=600, **READY),
                      default_policy(), TODAY)
    assert result.tier == 4
    flags = {flag.name: flag.explanation for flag in result.flags}
    assert "pro-dev deploys it" in flags["off_deployment_path"]
