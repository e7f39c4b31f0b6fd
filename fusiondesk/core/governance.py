"""What each tier means in practice: who builds, how it is reviewed, how it ships.

From DOMAIN.md's tier table. Review timings (SLA, cadence) are policy, not
governance text: see Policy.sla_hours and Policy.cadence_days.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Governance:
    """The governance model of one tier."""

    tier: int
    builder: str
    review: str
    review_mode: str  # self_certification | asynchronous | synchronous | full_lifecycle
    deployment: str


# The colour of each tier, the same in the window and in exported workbooks.
TIER_COLOURS: dict[int, str] = {1: "#2e7d32", 2: "#1565c0", 3: "#ef6c00", 4: "#c62828"}

GOVERNANCE: dict[int, Governance] = {
    4: Governance(4, "pro-dev builds and owns; citizen supplies requirements",
                  "full development lifecycle", "full_lifecycle", "pro-dev deploys"),
    3: Governance(3, "citizen builds UI and logic, pro-dev the rest",
                  "synchronous design review", "synchronous", "joint deployment"),
    2: Governance(2, "citizen with a template",
                  "asynchronous pro-dev review", "asynchronous", "pro-dev promotes to production"),
    1: Governance(1, "citizen, independently",
                  "self-certification", "self_certification", "citizen deploys directly"),
}


def governance_for(tier: int) -> Governance:
    """The governance model of `tier` (1-4); ValueError for any other tier."""
    try:
        return GOVERNANCE[tier]
    except (KeyError, TypeError):
        raise ValueError(f"There is no Tier {tier!r}; tiers are 1 to 4.") from None
