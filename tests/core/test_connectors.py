"""Connector groups (the DLP model): what an old policy file keeps, what blocking and mixing raise."""

from __future__ import annotations

import random

import pytest
from tier_fixtures import POLICY, TODAY, safe_app

from fusiondesk.core.connectors import split_entry
from fusiondesk.core.facts import Integration
from fusiondesk.core.policy import PolicyError, policy_from_dict, set_policy_value
from fusiondesk.core.tiers import classify

# A policy file written before connector groups existed: only the approved list.
OLD_FILE = {"version": 3, "connectors": {"approved": ["SharePoint", "SAP", "Outlook"]},
            "tier3": {"users": 40}}
SYSTEMS = ("SharePoint", "sharepoint", "SAP", "Outlook", "Dropbox", "Twitter", "HTTP")


def _with(policy, key: str, text: str):
    return set_policy_value(policy, key, text)


def _app(*links: Integration, platform: str = "Power Apps"):
    return safe_app(integrations=links, platform=platform)


def _signs(facts, policy=POLICY) -> dict[str, str]:
    return {f.name: f.explanation for f in classify(facts, policy, TODAY).flags}


def _old_unapproved(links, approved_keys) -> list[str]:
    """The rule before connector groups: record says no, or silent and not on the list."""
    spelling: dict[str, str] = {}  # a system keeps the first spelling the app gives it
    names: list[str] = []
    for link in links:
        key = link.system.strip().casefold()
        name = spelling.setdefault(key, link.system.strip())
        if link.approved is False or (link.approved is None and key not in approved_keys):
            if name not in names:
                names.append(name)
    return names


def _random_links(rng: random.Random) -> tuple[Integration, ...]:
    return tuple(Integration(rng.choice(SYSTEMS), rng.choice(("read", "write", None)),
                             approved=rng.choice((True, False, None)))
                 for _ in range(rng.randrange(0, 4)))


def test_an_old_policy_file_loads_and_classifies_every_app_as_before():
    old = policy_from_dict(OLD_FILE)
    assert old.non_business_connectors == () and old.blocked_connectors == ()
    rng = random.Random(17)
    for _ in range(400):
        facts = _app(*_random_links(rng), platform=rng.choice(("Power Apps", "Salesforce")))
        result = classify(facts, old, TODAY)
        signs = {f.name: f.explanation for f in result.flags}
        expected = _old_unapproved(facts.integrations, {"sharepoint", "sap", "outlook"})
        assert (signs.get("unapproved_connector") or None) == (
            "not approved: " + ", ".join(expected) if expected else None)
        assert any(r.text.startswith("unapproved connector") for r in result.reasons) == bool(expected)
        assert result.tier >= (3 if expected else 1)
        assert "blocked_connector" not in signs


def test_approved_is_the_business_group():
    policy = _with(POLICY, "connectors.non_business", "Dropbox")
    signs = _signs(_app(Integration("SharePoint", "read"), Integration("Dropbox", "read")), policy)
    assert signs["mixed_connectors"] == "business: SharePoint; non-business: Dropbox"
    # non-business is allowed, not approved for business data: still an unapproved connector
    assert signs["unapproved_connector"] == "not approved: Dropbox"


def test_connectors_of_one_group_do_not_mix():
    policy = _with(POLICY, "connectors.non_business", "Dropbox; Twitter")
    assert "mixed_connectors" not in _signs(_app(Integration("SharePoint", "read"),
                                                 Integration("Outlook", "read")), policy)
    assert "mixed_connectors" not in _signs(_app(Integration("Dropbox", "read"),
                                                 Integration("Twitter", "read")), policy)


def test_an_unlisted_connector_counts_in_the_default_group():
    facts = _app(Integration("SharePoint", "read"), Integration("Acme CRM", "read"))
    assert "mixed_connectors" in _signs(facts)  # the shipped default: non-business
    business = _with(POLICY, "connectors.unlisted", "Business")
    assert "mixed_connectors" not in _signs(facts, business)
    # approval is the lists' or the record's, never the default group's
    assert _signs(facts, business)["unapproved_connector"] == "not approved: Acme CRM"
    blocked = _with(POLICY, "connectors.unlisted", "blocked")
    assert _signs(facts, blocked)["blocked_connector"] == "blocked: Acme CRM"


def test_a_record_saying_approved_puts_an_unlisted_connector_in_business():
    facts = _app(Integration("SharePoint", "read"), Integration("Acme CRM", "read", approved=True))
    assert "mixed_connectors" not in _signs(facts)


def test_a_blocked_connector_is_flagged_and_tier_3_even_when_its_record_says_approved():
    policy = _with(POLICY, "connectors.blocked", "Dropbox")
    facts = _app(Integration("Dropbox", "read", approved=True))
    result = classify(facts, policy, TODAY)
    signs = {f.name: f.explanation for f in result.flags}
    assert signs["blocked_connector"] == "blocked: Dropbox"
    assert signs["unapproved_connector"] == "not approved: Dropbox"
    assert result.tier == 3
    assert classify(facts, POLICY, TODAY).tier == 2  # before blocking: an approved read


def test_blocking_never_lowers_a_tier():
    rng = random.Random(3)
    for _ in range(300):
        facts = _app(*_random_links(rng))
        name = rng.choice(("Dropbox", "SAP", "Twitter", "HTTP"))
        before = classify(facts, POLICY, TODAY).tier
        assert classify(facts, _with(POLICY, "connectors.blocked", name), TODAY).tier >= before


def test_a_platform_entry_holds_on_that_platform_only_and_beats_the_plain_name():
    policy = _with(POLICY, "connectors.blocked", "Power Automate: Salesforce")
    link = Integration("Salesforce", "read")  # business everywhere in the default policy
    assert "blocked_connector" not in _signs(_app(link, platform="Power Automate"))
    assert _signs(_app(link, platform="Power Automate"), policy)["blocked_connector"] == \
        "blocked: Salesforce"
    assert "blocked_connector" not in _signs(_app(link, platform="Salesforce"), policy)
    allowed = _with(_with(POLICY, "connectors.blocked", "Twitter"),
                    "connectors.approved", "Salesforce: Twitter")
    assert "blocked_connector" not in _signs(_app(Integration("Twitter", "read"),
                                                  platform="Salesforce"), allowed)


def test_a_name_in_two_groups_counts_in_the_stricter():
    policy = _with(POLICY, "connectors.blocked", "Outlook")  # Outlook is also business
    assert "blocked_connector" in _signs(_app(Integration("Outlook", "read")), policy)


def test_power_platform_cannot_block_its_core_connectors():
    with pytest.raises(PolicyError) as caught:
        _with(POLICY, "connectors.blocked", "SharePoint")
    assert caught.value.key == "connectors.blocked"
    assert "Business or Non-business" in caught.value.hint
    with pytest.raises(PolicyError):
        _with(POLICY, "connectors.blocked", "Power Automate: Microsoft Teams")
    assert _with(POLICY, "connectors.blocked", "Salesforce: SharePoint").blocked_connectors == (
        "Salesforce: SharePoint",)


def test_the_default_group_takes_a_group_and_nothing_else():
    assert _with(POLICY, "connectors.unlisted", "Non-business").unlisted_connector_group == \
        "non_business"
    with pytest.raises(PolicyError) as caught:
        _with(POLICY, "connectors.unlisted", "sometimes")
    assert "business, non_business, blocked" in str(caught.value)


def test_split_entry_reads_the_platform_before_the_colon():
    assert split_entry(" Power Automate : Twitter ") == ("Power Automate", "Twitter")
    assert split_entry("Twitter") == (None, "Twitter")
