"""Every tier criterion and boundary of DOMAIN.md's table, one fact at a time."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tier_fixtures import POLICY, TODAY, link, safe_app

from fusiondesk.core.facts import Integration
from fusiondesk.core.policy import set_policy_value
from fusiondesk.core.tiers import Reason, classify, classify_many, summary_text


def tier_of(**changes) -> int:
    return classify(safe_app(**changes), POLICY, TODAY).tier


def texts(result, tier=None) -> list[str]:
    return [r.text for r in result.reasons if tier is None or r.tier == tier]


def test_a_safe_app_is_tier_1_with_nothing_to_report():
    result = classify(safe_app(), POLICY, TODAY)
    assert (result.tier, result.reasons, result.unknowns, result.possible_tier) == (1, (), (), 1)
    assert result.drift is False
    assert summary_text(result) == "Tier 1"


# --- one criterion at a time: (facts, tier, the reason text at that tier) -------------

CRITERIA = [
    # Tier 4
    (dict(data_sensitivity="regulated"), 4, "regulated data"),
    (dict(compliance=("HIPAA",)), 4, "compliance: HIPAA"),
    (dict(compliance=("GDPR", "SOX")), 4, "compliance: GDPR, SOX"),
    (dict(compliance=("ISO 27001",)), 4, "compliance: ISO 27001"),
    (dict(integrations=(link("SAP", "write", enterprise=True),)), 4, "writes to SAP (enterprise system)"),
    (dict(integrations=(link("SAP", "bidirectional", enterprise=True),)), 4,
     "writes to SAP (enterprise system)"),
    (dict(integrations=(link("A", "bidirectional"), link("B", "bidirectional"))), 4,
     "bidirectional sync with A, B"),
    (dict(criticality="mission_critical"), 4, "mission-critical"),
    (dict(custom_code=True), 4, "custom code required"),
    (dict(calc_complexity="complex"), 4, "complex calculations"),
    (dict(users=500), 4, "500 users ≥ 500"),
    (dict(users=120_000), 4, "120000 users ≥ 500"),
    # Tier 3
    (dict(scope="cross_department"), 3, "cross-department scope"),
    (dict(scope="enterprise"), 3, "enterprise scope"),
    (dict(scope="external"), 3, "external scope"),
    (dict(integrations=(link("Weather", "read", external_api=True),)), 3, "external API: Weather"),
    (dict(data_sensitivity="confidential"), 3, "confidential data"),
    (dict(users=50), 3, "50 users ≥ 50"),
    (dict(users=499), 3, "499 users ≥ 50"),
    (dict(integrations=(link("SharePoint", "write"),)), 3, "writes back to SharePoint"),
    (dict(integrations=(link("SharePoint", "bidirectional"),)), 3, "writes back to SharePoint"),
    (dict(criticality="high"), 3, "high criticality"),
    (dict(integrations=(link("Dropbox", "read", approved=False),)), 3, "unapproved connector: Dropbox"),
    # Tier 2
    (dict(scope="department"), 2, "department-wide scope"),
    (dict(integrations=(link("SharePoint", "read"),)), 2, "connects to SharePoint"),
    (dict(data_sensitivity="internal"), 2, "internal data"),
    (dict(calc_complexity="moderate"), 2, "moderate calculations"),
]


@pytest.mark.parametrize("changes, tier, text", CRITERIA, ids=[c[2] for c in CRITERIA])
def test_each_criterion_sets_its_tier_and_says_why(changes, tier, text):
    result = classify(safe_app(**changes), POLICY, TODAY)
    assert result.tier == tier
    assert text in texts(result, tier)
    assert summary_text(result).startswith(f"Tier {tier}: ")


TIER_1 = [
    dict(scope="team"), dict(users=0), dict(users=49), dict(data_sensitivity="public"),
    dict(criticality="low"), dict(criticality="medium"), dict(calc_complexity="simple"),
    dict(custom_code=False), dict(compliance=()), dict(integrations=()), dict(data_categories=("pii",)),
]


@pytest.mark.parametrize("changes", TIER_1, ids=str)
def test_values_that_meet_no_criterion_stay_tier_1(changes):
    assert tier_of(**changes) == 1


@pytest.mark.parametrize("users, tier", [(0, 1), (49, 1), (50, 3), (51, 3), (499, 3), (500, 4), (501, 4)])
def test_user_thresholds_are_inclusive(users, tier):
    assert tier_of(users=users) == tier


def test_thresholds_come_from_the_policy():
    policy = set_policy_value(set_policy_value(POLICY, "tier3.users", "100"), "tier4.users", "1000")
    assert classify(safe_app(users=99), policy, TODAY).tier == 1
    assert classify(safe_app(users=100), policy, TODAY).tier == 3
    assert classify(safe_app(users=999), policy, TODAY).tier == 3
    assert texts(classify(safe_app(users=1000), policy, TODAY), 4) == ["1000 users ≥ 1000"]


# --- integration shapes ---------------------------------------------------------------

SHAPES = [
    ("read approved connector", (link("SharePoint", "read"),), 2),
    ("read external API", (link("Weather", "read", external_api=True),), 3),
    ("write to non-enterprise", (link("SharePoint", "write"),), 3),
    ("write to enterprise", (link("SAP", "write", enterprise=True),), 4),
    ("bidirectional with 1 system", (link("Tracker", "bidirectional"),), 3),
    ("bidirectional with 2 systems", (link("A", "bidirectional"), link("B", "bidirectional")), 4),
    ("bidirectional with 3 systems", (link("A", "bidirectional"), link("B", "bidirectional"),
                                      link("C", "bidirectional")), 4),
    ("same system twice is one system", (link("A", "bidirectional"), link("a ", "write"),
                                          link("A", "bidirectional")), 3),
    ("read enterprise system", (link("SAP", "read", enterprise=True),), 2),
    ("unapproved on the record", (link("SharePoint", "read", approved=False),), 3),
    ("approval unknown, not on the list", (link("Dropbox", "read", approved=None),), 3),
    ("approval unknown, on the list", (link("sharepoint", "read", approved=None),), 2),
]


@pytest.mark.parametrize("shape, integrations, tier", SHAPES, ids=[s[0] for s in SHAPES])
def test_integration_shapes(shape, integrations, tier):
    assert tier_of(integrations=integrations) == tier


def test_enterprise_and_external_fall_back_to_policy_lists_case_insensitively():
    by_policy = Integration(" sap s/4hana ", "write", approved=True)  # record silent
    assert tier_of(integrations=(by_policy,)) == 4
    external = Integration("twilio", "read", approved=True)
    assert texts(classify(safe_app(integrations=(external,)), POLICY, TODAY), 3) == [
        "external API: twilio"]


def test_the_record_overrides_the_policy_lists():
    assert tier_of(integrations=(link("SAP", "write", enterprise=False),)) == 3
    assert tier_of(integrations=(link("Homegrown ERP", "write", enterprise=True),)) == 4
    assert tier_of(integrations=(link("Twilio", "read", external_api=False),)) == 2


def test_writing_to_an_enterprise_system_matches_every_lower_criterion_too():
    result = classify(safe_app(integrations=(link("SAP", "write", enterprise=True),)), POLICY, TODAY)
    assert texts(result) == ["writes to SAP (enterprise system)", "writes back to SAP",
                             "connects to SAP"]
    assert [r.tier for r in result.reasons] == [4, 3, 2]


# --- reasons, summary, drift ---------------------------------------------------------

def test_every_matching_criterion_is_a_reason_highest_tier_first():
    result = classify(safe_app(users=120, scope="cross_department", data_sensitivity="internal",
                               calc_complexity="moderate"), POLICY, TODAY)
    assert result.tier == 3
    assert texts(result) == ["120 users ≥ 50", "cross-department scope", "internal data",
                             "moderate calculations"]
    assert summary_text(result) == "Tier 3: 120 users ≥ 50; cross-department scope"
    assert [r.text for r in result.tier_reasons] == ["120 users ≥ 50", "cross-department scope"]


def test_users_past_both_thresholds_give_a_reason_at_each_tier():
    result = classify(safe_app(users=600), POLICY, TODAY)
    assert result.reasons == (Reason(4, "users", "600", "500", "600 users ≥ 500"),
                              Reason(3, "users", "600", "50", "600 users ≥ 50"))


def test_reason_carries_fact_value_and_threshold():
    (reason,) = classify(safe_app(scope="department"), POLICY, TODAY).reasons
    assert (reason.tier, reason.fact, reason.value) == (2, "scope", "department")
    assert reason.threshold == "department"


@pytest.mark.parametrize("approved, drift", [(None, False), (1, True), (2, True), (3, False), (4, False)])
def test_drift_is_a_computed_tier_above_the_approved_one(approved, drift):
    result = classify(safe_app(users=60, approved_tier=approved), POLICY, TODAY)
    assert result.drift is drift


def test_classification_records_the_policy_version():
    policy = replace(POLICY, version=7)
    assert classify(safe_app(), policy, TODAY).policy_version == 7


# --- unknowns -------------------------------------------------------------------------

REACH_4 = ["data_sensitivity", "compliance", "integrations", "criticality", "custom_code",
           "calc_complexity", "users"]


@pytest.mark.parametrize("fact", REACH_4)
def test_an_unknown_fact_is_never_silently_safe(fact):
    result = classify(safe_app(**{fact: None}), POLICY, TODAY)
    assert result.tier == 1
    assert result.unknowns == (fact,)
    assert result.possible_tier == 4
    assert summary_text(result) == f"Tier 1 (could be Tier 4: {fact} unknown)"


def test_unknown_scope_could_reach_tier_3():
    result = classify(safe_app(scope=None, data_sensitivity="internal"), POLICY, TODAY)
    assert (result.tier, result.unknowns, result.possible_tier) == (2, ("scope",), 3)


def test_unknowns_that_cannot_raise_the_tier_are_not_listed():
    result = classify(safe_app(scope=None, users=60), POLICY, TODAY)
    assert (result.tier, result.unknowns, result.possible_tier) == (3, (), 3)
    top = classify(safe_app(custom_code=True, data_sensitivity=None, users=None), POLICY, TODAY)
    assert (top.tier, top.unknowns, top.possible_tier) == (4, (), 4)


def test_several_unknowns_are_all_named():
    result = classify(safe_app(users=None, data_sensitivity=None, scope=None), POLICY, TODAY)
    assert result.unknowns == ("data_sensitivity", "users", "scope")
    assert result.possible_tier == 4


def test_an_unrecognised_value_counts_as_unknown():
    result = classify(safe_app(data_sensitivity="top secret"), POLICY, TODAY)
    assert (result.tier, result.unknowns, result.possible_tier) == (1, ("data_sensitivity",), 4)


def test_empty_lists_are_known_none_not_unknown():
    result = classify(safe_app(compliance=(), integrations=(), data_categories=()), POLICY, TODAY)
    assert result.unknowns == ()


DIRECTION_UNKNOWN = [
    ("plain system could write back", (link("Tracker", None),), 2, 3),
    ("enterprise system could be written", (link("SAP", None, enterprise=True),), 2, 4),
    ("two unknowns could sync both ways", (link("A", None), link("B", None)), 2, 4),
    ("one unknown beside a sync could make two", (link("A", "bidirectional"), link("B", None)), 3, 4),
    ("the same system twice is still one sync", (link("A", "bidirectional"), link("a", None)), 3, 3),
]


@pytest.mark.parametrize("case, integrations, tier, possible", DIRECTION_UNKNOWN,
                         ids=[c[0] for c in DIRECTION_UNKNOWN])
def test_unknown_integration_direction(case, integrations, tier, possible):
    result = classify(safe_app(integrations=integrations), POLICY, TODAY)
    assert (result.tier, result.possible_tier) == (tier, possible)
    unknown_systems = [i.system for i in integrations if i.direction is None] if possible > tier else []
    assert result.unknowns == tuple(f"integrations[{s}].direction" for s in unknown_systems)


def test_unknown_approval_is_resolved_by_policy_not_reported():
    result = classify(safe_app(integrations=(link("Dropbox", "read", approved=None),)), POLICY, TODAY)
    assert (result.tier, result.unknowns) == (3, ())
    assert "unapproved connector: Dropbox" in texts(result)


def test_possible_tier_never_below_tier():
    result = classify(safe_app(users=700, scope=None), POLICY, TODAY)
    assert result.possible_tier == result.tier == 4


# --- many, and determinism -------------------------------------------------------------

def test_classify_many_keeps_order_and_matches_classify():
    apps = [safe_app(users=n) for n in (5, 60, 700)]
    many = classify_many(apps, POLICY, TODAY)
    assert [c.tier for c in many] == [1, 3, 4]
    assert many == [classify(a, POLICY, TODAY) for a in apps]


def test_classify_many_leaves_the_garbage_collector_as_it_was():
    import gc
    assert gc.isenabled()
    classify_many([safe_app()], POLICY, TODAY)
    assert gc.isenabled()
    gc.disable()
    try:
        classify_many([safe_app()], POLICY, TODAY)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_classification_is_deterministic_and_hashable():
    app = safe_app(users=None, integrations=(link("SAP", "write", enterprise=True), link("X", None)))
    first, second = classify(app, POLICY, TODAY), classify(app, POLICY, TODAY)
    assert first == second
    assert hash(first) == hash(second)


def test_classification_fields_are_set_by_name_and_stay_frozen():
    from dataclasses import FrozenInstanceError, fields

    from fusiondesk.core.tiers import Classification
    values = {f.name: f"value of {f.name}" for f in fields(Classification)}
    built = Classification(**values)
    assert {name: getattr(built, name) for name in values} == values
    with pytest.raises(FrozenInstanceError):
        built.tier = 1  # type: ignore[misc]
