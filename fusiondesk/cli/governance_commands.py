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
    policy.set_defaults(run=run_policy)


def run_classify(args) -> int:
    """`classify`: the computed governance of every app."""
    from fusiondesk.cli.listing import print_listing

    print_listing(args, "classify", "classify-table", ["app_id", "name", "classification"])
    return 0


def run_policy(args) -> int:
    """`policy`: print the policy in force; `--set KEY=VALUE` changes it and reclassifies."""
    from fusiondesk.services.classification.governance import change_policy
    from fusiondesk.services.classification.reclassify import policy_in_force

    if args.keys:
        print_table([{"key": k, "meaning": describe_policy_key(k)} for k in policy_keys()], ["key", "meaning"])
        return 0
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


def _split_setting(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ValueError(f"--set takes KEY=VALUE, got '{text}'")
    return key.strip(), value.strip()
