"""Builders for the tier, flag and policy tests: a known-safe Tier 1 app to vary one fact
at a time. (A plain module, not conftest.py, so it can't clash with other test helpers.)"""

from __future__ import annotations

from datetime import date

from fusiondesk.core.facts import AppFacts, Integration, Owner
from fusiondesk.core.policy import default_policy

TODAY = date(2026, 11, 21)


def safe_app(**changes) -> AppFacts:
    """An app with every fact known and harmless: Tier 1, no flags."""
    base = AppFacts(
        app_id="APP-1", name="Leave tracker", platform="Power Apps", scope="team", users=12,
        data_sensitivity="public", data_categories=(), compliance=(), integrations=(),
        criticality="low", calc_complexity="simple", custom_code=False, support="it",
        dr_plan=True, doc_functional=True, doc_data_sources=True, doc_logic=True,
        owners=(Owner("primary", "ana@corp.example", status="active"),
                Owner("co_owner", "ben@corp.example", status="active")),
        last_used=TODAY, approved_tier=1, next_review_due=None,
    )
    return base.with_changes(**changes)


def link(system: str, direction: str | None = "read", **traits) -> Integration:
    """An integration; unless told otherwise, approved and neither external nor enterprise."""
    traits.setdefault("approved", True)
    traits.setdefault("external_api", False)
    traits.setdefault("enterprise", False)
    return Integration(system, direction, **traits)

POLICY = default_policy()
