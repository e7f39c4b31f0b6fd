"""What an import will do, before it does anything: the plan and its parts.

A plan (made by `match.plan_import`) holds the counts, every created app, every
updated app with its field-by-field differences, and every problem found; nothing is
written until `importer.apply_import` is given the plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from fusiondesk.sheets.mapping import APPS, PEOPLE
from fusiondesk.sheets.normalise import NormalisedTable
from fusiondesk.sheets.problems import Problem


class Outcome(StrEnum):
    """What an import does with one row (not the change log's "(created)" marker)."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    INVALID = "invalid"


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
    """A person row the import creates or updates (keyed by e-mail).

    `merge_from` is a person without an e-mail (an owner an export named) who is this
    person: their ownerships move here and the duplicate goes.
    """

    action: str
    sheet: str
    row: int
    email: str
    values: dict[str, Any]
    db_id: int | None = None
    version: int | None = None
    diffs: tuple[FieldDiff, ...] = ()
    merge_from: int | None = None


@dataclass(slots=True)
class Counts:
    """How many rows of one kind each outcome has."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0

    def add(self, action: Outcome, n: int = 1) -> None:
        """Count `n` more rows with this outcome."""
        setattr(self, action, getattr(self, action) + n)

    def as_dict(self) -> dict[str, int]:
        """The counts as a plain dict, in the CLI's key order."""
        return {outcome.value: getattr(self, outcome) for outcome in Outcome}


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
    columns: list = field(default_factory=list)  # a ColumnReport per column of the file
    profile: str | None = None  # the name of the format recognised (or profile given)
    skipped_rows: int = 0  # totals, repeated headers and notes: not records


@dataclass(slots=True)
class Inventory:
    """A file read, mapped and normalised: ready to be matched against a portfolio."""

    source: str  # the file name
    sheets: list[SheetPlan]
    tables: list[NormalisedTable]
    problems: list[Problem] = field(default_factory=list)  # sheet-level warnings
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet, why)


class Reported:
    """Counts per kind of row and the problems found: what a plan and a result both report."""

    counts: dict[str, Counts]
    problems: list[Problem]

    @property
    def totals(self) -> Counts:
        """Rows of every sheet together: apps and people."""
        return totals_of(self.counts)

    @property
    def errors(self) -> list[Problem]:
        """Problems that left a cell unknown or a row out."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """Problems the user should check, where a value was still read."""
        return [p for p in self.problems if not p.is_error]


@dataclass(slots=True)
class ImportPlan(Reported):
    """Everything an import would change, and every problem it found; nothing written yet."""

    source: str
    sheets: list[SheetPlan]
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet, why)
    apps: list[PlannedApp] = field(default_factory=list)  # created and updated
    people: list[PlannedPerson] = field(default_factory=list)  # created and updated
    new_owners: list[str] = field(default_factory=list)  # owners added as people
    new_named_owners: list[str] = field(default_factory=list)  # added without an e-mail
    counts: dict[str, Counts] = field(default_factory=lambda: {APPS: Counts(), PEOPLE: Counts()})
    problems: list[Problem] = field(default_factory=list)


    @property
    def has_changes(self) -> bool:
        """True if applying the plan would write anything."""
        return bool(self.apps or self.people or self.new_owners or self.new_named_owners)

    @property
    def refused_when_strict(self) -> bool:
        """A strict import writes nothing when any cell or row has an error."""
        return bool(self.totals.invalid or self.errors)

    def apps_with(self, action: str) -> list[PlannedApp]:
        """The planned apps with one outcome (created or updated)."""
        return [app for app in self.apps if app.action == action]

    def summary(self) -> dict[str, Any]:
        """Counts and problems in the shape `fusiondesk import --json` prints."""
        return summary_of(self.totals, self.problems)


def totals_of(counts: dict[str, Counts]) -> Counts:
    """The counts of every kind of row added up."""
    total = Counts()
    for kind in counts.values():
        for action, n in kind.as_dict().items():
            total.add(action, n)
    return total


def summary_of(totals: Counts, problems: list[Problem]) -> dict[str, Any]:
    """The JSON summary of an import: counts, then errors and warnings as plain dicts."""
    return {**totals.as_dict(),
            "errors": [p.to_dict() for p in problems if p.is_error],
            "warnings": [p.to_dict() for p in problems if not p.is_error]}
