"""Connector groups, the DLP model: business, non-business or blocked, per platform where it differs.

Power Platform's data policies sort every connector into one of three groups. An app or
flow may use connectors of one group only (business with business, non-business with
non-business) and never a blocked one; a connector nobody classified falls into the
policy's default group (Non-business when Microsoft creates a data policy); and the core
Microsoft 365 connectors cannot be blocked at all.

The policy keeps a list per group. `connectors.approved` IS the Business group: existing
policy files already hold that list, so they load and classify the same apps the same way
(approved = business). An entry "Platform: Connector" holds on that platform only and beats
an entry without a platform (blocked on Power Automate, business on Salesforce). A name in
two lists of the same reach counts in the stricter group, so listing a name can only make
the policy stricter. The colon is free for this: a flat sheet writes an integration as
`System:direction`, so no system name holds one.

A connector is approved (for business data) when its record says so, unless the policy blocks
it, or, when the record does not say, when the lists put it in Business; the default group
never approves. So non-business, blocked and unlisted connectors are unapproved connectors,
the tier table's Tier 3 trigger (core.flags.survey_integrations applies this).
"""

from __future__ import annotations

from dataclasses import dataclass

from fusiondesk.core.terms import ConnectorGroup

BUSINESS, NON_BUSINESS, BLOCKED = (ConnectorGroup.BUSINESS.value, ConnectorGroup.NON_BUSINESS.value,
                                   ConnectorGroup.BLOCKED.value)
# Stricter groups win a tie: a name listed twice can only tighten the policy.
_STRICTNESS = {BUSINESS: 0, NON_BUSINESS: 1, BLOCKED: 2}
PLATFORM_SEPARATOR = ":"

# Microsoft's data policies refuse to block these core Microsoft 365 connectors (they can
# only be business or non-business), so a policy blocking one describes no real tenant.
UNBLOCKABLE = frozenset(name.casefold() for name in (
    "Approvals", "Notifications", "Office 365 Groups", "Office 365 Outlook", "Office 365 Users",
    "Planner", "Power Apps Notification", "Power BI", "SharePoint", "Shifts for Microsoft Teams",
    "Microsoft Teams", "Microsoft Dataverse", "Dataverse", "Excel Online (Business)",
    "Microsoft Forms", "OneDrive for Business", "OneNote (Business)", "Microsoft To-Do (Business)"))


def split_entry(entry: str) -> tuple[str | None, str]:
    """'Power Automate: Twitter' -> ('Power Automate', 'Twitter'); 'Twitter' -> (None, 'Twitter')."""
    platform, sep, connector = entry.partition(PLATFORM_SEPARATOR)
    if not sep:
        return None, entry.strip()
    return platform.strip() or None, connector.strip()


@dataclass(frozen=True)
class ConnectorRules:
    """The policy's connector lists as lookups, built once per policy (every app reads them)."""

    listed: dict[str, str]  # connector (casefolded) -> group
    by_platform: dict[tuple[str, str], str]  # (platform, connector), casefolded -> group
    unlisted: str  # the default group

    @classmethod
    def of(cls, groups: dict[str, tuple[str, ...]], unlisted: str) -> ConnectorRules:
        """Lookups from the lists by group ({'business': (...), 'blocked': (...)})."""
        listed: dict[str, str] = {}
        by_platform: dict[tuple[str, str], str] = {}
        for group, names in groups.items():
            for entry in names:
                platform, connector = split_entry(entry)
                if not connector:
                    continue
                table, key = ((listed, connector.casefold()) if platform is None
                              else (by_platform, (platform.casefold(), connector.casefold())))
                if _STRICTNESS[group] >= _STRICTNESS.get(table.get(key), -1):
                    table[key] = group
        return cls(listed, by_platform, unlisted)

    def listing(self, connector_key: str, platform_key: str | None) -> str | None:
        """The group the lists give a connector on a platform; None when no list names it."""
        if self.by_platform and platform_key is not None:
            group = self.by_platform.get((platform_key, connector_key))
            if group is not None:
                return group
        return self.listed.get(connector_key)

    def group(self, connector_key: str, platform_key: str | None, approved: bool | None) -> str:
        """The connector's group: the lists', else business when its record says approved,
        else the default group."""
        group = self.listing(connector_key, platform_key)
        if group is not None:
            return group
        return BUSINESS if approved is True else self.unlisted



def groups_on(integrations, platform: str | None, policy) -> dict[str, tuple[str, str]]:
    """Each system of one app (casefolded) -> (its first spelling, its group on this app),
    as the warning signs place it (core.flags.survey_integrations)."""
    rules = policy.connector_rules
    platform_key = platform.strip().casefold() if platform and platform.strip() else None
    found: dict[str, tuple[str, str]] = {}
    for link in integrations or ():
        system = link.system.strip() or "(unnamed)"
        key = system.casefold()
        if key not in found:
            found[key] = (system, rules.group(key, platform_key, link.approved))
    return found


def groups_text(integrations, platform: str | None, policy) -> str:
    """'SharePoint: business; Dropbox: non_business', for a cell ('' without integrations)."""
    return "; ".join(f"{system}: {group}"
                     for system, group in groups_on(integrations, platform, policy).values())


_POWER_PLATFORM = frozenset(("power apps", "power automate", "power pages", "copilot studio",
                             "power platform"))


def unblockable_entries(blocked: tuple[str, ...]) -> list[str]:
    """The blocked entries a Power Platform data policy could not block: one of the core
    Microsoft 365 connectors, named for every platform or for a Power Platform one."""
    found = []
    for entry in blocked:
        platform, connector = split_entry(entry)
        if connector.casefold() in UNBLOCKABLE and (platform is None
                                                     or platform.casefold() in _POWER_PLATFORM):
            found.append(entry)
    return found
