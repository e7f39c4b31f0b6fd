"""The sample's value ledgers: what its apps save and cost, some of it never recorded.

Automations save minutes a run, many times a month; apps save hours a month; a Tier 1–2
solution replaced 0.5–2 pro-dev days, a Tier 3–4 one weeks of them. Most licences come from
the plan's price in the policy; a few apps know their own cost. About a third of each input
is unknown, as in a real register, so the Programme page has unknowns to count.
"""

from __future__ import annotations

AUTOMATION_KINDS = frozenset({"cloud_flow", "desktop_flow"})
AUTOMATION_PLATFORMS = frozenset({"Power Automate", "Zapier", "UiPath"})
SAVING = frozenset({"pilot", "production", "retired"})  # built: their owners know what they save
BACKLOG_PREFIXES = ("DMND", "ITREQ-", "BKLG-")


def ledger(facts: dict, tier: int, rnd) -> dict:
    """The ledger fields of one generated app (None: unknown)."""
    if facts.get("lifecycle") not in SAVING:
        return {"prodev_estimate_hours": _estimate(tier, rnd) if rnd() < 0.3 else None}
    found = _savings(facts, rnd)
    found["prodev_estimate_hours"] = _estimate(tier, rnd) if rnd() < 0.65 else None
    found["licence_cost_per_month"] = (10 * (1 + int(rnd() * 40))
                                       if rnd() < 0.15 else None)
    found["it_backlog_item"] = _backlog_item(rnd) if rnd() < 0.15 else None
    return found


def _savings(facts: dict, rnd) -> dict:
    automation = (facts.get("kind") in AUTOMATION_KINDS
                  or facts.get("platform") in AUTOMATION_PLATFORMS)
    found = {"hours_saved_per_month": None, "minutes_saved_per_run": None, "runs_per_month": None}
    if automation and rnd() < 0.7:
        found["minutes_saved_per_run"] = 1 + int(rnd() * 15)
        found["runs_per_month"] = int(10 * 100 ** rnd())  # 10 to 1,000: mostly under 200
        if rnd() < 0.15:  # the owner's monthly guess as well
            found["hours_saved_per_month"] = 1 + int(rnd() * 60)
    elif not automation and rnd() < 0.6:
        found["hours_saved_per_month"] = 1 + int(rnd() * 12) * (1 + int(rnd() * 6))
    return found


def _estimate(tier: int, rnd) -> int:
    if tier <= 2:
        return 4 * (1 + int(rnd() * 4))  # 0.5 to 2 pro-dev days
    return 40 * (1 + int(rnd() * 8))  # one to eight weeks


def _backlog_item(rnd) -> str:
    prefix = BACKLOG_PREFIXES[int(rnd() * len(BACKLOG_PREFIXES))]
    return f"{prefix}{1000 + int(rnd() * 9000)}"
