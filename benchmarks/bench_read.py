"""Time reading and normalising a 100,000-row × 20-column inventory.

Run: `.venv/bin/python benchmarks/bench_read.py [--rows N] [--keep DIR]`.
Prints `read_100k_s` (read_table alone) and `normalise_100k_s` (read_table + mapping +
normalise_table, end to end), with `calamine_100k_s` (python-calamine alone, the floor)
and `normalise_only_100k_s` (normalise_table on a table already read) for context; each
is the best of --repeat runs. The workbook is generated once per run into a temporary directory with
openpyxl's write-only mode (or kept in --keep DIR), so nothing is committed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

HEADERS = (
    "App Display Name", "App ID", "Platform", "Environment Name", "Status",
    "Department/BU", "Scope", "# of users", "Data Classification", "Data categories",
    "Compliance", "Connectors", "Business Impact", "Custom code", "Support",
    "DR plan", "Owner Email", "Co-owners", "Created On", "Last Modified On",
)

_PLATFORMS = ("Power Apps", "Power Automate", "Salesforce", "ServiceNow", "Mendix", "UiPath")
_LIFECYCLES = ("Prod", "Live", "Dev", "Pilot", "Retired", "production", "In development")
_DEPARTMENTS = ("Finance", "HR", "Sales", "Operations", "IT", "Legal", "Marketing")
_SCOPES = ("Team", "Department", "Cross-department", "Org-wide", "Personal")
_USERS = ("1,200", "35", 12, 480.0, "n/a", "", "2 500", 7)
_SENSITIVITY = ("Internal", "Confidential", "Highly confidential", "Public", "Restricted")
_CATEGORIES = ("", "PII", "PII; Payment", "Health", "Financial", "Card data, PII")
_COMPLIANCE = ("", "GDPR", "HIPAA; GDPR", "PCI-DSS", "Sarbanes-Oxley", "None")
_INTEGRATIONS = ("", "SharePoint:read", "SAP:write; SharePoint:read", "Dataverse:rw",
                 "Salesforce:both; SAP:w", "Outlook")
_CRITICALITY = ("Low", "Medium", "High", "Critical", "Business critical")
_YES_NO = ("Yes", "No", "Y", "N", "TRUE", "FALSE", "x", "", "-", 1, 0)
_SUPPORT = ("None", "Team", "IT", "Central IT")
_DATE_TEXTS = ("03/04/2025", "2024-11-30", "15 Jan 2024", "April 3, 2025", "")


def write_inventory(path: Path, rows: int, seed: int = 7) -> None:
    """Write a messy inventory of `rows` apps to `path` with openpyxl write-only mode."""
    from openpyxl import Workbook

    rnd = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Apps")
    ws.append(["Low-code app inventory (exported)"])
    ws.append([])
    ws.append(list(HEADERS))
    base = date(2021, 1, 1)
    owners = [f"maker{n}@example.com" for n in range(2000)]
    for n in range(rows):
        ws.append(_inventory_row(rnd, n, base, owners))
    wb.save(path)


def _inventory_row(rnd: random.Random, n: int, base: date, owners: list[str]) -> list:
    choice = rnd.choice
    created = base + timedelta(days=rnd.randrange(1500))
    modified = choice((created + timedelta(days=rnd.randrange(300)), choice(_DATE_TEXTS),
                       45000 + rnd.randrange(700)))
    return [
        f"App {n}", f"APP-{n:06d}", choice(_PLATFORMS), choice(("Default", "Prod", "Dev")),
        choice(_LIFECYCLES), choice(_DEPARTMENTS), choice(_SCOPES), choice(_USERS),
        choice(_SENSITIVITY), choice(_CATEGORIES), choice(_COMPLIANCE), choice(_INTEGRATIONS),
        choice(_CRITICALITY), choice(_YES_NO), choice(_SUPPORT), choice(_YES_NO),
        choice(owners), f"{choice(owners)}; {choice(owners)}", created, modified,
    ]


def main(argv: list[str] | None = None) -> None:
    """Generate the workbook, then time read_table and read_table + normalise_table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the workbook here and keep it")
    parser.add_argument("--repeat", type=int, default=3, help="report the best of N runs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        path = folder / "inventory_100k.xlsx"
        if not path.exists():
            write_inventory(path, args.rows)
        _time_it(path, args.repeat)


def _time_it(path: Path, repeat: int) -> None:
    from python_calamine import CalamineWorkbook

    from fusiondesk.sheets.mapping import mapping_for
    from fusiondesk.sheets.normalise import normalise_table
    from fusiondesk.sheets.reader import read_table

    def calamine_only():
        with CalamineWorkbook.from_path(path) as workbook:
            return workbook.get_sheet_by_index(0).to_python()

    def read_and_normalise():
        table = read_table(path)
        return table, normalise_table(table, mapping_for(table.headers))

    calamine_s = _best_of(repeat, calamine_only)[0]
    read_s, table = _best_of(repeat, lambda: read_table(path))
    mapping = mapping_for(table.headers)
    only_s, normalised = _best_of(repeat, lambda: normalise_table(table, mapping))
    total_s = _best_of(repeat, read_and_normalise)[0]
    print(f"rows {len(table.rows)} columns {len(table.headers)} "
          f"problems {len(normalised.problems)}")
    print(f"calamine_100k_s {calamine_s:.2f}")
    print(f"read_100k_s {read_s:.2f}")
    print(f"normalise_100k_s {total_s:.2f}")
    print(f"normalise_only_100k_s {only_s:.2f}")


def _best_of(repeat: int, run):
    """The fastest of `repeat` runs (other load on the machine only ever adds time)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


if __name__ == "__main__":
    main()
