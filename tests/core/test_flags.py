"""Every warning sign, raised and not raised, with the explanation a CoE lead reads."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tier_fixtures import POLICY, TODAY, link, safe_app

from fusiondesk.core.facts import Owner
from fusiondesk.core.flags import FLAG_DESCRIPTIONS, FLAG_LABELS, FLAG_NAMES, Flag
from fusiondesk.core.policy import set_policy_value
from fusiondesk.core.tiers import classify

ANA = Owner("primary", "ana@corp.example", status="active")
BEN = Owner("co_owner", "ben@corp.example", status="active")
GONE = Owner("primary", "cy@corp.example", status="left")
ONLY_ANA = "only ana@corp.example maintains it; no other active co-owner or team member"
# Teams by their members' (key, status): a team is as active as its members.
FIN_OPS = Owner("co_owner", team="Finance Ops",
                members=(("gil@corp.example", "active"), ("hal@corp.example", "leaving")))
ONE_LEFT_IN = Owner("primary", team="Payroll Bots",
                    members=(("gil@corp.example", "active"), ("cy@corp.example", "left")))
ALL_GONE = Owner("primary", team="Old Guild", members=(("cy@corp.example", "left"),))
NOBODY = Owner("primary", team="Ghost Team")


def flags_of(policy=POLICY, **changes) -> dict[str, str]:
    return {f.name: f.explanation for f in classify(safe_app(**changes), policy, TODAY).flags}


def test_a_safe_app_raises_no_flag():
    assert flags_of() == {}


def test_flag_names_labels_and_descriptions_cover_the_same_signs():
    assert FLAG_NAMES == (
        "sensitive_data", "multi_write_back", "critical_without_support", "complex_calculations",
        "user_growth", "compliance", "builder_gone", "complex_integration", "undocumented",
        "tier_drift", "review_overdue", "single_owner", "inactive", "unapproved_platform",
        "unapproved_connector", "outside_production", "no_readiness_review",
        "deployed_undocumented", "off_deployment_path", "blocked_connector", "mixed_connectors",
        "unqualified_builder")
    assert set(FLAG_LABELS) == set(FLAG_DESCRIPTIONS) == set(FLAG_NAMES)
    assert FLAG_LABELS["sensitive_data"] == "Sensitive data"
    assert Flag("tier_drift", "x").label == "Tier drift"


# (facts, flag, explanation) — the flag is raised, with exactly this explanation.
RAISED = [
    (dict(data_sensitivity="confidential"), "sensitive_data", "confidential data"),
    (dict(data_sensitivity="regulated", data_categories=("pii", "payment")), "sensitive_data",
     "regulated data; categories: pii, payment"),
    (dict(data_categories=("credentials",)), "sensitive_data", "categories: credentials"),
    (dict(integrations=(link("SAP", "write"), link("Salesforce", "bidirectional"))),
     "multi_write_back", "writes to SAP, Salesforce"),
    (dict(criticality="mission_critical", support="none"), "critical_without_support",
     "mission-critical: no support"),
    (dict(criticality="high", dr_plan=False), "critical_without_support",
     "high criticality: no DR plan"),
    (dict(criticality="high", support=None, dr_plan=None), "critical_without_support",
     "high criticality: support unknown, DR plan unknown"),
    (dict(criticality="high", support="team"), "critical_without_support",
     "high criticality: team support only, not IT"),
    (dict(calc_complexity="complex"), "complex_calculations", "complex calculations"),
    (dict(users=60, approved_tier=2), "user_growth", "60 users ≥ 50 (Tier 3), approved as Tier 2"),
    (dict(users=600, approved_tier=3), "user_growth", "600 users ≥ 500 (Tier 4), approved as Tier 3"),
    (dict(users=20, users_at_last_review=10), "user_growth",
     "users grew from 10 to 20 since the last review"),
    (dict(compliance=("HIPAA", "GDPR")), "compliance", "HIPAA, GDPR"),
    (dict(owners=()), "builder_gone", "no owner on record"),
    (dict(owners=(GONE, Owner("co_owner", "dee@corp.example"))), "builder_gone",
     "no active maintainer: cy@corp.example (left), dee@corp.example (status unknown)"),
    (dict(owners=(GONE, Owner("business_owner", "eve@corp.example", status="active"))), "builder_gone",
     "no active maintainer: cy@corp.example (left)"),
    (dict(owners=(Owner("business_owner", "eve@corp.example", status="active"),)), "builder_gone",
     "no active maintainer: only a business owner on record"),
    (dict(integrations=(link("A"), link("B"), link("C"))), "complex_integration",
     "3 connected systems (≥ 3)"),
    (dict(integrations=(link("Queue", asynchronous=True),)), "complex_integration",
     "asynchronous: Queue"),
    (dict(doc_logic=False), "undocumented", "missing: logic summary"),
    (dict(doc_functional=False, doc_data_sources=None, doc_logic=False), "undocumented",
     "missing: functional description, data sources (not recorded), logic summary"),
    (dict(users=60, approved_tier=1), "tier_drift", "computed Tier 3, approved Tier 1"),
    (dict(next_review_due=TODAY - timedelta(days=12)), "review_overdue",
     "review due 2026-11-09, 12 days overdue"),
    (dict(next_review_due=TODAY - timedelta(days=1)), "review_overdue",
     "review due 2026-11-20, 1 day overdue"),
    (dict(owners=(ANA,)), "single_owner", ONLY_ANA),
    (dict(owners=(ANA, GONE)), "single_owner", ONLY_ANA),
    (dict(owners=(Owner("primary", "fay@corp.example", status="leaving"),)), "single_owner",
     "only fay@corp.example maintains it; no other active co-owner or team member"),
    (dict(owners=(ONE_LEFT_IN,)), "single_owner",
     "only gil@corp.example maintains it; no other active co-owner or team member"),
    (dict(owners=(GONE, Owner("co_owner", "gil@corp.example", status="active"), ONE_LEFT_IN)),
     "single_owner", "only gil@corp.example maintains it; no other active co-owner or team member"),
    (dict(owners=(ALL_GONE,)), "builder_gone", "no active maintainer: team Old Guild (no active member)"),
    (dict(owners=(GONE, NOBODY)), "builder_gone",
     "no active maintainer: cy@corp.example (left), team Ghost Team (no members recorded)"),
    (dict(last_used=TODAY - timedelta(days=180)), "inactive", "last used 2026-05-25, 180 days ago"),
    (dict(last_used=TODAY - timedelta(days=322)), "inactive", "last used 2026-01-03, 322 days ago"),
    (dict(platform="Zapier"), "unapproved_platform", "Zapier is not an approved platform"),
    (dict(integrations=(link("Dropbox", approved=False), link("Box", approved=None))),
     "unapproved_connector", "not approved: Dropbox, Box"),
]


@pytest.mark.parametrize("changes, name, explanation", RAISED, ids=[f"{r[1]}-{r[2]}" for r in RAISED])
def test_flag_is_raised_with_a_specific_explanation(changes, name, explanation):
    assert flags_of(**changes).get(name) == explanation


# (facts, flag) — the flag is not raised.
NOT_RAISED = [
    (dict(data_sensitivity="internal"), "sensitive_data"),
    (dict(data_sensitivity=None), "sensitive_data"),
    (dict(integrations=(link("SAP", "write"), link("SAP", "bidirectional"))), "multi_write_back"),
    (dict(integrations=(link("SAP", "write"), link("Teams", "read"))), "multi_write_back"),
    (dict(criticality="high", support="it", dr_plan=True), "critical_without_support"),
    (dict(criticality="medium", support="none", dr_plan=False), "critical_without_support"),
    (dict(criticality=None, support="none", dr_plan=False), "critical_without_support"),
    (dict(calc_complexity="moderate"), "complex_calculations"),
    (dict(users=49, approved_tier=1), "user_growth"),
    (dict(users=60, approved_tier=3), "user_growth"),
    (dict(users=19, users_at_last_review=10), "user_growth"),
    (dict(users=60, users_at_last_review=0, approved_tier=None), "user_growth"),
    (dict(users=None, users_at_last_review=10), "user_growth"),
    (dict(compliance=()), "compliance"),
    (dict(compliance=None), "compliance"),
    (dict(owners=(ANA,)), "builder_gone"),
    (dict(owners=(FIN_OPS,)), "builder_gone"),
    (dict(owners=(ONE_LEFT_IN,)), "builder_gone"),
    (dict(integrations=(link("A"), link("B"))), "complex_integration"),
    (dict(integrations=(link("A"), link("a"), link("A "))), "complex_integration"),
    (dict(doc_functional=True, doc_data_sources=True, doc_logic=True), "undocumented"),
    (dict(users=60, approved_tier=3), "tier_drift"),
    (dict(users=60, approved_tier=None), "tier_drift"),
    (dict(next_review_due=TODAY), "review_overdue"),
    (dict(next_review_due=None), "review_overdue"),
    (dict(owners=(ANA, BEN)), "single_owner"),
    (dict(owners=(ANA, FIN_OPS)), "single_owner"),
    (dict(owners=(FIN_OPS,)), "single_owner"),
    (dict(owners=(ANA, ONE_LEFT_IN)), "single_owner"),
    (dict(owners=(ALL_GONE,)), "single_owner"),
    (dict(owners=()), "single_owner"),
    (dict(last_used=TODAY - timedelta(days=179)), "inactive"),
    (dict(last_used=None), "inactive"),
    (dict(platform="power apps"), "unapproved_platform"),
    (dict(platform=None), "unapproved_platform"),
    (dict(integrations=(link("Dropbox", approved=True), link("SharePoint", approved=None))),
     "unapproved_connector"),
]


@pytest.mark.parametrize("changes, name", NOT_RAISED, ids=[f"{r[1]}-{r[0]}" for r in NOT_RAISED])
def test_flag_is_not_raised(changes, name):
    assert name not in flags_of(**changes)


def test_a_business_owner_is_not_a_maintainer():
    owners = (ANA, Owner("business_owner", "eve@corp.example", status="active"))
    assert "single_owner" in flags_of(owners=owners)


def test_flags_come_in_flag_names_order():
    app = dict(data_sensitivity="regulated", compliance=("SOX",), owners=(), platform="Zapier",
               last_used=TODAY - timedelta(days=400), doc_logic=False, approved_tier=1)
    names = list(flags_of(**app))
    assert names == sorted(names, key=FLAG_NAMES.index)
    assert names == ["sensitive_data", "compliance", "builder_gone", "undocumented", "tier_drift",
                     "inactive", "unapproved_platform"]


def test_policy_limits_change_the_flags():
    lenient = set_policy_value(POLICY, "flags.critical_needs_it_support", "no")
    assert "critical_without_support" not in flags_of(lenient, criticality="high", support="team")
    assert "critical_without_support" in flags_of(lenient, criticality="high", support="none")
    shorter = set_policy_value(POLICY, "flags.inactivity_days", "30")
    assert "inactive" in flags_of(shorter, last_used=TODAY - timedelta(days=30))
    wider = set_policy_value(POLICY, "flags.complex_integration_systems", "4")
    assert "complex_integration" not in flags_of(wider, integrations=(link("A"), link("B"), link("C")))
    faster = set_policy_value(POLICY, "flags.user_growth_factor", "1.5")
    assert "user_growth" in flags_of(faster, users=15, users_at_last_review=10)


def test_empty_platform_list_means_no_platform_is_flagged():
    no_list = set_policy_value(POLICY, "platforms.approved", "")
    assert "unapproved_platform" not in flags_of(no_list, platform="Zapier")


def test_tier_drift_flag_agrees_with_classification_drift():
    result = classify(safe_app(users=60, approved_tier=2), POLICY, TODAY)
    assert result.drift and "tier_drift" in result.flag_names


def _every_owner() -> list[Owner]:
    people = [Owner(role, f"{role}.{status}@corp.example", status=status)
              for role in ("primary", "co_owner", "business_owner", "prodev_partner")
              for status in ("active", "leaving", "left", None)]
    memberships = [(), (("primary.active@corp.example", "active"),),
                   (("m1@corp.example", "left"),),
                   (("m1@corp.example", "leaving"), ("m2@corp.example", "active"))]
    teams = [Owner(role, team="Finance Ops", members=members)
             for role in ("primary", "co_owner", "business_owner") for members in memberships]
    return people + teams


def _people_who_can_fix(owners) -> set[str]:
    """The rule said plainly: builders still here, and every active member of a team."""
    here = ("active", "leaving")
    found = {o.email for o in owners if not o.team and o.role != "business_owner" and o.status in here}
    return found | {key for o in owners if o.team for key, status in o.members if status in here}


def test_owner_flags_follow_who_can_still_maintain_the_app():
    everyone = _every_owner()
    for first in everyone:
        for second in [None, *everyone]:
            owners = (first,) if second is None else (first, second)
            keepers = _people_who_can_fix(owners)
            raised = flags_of(owners=owners)
            assert ("builder_gone" in raised) == (not keepers), owners
            assert ("single_owner" in raised) == (len(keepers) == 1), owners
