"""Time classifying 100,000 varied apps in the core; prints `classify_100k_s <seconds>`.

Budget: under 1 s on a 2-core laptop. Run: python benchmarks/bench_classify.py
The best of three runs is reported, so other work on the machine doesn't count.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout

from fusiondesk.core.facts import AppFacts, Integration, Owner  # noqa: E402
from fusiondesk.core.policy import default_policy  # noqa: E402
from fusiondesk.core.tiers import classify_many  # noqa: E402

TODAY = date(2026, 11, 21)
COUNT = 100_000
PLATFORMS = ("Power Apps", "Power Automate", "Zapier", "OutSystems", "Kissflow", None)
SYSTEMS = ("SharePoint", "SAP", "Salesforce", "Dropbox", "Twilio", "Workday", "SQL Server",
           "Teams", "Legacy API", "NetSuite")
DIRECTIONS = ("read", "read", "read", "write", "bidirectional", None)
STATUSES = ("active", "active", "leaving", "left", None)


def _maybe(rng: random.Random, values, unknown: float = 0.1):
    return None if rng.random() < unknown else rng.choice(values)


def _integrations(rng: random.Random) -> tuple[Integration, ...] | None:
    if rng.random() < 0.05:
        return None
    return tuple(
        Integration(rng.choice(SYSTEMS), rng.choice(DIRECTIONS),
                    approved=_maybe(rng, (True, False), 0.7),
                    asynchronous=rng.random() < 0.1)
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3, 4)))
    )


def _owners(rng: random.Random) -> tuple[Owner, ...]:
    roles = ("primary", "co_owner", "business_owner", "prodev_partner")
    owners = [Owner(rng.choice(roles), email=f"p{rng.randrange(5000)}@corp.example",
                    status=rng.choice(STATUSES)) for _ in range(rng.choice((0, 1, 1, 2, 3)))]
    if rng.random() < 0.1:
        owners.append(Owner("co_owner", team="Finance Ops"))
    return tuple(owners)


def _day(rng: random.Random, spread: int) -> date | None:
    return None if rng.random() < 0.1 else TODAY - timedelta(days=rng.randrange(-30, spread))


def make_apps(count: int = COUNT, seed: int = 1) -> list[AppFacts]:
    """`count` deterministic, varied apps, including unknown facts."""
    rng = random.Random(seed)
    return [_app(rng, n) for n in range(count)]


def _app(rng: random.Random, n: int) -> AppFacts:
    return AppFacts(
        app_id=f"APP-{n:06d}", name=f"App {n}",
        platform=rng.choice(PLATFORMS),
        scope=_maybe(rng, ("team", "team", "department", "cross_department", "enterprise", "external")),
        users=None if rng.random() < 0.1 else int(rng.paretovariate(1.2) * 5),
        data_sensitivity=_maybe(rng, ("public", "internal", "internal", "internal", "confidential",
                                      "regulated")),
        data_categories=_maybe(rng, ((), (), ("pii",), ("pii", "payment"), ("phi",))),
        compliance=_maybe(rng, ((),) * 8 + (("GDPR",), ("HIPAA", "SOX"))),
        integrations=_integrations(rng),
        criticality=_maybe(rng, ("low", "low", "medium", "medium", "high", "mission_critical")),
        calc_complexity=_maybe(rng, ("simple", "simple", "moderate", "complex")),
        custom_code=_maybe(rng, (False,) * 9 + (True,)),
        support=_maybe(rng, ("none", "team", "it")),
        dr_plan=_maybe(rng, (True, False)),
        doc_functional=_maybe(rng, (True, False)),
        doc_data_sources=_maybe(rng, (True, False)),
        doc_logic=_maybe(rng, (True, False)),
        owners=_owners(rng),
        last_used=_day(rng, 400),
        approved_tier=_maybe(rng, (1, 2, 3, 4), 0.3),
        users_at_last_review=_maybe(rng, (1, 10, 40, 200), 0.5),
        next_review_due=_day(rng, 200),
    )


def main(repeat: int = 3) -> None:
    """Build the apps (untimed), then time classifying them all; the best of `repeat` runs."""
    apps = make_apps()
    policy = default_policy()
    best = float("inf")
    for _ in range(repeat):
        # Each run starts from empty shared-explanation tables, as after a policy load.
        _forget_shared_explanations()
        start = time.perf_counter()
        classify_many(apps, policy, TODAY)
        best = min(best, time.perf_counter() - start)
    print(f"classify_100k_s {best:.3f}")


def _forget_shared_explanations() -> None:
    from fusiondesk.core import flags, tiers
    for module in (flags, tiers):
        for value in vars(module).values():
            if isinstance(value, flags.Interned):
                value.clear()


if __name__ == "__main__":
    main()
