"""Which apps, tiers, owners and departments each connector touches, and what blocking one would do.

The question a CoE lead asks before changing a data (DLP) policy: "if we block X, who is
hit?". The summary lists every connected system with its group under the policy in force
and how many apps of each tier use it; the impact of one system lists those apps with
their owners and departments, and the what-if of blocking it (the same comparison as
`policy --what-if connectors.blocked=...`). Nothing is written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from fusiondesk.core.connectors import groups_on
from fusiondesk.core.facts import Integration
from fusiondesk.core.policy import Policy, PolicyError, name_key, policy_value_text
from fusiondesk.db.store import Session
from fusiondesk.db.store.apps import load_facts
from fusiondesk.db.store.integrations import connector_uses
from fusiondesk.services.classification.governance import edited_policy
from fusiondesk.services.classification.reclassify import policy_in_force
from fusiondesk.services.classification.what_if import WhatIf, what_if

BLOCKED_KEY = "connectors.blocked"


@dataclass
class ConnectorUse:
    """One connected system: its group in the policy, and the apps that use it."""

    system: str  # the portfolio's first spelling
    group: str  # the group the policy gives the name on its own (lists, else the default)
    listed: bool  # whether a list names it (else it is in the default group)
    by_tier: Counter = field(default_factory=Counter)  # tier -> apps
    by_group: Counter = field(default_factory=Counter)  # group as it holds on each app -> apps

    @property
    def apps(self) -> int:
        """How many apps use the system."""
        return sum(self.by_tier.values())

    def as_dict(self) -> dict:
        """The `connectors --json` row."""
        return {"system": self.system, "group": self.group, "listed": self.listed,
                "apps": self.apps, "by_tier": {str(t): n for t, n in sorted(self.by_tier.items())},
                "by_group": dict(sorted(self.by_group.items()))}


@dataclass(frozen=True)
class ConnectorApp:
    """One app using the system: where it is, its tier, who owns it."""

    app_id: str
    name: str
    platform: str | None
    department: str | None
    tier: int
    group: str  # the system's group on this app
    owners: tuple[str, ...]

    def as_dict(self) -> dict:
        """The JSON form, in reading order."""
        return {"app_id": self.app_id, "name": self.name, "platform": self.platform,
                "department": self.department, "tier": self.tier, "group": self.group,
                "owners": list(self.owners)}


@dataclass(frozen=True)
class ConnectorImpact:
    """Everything one system touches, and what blocking it would move (None: it cannot be)."""

    use: ConnectorUse
    apps: tuple[ConnectorApp, ...]
    if_blocked: WhatIf | None
    cannot_block: str | None  # why the policy refuses to block it, in the form's words

    def departments(self) -> dict[str, int]:
        """Apps per department, most first ('' for none recorded)."""
        return dict(Counter(app.department or "" for app in self.apps).most_common())

    def owners(self) -> dict[str, int]:
        """Apps per owner, most first."""
        return dict(Counter(o for app in self.apps for o in app.owners).most_common())

    def as_dict(self) -> dict:
        """The `connectors --impact NAME --json` document."""
        moved = self.if_blocked.moved if self.if_blocked else ()
        return {**self.use.as_dict(), "departments": self.departments(), "owners": self.owners(),
                "used_by": [app.as_dict() for app in self.apps],
                "if_blocked": None if self.if_blocked is None else {
                    "checked": self.if_blocked.checked,
                    "changed": [m.as_dict() for m in moved]},
                "cannot_block": self.cannot_block}


def connector_summary(session: Session, policy: Policy | None = None) -> list[ConnectorUse]:
    """Every connected system with its group and app count by (stored) tier, most used first."""
    policy = policy or policy_in_force(session)
    uses: dict[str, ConnectorUse] = {}
    for _app_id, tier, (system, group) in _placed(session, policy):
        key = system.casefold()
        use = uses.get(key) or uses.setdefault(key, _use(system, policy))
        use.by_tier[tier] += 1
        use.by_group[group] += 1
    return sorted(uses.values(), key=lambda u: (-u.apps, u.system.casefold()))


def connector_impact(session: Session, system: str) -> ConnectorImpact:
    """The apps using `system` (owners, departments, tiers) and the what-if of blocking it."""
    policy, key = policy_in_force(session), name_key(system)
    use, tier_of, group_of = _use(system.strip(), policy), {}, {}
    for app_id, tier, (spelled, group) in _placed(session, policy):
        if spelled.casefold() == key:
            use.system = spelled
            use.by_tier[tier] += 1
            use.by_group[group] += 1
            tier_of[app_id], group_of[app_id] = tier, group
    described = load_facts(session, list(tier_of)) if tier_of else {}
    apps = sorted((_app(described[i], tier_of[i], group_of[i]) for i in tier_of),
                  key=lambda a: (-a.tier, a.name.casefold(), a.app_id))
    if_blocked, refused = _if_blocked(session, policy, use.system)
    return ConnectorImpact(use, tuple(apps), if_blocked, refused)


def _if_blocked(session: Session, policy: Policy, system: str) -> tuple[WhatIf | None, str | None]:
    blocked = policy_value_text(policy, BLOCKED_KEY)
    text = f"{blocked}; {system}" if blocked else system
    try:
        return what_if(session, edited_policy(session, {BLOCKED_KEY: text})), None
    except PolicyError as refused:
        return None, refused.hint


def _placed(session: Session, policy: Policy):
    """(app id, stored tier, (system, its group on the app)) once per system an app uses.

    The stored tier is current: every policy change and rules change reclassifies."""
    app_links: dict[int, tuple] = {}
    for app_id, platform, tier, system, approved in connector_uses(session):
        app_links.setdefault(app_id, (platform, tier or 0, []))[2].append(
            Integration(system, approved=approved))
    for app_id, (platform, tier, links) in app_links.items():
        for placed in groups_on(links, platform, policy).values():
            yield app_id, tier, placed


def _use(system: str, policy: Policy) -> ConnectorUse:
    listed = policy.connector_rules.listing(system.casefold(), None)
    return ConnectorUse(system, listed or policy.unlisted_connector_group, listed is not None)


def _app(facts, tier: int, group: str) -> ConnectorApp:
    owners = tuple(dict.fromkeys(o.key for o in facts.owners if o.key))
    return ConnectorApp(facts.app_id, facts.name, facts.platform, facts.department, tier, group,
                        owners)
