"""Raw cells to canonical values, column by column, remembering every distinct raw value.

Inventories repeat values heavily ("Prod", "Yes", the same owners), so each column's
converter runs once per distinct raw value and every repeat is a dict lookup in C.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping, Sequence

from fusiondesk.core.fields import APP_FIELD_BY_NAME, DATE, PERSON_FIELD_BY_NAME, Field
from fusiondesk.core.memory import paused_gc
from fusiondesk.sheets.cells import CellIssue, cell_text
from fusiondesk.sheets.dates import DATE_ORDERS, DMY, settled_order
from fusiondesk.sheets.mapping import APPS, PEOPLE, detect_entity, fields_for
from fusiondesk.sheets.problems import ERROR, MappingError, Problem, column_label
from fusiondesk.sheets.reader import RawTable
from fusiondesk.sheets.values import Converter, converter_for

if TYPE_CHECKING:
    from fusiondesk.sheets.streamed import EarlyColumn

# The field a row cannot be imported without.
REQUIRED_FIELD = {APPS: "name", PEOPLE: "email"}


@dataclass(frozen=True, slots=True)
class NormaliseOptions:
    """How to read ambiguous cells: the date order, and the workbook's date system."""

    date_order: str = DMY  # "dmy" or "mdy", for text such as 03/04/2025
    date1904: bool | None = None  # None: take it from the table
    order_settled: bool = False  # the order is known (a profile or the user said so)
    # FusionDesk's own export: an unknown was written as a blank cell, so a text such as
    # "n/a" or "-" in a free-text column is what someone typed, kept as it is.
    literal_text: bool = False

    def __post_init__(self) -> None:
        if self.date_order not in DATE_ORDERS:
            raise ValueError(f"date_order must be 'dmy' or 'mdy', not {self.date_order!r}")


@dataclass(slots=True)
class NormalisedRow:
    """One source row as canonical values; a row without its name (or email) is not valid."""

    row: int
    values: dict[str, object]
    valid: bool = True


@dataclass(slots=True)
class NormalisedTable:
    """A sheet's rows as canonical values, with every problem found on the way."""

    source: str
    sheet: str
    entity: str
    records: list[NormalisedRow]
    problems: list[Problem] = dataclass_field(default_factory=list)
    # Fields filled by a rule (a platform from the kind), not read from the file: they
    # complete what the portfolio does not know and never overwrite what it does.
    derived: frozenset[str] = frozenset()
    # The records' values field by field, as normalising left them: a 100,000-row check
    # or comparison reads a field as one list instead of 100,000 scattered dicts. Code
    # that changes a record's values in place calls `values_changed` (or keeps it true).
    by_field: dict[str, list[object]] | None = None

    def column(self, name: str) -> list[object]:
        """Every record's value of one field, in row order (None where a row lacks it)."""
        by_field = self.by_field
        if by_field is not None and name in by_field:
            return by_field[name]
        values = list(map(attrgetter("values"), self.records))
        try:
            return list(map(itemgetter(name), values))  # in C: no Python call per row
        except KeyError:  # a record without the field
            return [value.get(name) for value in values]

    def values_changed(self) -> None:
        """Say the records' values were changed in place: `column` reads them again."""
        self.by_field = None

    @property
    def valid_records(self) -> list[NormalisedRow]:
        """The rows that can be imported."""
        return [record for record in self.records if record.valid]

    @property
    def errors(self) -> list[Problem]:
        """Problems that made a cell unknown or a row invalid."""
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """Problems where a value was read but the user should check it."""
        return [p for p in self.problems if p.severity != ERROR]


