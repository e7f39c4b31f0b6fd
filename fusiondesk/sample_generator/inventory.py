"""The generated sample as the inventory workbook a CoE lead imports, spelled as exports spell it.

`python -m fusiondesk.sample_generator.inventory [--apps N] [--seed S] [--out PATH] [--clean]`
writes one; without arguments, sample_data/sample_inventory.xlsx from generate(400, seed=7).
(`sample_data/make_sample.py` writes the shipped workbook together with the shipped portfolio.)
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from openpyxl import Workbook

from fusiondesk.core.facts import AppFacts, Owner, PersonFacts
from fusiondesk.core.fields import (
    APP_COLUMNS,
    APP_FIELD_BY_NAME,
    APP_FIELDS,
    BOOL,
    DATE,
    EMAILS,
    INT,
    INTEGRATIONS,
    LIST,
    OWNER_COLUMNS,
    PERSON_COLUMNS,
    PERSON_FIELD_BY_NAME,
    PERSON_FIELDS,
    TIER,
)
from fusiondesk.sample_generator import SamplePortfolio, generate
from fusiondesk.sheets.writer import save_workbook

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "sample_data" / "sample_inventory.xlsx"
MESSY_CELL_RATE = 0.05  # share of filled cells spelled the way a real export spells them


def write_inventory_xlsx(sample: SamplePortfolio, path: str | Path, messy: bool = True,
                         seed: int = 7) -> Path:
    """Write "Apps" and "People" sheets under the canonical headers; messy adds export noise."""
    rng = random.Random(seed)
    apps = [app_row(app) for app in sample.apps]
    people = [person_row(person) for person in sample.people]
    if messy:
        apps = messy_rows(apps, APP_COLUMNS, rng, duplicates=2, blanks=2)
        people = messy_rows(people, PERSON_COLUMNS, rng, duplicates=1, blanks=1)
    # Write-only mode streams rows, so even a 100k-app sample fits in memory and time.
    workbook = Workbook(write_only=True)
    for title, columns, rows in (("Apps", APP_COLUMNS, apps), ("People", PERSON_COLUMNS, people)):
        sheet = workbook.create_sheet(title)
        sheet.append(list(columns))
        for row in rows:
            sheet.append(row)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    save_workbook(workbook, path)
    return path


def app_row(app: AppFacts) -> list:
    """One app as flat-sheet cells, in APP_FIELDS order."""
    owners = owner_cells(app.owners)
    return [owners[f.name] if f.name in owners else _cell(getattr(app, f.name), f.kind)
            for f in APP_FIELDS]


def person_row(person: PersonFacts) -> list:
    """One person as flat-sheet cells, in PERSON_FIELDS order."""
    return [_cell(getattr(person, f.name), f.kind) for f in PERSON_FIELDS]


def owner_cells(owners: tuple[Owner, ...]) -> dict[str, str | None]:
    """The owner columns: ;-joined emails per role, and the owning teams by name."""
    cells = {column: _joined([o.email for o in owners if o.role == role and o.email])
             for column, role in OWNER_COLUMNS.items()}
    cells["owner_team"] = _joined([o.team for o in owners if o.team])
    return cells


def messy_rows(rows: list[list], columns: tuple[str, ...], rng: random.Random,
               duplicates: int, blanks: int) -> list[list]:
    """Rows as a real export has them: odd spellings, exact duplicate rows, blank rows."""
    rows = [[messify(value, column, rng) if value is not None and rng.random() < MESSY_CELL_RATE
             else value for value, column in zip(row, columns)] for row in rows]
    for _ in range(duplicates if rows else 0):
        i = rng.randrange(len(rows))
        rows.insert(i + 1, list(rows[i]))
    for _ in range(blanks if len(rows) > 1 else 0):
        # Never last: a trailing blank row is invisible once saved.
        rows.insert(rng.randrange(1, len(rows)), [None] * len(columns))
    return rows


MESSY_BOOLS = {"yes": ("Yes", "Y", "TRUE", "1", "y", "True"), "no": ("No", "N", "FALSE", "0", "n")}
EMAIL_FIELDS = {"email", "manager_email"}


def messify(value, field_name: str, rng: random.Random):
    """The same cell spelled as real exports spell it: "Y", "1,200", "03/04/2025", "X "."""
    if value is None or value == "":
        return value
    field = APP_FIELD_BY_NAME.get(field_name) or PERSON_FIELD_BY_NAME.get(field_name)
    kind = field.kind if field else None
    if kind == BOOL and value in MESSY_BOOLS:
        return rng.choice(MESSY_BOOLS[value])
    if kind in (INT, TIER):
        return f"{value:,}"  # a number stored as text, with a thousands separator
    if kind == DATE:
        return value.isoformat() if rng.random() < 0.5 else value.strftime("%d/%m/%Y")
    if kind == EMAILS or field_name in EMAIL_FIELDS:
        return value.upper() if rng.random() < 0.7 else value + " "
    if kind in (LIST, INTEGRATIONS) and "; " in value and rng.random() < 0.5:
        return value.replace("; ", ";")
    return f"{value}{' ' if rng.random() < 0.7 else '  '}"  # stray trailing spaces


def _cell(value, kind: str):
    if value is None:
        return None
    if kind == BOOL:
        return "yes" if value else "no"
    if kind == INTEGRATIONS:
        return _joined([integration.to_text() for integration in value]) or KNOWN_NONE
    if kind in (LIST, EMAILS):
        return _joined(value) or KNOWN_NONE
    return value


# A blank cell means "unknown"; a list known to be empty is written as the word the
# reader takes for that, so "no compliance regime" survives a round trip.
KNOWN_NONE = "none"


def _joined(items) -> str | None:
    return "; ".join(items) or None


def main(argv: list[str] | None = None) -> int:
    """Command line: write the sample inventory workbook."""
    parser = argparse.ArgumentParser(description="Write a realistic sample inventory xlsx.")
    parser.add_argument("--apps", type=int, default=400, help="number of apps (default 400)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the xlsx")
    parser.add_argument("--clean", action="store_true", help="leave out the export messiness")
    args = parser.parse_args(argv)
    sample = generate(args.apps, seed=args.seed)
    path = write_inventory_xlsx(sample, args.out, messy=not args.clean)
    print(f"Wrote {len(sample.apps)} apps and {len(sample.people)} people to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
