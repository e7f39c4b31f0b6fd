"""Commands about tiers, warning signs and the policy: classify, policy.

Services are imported inside each run_* function, so that building the parser (and
`fusiondesk --help`) loads no database layer.
"""

from __future__ import annotations

from fusiondesk.cli.common import add_filters, add_json_outputs, opened
from fusiondesk.cli.output import print_json, print_table
from fusiondesk.core.policy import describe_policy_key, policy_keys, policy_to_dict

COMMANDS = ("classify", "policy")


def register(commands) -> None:
    """Add this module's sub-commands to the parser."""
    classify = commands.add_parser("classify", help="every app's tier, reasons, unknowns and flags")
    add_json_outputs(classify)
    add_filters(classify)
    classify.set_defaults(run=run_classify)

    policy = commands.add_parser("policy", help="show or change the governance policy")
    policy.add_argument("--json", action="store_true")
    policy.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="change a setting (repeatable); see --keys")
    policy.add_argument("--keys", action="store_true", help="list the settings that can be changed")
    policy.add_argument("--what-if", action="append", default=[], metavar="KEY=VALUE",
                        help="list the apps whose tier or warning signs the change would move, "
                             "with owners and departments; nothing is saved (repeatable)")
    policy.set_defaults(run=run_policy)


def run_classify(args) -> int:
    """`classify`: the computed governance of every app."""
    from fusiondesk.cli.listing_command import print_listing

    print_listing(args, "classify", "classify-table", ["app_id", "name", "classification"])
    return 0


def run_policy(args) -> int:
    """`policy`: print the policy in force; `--set KEY=VALUE` changes it and reclassifies."""
    from fusiondesk.services.classification.governance import change_policy
    from fusiondesk.services.classification.reclassify import policy_in_force

    if args.keys:
        print_table([{"key": k, "meaning": describe_policy_key(k)} for k in policy_keys()], ["key", "meaning"])
        return 0
    if args.what_if:
        if args.set:
            raise ValueError("use either --what-if or --set: a what-if saves nothing")
        return _what_if(args, dict(_split_setting(text, "--what-if") for text in args.what_if))
    changes = dict(_split_setting(text) for text in args.set)
    with opened(args) as portfolio:
        if changes:
            with portfolio.transaction() as session:
                policy, count = change_policy(session, changes, portfolio.user)
            if not args.json:
                print(f"Policy version {policy.version} saved; {count} apps reclassified.")
                return 0
        else:
            with portfolio.reading() as session:
                policy = policy_in_force(session)
    print_json(policy_to_dict(policy))
    return 0


def _what_if(args, settings: dict[str, str]) -> int:
    """`policy --what-if KEY=VALUE`: the apps the change would move; reads only."""
    from fusiondesk.services.classification.what_if import what_if_settings
    from fusiondesk.services.programme import programme_change

    with opened(args) as portfolio, portfolio.reading() as session:
        found = what_if_settings(session, settings)
        value = programme_change(session, found.before, found.after)  # issue 18's assumptions
    if args.json:
        print_json({"settings": settings, "checked": found.checked,
                    "changed": [moved.as_dict() for moved in found.moved],
                    **({"programme": value} if value else {})})
        return 0
    if value:
        print("Programme value: " + "; ".join(
            f"{key} {value['before'][key]} → {value['after'][key]}" for key in value["after"]
            if value["before"][key] != value["after"][key]))
    moves = ", ".join(f"{n} from Tier {a} to Tier {b}"
                      for (a, b), n in sorted(found.tier_moves().items()))
    print(f"{len(found.moved)} of {found.checked} apps would change"
          + (f" ({moves})" if moves else "") + "; nothing was saved.")
    if found.moved:
        print_table([{"app_id": m.app_id, "name": m.name, "tier": f"{m.tier_before} → {m.tier_after}",
                      "signs": " ".join([*(f"+{f}" for f in m.flags_added),
                                         *(f"-{f}" for f in m.flags_removed)]),
                      "department": m.department or "", "owners": ", ".join(m.owners)}
                     for m in found.moved],
                    ["app_id", "name", "tier", "signs", "department", "owners"])
    return 0


def _split_setting(text: str, option: str = "--set") -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ValueError(f"{option} takes KEY=VALUE, got '{text}'")
    return key.strip(), value.strip()
