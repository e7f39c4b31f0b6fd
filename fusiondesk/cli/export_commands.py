"""Commands that write workbooks: export-audit.

The audit export (openpyxl, the database) is imported only when the command runs,
so that `fusiondesk --help` stays quick.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fusiondesk.cli.common import opened
from fusiondesk.cli.output import print_json

COMMANDS = ("export-audit",)


def register(commands) -> None:
    """Add this module's sub-commands to the parser."""
    audit = commands.add_parser("export-audit", help="write the audit workbook (xlsx)")
    audit.add_argument("out", metavar="OUT.xlsx")
    audit.add_argument("--json", action="store_true")
    audit.set_defaults(run=run_export_audit)


def run_export_audit(args) -> int:
    """`export-audit OUT.xlsx`: every sheet an auditor needs, in one file."""
    from fusiondesk.services.audit.workbook import export_audit

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise ValueError(f"the audit workbook is an .xlsx file; got '{out.name}'")
    if not out.parent.exists():
        raise ValueError(f"the folder {out.parent} does not exist")
    with opened(args) as portfolio, portfolio.reading() as session:
        made = export_audit(session, out, datetime.now().replace(microsecond=0), portfolio.user,
                            portfolio.location.display)
    result = {"path": str(made.path.resolve()), "sheets": list(made.sheets), "apps": made.apps,
              "findings": made.findings}
    if args.json:
        print_json(result)
    else:
        print(f"Wrote {result['path']}: {made.apps} apps, {made.findings} findings.")
    return 0
