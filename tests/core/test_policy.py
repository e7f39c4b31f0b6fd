"""The policy: shipped defaults, validation a person can act on, round trips, text edits."""

from __future__ import annotations

import tomllib

import pytest

from fusiondesk.core import resources
from fusiondesk.core.policy import (
    Policy,
    PolicyError,
    default_policy,
    describe_policy_key,
    get_policy_value,
    policy_from_dict,
    policy_key_kind,
    policy_keys,
    policy_to_dict,
    policy_value_text,
    set_policy_value,
)

POLICY = default_policy()


def test_defaults_follow_the_domain():
    p = POLICY
    assert (p.tier4_users, p.tier3_users, p.version) == (500, 50, 1)
    assert p.inactivity_days == 180 and p.user_growth_factor == 2.0
    assert p.complex_integration_systems == 3
    assert p.sla_hours(2) == 48 and p.sla_hours(1) is None
    assert [p.cadence_days(t) for t in (4, 3, 2, 1)] == [91, 182, 365, None]
    assert p.users_threshold(3) == 50 and p.users_threshold(2) is None
    for name in ("SAP", "Oracle EBS", "Dynamics 365", "Salesforce", "Workday", "NetSuite", "ServiceNow"):
        assert name.casefold() in p.enterprise_system_keys
    assert p.connector_rules.listed["sharepoint"] == "business"  # approved: the business group
    assert "power apps" in p.approved_platform_keys


def test_policy_is_hashable_and_equal_by_value():
    again = policy_from_dict(policy_to_dict(POLICY))
    assert again == POLICY and hash(again) == hash(POLICY)
    assert isinstance(POLICY.approved_platforms, tuple)


def test_dict_round_trips_and_is_toml_shaped():
    tree = policy_to_dict(POLICY)
    assert tree["version"] == 1
    assert tree["tier3"] == {"users": 50, "review_sla_hours": 120, "review_cadence_days": 182}
    assert tree["tier2"]["review_sla_hours"] == 48
    assert isinstance(tree["systems"]["enterprise"], list)
    assert tree["flags"]["critical_needs_it_support"] is True
    assert policy_from_dict(tree) == POLICY


def test_shipped_toml_is_exactly_the_default_policy():
    text = resources.resource_path("policy.toml").read_text(encoding="utf-8")
    assert policy_to_dict(POLICY) == tomllib.loads(text)


def test_version_comes_from_the_dict_and_stays_out_of_the_keys():
    assert policy_from_dict({**policy_to_dict(POLICY), "version": 9}).version == 9
    assert "version" not in policy_keys()


def test_a_partial_dict_keeps_the_rest_from_the_base():
    p = policy_from_dict({"tier3": {"users": 80}})
    assert p.tier3_users == 80 and p.tier4_users == 500 and p.version == 1
    base = set_policy_value(POLICY, "flags.inactivity_days", "90")
    assert policy_from_dict({"tier4": {"users": 900}}, base=base).inactivity_days == 90


BAD_DICTS = [
    ({"tier3": {"user": 5}}, "tier3.user", "Did you mean 'tier3.users'"),
    ({"colours": {"red": 1}}, "colours.red", "Unknown policy key"),
    ({"tier3": 50}, "tier3", "section 'tier3' must hold keys (tier3.users, "),
    ({"users": 50}, "users", "Unknown policy key 'users'"),
    ({"tier3": {"users": 0}}, "tier3.users", "a whole number of at least 1"),
    ({"tier3": {"users": -5}}, "tier3.users", "at least 1"),
    ({"tier3": {"users": "fifty"}}, "tier3.users", "whole number"),
    ({"tier3": {"users": True}}, "tier3.users", "whole number"),
    ({"tier3": {"users": 50.5}}, "tier3.users", "whole number"),
    ({"tier3": {"users": 500}}, "tier3.users", "must be below 'tier4.users' (500)"),
    ({"tier3": {"users": 600}, "tier4": {"users": 100}}, "tier3.users", "must be below"),
    ({"tier2": {"review_sla_hours": -1}}, "tier2.review_sla_hours", "at least 0"),
    ({"flags": {"user_growth_factor": 1.0}}, "flags.user_growth_factor", "greater than 1"),
    ({"flags": {"complex_integration_systems": 1}}, "flags.complex_integration_systems", "at least 2"),
    ({"flags": {"critical_needs_it_support": "yes"}}, "flags.critical_needs_it_support",
     "true or false"),
    ({"platforms": {"approved": "Power Apps"}}, "platforms.approved", "a list of names"),
    ({"platforms": {"approved": ["Power Apps", 3]}}, "platforms.approved", "text only"),
    ({"version": 0}, "version", "at least 1"),
]


