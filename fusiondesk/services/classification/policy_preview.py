"""What a policy being edited would do, before it is saved, and the names to fill it in with.

The policy form asks both on the worker thread; nothing here writes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from fusiondesk.core.policy import Policy, PortfolioNames, name_key
from fusiondesk.core.tiers import classify_many
from fusiondesk.db.store import Session
from fusiondesk.db.store.apps import load_facts
from fusiondesk.db.store.chunks import chunks
from fusiondesk.db.store.classification import app_tiers
from fusiondesk.db.store.integrations import integration_systems
from fusiondesk.services import clock
from fusiondesk.services.apps.table import distinct_values

_BATCH = 5000  # apps classified per read: bounded memory at 100,000 apps


@dataclass(frozen=True)
class TierMove:
    """One app whose tier the policy would change."""

    app_id: str
    name: str
    from_tier: int | None  # None: not classified yet
    to_tier: int


@dataclass(frozen=True)
class PolicyPreview:
    """Every app a policy would move to another tier, highest new tier first, then by name."""

    moves: list[TierMove]

    def counts(self) -> dict[tuple[int | None, int], int]:
        """How many apps would move, by (from tier, to tier)."""
        return dict(Counter((m.from_tier, m.to_tier) for m in self.moves))


def preview_policy(session: Session, policy: Policy, today: date | None = None,
                   progress=None) -> PolicyPreview:
    """The apps whose stored tier `policy` would change (nothing is written)."""
    today = today or clock.today()
    current = app_tiers(session)
    moves: list[TierMove] = []
    done = 0
    for group in chunks(list(current), _BATCH):
        facts = load_facts(session, group, for_classification=True)
        for app_id, result in zip(facts, classify_many(facts.values(), policy, today)):
            if result.tier != current[app_id]:
                app = facts[app_id]
                moves.append(TierMove(app.app_id, app.name, current[app_id], result.tier))
        done += len(group)
        if progress is not None:
            progress(done, len(current))
    moves.sort(key=lambda m: (-m.to_tier, m.name.casefold(), m.app_id))
    return PolicyPreview(moves)


def portfolio_names(session: Session) -> dict[PortfolioNames, list[str]]:
    """The platforms and connected systems the portfolio holds, to complete the policy's lists."""
    return {PortfolioNames.PLATFORMS: _one_spelling_each(distinct_values(session, "platform")),
            PortfolioNames.SYSTEMS: _one_spelling_each(integration_systems(session))}


def _one_spelling_each(names: list[str]) -> list[str]:
    # The policy matches names ignoring case, so "SharePoint" and "Sharepoint" are one entry.
    seen: dict[str, str] = {}
    for name in names:
        if name and name.strip():
            seen.setdefault(name_key(name), name.strip())
    return sorted(seen.values(), key=str.casefold)
