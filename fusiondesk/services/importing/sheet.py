"""One sheet made ready to match, the same way for the command line and the wizard.

Rows that are not records (totals, repeated headers, notes) are skipped with a warning;
the mapped columns are normalised; a profile's defaults and the kind's platform fill
what the file has no column for; and a mapping under which many rows would collapse
into one app is refused, naming the column. Every column is reported with what it
became, or why it was left out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import compress
from operator import attrgetter
from typing import Any, Mapping, Sequence

from fusiondesk.core.kinds import platform_for_kind
from fusiondesk.services.importing.lengths import refuse_too_long
from fusiondesk.services.importing.plan import SheetPlan
from fusiondesk.sheets.mapping import PEOPLE, SYNONYM, ColumnSuggestion, fields_for, header_key
from fusiondesk.sheets.normalise import NormalisedTable, NormaliseOptions, normalise_table
from fusiondesk.sheets.problems import WARNING, MappingError, Problem, column_label, column_letter
from fusiondesk.sheets.profile import Profile
from fusiondesk.sheets.reader import RawTable
from fusiondesk.sheets.rows import non_records
from fusiondesk.sheets.streamed import StreamedColumns
from fusiondesk.sheets.values import converter_for

# A key column must tell rows apart: with fewer distinct values than half its rows it
# is a category ("Application type"), and importing would merge different apps.
_MIN_ROWS_TO_JUDGE = 4


class IdentityRefused(MappingError):
    """The column mapped to an app's or person's key would merge different rows; nothing is read."""


class NotAnInventory(MappingError):
    """A sheet whose headers are not, with confidence, those of an inventory or a directory."""


# Headers too common to say a sheet is an inventory: a census has a Name, a State and a
# Division; a code list has a Code, a Name and a Description. They may still be mapped.
GENERIC_HEADERS = frozenset({
    "name", "title", "state", "status", "stage", "phase", "type", "division", "team", "id",
    "number", "code", "description", "summary", "details", "desc", "notes", "note",
    "comments", "comment", "remarks", "category", "group", "region", "product", "tool",
    "instance", "tenant", "impact", "priority", "critical", "importance", "purpose",
    "application", "app", "solution", "person", "employee", "active", "mail", "login",
    "training", "certified", "bu", "dept", "department", "env", "plan", "sku", "created",
    "updated", "modified", "systems", "connections", "integration", "audience", "reach",
})
_MIN_EVIDENCE = 2  # confidently recognised, telling fields a sheet needs to be imported


@dataclass(frozen=True, slots=True)
class ColumnReport:
    """One column of the file and what it became: a field (how sure, why) or ignored (why)."""

    column: str  # the spreadsheet letter
    header: str
    field: str | None
    confidence: float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """The shape `fusiondesk import --json` prints under "columns"."""
        return {"column": self.column, "header": self.header, "field": self.field,
                "confidence": round(self.confidence, 2), "reason": self.reason}


@dataclass(slots=True)
class SheetSetup:
    """How one sheet is to be read: its mapping, where it came from, and what was left out."""

    entity: str
    mapping: dict[str, str]  # header → field
    value_maps: Mapping[str, Mapping[str, str]]
    profile: Profile | None = None  # the recognised or chosen profile, if any
    suggestions: Mapping[str, ColumnSuggestion] | None = None
    hidden: frozenset[str] = frozenset()  # headers of columns hidden in the workbook
    explicit: bool = False  # the columns were mapped by a profile or by hand, not guessed


def read_mapping(setup: SheetSetup) -> dict[str, str]:
    """{header: field} of the columns a sheet is read through (not hidden ones)."""
    return {h: f for h, f in setup.mapping.items() if f and h not in setup.hidden}


def prepare_sheet(table: RawTable, setup: SheetSetup, options: NormaliseOptions,
                  streamed: StreamedColumns | None = None) -> tuple[NormalisedTable, SheetPlan]:
    """Normalise one sheet's records under its setup; IdentityRefused if keys would merge.

    `streamed`: the sheet's columns perhaps converted while it was read (used if they fit).
    """
    mapping = read_mapping(setup)
    if not (setup.explicit or setup.profile):
        check_looks_like_inventory(table, mapping, setup)
    early = streamed.take(table) if streamed is not None else None
    skipped = non_records(table.rows, table.headers, early.texts if early else None)
    records = replace(table, rows=[r for r in table.rows if r[0] not in skipped])
    normalised = normalise_table(records, mapping, setup.value_maps, options, setup.entity,
                                 early.columns_for(records) if early else None)
    normalised.problems[:0] = [Problem(table.sheet, row, "", "", f"row skipped: {why}", WARNING)
                               for row, why in sorted(skipped.items())]
    labels = _labels(table, mapping)
    refuse_too_long(normalised, labels)
    _fill_unmapped(normalised, mapping, setup.profile)
    check_identity(normalised, labels)
    report = column_report(table, mapping, setup)
    plan = SheetPlan(table.sheet, normalised.entity, table.header_row, mapping, labels,
                     len(records.rows), setup.profile is not None, report,
                     setup.profile.name if setup.profile else None, len(skipped))
    return normalised, plan


def _labels(table: RawTable, mapping: Mapping[str, str]) -> dict[str, str]:
    positions = {header: i for i, header in enumerate(table.headers)}
    return {name: column_label(header, table.columns[positions[header]])
            for header, name in mapping.items()}


# --- what the file has no column for ------------------------------------------------

def record_fields(setup: SheetSetup) -> frozenset[str]:
    """The fields every record of a sheet read under `setup` holds: its columns', a
    profile's defaults and the platform a kind implies (see `_fill_unmapped`)."""
    mapped = set(read_mapping(setup).values())
    defaults = _defaults(mapped, setup.profile)
    implied = {"platform"} if _implies_platform(setup.entity, mapped, defaults) else set()
    return frozenset(mapped | defaults.keys() | implied)