@pytest.mark.parametrize("tree, key, words", BAD_DICTS, ids=[b[1] + "-" + b[2] for b in BAD_DICTS])
def test_invalid_dicts_are_refused_naming_the_key_and_what_is_allowed(tree, key, words):
    with pytest.raises(PolicyError) as caught:
        policy_from_dict(tree)
    assert caught.value.key == key
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_a_policy_must_be_a_table():
    with pytest.raises(PolicyError, match="table of sections"):
        policy_from_dict(["tier3"])


def test_lists_are_trimmed_and_deduplicated_ignoring_case():
    p = policy_from_dict({"platforms": {"approved": [" Power Apps ", "power apps", "", "Mendix"]}})
    assert p.approved_platforms == ("Power Apps", "Mendix")


# --- text edits, as in the CLI and the editor ---------------------------------

SETS = [
    ("tier3.users", "100", "tier3_users", 100),
    ("tier4.users", " 1,200 ", "tier4_users", 1200),
    ("flags.inactivity_days", "90", "inactivity_days", 90),
    ("flags.user_growth_factor", "1.5", "user_growth_factor", 1.5),
    ("flags.user_growth_factor", "1,5", "user_growth_factor", 1.5),
    ("flags.user_growth_factor", "3", "user_growth_factor", 3.0),
    ("flags.critical_needs_it_support", "No", "critical_needs_it_support", False),
    ("flags.critical_needs_it_support", "yes", "critical_needs_it_support", True),
    ("flags.critical_needs_it_support", "0", "critical_needs_it_support", False),
    ("platforms.approved", "Power Apps, Mendix; Appian", "approved_platforms",
     ("Power Apps", "Mendix", "Appian")),
    ("systems.enterprise", "SAP;;Workday ;", "enterprise_systems", ("SAP", "Workday")),
    ("connectors.approved", "", "approved_connectors", ()),
]


@pytest.mark.parametrize("key, text, attr, value", SETS, ids=[f"{s[0]}={s[1]}" for s in SETS])
def test_set_policy_value_parses_text(key, text, attr, value):
    changed = set_policy_value(POLICY, key, text)
    assert getattr(changed, attr) == value
    assert POLICY.tier3_users == 50  # the original is untouched


def test_per_tier_keys_set_one_tier_only():
    p = set_policy_value(POLICY, "tier3.review_sla_hours", "72")
    assert p.review_sla_hours == (0, 48, 72, 240)
    assert get_policy_value(p, "tier3.review_sla_hours") == 72
    assert set_policy_value(POLICY, "tier2.review_cadence_days", "180").cadence_days(2) == 180


def test_changed_lists_change_lookups():
    p = set_policy_value(POLICY, "systems.enterprise", "Homegrown ERP")
    assert p.enterprise_system_keys == frozenset({"homegrown erp"})


BAD_TEXT = [
    ("tier3.users", "fifty", "whole number"),
    ("tier3.users", "2.5", "whole number"),
    ("tier3.users", "500", "must be below"),
    ("tier4.users", "10", "must be below"),
    ("flags.inactivity_days", "0", "at least 1"),
    ("flags.user_growth_factor", "0.5", "greater than 1"),
    ("flags.user_growth_factor", "nan", "greater than 1"),
    ("flags.user_growth_factor", "inf", "greater than 1"),
    ("flags.critical_needs_it_support", "maybe", "yes or no"),
    ("tier3.userz", "5", "Did you mean 'tier3.users'"),
    ("version", "2", "kept by the portfolio"),
]


@pytest.mark.parametrize("key, text, words", BAD_TEXT, ids=[f"{b[0]}={b[1]}" for b in BAD_TEXT])
def test_set_policy_value_refuses_bad_text(key, text, words):
    with pytest.raises(PolicyError) as caught:
        set_policy_value(POLICY, key, text)
    assert words in str(caught.value)
    assert caught.value.key in (key, "tier3.users")


