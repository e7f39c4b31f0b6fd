"""Commands for a shared portfolio on a database server: set it up, give people roles.

Services are imported inside each run_* function, so that building the parser (and
`fusiondesk --help`) loads no database layer.
"""

from __future__ import annotations

from fusiondesk.cli.output import print_json

COMMANDS = ("server-setup", "server-grant")


def register(commands) -> None:
    """Add this module's sub-commands to the parser."""
    setup = commands.add_parser(
        "server-setup", help="create a shared portfolio on a server, with reader/editor/admin roles")
    setup.add_argument("url", help="the database URL, as its owner or a server administrator")
    setup.add_argument("--json", action="store_true")
    setup.set_defaults(run=run_setup)

    grant = commands.add_parser("server-grant", help="make a database user a reader, editor or admin")
    grant.add_argument("user", help="the database account")
    grant.add_argument("role", choices=("reader", "editor", "admin"))
    grant.set_defaults(run=run_grant)


def run_setup(args) -> int:
    """`server-setup URL`: the schema at its newest, and the three roles with their rights."""
    from fusiondesk.services.opening import set_up_server

    portfolio = set_up_server(args.url)
    try:
        where = portfolio.location.display
    finally:
        portfolio.close()
    if args.json:
        print_json({"url": where, "roles": ["reader", "editor", "admin"]})
    else:
        print(f"{where} is ready. Give people a role with: fusiondesk --db URL server-grant USER ROLE")
    return 0


def run_grant(args) -> int:
    """`server-grant USER ROLE`: one role for one database account (admins only)."""
    from fusiondesk.cli.common import opened
    from fusiondesk.services.opening import grant_role

    with opened(args) as portfolio:
        grant_role(portfolio, args.user, args.role)
    print(f"{args.user} is now {args.role}.")
    return 0
