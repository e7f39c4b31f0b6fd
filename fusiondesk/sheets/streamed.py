"""A sheet's mapped columns converted while the parser is still sending its rows.

calamine parses a 100,000-row sheet in its child process in about two seconds, then
hands the rows over in slices for about one more, while this process mostly waits; all
the converting used to start only after the last slice. Here each slice is converted as
it arrives, under the header and the mapping its first slice shows, so normalising the
whole sheet finds its columns already done.

That header and mapping are a guess from the first rows, checked at the end: a column is
used only when the whole sheet has the same header, the same data rows and the same
mapping and options (`take`, then `normalise._normalise`). Otherwise, and after
any error, the sheet is normalised as if nothing had been done here.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from typing import Callable, Mapping

from fusiondesk.core.fields import DATE
from fusiondesk.sheets.headers import HEADER_SCAN_ROWS, data_rows, find_header_row, header_layout
from fusiondesk.sheets.normalise import NormaliseOptions, Normaliser, column_plan
from fusiondesk.sheets.reader import RawTable, within_grid
from fusiondesk.sheets.rows import LABEL_COLUMNS, column_texts

# The data rows a sheet's mapping is judged on (`identity.id_columns` samples 500).
_MAPPING_ROWS = 500


@dataclass(frozen=True, slots=True)
class EarlyColumn:
    """A column converted before its sheet was complete.

    Used only if the column is converted the same way in the end: same value map, same
    options (see `normalise._normalise`). `values` holds one converted value per row.
    """

    value_map: Mapping[str, str] | None
    options: NormaliseOptions
    normaliser: Normaliser
    values: list[object]


@dataclass(frozen=True, slots=True)
class ReadSetup:
    """How a sheet is read, as its first rows show: mapping, value maps, options, entity."""

    mapping: Mapping[str, str]
    value_maps: Mapping[str, Mapping[str, str]]
    options: NormaliseOptions
    entity: str


class StreamedColumns:
    """Called with each slice of one sheet (`Workbook.watch_slices`); converts what is new.

    `setup_of(table)` says how a sheet is read from a table of its first rows; it is the
    same function the whole sheet goes through later.
    """

    def __init__(self, source: str, sheet: str, date1904: bool,
                 setup_of: Callable[[RawTable], ReadSetup]) -> None:
        self.source, self.sheet, self.date1904, self.setup_of = source, sheet, date1904, setup_of
        self._layout = None
        self._done = 0  # rows (0-based, from row 1) already converted
        self._numbers: list[int] = []  # the 1-based row numbers of the data rows converted
        self._columns: dict[tuple[int, str], tuple[EarlyColumn, bool]] = {}
        self._texts: list[set[str]] = []  # of the leading columns, see `rows.non_records`
        self._given_up = False
        # The converting is done on a thread of its own: the thread receiving the slices
        # goes back to the pipe at once, so the parser child is never kept waiting.
        self._worker: ThreadPoolExecutor | None = None

    def __call__(self, rows: list[list[object]], merges: list) -> None:
        """Have the rows that arrived since the last call converted (never raises)."""
        if self._worker is None:
            self._worker = ThreadPoolExecutor(1, thread_name_prefix="sheet-slices")
        # the receiving thread goes on extending `rows`: only those in it now are taken
        self._worker.submit(self._take_rows, rows, len(rows), merges)

    def close(self) -> None:
        """Stop converting (what is under way ends first); nothing more will be asked."""
        if self._worker is not None:
            self._worker.shutdown(wait=True, cancel_futures=True)

    def _finish(self) -> None:
        """Wait until every slice handed over is converted."""
        if self._worker is not None:
            self._worker.shutdown(wait=True)

    def _take_rows(self, rows: list[list[object]], count: int, merges: list) -> None:
        if self._given_up:
            return
        try:
            if self._layout is None and not self._start(rows[:count], merges):
                return
            self._convert(rows, count)
        except Exception:  # noqa: BLE001 - a guess gone wrong: the sheet is read as usual
            self._give_up()

    def _give_up(self) -> None:
        self._given_up = True
        self._columns, self._numbers, self._texts = {}, [], []

    def _start(self, rows: list[list[object]], merges: list) -> bool:
        """Find the header and the mapping once enough rows are in; False to wait for more."""
        header = find_header_row(rows) if len(rows) >= HEADER_SCAN_ROWS else None
        if header is None:
            return False
        layout = header_layout(rows, header, within_grid(merges, rows))
        if any(top > layout.row for (top, _), _ in merges):
            self._give_up()  # cells merged down the data are filled in only at the end
            return False
        data = data_rows(rows, layout)
        if len(data) < _MAPPING_ROWS:
            return False
        table = RawTable(self.source, self.sheet, layout.row + 1, layout.headers,
                         [c + 1 for c in layout.columns], data, self.date1904)
        setup = self.setup_of(table)
        _, options, plan = column_plan(table, setup.mapping, setup.options, setup.entity)
        for index, _, field in plan:
            if field.kind == DATE:  # its order may be settled only by the whole column
                continue
            value_map = setup.value_maps.get(field.name)
            normaliser = Normaliser(field, value_map, options)
            # judged once, on the first rows: ids stay unique, while a slice of an owners
            # column may look unique though the sheet names each owner many times
            unique = normaliser.mostly_unique([values[index] for _, values in data])
            self._columns[(index, field.name)] = (EarlyColumn(value_map, options, normaliser, []),
                                                  unique)
        self._texts = [set() for _ in range(min(LABEL_COLUMNS, len(layout.headers)))]
        self._layout, self._done = layout, layout.row + 1
        return True

    def _convert(self, rows: list[list[object]], count: int) -> None:
        """Convert the rows from the last converted up to `count`."""
        data = data_rows(rows, self._layout, self._done, count)
        self._done = count
        if not data:
            return
        self._numbers += map(itemgetter(0), data)
        values = list(map(itemgetter(1), data))
        for position, texts in enumerate(self._texts):
            texts |= column_texts(list(map(itemgetter(position), values)))
        for (index, _), (column, unique) in self._columns.items():
            column.values.extend(column.normaliser.column(list(map(itemgetter(index), values)),
                                                          unique))

    def take(self, table: RawTable) -> EarlySheet | None:
        """What was worked out for the whole `table`, handed over once; None if it differs.

        None unless `table` has the header and the data rows the slices were read under.
        """
        self._finish()
        layout = self._layout
        if self._given_up or layout is None:
            return None
        if (table.header_row, table.headers, table.columns) != (
                layout.row + 1, layout.headers, [c + 1 for c in layout.columns]):
            return None
        if list(map(itemgetter(0), table.rows)) != self._numbers:
            return None
        # handed over once: normalising replaces the issues in these lists by their values
        early = EarlySheet(self._texts, self._numbers,
                           {key: column for key, (column, _) in self._columns.items()})
        self._give_up()
        return early


class EarlySheet:
    """A whole sheet's work done as it arrived: leading columns' texts, converted columns."""

    def __init__(self, texts: list[set[str]], numbers: list[int],
                 columns: dict[tuple[int, str], EarlyColumn]) -> None:
        self.texts, self._numbers, self._columns = texts, numbers, columns

    def columns_for(self, records: RawTable) -> dict[tuple[int, str], EarlyColumn]:
        """The converted columns for `records`: the sheet's data rows less those skipped."""
        if len(records.rows) == len(self._numbers):
            return self._columns
        kept = set(map(itemgetter(0), records.rows))
        keep = [number in kept for number in self._numbers]
        return {key: EarlyColumn(c.value_map, c.options, c.normaliser,
                                 list(compress(c.values, keep)))
                for key, c in self._columns.items()}