def test_every_key_has_a_description_a_kind_and_text_that_sets_it_back():
    for key in policy_keys():
        assert describe_policy_key(key).endswith(".")
        assert policy_key_kind(key) in ("int", "float", "bool", "names", "choice")
        assert set_policy_value(POLICY, key, policy_value_text(POLICY, key)) == POLICY


def test_policy_value_text_reads_like_what_a_person_types():
    assert policy_value_text(POLICY, "tier3.users") == "50"
    assert policy_value_text(POLICY, "flags.user_growth_factor") == "2"
    assert policy_value_text(POLICY, "flags.critical_needs_it_support") == "true"
    assert policy_value_text(POLICY, "platforms.approved").startswith("Power Apps; Power Automate")


def test_keys_are_dotted_and_cover_the_policy():
    keys = policy_keys()
    assert keys[:2] == ["tier4.users", "tier3.users"]
    assert {"platforms.approved", "connectors.approved", "systems.enterprise",
            "flags.inactivity_days", "tier2.review_sla_hours", "tier1.review_cadence_days"} <= set(keys)
    assert all(key.count(".") == 1 for key in keys)


# --- where the defaults come from -----------------------------------------------

def test_resource_override_directory_is_searched_first(tmp_path, monkeypatch):
    (tmp_path / "policy.toml").write_text("version = 1\n", encoding="utf-8")
    monkeypatch.setenv(resources.RESOURCES_ENV, str(tmp_path))
    assert resources.resource_path("policy.toml") == tmp_path / "policy.toml"


def test_resources_missing_from_the_override_fall_back_to_the_shipped_ones(tmp_path, monkeypatch):
    monkeypatch.setenv(resources.RESOURCES_ENV, str(tmp_path))
    assert resources.resource_path("policy.toml").parent.name == "resources"
    assert resources.resource_path("policy.toml").parent != tmp_path


def test_a_missing_resource_names_every_place_tried(tmp_path, monkeypatch):
    monkeypatch.setenv(resources.RESOURCES_ENV, str(tmp_path))
    with pytest.raises(FileNotFoundError) as caught:
        resources.resource_path("nothing-here.svg")
    assert str(tmp_path) in str(caught.value) and "nothing-here.svg" in str(caught.value)


def test_a_frozen_build_looks_in_its_bundle(tmp_path, monkeypatch):
    monkeypatch.setattr(resources.sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resource_dirs()[-1] == tmp_path / "resources"


def test_the_current_directory_is_not_searched_by_accident(tmp_path, monkeypatch):
    monkeypatch.delenv(resources.RESOURCES_ENV, raising=False)
    monkeypatch.delattr(resources.sys, "_MEIPASS", raising=False)
    monkeypatch.chdir(tmp_path)
    assert all(d.is_absolute() for d in resources.resource_dirs())


def test_a_broken_default_file_is_a_policy_error(tmp_path, monkeypatch):
    (tmp_path / "policy.toml").write_text("[tier3\nusers = ", encoding="utf-8")
    monkeypatch.setenv(resources.RESOURCES_ENV, str(tmp_path))
    default_policy.cache_clear()
    try:
        with pytest.raises(PolicyError, match="not valid TOML"):
            default_policy()
    finally:
        monkeypatch.delenv(resources.RESOURCES_ENV)
        default_policy.cache_clear()
    assert default_policy() == POLICY


def test_an_incomplete_default_file_names_what_is_missing(tmp_path, monkeypatch):
    (tmp_path / "policy.toml").write_text("[tier3]\nusers = 50\n", encoding="utf-8")
    monkeypatch.setenv(resources.RESOURCES_ENV, str(tmp_path))
    default_policy.cache_clear()
    try:
        with pytest.raises(PolicyError, match="lacks: tier4.users"):
            default_policy()
    finally:
        monkeypatch.delenv(resources.RESOURCES_ENV)
        default_policy.cache_clear()


def test_policy_type_is_frozen():
    with pytest.raises(AttributeError):
        POLICY.tier3_users = 1  # type: ignore[misc]
    assert isinstance(POLICY, Policy)
