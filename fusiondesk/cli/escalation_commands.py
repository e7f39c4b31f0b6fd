"""Commands about escalation cases and likely duplicates: escalations, duplicates.

`escalations` lists cases (filters: --state, --stage, --search) and moves one along the path
with one action an invocation: --open APP, --partner, --decide, --close, --link. `duplicates`
lists the groups of likely duplicates and records a decision with --decide KEY DECISION.
Services are imported inside each run_* function, so `fusiondesk --help` loads no database.
"""

from __future__ import annotations

from fusiondesk.cli.common import opened
from fusiondesk.cli.output import print_json, print_table
from fusiondesk.core.terms import DuplicateVerdict, EscalationStage

COMMANDS = ("escalations", "duplicates")
_STAGES = [s.value for s in EscalationStage]
_VERDICTS = [v.value for v in DuplicateVerdict]


def register(commands) -> None:
    """Add this module's sub-commands to the parser."""
    cases = commands.add_parser(
        "escalations", help="escalation cases: list them, or open, partner, decide, close one")
    cases.add_argument("--json", action="store_true")
    cases.add_argument("--state", choices=("open", "closed", "all"), default="all")
    cases.add_argument("--stage", choices=_STAGES)
    cases.add_argument("--search", metavar="WORDS", help="cases whose lesson, outcome, "
                       "decision, reason or app name mention every word")
    acting = cases.add_mutually_exclusive_group()
    acting.add_argument("--open", metavar="APP_ID", help="recognise the app's drift or sign")
    acting.add_argument("--partner", nargs=2, metavar=("CASE", "EMAIL"),
                        help="assign the pro-dev partner")
    acting.add_argument("--decide", nargs=2, metavar=("CASE", "TEXT"),
                        help="what is rebuilt, or 'keep as is'")
    acting.add_argument("--close", type=int, metavar="CASE",
                        help="close with --outcome and --lesson (and --policy-change)")
    acting.add_argument("--link", nargs=2, metavar=("CASE", "CHANGE_ID"),
                        help="link the case's lesson to the policy change it led to")
    acting.add_argument("--policy-changes", action="store_true",
                        help="list the policy changes a lesson can be linked to")
    cases.add_argument("--trigger", metavar="SIGN",
                       help="with --open: the warning sign (default: tier drift, else the first)")
    cases.add_argument("--reason", metavar="TEXT", help="with --open: what was recognised")
    cases.add_argument("--owner", metavar="WHO", help="with --open: who runs the case (you)")
    cases.add_argument("--outcome", metavar="TEXT")
    cases.add_argument("--lesson", metavar="TEXT")
    cases.add_argument("--policy-change", metavar="CHANGE_ID")
    cases.set_defaults(run=run_escalations)

    dups = commands.add_parser("duplicates", help="groups of apps likely built twice, scored")
    dups.add_argument("--json", action="store_true")
    dups.add_argument("--all", action="store_true", help="decided groups too (text output)")
    dups.add_argument("--decide", nargs=2, metavar=("KEY", "DECISION"),
                      help=f"record a decision on a group: one of {', '.join(_VERDICTS)}")
    dups.add_argument("--note", metavar="TEXT")
    dups.set_defaults(run=run_duplicates)


def run_escalations(args) -> int:
    """`escalations`: the cases; with an action, that step first (one transaction)."""
    from fusiondesk.services import escalations as cases

    with opened(args) as portfolio:
        if args.policy_changes:
            with portfolio.reading() as session:
                return _print_policy_changes(args, cases.policy_changes(session))
        acted = _act(args)
        if acted is not None:
            with portfolio.transaction() as session:
                done = acted(session, portfolio.user)
                case = cases.load_case(session, int(done.changes[0].key.rpartition("#")[2]))
            if not args.json:
                print(f"Case {case.id} ({case.app_id}, {case.app_name}): {case.stage}. "
                      f"Next: {case.next_step}.")
                return 0
        with portfolio.reading() as session:
            found = cases.list_cases(session, {"open": True, "closed": False}.get(args.state),
                                     args.stage, args.search)
    if args.json:
        print_json([case.as_dict() for case in found])
        return 0
    print_table([{"case": c.id, "app_id": c.app_id, "stage": c.stage, "from": c.trigger_label,
                  "owner": c.owner, "partner": c.partner_email or "",
                  "since": c.recognised_on.isoformat(),
                  "next / lesson": c.lesson if not c.is_open else c.next_step} for c in found],
                ["case", "app_id", "stage", "from", "owner", "partner", "since", "next / lesson"])
    return 0


def _act(args):
    """The step asked for, as (session, who) -> ChangeSet; None when only listing."""
    from fusiondesk.services import escalations as cases

    if args.open:
        return lambda s, who: cases.open_case(s, args.open, _trigger(s, args), who,
                                              args.owner, args.reason)
    if args.partner:
        return lambda s, who: cases.assign_partner(s, _case(args.partner[0]), args.partner[1], who)
    if args.decide:
        return lambda s, who: cases.decide_rebuild(s, _case(args.decide[0]), args.decide[1], who)
    if args.close is not None:
        return lambda s, who: cases.close_case(s, args.close, args.outcome, args.lesson, who,
                                               args.policy_change)
    if args.link:
        return lambda s, who: cases.link_policy_change(s, _case(args.link[0]), args.link[1], who)
    return None


def _trigger(session, args) -> str:
    from fusiondesk.services.escalations import app_triggers

    if args.trigger:
        return args.trigger
    signs = app_triggers(session, args.open)
    if not signs:
        raise ValueError(f"app {args.open} shows no drift and no warning sign: nothing to escalate")
    return signs[0]


def _case(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"'{text}' is no case number; `fusiondesk escalations` lists them") from None


def _print_policy_changes(args, changes) -> int:
    rows = [{"change_id": c, "at": str(at), "who": who, "settings": fields}
            for c, at, who, fields in changes]
    if args.json:
        print_json(rows)
    else:
        print_table(rows, ["change_id", "at", "who", "settings"])
    return 0


def run_duplicates(args) -> int:
    """`duplicates`: groups of likely duplicates; `--decide KEY DECISION` records a decision."""
    from fusiondesk.services import duplicates

    with opened(args) as portfolio:
        if args.decide:
            with portfolio.transaction() as session:
                duplicates.decide_by_key(session, args.decide[0], args.decide[1],
                                         portfolio.user, args.note)
            if not args.json:
                print(f"Decision '{args.decide[1]}' recorded for group {args.decide[0]}.")
                return 0
        with portfolio.reading() as session:
            report = duplicates.find_groups(session)
    if args.json:
        print_json(report.as_dict())
        return 0
    shown = report.undecided + ([g for g, _ in report.decided] if args.all else [])
    decided = {g.key: d.decision for g, d in report.decided}
    print(f"{len(report.undecided)} groups of likely duplicates await a decision "
          f"({len(report.decided)} decided) among {report.apps} apps.")
    print_table([{"key": g.key, "score": f"{g.score:.2f}", "apps": ", ".join(g.app_ids),
                  "decision": decided.get(g.key, ""), "why": "; ".join(g.reasons)}
                 for g in shown], ["key", "score", "apps", "decision", "why"])
    return 0
