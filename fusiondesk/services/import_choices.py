"""What the import wizard lets a person decide before anything is written.

Per sheet: import it or not, as apps or people, which column feeds which field,
and what each unrecognised value means. `inventory_from_choices` turns those
decisions into the same Inventory the command-line import builds, so the preview
and the write are exactly what `fusiondesk import` would do with a profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fusiondesk.services.import_plan import Inventory, SheetPlan
from fusiondesk.sheets.mapping import (
    _SHEET_ENTITIES,  # the sheet names that mean apps or people
    detect_entity,
    fields_for,
    header_key,
    suggest_mapping,
)
from fusiondesk.sheets.normalise import NormaliseOptions, normalise_table, unrecognised_values
from fusiondesk.sheets.problems import column_label
from fusiondesk.sheets.profile import Profile, save_profile
from fusiondesk.sheets.reader import RawTable

MIN_CONFIDENCE = 0.6  # the same threshold the command-line import uses


@dataclass
class SheetChoice:
    """One sheet as the wizard shows it: include?, entity, mapping and value maps."""

    table: RawTable
    include: bool
    entity: str
    mapping: dict[str, str | None]  # source header -> canonical field (None: ignore)
    confidence: dict[str, float] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field -> {source: canonical}

    @property
    def mapped(self) -> dict[str, str]:
        """Only the columns that feed a field."""
        return {h: f for h, f in self.mapping.items() if f}

    def samples(self, header: str, count: int = 3) -> list[str]:
        """A few non-blank values of a column, to help people recognise it."""
        index = self.table.headers.index(header)
        found = []
        for _row, values in self.table.rows:
            value = values[index]
            if value not in (None, "") and str(value) not in found:
                found.append(str(value))
            if len(found) == count:
                break
        return found


def initial_choices(tables: list[RawTable], profile: Profile | None = None) -> list[SheetChoice]:
    """Suggested decisions for every sheet (a profile's mapping wins where it applies)."""
    named = [t for t in tables if header_key(t.sheet) in _SHEET_ENTITIES]
    return [_choice(t, include=(t in named) or not named, profile=profile) for t in tables]


def _choice(table: RawTable, include: bool, profile: Profile | None) -> SheetChoice:
    entity = detect_entity(table.headers, table.sheet)
    from_profile = profile.mapping(table.headers) if profile and profile.entity == entity else {}
    suggestions = suggest_mapping(table.headers, fields_for(entity))
    mapping, confidence = {}, {}
    for suggestion in suggestions:
        chosen = from_profile.get(suggestion.header)
        if chosen is None and suggestion.confidence >= MIN_CONFIDENCE:
            chosen = suggestion.field
        mapping[suggestion.header] = chosen
        confidence[suggestion.header] = 1.0 if suggestion.header in from_profile else suggestion.confidence
    values = dict(profile.values) if from_profile else {}
    return SheetChoice(table, include, entity, mapping, confidence, values)


def remap_entity(choice: SheetChoice, entity: str) -> None:
    """Import a sheet as the other kind of record: suggestions start again."""
    suggestions = suggest_mapping(choice.table.headers, fields_for(entity))
    choice.entity = entity
    choice.mapping = {s.header: s.field if s.confidence >= MIN_CONFIDENCE else None for s in suggestions}
    choice.confidence = {s.header: s.confidence for s in suggestions}
    choice.values = {}


def unrecognised(choice: SheetChoice, date_order: str) -> dict[str, list[str]]:
    """Values the reader could not place, per field, that a value map could fix."""
    found = unrecognised_values(choice.table, choice.mapped, choice.values,
                                NormaliseOptions(date_order), choice.entity)
    return {name: sorted(values) for name, values in sorted(found.items()) if values}


def inventory_from_choices(source: str, choices: list[SheetChoice], date_order: str) -> Inventory:
    """The Inventory of the included sheets, normalised with the chosen mappings and value maps."""
    inventory = Inventory(Path(source).name, [], [])
    options = NormaliseOptions(date_order)
    for choice in (c for c in choices if c.include):
        table = choice.table
        normalised = normalise_table(table, choice.mapped, choice.values, options, choice.entity)
        positions = {header: i for i, header in enumerate(table.headers)}
        labels = {name: column_label(header, table.columns[positions[header]])
                  for header, name in choice.mapped.items()}
        inventory.tables.append(normalised)
        inventory.sheets.append(SheetPlan(table.sheet, normalised.entity, table.header_row,
                                          choice.mapped, labels, len(table.rows), True))
    # people first: owners named on the apps sheet may be defined on the people sheet
    inventory.tables.sort(key=lambda t: t.entity != "people")
    return inventory


def save_choice_as_profile(choice: SheetChoice, name: str, date_order: str, path: Path) -> Path:
    """Save one sheet's mapping and value maps as a reusable TOML profile."""
    profile = Profile(name=name, columns=choice.mapped, values=choice.values,
                      entity=choice.entity, date_order=date_order)
    save_profile(profile, path)
    return path