class _Memo(dict):
    """Converted values by raw value; a miss converts and remembers."""

    __slots__ = ("convert", "has_issues", "_typed")

    def __init__(self, convert: Converter) -> None:
        super().__init__()
        self.convert = convert
        self.has_issues = False
        self._typed: dict[tuple[type, object], object] = {}

    def __missing__(self, raw: object) -> object:
        if _equals_a_bool(raw):
            return self._by_type(raw)
        result = self[raw] = self.convert(raw)
        if result.__class__ is CellIssue:
            self.has_issues = True
        return result

    def _by_type(self, raw: object) -> object:
        # True == 1 == 1.0 as dict keys, so these are remembered by type as well: a TRUE
        # cell and a 1 cell must each convert as what they are.
        key = (raw.__class__, raw)
        if key not in self._typed:
            self._typed[key] = self.convert(raw)
            self.has_issues = self.has_issues or self._typed[key].__class__ is CellIssue
        return self._typed[key]


def _equals_a_bool(raw: object) -> bool:
    return raw.__class__ is bool or (raw.__class__ in (int, float) and raw in (0, 1))


def _holds_issues(values: Iterable[object]) -> bool:
    """True if any value is a CellIssue (a C-speed scan of the values' types)."""
    return CellIssue in set(map(type, values))


class Normaliser:
    """Converts one column's raw cells into one field's canonical values, memoised."""

    _UNIQUE_SAMPLE = 1000

    def __init__(self, field: Field | str, value_map: Mapping[str, str] | None = None,
                 options: NormaliseOptions | None = None, entity: str | None = None) -> None:
        self.field = resolve_field(field, entity)
        self.options = options or NormaliseOptions()
        self._memo = _Memo(converter_for(self.field, value_map, self.options.date_order,
                                         bool(self.options.date1904),
                                         self.options.order_settled,
                                         self.options.literal_text))

    def __call__(self, raw: object) -> object:
        """The canonical value of one raw cell, or a CellIssue (its `.value` is what to keep)."""
        return self._memo[raw]

    def column(self, raws: Sequence[object], unique: bool | None = None) -> list[object]:
        """Convert a whole column; issues stay in the list as CellIssue objects.

        `unique`: whether the column's values are mostly unique, when the caller knows.
        """
        memo = self._memo
        if self.mostly_unique(raws) if unique is None else unique:
            # Names and ids rarely repeat: remembering them would cost more than it saves.
            converted = list(map(memo.convert, raws))
            memo.has_issues = memo.has_issues or _holds_issues(converted)
            return converted
        # Repeats are dict hits in C; only each new value reaches Python (__missing__).
        return list(map(memo.__getitem__, raws))

    def mostly_unique(self, raws: Sequence[object]) -> bool:
        """Whether the raw cells are nearly all different (then not worth remembering)."""
        sample = raws[:self._UNIQUE_SAMPLE]
        if len(sample) < self._UNIQUE_SAMPLE or len(set(sample)) <= 0.9 * len(sample):
            return False
        # Confirmed over the whole column: the first rows of an owners column look
        # unique, yet its 100,000 cells name 24,000 people.
        return len(set(raws)) > 0.9 * len(raws)

    @property
    def has_issues(self) -> bool:
        """True once any converted cell has produced a CellIssue."""
        return self._memo.has_issues


def resolve_field(field: Field | str, entity: str | None = None) -> Field:
    """A Field from itself or its name, looked up among the entity's fields."""
    if isinstance(field, Field):
        return field
    tables = ((PERSON_FIELD_BY_NAME, APP_FIELD_BY_NAME) if entity == PEOPLE
              else (APP_FIELD_BY_NAME, PERSON_FIELD_BY_NAME))
    for table in tables:
        if field in table:
            return table[field]
    raise MappingError(f"“{field}” is not a FusionDesk field; choose one of the listed fields.")


def normalise_table(table: RawTable, mapping: Mapping[str, str | None],
                    value_maps: Mapping[str, Mapping[str, str]] | None = None,
                    options: NormaliseOptions | None = None,
                    entity: str | None = None,
                    early: Mapping[tuple[int, str], EarlyColumn] | None = None,
                    ) -> NormalisedTable:
    """Convert every mapped column of a table; collect problems; mark rows without a name.

    `early`: columns already converted, by (column position, field name).
    """
    entity, options, plan = column_plan(table, mapping, options, entity)
    with paused_gc():
        return _normalise(table, plan, value_maps or {}, options, entity, early or {})