def _defaults(mapped: set[str], profile: Profile | None) -> dict[str, Any]:
    """A profile's defaults for the fields no column feeds, as the profile writes them."""
    return {name: value for name, value in (profile.defaults if profile else {}).items()
            if name not in mapped}


def _implies_platform(entity: str, mapped: set[str], defaults: Mapping[str, Any]) -> bool:
    """Whether the platform is to follow from the kind: no column or default gives it."""
    return ("platform" not in mapped and "platform" not in defaults and "kind" in mapped
            and any(f.name == "platform" for f in fields_for(entity)))


def _fill_unmapped(table: NormalisedTable, mapping: Mapping[str, str],
                   profile: Profile | None) -> None:
    """A profile's defaults, then the platform a kind implies, for fields no column feeds."""
    mapped = set(mapping.values())
    fields = {f.name: f for f in fields_for(table.entity)}
    defaults = _defaults(mapped, profile)
    fills = {name: converter_for(fields[name])(value) for name, value in defaults.items()}
    count = len(table.records)
    if fills:  # most files state every field they have: no pass over their rows then
        for record in table.records:
            record.values.update(fills)
        _filled(table, {name: [value] * count for name, value in fills.items()})
    if _implies_platform(table.entity, mapped, defaults):
        platforms = list(map(platform_for_kind, table.column("kind")))
        for record, platform in zip(table.records, platforms):
            record.values["platform"] = platform
        _filled(table, {"platform": platforms})
        table.derived = frozenset({"platform"})


def _filled(table: NormalisedTable, columns: dict[str, list]) -> None:
    """Keep the table's columns in step with fields just filled in every record."""
    if table.by_field is not None:
        table.by_field.update(columns)


# --- is it an inventory at all --------------------------------------------------------

def evidence(mapping: Mapping[str, str], setup: SheetSetup) -> dict[str, str]:
    """{field: header} of the columns recognised surely enough to say what the sheet is."""
    suggestions = setup.suggestions or {}
    found = {}
    for header, field in mapping.items():
        suggestion = suggestions.get(header)
        if (suggestion is not None and suggestion.field == field
                and suggestion.confidence >= SYNONYM
                and header_key(header) not in GENERIC_HEADERS):
            found[field] = header
    return found


