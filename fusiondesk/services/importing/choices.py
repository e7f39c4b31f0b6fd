"""What the import wizard lets a person decide before anything is written.

Per sheet: import it or not, as apps or people, which column feeds which field,
and what each unrecognised value means. `inventory_from_choices` turns those
decisions into the same Inventory the command-line import builds, so the preview
and the write are exactly what `fusiondesk import` would do with a profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from fusiondesk.services.importing.plan import Inventory
from fusiondesk.services.importing.read import sheet_setup
from fusiondesk.services.importing.sheet import (
    ColumnReport,
    SheetSetup,
    column_report,
    prepare_sheet,
    suggestions_by_header,
)
from fusiondesk.sheets.mapping import (
    _SHEET_ENTITIES,  # the sheet names that mean apps or people
    PEOPLE,
    fields_for,
    header_key,
    suggest_mapping,
)
from fusiondesk.sheets.normalise import NormaliseOptions, unrecognised_values
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
    setup: SheetSetup | None = None  # the recognised format, suggestions and hidden columns

    @property
    def profile_name(self) -> str | None:
        """The format FusionDesk recognised (or the profile chosen), if any."""
        return self.setup.profile.name if self.setup and self.setup.profile else None

    def columns(self) -> list[ColumnReport]:
        """Every column with the field it feeds now, or why it feeds none."""
        return column_report(self.table, self.mapped, self._current_setup())

    def _current_setup(self) -> SheetSetup:
        setup = self.setup or SheetSetup(self.entity, {}, {})
        suggested = {h: f for h, f in setup.mapping.items() if f}
        # A mapping the lead changed by hand is theirs to import, whatever it looks like.
        return replace(setup, entity=self.entity, mapping=self.mapped, value_maps=self.values,
                       explicit=setup.explicit or self.mapped != suggested)

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


def initial_choices(tables: list[RawTable], profile: Profile | None = None,
                    path: str | Path | None = None) -> list[SheetChoice]:
    """Suggested decisions for every sheet: the profile given or the format recognised wins.

    With the file's `path`, columns the workbook hides (an export's system data) start
    ignored, as the command-line import leaves them.
    """
    named = [t for t in tables if header_key(t.sheet) in _SHEET_ENTITIES]
    source = Path(path) if path is not None else None
    return [_choice(t, (t in named) or not named, sheet_setup(t, profile, source))
            for t in tables]


def _choice(table: RawTable, include: bool, setup: SheetSetup) -> SheetChoice:
    from_profile = setup.profile.mapping(table.headers) if setup.profile else {}
    suggestions = setup.suggestions or {}
    mapping: dict[str, str | None] = {h: setup.mapping.get(h) for h in table.headers}
    confidence = {h: 1.0 if h in from_profile else
                  (suggestions[h].confidence if h in suggestions else 0.0)
                  for h in table.headers}
    return SheetChoice(table, include, setup.entity, mapping, confidence,
                       {k: dict(v) for k, v in setup.value_maps.items()}, setup)


def remap_entity(choice: SheetChoice, entity: str) -> None:
    """Import a sheet as the other kind of record: suggestions start again."""
    suggestions = suggest_mapping(choice.table.headers, fields_for(entity))
    choice.entity = entity
    choice.mapping = {s.header: s.field if s.confidence >= MIN_CONFIDENCE else None for s in suggestions}
    choice.confidence = {s.header: s.confidence for s in suggestions}
    choice.values = {}
    hidden = choice.setup.hidden if choice.setup else frozenset()
    choice.setup = SheetSetup(entity, {}, {}, None, suggestions_by_header(suggestions), hidden)


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
        normalised, plan = prepare_sheet(choice.table, choice._current_setup(), options)
        inventory.tables.append(normalised)
        inventory.sheets.append(plan)
    # people first: owners named on the apps sheet may be defined on the people sheet
    inventory.tables.sort(key=lambda t: t.entity != PEOPLE)
    return inventory


def save_choice_as_profile(choice: SheetChoice, name: str, date_order: str, path: Path) -> Path:
    """Save one sheet's mapping and value maps as a reusable TOML profile.

    A copy of a recognised format keeps what the format says beyond its columns: its
    signature, the columns it ignores and why, and the values it fills in by default.
    """
    base = choice.setup.profile if choice.setup else None
    profile = Profile(name=name, columns=choice.mapped, values=choice.values,
                      entity=choice.entity, date_order=date_order,
                      detect=base.detect if base else (),
                      ignore={h: why for h, why in (base.ignore if base else {}).items()
                              if not choice.mapping.get(h)},
                      defaults=dict(base.defaults) if base and base.entity == choice.entity else {})
    save_profile(profile, path)
    return path
