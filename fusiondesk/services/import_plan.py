"""What an import will do, before it does anything: read, map, normalise, match, diff.

`plan_import` reads every sheet (or the one named), maps its columns (the profile's
mapping first, else the confident suggestions), normalises the cells and matches each
row against the portfolio. The plan it returns holds the counts, every created app,
every updated app with its field-by-field differences, and every problem found; nothing
is written until `importer.apply_import` is given the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from fusiondesk.sheets.mapping import (
    APPS, PEOPLE, _SHEET_ENTITIES, detect_entity, fields_for, header_key, mapping_for,
)
from fusiondesk.sheets.normalise import NormalisedTable, NormaliseOptions, normalise_table
from fusiondesk.sheets.problems import WARNING, MappingError, Problem, SheetError, column_label
from fusiondesk.sheets.profile import Profile, load_profile
from fusiondesk.sheets.reader import RawTable, read_table, read_tables

CREATED, UPDATED, UNCHANGED, INVALID = "created", "updated", "unchanged", "invalid"


@dataclass(frozen=True, slots=True)
class FieldDiff:
    """One field an import changes: its value in the portfolio and in the file."""

    field: str
    old: Any
    new: Any


@dataclass(slots=True)
class PlannedApp:
    """An app row the import creates or updates.

    `values` are the canonical values to write: every mapped field for a created app,
    only the changed fields for an updated one.
    """

    action: str
    sheet: str
    row: int
    app_id: str
    name: str
    values: dict[str, Any]
    db_id: int | None = None
    version: int | None = None
    diffs: tuple[FieldDiff, ...] = ()


@dataclass(slots=True)
class PlannedPerson:
    """A person row the import creates or updates (keyed by e-mail)."""

    action: str
    sheet: str
    row: int
    email: str
    values: dict[str, Any]
    db_id: int | None = None
    version: int | None = None
    diffs: tuple[FieldDiff, ...] = ()


@dataclass(slots=True)
class Counts:
    """How many rows of one kind each outcome has."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0

    def add(self, action: str, n: int = 1) -> None:
        """Count `n` more rows with this outcome."""
        setattr(self, action, getattr(self, action) + n)

    def as_dict(self) -> dict[str, int]:
        """The counts as a plain dict, in the CLI's key order."""
        return {"created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "invalid": self.invalid}


@dataclass(frozen=True, slots=True)
class SheetPlan:
    """One imported sheet: what it holds and how its columns were mapped."""

    sheet: str
    entity: str
    header_row: int
    mapping: dict[str, str]  # source header → canonical field
    labels: dict[str, str]  # canonical field → "Header (C)", for problems
    rows: int
    from_profile: bool = False


@dataclass(slots=True)
class Inventory:
    """A file read, mapped and normalised: ready to be matched against a portfolio."""

    source: str  # the file name
    sheets: list[SheetPlan]
    tables: list[NormalisedTable]
    problems: list[Problem] = field(default_factory=list)  # sheet-level warnings


@dataclass(slots=True)
class ImportPlan:
    """Everything an import would change, and every problem it found; nothing written yet."""

    source: str
    sheets: list[SheetPlan]
    apps: list[PlannedApp] = field(default_factory=list)  # created and updated
    people: list[PlannedPerson] = field(default_factory=list)  # created and updated
    new_owners: list[str] = field(default_factory=list)  # owners added as people
    counts: dict[str, Counts] = field(default_factory=lambda: {APPS: Counts(), PEOPLE: Counts()})
    problems: list[Problem] = field(default_factory=list)

    @property
    def totals(self) -> Counts:
        """Rows of every sheet together: apps and people."""
        total = Counts()
        for counts in self.counts.values():
            for action, n in counts.as_dict().items():
                total.add(action, n)
        return total

    @property
    def errors(self) -> list[Problem]:
        """Problems that left a cell unknown or a row out."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """Problems the user should check, where a value was still read."""
        return [p for p in self.problems if not p.is_error]

    @property
    def has_changes(self) -> bool:
        """True if applying the plan would write anything."""
        return bool(self.apps or self.people or self.new_owners)

    def apps_with(self, action: str) -> list[PlannedApp]:
        """The planned apps with one outcome (created or updated)."""
        return [app for app in self.apps if app.action == action]

    def summary(self) -> dict[str, Any]:
        """Counts and problems in the shape `fusiondesk import --json` prints."""
        return summary_of(self.totals, self.problems)


def summary_of(totals: Counts, problems: list[Problem]) -> dict[str, Any]:
    """The JSON summary of an import: counts, then errors and warnings as plain dicts."""
    return {**totals.as_dict(),
            "errors": [p.to_dict() for p in problems if p.is_error],
            "warnings": [p.to_dict() for p in problems if not p.is_error]}


# --- reading --------------------------------------------------------------------------

def read_inventory(path: str | PathLike, sheet: str | None = None,
                   profile: Profile | str | PathLike | None = None,
                   date_order: str | None = None) -> Inventory:
    """Read, map and normalise a file; SheetError says why it cannot be imported."""
    path = Path(path)
    if profile is not None and not isinstance(profile, Profile):
        profile = load_profile(profile)
    sheet = sheet or (profile.sheet if profile else None)
    options = NormaliseOptions(date_order or (profile.date_order if profile else "dmy"))
    tables = [read_table(path, sheet)] if sheet else _entity_sheets(read_tables(path))
    inventory = Inventory(path.name, [], [])
    skipped: list[SheetError] = []
    for table in tables:
        try:
            _add_table(inventory, table, profile, options)
        except MappingError as error:
            if sheet or len(tables) == 1:
                raise
            skipped.append(error)
            inventory.problems.append(Problem(table.sheet, table.header_row, "", "",
                                              f"sheet skipped: {error}", WARNING))
    if not inventory.tables:
        raise skipped[0]
    # People first: the owners named on the apps sheet may be defined there.
    inventory.tables.sort(key=lambda t: t.entity != PEOPLE)
    return inventory


def _entity_sheets(tables: list[RawTable]) -> list[RawTable]:
    """The sheets named Apps, People (or a synonym) when there are any, else every sheet.

    A workbook such as the audit export holds other tables beside its "Apps" sheet; those
    are not inventories and must not be imported as apps.
    """
    named = [t for t in tables if header_key(t.sheet) in _SHEET_ENTITIES]
    return named or tables


def _add_table(inventory: Inventory, table: RawTable, profile: Profile | None,
               options: NormaliseOptions) -> None:
    entity, mapping, from_profile = _mapping(table, profile)
    value_maps = profile.values if from_profile else None
    normalised = normalise_table(table, mapping, value_maps, options, entity)
    positions = {header: i for i, header in enumerate(table.headers)}
    labels = {name: column_label(header, table.columns[positions[header]])
              for header, name in mapping.items() if name}
    inventory.tables.append(normalised)
    inventory.sheets.append(SheetPlan(table.sheet, normalised.entity, table.header_row,
                                      dict(mapping), labels, len(table.rows), from_profile))


def _mapping(table: RawTable, profile: Profile | None) -> tuple[str, dict[str, str], bool]:
    """(entity, header → field, whether the profile gave it) for one sheet."""
    named = _SHEET_ENTITIES.get(header_key(table.sheet))
    if profile is not None and named in (None, profile.entity):
        mapping = profile.mapping(table.headers)
        if mapping:
            return profile.entity, mapping, True
    entity = detect_entity(table.headers, table.sheet)
    return entity, mapping_for(table.headers, fields_for(entity)), False


# --- planning -------------------------------------------------------------------------

def plan_import(session: Session, path: str | PathLike, sheet: str | None = None,
                profile: Profile | str | PathLike | None = None,
                date_order: str | None = None) -> ImportPlan:
    """Read a file and say what importing it would change; nothing is written."""
    return plan_from_inventory(session, read_inventory(path, sheet, profile, date_order))


def plan_from_inventory(session: Session, inventory: Inventory) -> ImportPlan:
    """Match an inventory already read against the portfolio (rows, owners, duplicates)."""
    from fusiondesk.services.import_match import plan_apps, plan_people

    plan = ImportPlan(inventory.source, list(inventory.sheets))
    labels = {sheet.sheet: sheet.labels for sheet in inventory.sheets}
    people_tables = [t for t in inventory.tables if t.entity == PEOPLE]
    app_tables = [t for t in inventory.tables if t.entity == APPS]
    problems = list(inventory.problems)
    known = plan_people(session, plan, people_tables, labels, problems)
    plan_apps(session, plan, app_tables, labels, known, problems)
    order = {sheet.sheet: n for n, sheet in enumerate(inventory.sheets)}
    plan.problems = sorted(problems, key=lambda p: (order.get(p.sheet, -1), p.row))
    return plan
