"""The policy as a form: every key declares how it is shown, and the form checks as the loader does."""

from __future__ import annotations

import pytest

from fusiondesk.core.policy import (
    BOOL,
    FLOAT,
    INT,
    NAMES,
    PolicyError,
    PolicyTopic,
    check_policy_values,
    default_policy,
    get_policy_value,
    policy_from_dict,
    policy_key,
    policy_keys,
)

POLICY = default_policy()
DEFAULTS = {key: get_policy_value(POLICY, key) for key in policy_keys()}


@pytest.mark.parametrize("key", policy_keys())
def test_every_key_has_form_metadata(key):
    spec = policy_key(key)
    shown = spec.shown
    assert shown.label and "." not in shown.label and "_" not in shown.label  # no TOML names
    assert shown.topic in PolicyTopic
    assert shown.tip.endswith(".") and len(shown.tip) > len(shown.label)
    assert "_" not in shown.tip  # the domain's words, not the config's
    if spec.kind in (INT, FLOAT):
        assert shown.unit and shown.maximum is not None
        assert spec.minimum <= get_policy_value(POLICY, key) <= shown.maximum
        assert bool(shown.zero_means) == (spec.minimum == 0)  # 0 allowed only where it means something
    if spec.kind == NAMES:
        assert shown.names_from is not None
    if spec.kind == BOOL:
        assert not shown.unit and shown.maximum is None


def test_every_topic_has_settings_and_labels_are_unique():
    topics = [policy_key(key).shown.topic for key in policy_keys()]
    assert set(topics) == set(PolicyTopic)
    labels = [policy_key(key).shown.label for key in policy_keys()]
    assert len(labels) == len(set(labels))


def test_the_defaults_check_clean_and_make_the_default_policy():
    checked = check_policy_values(DEFAULTS, POLICY)
    assert checked.problems == {} and checked.policy == POLICY


def test_every_problem_is_reported_at_once_in_the_forms_words():
    values = {**DEFAULTS, "tier3.users": 600, "flags.inactivity_days": 0,
              "connectors.approved": ["SharePoint", "SAP; Workday"]}
    checked = check_policy_values(values, POLICY)
    assert checked.policy is None
    assert set(checked.problems) == {"tier3.users", "tier4.users", "flags.inactivity_days",
                                     "connectors.approved"}
    hints = {key: problem.hint for key, problem in checked.problems.items()}
    assert hints["tier3.users"] == "Must be below the Tier 4 threshold (500 users)."
    assert hints["tier4.users"] == "Must be above the Tier 3 threshold (600 users)."
    assert hints["flags.inactivity_days"].startswith("Must be a whole number of at least 1")
    assert "SAP; Workday" in hints["connectors.approved"]
    assert not any("." in word and "_" in word for hint in hints.values() for word in hint.split())


# Values at and around every bound, so the form (which checks with check_policy_values) and the
# TOML loader (policy_from_dict) are seen to accept and refuse exactly the same.
def _probes(key: str) -> list:
    spec = policy_key(key)
    if spec.kind == INT:
        low, high = int(spec.minimum), int(spec.shown.maximum)
        return [low - 1, low, low + 1, high - 1, high, high + 1, 2.5, "7", True]
    if spec.kind == FLOAT:
        return [spec.minimum, spec.minimum + 0.01, spec.shown.maximum, spec.shown.maximum + 0.5,
                float("nan"), "2", False]
    if spec.kind == BOOL:
        return [True, False, "yes", 1]
    return [[], ["A", " a ", ""], ["A;B"], "A", ["A", 3]]


PROBES = [(key, value) for key in policy_keys() for value in _probes(key)]


@pytest.mark.parametrize("key, value", PROBES, ids=[f"{k}={v!r}" for k, v in PROBES])
def test_the_form_and_the_toml_loader_agree(key, value):
    section, name = key.split(".")
    try:
        loaded, refused = policy_from_dict({section: {name: value}}), None
    except PolicyError as error:
        loaded, refused = None, error
    checked = check_policy_values({key: value}, POLICY)
    assert checked.policy == loaded
    assert bool(checked.problems) == (refused is not None)
    if refused is not None:  # the loader names the first problem; the form marks each side of a rule
        assert refused.key in checked.problems


def test_an_upper_bound_catches_a_slipped_digit_in_the_toml_too():
    with pytest.raises(PolicyError, match="at most 10,000,000"):
        policy_from_dict({"tier4": {"users": 50_000_000}})
    with pytest.raises(PolicyError, match="at most 3,650"):
        policy_from_dict({"flags": {"inactivity_days": 36_500}})


def test_a_name_holding_the_list_separator_is_refused_by_the_loader():
    with pytest.raises(PolicyError, match="one name per entry") as caught:
        policy_from_dict({"systems": {"enterprise": ["SAP; Workday"]}})
    assert caught.value.key == "systems.enterprise"