def column_plan(table: RawTable, mapping: Mapping[str, str | None],
                options: NormaliseOptions | None = None, entity: str | None = None,
                ) -> tuple[str, NormaliseOptions, list[tuple[int, str, Field]]]:
    """The entity, the options and (column position, header, field) a table is read with."""
    entity = _checked_entity(entity or _entity_of(mapping, table))
    return entity, _with_date_system(options, table), _column_plan(table, mapping, entity)


def _normalise(table: RawTable, plan: list[tuple[int, str, Field]],
               value_maps: Mapping[str, Mapping[str, str]], options: NormaliseOptions,
               entity: str, early: Mapping[tuple[int, str], EarlyColumn]) -> NormalisedTable:
    raw_rows = list(map(itemgetter(1), table.rows))
    problems: list[Problem] = []
    columns: list[list[object]] = []
    failed: dict[str, set[int]] = {}
    for index, header, field in plan:
        raws = _RawColumn(raw_rows, index)
        value_map = value_maps.get(field.name)
        column_options = _column_options(field, raws, options)
        done = early.get((index, field.name))
        if done is not None and (done.value_map, done.options) == (value_map, column_options):
            normaliser, values = done.normaliser, done.values
        else:
            normaliser = Normaliser(field, value_map, column_options)
            values = normaliser.column(raws.values)
        if normaliser.has_issues:
            failed[field.name] = _take_issues(values, raws.values, table, index, header,
                                              problems)
        columns.append(values)
    names = [field.name for _, _, field in plan]
    records = _records(table, names, columns)
    problems.extend(_check_required(table, plan, records, columns, entity, failed))
    order = {column_label(header, table.columns[index]): position
             for position, (index, header, _) in enumerate(plan)}
    problems.sort(key=lambda p: (p.row, order.get(p.column, -1)))
    return NormalisedTable(table.source, table.sheet, entity, records, problems,
                           by_field=dict(zip(names, columns)))


class _RawColumn:
    """One column of the raw rows, gathered only if something asks for it."""

    __slots__ = ("_rows", "_index", "_values")

    def __init__(self, rows: list[tuple], index: int) -> None:
        self._rows, self._index, self._values = rows, index, None

    @property
    def values(self) -> list[object]:
        """The column's raw cells, in row order (gathered in C)."""
        if self._values is None:
            self._values = list(map(itemgetter(self._index), self._rows))
        return self._values


def _column_options(field: Field, raws: _RawColumn,
                    options: NormaliseOptions) -> NormaliseOptions:
    """A date column whose own values prove its day/month order is read in that order."""
    if field.kind != DATE or options.order_settled:
        return options
    order = settled_order(set(raws.values))
    return replace(options, date_order=order, order_settled=True) if order else options


def unrecognised_values(table: RawTable, mapping: Mapping[str, str | None],
                        value_maps: Mapping[str, Mapping[str, str]] | None = None,
                        options: NormaliseOptions | None = None,
                        entity: str | None = None) -> dict[str, set[str]]:
    """Per field, the distinct source values (or list items) that no rule or map recognises."""
    entity, options, plan = column_plan(table, mapping, options, entity)
    raw_rows = list(map(itemgetter(1), table.rows))
    found: dict[str, set[str]] = {}
    for index, _, field in plan:
        normaliser = Normaliser(field, (value_maps or {}).get(field.name), options)
        for raw in set(_RawColumn(raw_rows, index).values):
            result = normaliser(raw)
            if result.__class__ is CellIssue and result.severity == ERROR:
                found.setdefault(field.name, set()).update(
                    result.unrecognised or (cell_text(raw),))
    return found


def _checked_entity(entity: str) -> str:
    if entity not in (APPS, PEOPLE):
        raise ValueError(f"entity must be 'apps' or 'people', not {entity!r}")
    return entity


