"""Each tier's governance model, as DOMAIN.md's table states it."""

from __future__ import annotations

import pytest

from fusiondesk.core.governance import governance_for


@pytest.mark.parametrize("tier, builder, review, mode, deployment", [
    (4, "pro-dev builds and owns", "full development lifecycle", "full_lifecycle", "pro-dev deploys"),
    (3, "citizen builds UI and logic, pro-dev the rest", "synchronous design review", "synchronous",
     "joint deployment"),
    (2, "citizen with a template", "asynchronous pro-dev review", "asynchronous",
     "pro-dev promotes to production"),
    (1, "citizen, independently", "self-certification", "self_certification",
     "citizen deploys directly"),
])
def test_governance_per_tier(tier, builder, review, mode, deployment):
    g = governance_for(tier)
    assert g.tier == tier and g.builder.startswith(builder)
    assert (g.review, g.review_mode, g.deployment) == (review, mode, deployment)


@pytest.mark.parametrize("tier", [0, 5, None, "3"])
def test_there_are_only_four_tiers(tier):
    with pytest.raises(ValueError, match="tiers are 1 to 4"):
        governance_for(tier)
