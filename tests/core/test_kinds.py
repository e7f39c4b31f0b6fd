"""The platform an item's kind implies, for files that have no platform column."""

import pytest
from tier_fixtures import TODAY, safe_app

from fusiondesk.core.fields import ENVIRONMENT_TYPES, KINDS
from fusiondesk.core.kinds import platform_for_kind
from fusiondesk.core.policy import default_policy
from fusiondesk.core.tiers import classify


@pytest.mark.parametrize("kind, platform", [
    ("canvas_app", "Power Apps"), ("model_driven_app", "Power Apps"),
    ("cloud_flow", "Power Automate"), ("desktop_flow", "Power Automate"),
    ("agent", "Copilot Studio"), ("site", "Power Pages"),
])
def test_each_power_platform_kind_names_its_platform(kind, platform):
    assert platform_for_kind(kind) == platform


@pytest.mark.parametrize("kind", ["other", None, "", "spreadsheet"])
def test_other_or_unknown_kinds_say_nothing_about_the_platform(kind):
    assert platform_for_kind(kind) is None


def test_every_kind_of_the_registry_is_decided():
    decided = {kind: platform_for_kind(kind) for kind in KINDS}
    assert [k for k, platform in decided.items() if platform is None] == ["other"]


@pytest.mark.parametrize("risky", [{}, {"users": 600}, {"scope": "department"}, {"users": None}])
@pytest.mark.parametrize("kind", [*KINDS, None])
def test_kind_licence_and_environment_type_never_move_a_tier(risky, kind):
    """They describe the item, not its risk: no tier criterion reads them."""
    app = safe_app(**risky)
    typed = app.with_changes(kind=kind, licence="Premium", environment_type=ENVIRONMENT_TYPES[0])
    policy = default_policy()
    assert classify(typed, policy, TODAY) == classify(app, policy, TODAY)