def _entity_of(mapping: Mapping[str, str | None], table: RawTable) -> str:
    fields = {name for name in mapping.values() if name}
    person_only = fields - set(APP_FIELD_BY_NAME)
    app_only = fields - set(PERSON_FIELD_BY_NAME)
    if person_only and not app_only:
        return PEOPLE
    if app_only and not person_only:
        return APPS
    return detect_entity(table.headers, table.sheet)


def _with_date_system(options: NormaliseOptions | None, table: RawTable) -> NormaliseOptions:
    options = options or NormaliseOptions()
    if options.date1904 is None:
        return replace(options, date1904=table.date1904)
    return options


def _column_plan(table: RawTable, mapping: Mapping[str, str | None],
                 entity: str) -> list[tuple[int, str, Field]]:
    """(column position, header, field) for every mapped column, in sheet order."""
    by_name = {field.name: field for field in fields_for(entity)}
    positions = {header: index for index, header in enumerate(table.headers)}
    plan, used = [], {}
    for header, name in mapping.items():
        if not name:
            continue
        if header not in positions:
            raise MappingError(f"The sheet “{table.sheet}” has no column “{header}”; "
                               "check the mapping or the profile's [columns].")
        if name not in by_name:
            raise MappingError(f"“{name}” is not a field of {entity}; map “{header}” to one "
                               f"of: {', '.join(by_name)}.")
        if name in used:
            raise MappingError(f"Both “{used[name]}” and “{header}” are mapped to {name}; "
                               "map only one column to each field.")
        used[name] = header
        plan.append((positions[header], header, by_name[name]))
    required = REQUIRED_FIELD[entity]
    if required not in used:
        raise MappingError(f"No column of “{table.sheet}” is mapped to {required}; map the "
                           f"column that holds each {_noun(entity)}'s {required} to "
                           f"{required}.")
    return sorted(plan)


def _noun(entity: str) -> str:
    return "person" if entity == PEOPLE else "app"


def _take_issues(values: list[object], raws: Sequence[object], table: RawTable, index: int,
                 header: str, problems: list[Problem]) -> set[int]:
    """Replace CellIssues by their values, record them as problems; return error positions."""
    label = column_label(header, table.columns[index])
    errors: set[int] = set()
    for position in _positions_of(CellIssue, list(map(type, values))):
        issue = values[position]
        values[position] = issue.value
        problems.append(Problem(table.sheet, table.rows[position][0], label,
                                cell_text(raws[position]), issue.message, issue.severity))
        if issue.severity == ERROR:
            errors.add(position)
    return errors


def _positions_of(wanted: object, items: list[object]) -> Iterator[int]:
    # list.index scans in C, so a column with a few issues costs no Python loop per cell.
    position = -1
    while True:
        try:
            position = items.index(wanted, position + 1)
        except ValueError:
            return
        yield position


def _records(table: RawTable, names: list[str], columns: list[list[object]],
             ) -> list[NormalisedRow]:
    numbers = list(map(itemgetter(0), table.rows))
    if not columns:
        return [NormalisedRow(number, {}) for number in numbers]
    values = [dict(zip(names, row)) for row in zip(*columns)]
    return list(map(NormalisedRow, numbers, values))


def _check_required(table: RawTable, plan: list[tuple[int, str, Field]],
                     records: list[NormalisedRow], columns: list[list[object]], entity: str,
                     failed: dict[str, set[int]]) -> list[Problem]:
    """Rows without a name (apps) or email (people) are invalid, with one error each."""
    name = REQUIRED_FIELD[entity]
    at, index, header = next((n, i, h) for n, (i, h, field) in enumerate(plan)
                             if field.name == name)
    label = column_label(header, table.columns[index])
    already = failed.get(name, set())
    problems = []
    for position in _positions_of(None, columns[at]):  # found in C: most rows have one
        record = records[position]
        record.valid = False
        if position not in already:  # the cell's own error already explains the row
            problems.append(Problem(table.sheet, record.row, label,
                                    cell_text(table.rows[position][1][index]),
                                    f"the {_noun(entity)} has no {name}; this row is skipped "
                                    f"until it has one", ERROR))
    return problems
