"""What each generated item is, its licence and its environment's type.

Only Power Platform inventories type their rows this way; other platforms' exports say
none of it. Drawn from a stream of its own (see `generate`), so these facts can change
without reshuffling the rest of the sample.
"""

from __future__ import annotations

from fusiondesk.sample_generator.vocabulary import (
    ENVIRONMENT_TYPE_BAGS,
    KIND_BAGS,
    PREMIUM_KINDS,
    PREMIUM_PLANS,
    STANDARD_CONNECTORS,
    _pick,
)

UNKNOWN_LICENCE_ODDS = 0.06  # hand-kept registers that never noted the plan


def item_type(platform: str, environment: str, integrations: tuple, rnd) -> dict:
    """Kind, licence and environment type, as a Power Platform inventory reports them."""
    kinds = KIND_BAGS.get(platform)
    if kinds is None:
        return {"kind": None, "licence": None, "environment_type": None}
    kind = _pick(kinds, rnd)
    return {"kind": kind, "licence": _licence(platform, kind, integrations, rnd),
            "environment_type": _pick(ENVIRONMENT_TYPE_BAGS[environment], rnd)}


def _licence(platform: str, kind: str, integrations: tuple, rnd) -> str | None:
    if rnd() < UNKNOWN_LICENCE_ODDS:
        return None
    premium = kind in PREMIUM_KINDS or any(i.system not in STANDARD_CONNECTORS
                                           for i in integrations)
    return _pick(PREMIUM_PLANS[platform], rnd) if premium else "Standard"
