"""`connectors`: each connected system's DLP group and the apps, tiers and owners it touches.

Services are imported inside run_connectors, so that building the parser loads no database layer.
"""

from __future__ import annotations

from fusiondesk.cli.common import opened
from fusiondesk.cli.output import print_json, print_table

COMMANDS = ("connectors",)


def register(commands) -> None:
    """Add this module's sub-command to the parser."""
    connectors = commands.add_parser(
        "connectors", help="each connected system's group (business, non-business, blocked) "
                           "and how many apps of each tier use it")
    connectors.add_argument("--json", action="store_true")
    connectors.add_argument("--impact", metavar="NAME",
                            help="the apps, tiers, owners and departments one system touches, "
                                 "and what blocking it would change; nothing is saved")
    connectors.set_defaults(run=run_connectors)


def run_connectors(args) -> int:
    """`connectors [--impact NAME]`: read only."""
    from fusiondesk.services.classification.connector_impact import (
        connector_impact,
        connector_summary,
    )

    with opened(args) as portfolio, portfolio.reading() as session:
        if args.impact:
            return _impact(args, connector_impact(session, args.impact))
        uses = connector_summary(session)
    if args.json:
        print_json({"connectors": [use.as_dict() for use in uses]})
        return 0
    print_table([{"system": u.system, "group": _group_words(u.group, u.listed), "apps": u.apps,
                  **{f"tier {t}": u.by_tier.get(t, 0) for t in (4, 3, 2, 1)},
                  "as used": _as_used(u)} for u in uses],
                ["system", "group", "apps", "tier 4", "tier 3", "tier 2", "tier 1", "as used"])
    return 0


def _impact(args, impact) -> int:
    if args.json:
        print_json(impact.as_dict())
        return 0
    use = impact.use
    print(f"{use.system} ({_group_words(use.group, use.listed)}): used by {use.apps} apps"
          + "".join(f", Tier {t}: {n}" for t, n in sorted(use.by_tier.items(), reverse=True)) + ".")
    if impact.cannot_block:
        print(impact.cannot_block)
    elif impact.if_blocked is not None:
        moved = impact.if_blocked
        print(f"Blocking it would change {len(moved.moved)} apps "
              f"({len(moved.tier_changes)} of them to another tier); nothing was saved.")
    if impact.apps:
        print_table([{"app_id": a.app_id, "name": a.name, "tier": a.tier,
                      "group": _group_words(a.group, True),
                      "department": a.department or "", "owners": ", ".join(a.owners)}
                     for a in impact.apps],
                    ["app_id", "name", "tier", "group", "department", "owners"])
    return 0


def _as_used(use) -> str:
    """How the apps' own records and platforms place it: '15 business, 8 non-business'."""
    from fusiondesk.core.labels import label
    from fusiondesk.core.terms import ConnectorGroup

    if set(use.by_group) == {use.group}:
        return ""  # every app places it in the policy's group: nothing to add
    return ", ".join(f"{n} {label(ConnectorGroup, g).lower()}" for g, n in use.by_group.most_common())


def _group_words(group: str, listed: bool) -> str:
    from fusiondesk.core.labels import label
    from fusiondesk.core.terms import ConnectorGroup

    words = label(ConnectorGroup, group)
    return words if listed else f"{words} (not listed)"
