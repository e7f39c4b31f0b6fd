"""Reading a file for import: every sheet (or the one named), mapped and normalised.

Columns map through the profile given, else through the built-in profile whose header
signature the sheet has (a platform export FusionDesk knows), else through the confident
suggestions; a workbook with sheets named Apps or People imports those. Hidden sheets
and hidden columns (an export's system data) are skipped and listed.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Callable

from fusiondesk.core.fields import APP_COLUMNS
from fusiondesk.services.audit.workbook import COMPUTED_COLUMNS
from fusiondesk.services.importing.plan import Inventory, SheetPlan
from fusiondesk.services.importing.sheet import (
    IdentityRefused,
    SheetSetup,
    prepare_sheet,
    read_mapping,
    record_fields,
    suggestions_by_header,
)
from fusiondesk.sheets.hidden import hidden_columns
from fusiondesk.sheets.identity import could_be_own_id, email_columns, id_columns
from fusiondesk.sheets.mapping import (
    _SHEET_ENTITIES,
    MIN_CONFIDENCE,
    PEOPLE,
    detect_entity,
    fields_for,
    header_key,
    suggest_mapping,
)
from fusiondesk.sheets.normalise import NormalisedTable, NormaliseOptions
from fusiondesk.sheets.problems import WARNING, MappingError, Problem, SheetError
from fusiondesk.sheets.profile import Profile, load_profile, recognised_profile
from fusiondesk.sheets.reader import RawTable, Workbook, open_workbook
from fusiondesk.sheets.streamed import ReadSetup, StreamedColumns

# The headers of the Apps sheet FusionDesk's audit workbook writes (see _written_by_us).
_OUR_COLUMNS = frozenset(APP_COLUMNS) | frozenset(COMPUTED_COLUMNS)


def read_inventory(path: str | PathLike, sheet: str | None = None,
                   profile: Profile | str | PathLike | None = None,
                   date_order: str | None = None,
                   each: Callable[[NormalisedTable, SheetPlan], None] | None = None,
                   mapped: Callable[[str, frozenset[str]], None] | None = None,
                   ) -> Inventory:
    """Read, map and normalise a file; SheetError says why it cannot be imported.

    `each` (which must not raise) is handed every sheet of a workbook read side by side
    as soon as it is normalised, on the thread that read it: work on a small sheet can
    start while a big one is still being parsed. `mapped` (which must not raise) is
    told, as soon as a workbook's sheet is mapped on its first rows, the sheet's entity
    and the fields its records will hold (`record_fields`), as a hint: the sheet is
    mapped again on all its rows.
    """
    path = Path(path)
    if profile is not None and not isinstance(profile, Profile):
        profile = load_profile(profile)
    sheet = sheet or (profile.sheet if profile else None)
    inventory = Inventory(path.name, [], [])
    # Each sheet is mapped and normalised as soon as it is read, on the thread that read
    # it: a People sheet is ready while the Apps sheet is still being parsed. What that
    # gives (or raises) is taken up below, in sheet order, as if done there.
    prepared: dict[str, tuple | Exception] = {}
    streams: dict[str, StreamedColumns] = {}  # each sheet's columns converted as it arrives

    def prepare(table: RawTable) -> None:
        try:
            prepared[table.sheet] = _prepared(table, profile, path, date_order,
                                              streams.get(table.sheet))
        except Exception as error:  # noqa: BLE001 - raised again below, on this thread
            prepared[table.sheet] = error
            return
        if each is not None:
            each(*prepared[table.sheet])

    def watch(name: str) -> StreamedColumns:
        # a fresh one each time a sheet is read: a sheet read twice starts over
        if name in streams:
            streams[name].close()
        streams[name] = StreamedColumns(path.name, name, workbook.date1904, lambda table:
                                        _streamed_setup(table, profile, path, date_order,
                                                        mapped))
        return streams[name]

    with open_workbook(path) as workbook:
        workbook.watch_slices(watch)
        try:
            tables = [workbook.read_table(sheet)] if sheet else _entity_tables(workbook, prepare)
        finally:
            for stream in streams.values():
                stream.close()
        inventory.skipped_sheets = [(name, "hidden sheet") for name in workbook.hidden_sheets
                                    if name != sheet]
    skipped: list[SheetError] = []
    for table in tables:
        try:
            _add_table(inventory, prepared.pop(table.sheet, None)
                       or _prepared(table, profile, path, date_order, streams.get(table.sheet)))
        except IdentityRefused:
            raise  # never a warning: the whole import would be wrong
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


def _entity_tables(workbook: Workbook, each=None) -> list[RawTable]:
    """The tables on the sheets named Apps or People (or a synonym), else on every sheet.

    A workbook such as the audit export holds other tables beside its "Apps" sheet; those
    are not inventories, so they are neither imported as apps nor read at all. `each` is
    handed every table as soon as it is read.
    """
    named = [n for n in workbook.sheet_names if header_key(n) in _SHEET_ENTITIES]
    if named:
        try:
            return workbook.read_tables(named, each)
        except SheetError:
            pass  # the named sheets hold no table: the inventory is on another sheet
    return workbook.read_tables(each=each)


def sheet_setup(table: RawTable, profile: Profile | None = None,
                path: Path | None = None) -> SheetSetup:
    """How a sheet maps: the profile given or recognised, else the confident suggestions."""
    hidden = _hidden_headers(table, path)
    visible = [h for h in table.headers if h not in hidden]
    named = _SHEET_ENTITIES.get(header_key(table.sheet))
    profile = profile or recognised_profile(visible)
    if profile is not None and named in (None, profile.entity):
        mapping = profile.mapping(visible)
        if mapping:
            return _profile_setup(table, profile, mapping, visible, hidden)
    entity = detect_entity(visible, table.sheet)
    ids = {h: could_be_own_id(h) for h in id_columns(table.headers, table.rows) if h in visible}
    emails = email_columns(table.headers, table.rows)
    suggestions = suggest_mapping(visible, fields_for(entity), ids, emails)
    mapping = {s.header: s.field for s in suggestions
               if s.field and s.confidence >= MIN_CONFIDENCE}
    return SheetSetup(entity, mapping, {}, None, suggestions_by_header(suggestions), hidden)


def _profile_setup(table: RawTable, profile: Profile, mapping: dict[str, str],
                   visible: list[str], hidden: frozenset[str]) -> SheetSetup:
    # Columns the profile does not name (a column the lead added to the export) still
    # get the confident suggestions, for fields the profile leaves free.
    ignored = profile.ignored(visible)
    rest = [h for h in visible if h not in mapping and h not in ignored]
    suggestions = suggest_mapping(rest, fields_for(profile.entity)) if rest else []
    used = set(mapping.values()) | set(profile.defaults)
    mapping = {**mapping, **{s.header: s.field for s in suggestions
                             if s.field and s.field not in used
                             and s.confidence >= MIN_CONFIDENCE}}
    return SheetSetup(profile.entity, mapping, profile.values, profile,
                      suggestions_by_header(suggestions), hidden)


def _hidden_headers(table: RawTable, path: Path | None) -> frozenset[str]:
    if path is None or path.suffix.casefold() not in (".xlsx", ".xlsm"):
        return frozenset()
    hidden = hidden_columns(path, table.sheet)
    return frozenset(h for h, c in zip(table.headers, table.columns) if c in hidden)


def _prepared(table: RawTable, profile: Profile | None, path: Path, date_order: str | None,
              streamed: StreamedColumns | None = None) -> tuple[NormalisedTable, SheetPlan]:
    """A sheet mapped and normalised (MappingError or IdentityRefused when it cannot be)."""
    setup, options = _setup_and_options(table, profile, path, date_order)
    return prepare_sheet(table, setup, options, streamed)


def _setup_and_options(table: RawTable, profile: Profile | None, path: Path,
                       date_order: str | None) -> tuple[SheetSetup, NormaliseOptions]:
    """How a sheet maps, and how its cells are read."""
    setup = sheet_setup(table, profile, path)
    order = date_order or (setup.profile.date_order if setup.profile else "dmy")
    # The order is known when the user names it, or a built-in profile describes how
    # its source writes dates; otherwise each date column may still prove its own.
    settled = bool(date_order) or bool(setup.profile and setup.profile.builtin)
    options = NormaliseOptions(order, order_settled=settled, literal_text=_written_by_us(table))
    return setup, options


def _streamed_setup(table: RawTable, profile: Profile | None, path: Path,
                    date_order: str | None,
                    mapped: Callable[[str, frozenset[str]], None] | None = None) -> ReadSetup:
    """How a sheet is read, judged on its first rows while the rest are still arriving."""
    setup, options = _setup_and_options(table, profile, path, date_order)
    if mapped is not None:
        mapped(setup.entity, record_fields(setup))
    return ReadSetup(read_mapping(setup), setup.value_maps, options, setup.entity)


def _written_by_us(table: RawTable) -> bool:
    """The Apps sheet of FusionDesk's audit workbook: every canonical and computed column."""
    return _OUR_COLUMNS <= set(table.headers)


def _add_table(inventory: Inventory, prepared: tuple | Exception) -> None:
    if isinstance(prepared, Exception):
        raise prepared
    normalised, plan = prepared
    inventory.tables.append(normalised)
    inventory.sheets.append(plan)
