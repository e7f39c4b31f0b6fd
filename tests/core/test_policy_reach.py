"""Which apps a policy change can move, from the facts each setting reads (core.policy_reach)."""

from dataclasses import fields
from datetime import date, timedelta

from fusiondesk.core import policy_reach as reach_module
from fusiondesk.core.policy import Policy, default_policy, set_policy_value
from fusiondesk.core.policy_reach import DECLARED, NOWHERE, policy_reach

TODAY = date(2026, 11, 1)
POLICY = default_policy()


def _reach(**settings):
    after = POLICY
    for key, value in settings.items():
        after = set_policy_value(after, key.replace("__", "."), value)
    return policy_reach(POLICY, after, TODAY)


def test_every_setting_is_either_read_with_its_reach_or_read_by_no_rule():
    # a new setting must be sorted here; until then a what-if changing it reads every app
    assert {f.name for f in fields(Policy)} == DECLARED


def test_a_setting_not_declared_cannot_be_bounded(monkeypatch):
    monkeypatch.delitem(reach_module._BOUNDS, "tier3_users")
    assert _reach(tier3__users="40") is None


def test_settings_no_rule_reads_move_no_app():
    assert _reach(value__hourly_rate="90", tier3__review_sla_hours="24") == NOWHERE
    assert policy_reach(POLICY, POLICY, TODAY) == NOWHERE


def test_a_user_threshold_reaches_the_band_between_the_old_and_new_value():
    (test,) = _reach(tier3__users="40").tests
    assert (test.facts, test.low, test.high) == (("users",), 40, 50)
    assert [users for users in (None, 0, 39, 40, 49, 50, 600) if test.moves(users)] == [40, 49]
    assert all(test.low <= users < test.high for users in range(1000) if test.moves(users))


def test_the_growth_factor_reaches_apps_between_the_two_multiples_of_their_reviewed_users():
    (test,) = _reach(flags__user_growth_factor="1.5").tests  # from 2.0
    assert test.facts == ("users_at_last_review", "users") and test.low == 1
    assert [users for users in (10, 14, 15, 19, 20, 30) if test.moves(10, users)] == [15, 19]
    assert not test.moves(0, 50) and not test.moves(None, 50) and not test.moves(10, None)


def test_inactivity_reaches_apps_last_used_between_the_two_limits():
    (test,) = _reach(flags__inactivity_days="90").tests  # from 180
    days = {idle: TODAY - timedelta(days=idle) for idle in range(0, 400)}
    moving = [idle for idle, last_used in days.items() if test.moves(last_used)]
    assert moving == list(range(90, 180)) and not test.moves(None)
    # the store reads only the days between low and high: every one that moves among them
    assert all(test.low <= days[idle] < test.high for idle in moving)
    assert test.low == days[179] and test.high == days[89]


def test_a_connector_list_reaches_the_systems_it_names_in_any_spelling():
    systems = _reach(connectors__blocked="Dropbox").systems
    assert systems(" dropbox ") and systems("DROPBOX") and not systems("SharePoint")
    # one platform's entry: links to that connector on any app may resolve differently
    systems = _reach(connectors__non_business="Power Automate: Twitter").systems
    assert systems("Twitter") and not systems("Dropbox")


def test_the_default_group_reaches_the_systems_no_list_names():
    systems = _reach(connectors__unlisted="blocked").systems
    assert systems("Dropbox") and not systems("SharePoint")  # SharePoint is listed business


def test_environment_stages_reach_apps_in_production_in_a_restaged_environment():
    (test,) = _reach(environments__development="Developer; Trial; Teams").tests  # Default out
    assert test.among == ("production",)
    assert test.moves("production", "default", "Contoso (default)")
    assert test.moves("production", None, "DEFAULT")  # the name decides when the type is unknown
    assert not test.moves("production", "production", "Default")  # the type decides first
    assert not test.moves("pilot", "default", None)


def test_two_settings_changed_reach_the_apps_either_reaches():
    both = _reach(tier3__users="40", connectors__blocked="Dropbox",
                  flags__complex_integration_systems="5")
    assert len(both.tests) == 1 and both.systems("Dropbox") and both.links[0].at_least == 3


def test_complex_integration_counts_each_system_once_as_the_warning_sign_does():
    (test,) = _reach(flags__complex_integration_systems="4").links  # from 3
    assert test.at_least == 3
    assert test.moves(["SAP", "Workday", "SharePoint"])  # 3 systems: complex before, not after
    assert not test.moves(["SAP", "sap ", "Workday"])  # 2 systems: complex under neither
    assert not test.moves(["SAP", "Workday", "SharePoint", "Teams"])  # 4: complex under both


def test_lists_read_together_are_bounded_once():
    # the three environment lists make one map of stages: one reading of the apps, not three
    moved = _reach(environments__production="Production; Sandbox", environments__test="Test",
                   environments__development="Default")
    assert len(moved.tests) == 1