def check_looks_like_inventory(table: RawTable, mapping: Mapping[str, str],
                               setup: SheetSetup) -> None:
    """NotAnInventory unless the guessed mapping holds enough telling fields."""
    found = evidence(mapping, setup)
    if len(found) >= _MIN_EVIDENCE:
        return
    noun = "a people directory" if setup.entity == PEOPLE else "an inventory of apps"
    examples = ("E-mail, Display name, Department" if setup.entity == PEOPLE
                else "App ID, Owner, Platform, Environment")
    seen = (", ".join(f"{h} → {f}" for f, h in found.items()) if found
            else "no column with confidence")
    raise NotAnInventory(
        f"“{table.sheet}” in {table.source} does not look like {noun}: it recognised only "
        f"{seen}, and at least {_MIN_EVIDENCE} telling columns such as {examples} are "
        "needed. If it is one, map its columns in the import wizard or with a profile "
        "(--profile).")


# --- identity -----------------------------------------------------------------------

def check_identity(table: NormalisedTable, labels: Mapping[str, str]) -> None:
    """Refuse a key column under which many rows would collapse into one record."""
    key = "email" if table.entity == PEOPLE else ("app_id" if "app_id" in labels else "name")
    if key not in labels:
        return
    # gathered in C: a 100,000-row sheet is judged without a Python call per row
    valid = compress(table.column(key), map(attrgetter("valid"), table.records))
    values = list(filter(None, valid))
    distinct = set(values)
    if len(values) < _MIN_ROWS_TO_JUDGE or 2 * len(distinct) >= len(values):
        return
    examples = ", ".join(f"“{v}”" for v in sorted(map(str, distinct))[:3])
    noun = "people" if table.entity == PEOPLE else "apps"
    raise IdentityRefused(
        f"The column {labels[key]} of “{table.sheet}” is mapped to {key}, but its "
        f"{len(values)} rows hold only {len(distinct)} different values ({examples}): "
        f"{len(values)} {noun} would collapse into {len(distinct)}. Every row needs its own "
        f"{key}: map the column that has one to {key}, or ignore this one.")


# --- the columns report -------------------------------------------------------------

def column_report(table: RawTable, mapping: Mapping[str, str],
                  setup: SheetSetup) -> list[ColumnReport]:
    """Every column of the sheet with the field it feeds, or why it feeds none."""
    from_profile = setup.profile.mapping(table.headers) if setup.profile else {}
    ignored = setup.profile.ignored(table.headers) if setup.profile else {}
    suggestions = setup.suggestions or {}
    return [_reported(header, column_letter(index), mapping.get(header), from_profile,
                      ignored, suggestions.get(header), setup)
            for header, index in zip(table.headers, table.columns)]


def _reported(header: str, letter: str, field: str | None, from_profile: Mapping[str, str],
              ignored: Mapping[str, str], suggestion: ColumnSuggestion | None,
              setup: SheetSetup) -> ColumnReport:
    if header in setup.hidden:
        return ColumnReport(letter, header, None, 0.0,
                            "ignored: a hidden column of the workbook (system data)")
    if field:
        if from_profile.get(header) == field:
            return ColumnReport(letter, header, field, 1.0, f"{setup.profile.name} profile")
        if suggestion is not None and suggestion.field == field:
            return ColumnReport(letter, header, field, suggestion.confidence, suggestion.reason)
        return ColumnReport(letter, header, field, 1.0, "chosen in the mapping")
    why = ignored.get(header) or (suggestion.reason if suggestion else "not mapped")
    return ColumnReport(letter, header, None, 0.0, f"ignored: {why}")


def suggestions_by_header(suggestions: Sequence[ColumnSuggestion]) -> dict[str, ColumnSuggestion]:
    """The suggestions keyed by their header."""
    return {s.header: s for s in suggestions}
