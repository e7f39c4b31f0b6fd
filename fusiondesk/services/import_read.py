"""Reading a file for import: every sheet (or the one named), mapped and normalised.

Columns map through the profile's mapping when one applies to the sheet, else through
the confident suggestions; a workbook with sheets named Apps or People imports those.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from fusiondesk.services.import_plan import Inventory, SheetPlan
from fusiondesk.sheets.mapping import (
    PEOPLE, _SHEET_ENTITIES, detect_entity, fields_for, header_key, mapping_for,
)
from fusiondesk.sheets.normalise import NormaliseOptions, normalise_table
from fusiondesk.sheets.problems import WARNING, MappingError, Problem, SheetError, column_label
from fusiondesk.sheets.profile import Profile, load_profile
from fusiondesk.sheets.reader import RawTable, open_workbook, read_table


def read_inventory(path: str | PathLike, sheet: str | None = None,
                   profile: Profile | str | PathLike | None = None,
                   date_order: str | None = None) -> Inventory:
    """Read, map and normalise a file; SheetError says why it cannot be imported."""
    path = Path(path)
    if profile is not None and not isinstance(profile, Profile):
        profile = load_profile(profile)
    sheet = sheet or (profile.sheet if profile else None)
    options = NormaliseOptions(date_order or (profile.date_order if profile else "dmy"))
    tables = [read_table(path, sheet)] if sheet else _entity_tables(path)
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


def _entity_tables(path: Path) -> list[RawTable]:
    """The tables on the sheets named Apps or People (or a synonym), else on every sheet.

    A workbook such as the audit export holds other tables beside its "Apps" sheet; those
    are not inventories, so they are neither imported as apps nor read at all.
    """
    with open_workbook(path) as workbook:
        named = [n for n in workbook.sheet_names if header_key(n) in _SHEET_ENTITIES]
        if named:
            try:
                return workbook.read_tables(named)
            except SheetError:
                pass  # the named sheets hold no table: the inventory is on another sheet
        return workbook.read_tables()


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
