"""Matching an inventory's app rows to the portfolio's apps, and saying what differs.

Apps are matched by `app_id`, else by name + platform + environment ignoring case and
surrounding spaces. A row that repeats an earlier row of the file is reported and
imported once. A blank cell never erases what the portfolio knows: only values the file
states are compared. A re-import's unchanged rows are settled all at once (by their
records, see `db.store.compared`, or by their values); only the others are walked.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain, compress, repeat
from operator import attrgetter, eq, itemgetter, not_
from typing import Any, Iterable

from fusiondesk.db.store.compared import record_texts
from fusiondesk.services.apps.edits import new_app_id
from fusiondesk.services.importing.forms import (
    EMPTY_IS_NONE,
    StoredForm,
    canonical_value,
    same_value,
    stored_form,
)
from fusiondesk.services.importing.people import duplicate, fold
from fusiondesk.services.importing.plan import (
    FieldDiff,
    ImportPlan,
    Outcome,
    PlannedApp,
)
from fusiondesk.services.importing.stored import (
    KEY_FIELDS,
    PortfolioRead,
    StoredApps,
    compared_order,
)
from fusiondesk.sheets.mapping import APPS
from fusiondesk.sheets.normalise import NormalisedTable
from fusiondesk.sheets.problems import ERROR, Problem


def _app_key(values: dict[str, Any]) -> tuple[str, str, str]:
    return (fold(values.get("name")), fold(values.get("platform")),
            fold(values.get("environment")))


def compared_fields(tables: Iterable[NormalisedTable]) -> tuple[str, ...]:
    """The app fields any table maps (but app_id): scalar columns first, then owners."""
    return compared_order({name for table in tables for record in table.records[:1]
                           for name in record.values})


def compared_columns(table: NormalisedTable, fields: tuple[str, ...]) -> list[list]:
    """The table's columns of `fields` in stored form, converted column by column (in C)."""
    count = len(table.records)
    mapped = table.records[0].values.keys() if count else ()
    columns = []
    for name in fields:
        if name not in mapped:  # another app sheet maps it; this one says nothing
            columns.append([None] * count)
            continue
        column = table.column(name)  # every record has every mapped field
        form = _compared_form(name)
        if form is not None:
            column = list(map(form.__getitem__, column))
        columns.append(column)
    return columns


def _compared_form(name: str) -> StoredForm | None:
    """The stored form a file's value is compared in (remembered per distinct value)."""
    form = stored_form(name)
    if form is None or name not in EMPTY_IS_NONE:
        return form
    # "none" stated reads back as no rows: None, as stored
    return StoredForm(lambda value, convert=form.convert: convert(value) or None)


class AppMatcher:
    """Walks the app sheets in order: matches, spots duplicates, plans each row."""

    def __init__(self, plan: ImportPlan, stored: StoredApps, fields: tuple[str, ...],
                 problems: list[Problem], by_key: bool, compare: bool = True) -> None:
        self.plan, self.stored, self.fields, self.problems = plan, stored, fields, problems
        self.by_key = by_key  # some rows lack an app_id: match and de-duplicate by name too
        self.compare = compare  # the portfolio has apps to compare the rows with
        self.seen_ids: dict[str, tuple[str, int, dict]] = {}
        self.seen_keys: dict[tuple, tuple[str, int, dict]] = {}
        self.derived: frozenset[str] = frozenset()
        self.counts = plan.counts[APPS]

    def plan_table(self, table: NormalisedTable, labels: dict[str, str],
                   columns: list[list] | None = None, same: list[bool] | None = None) -> None:
        """Plan every row of one app sheet.

        `columns`: its `compared_columns`, if at hand. `same`: which rows equal their
        stored app's record (`same_as_records`); else each row's values are compared
        with its stored app's (every app named must then be in `stored`).
        """
        records = table.records
        self.derived = table.derived
        if self.compare:
            columns = columns if columns is not None else compared_columns(table, self.fields)
            if same is None:
                vectors = list(zip(*columns)) if columns else [()] * len(records)
                same = self._same_as_stored(table, vectors)
            else:  # only the rows walked below need theirs
                vectors = zip(*columns) if columns else repeat(())
            unchanged = self._unchanged(table, same)
            self.counts.unchanged += sum(unchanged)
            # only the other rows are walked in Python, in file order
            rest = compress(zip(records, vectors), map(not_, unchanged))
        elif self._all_created(table):
            return
        else:  # into an empty portfolio every row is new: nothing to compare
            rest = zip(records, repeat(None))
        for record, vector in rest:
            if not record.valid:
                self.counts.add(Outcome.INVALID)
            else:
                self._plan_row(table.sheet, record.row, record.values, vector, labels)

    def _all_created(self, table: NormalisedTable) -> bool:
        """Into an empty portfolio, plan every row as created at once, if each is valid and
        has an app_id of its own (the usual first import); False to go row by row.

        As `_plan_row` would, built with maps in C: 100,000 rows walked one by one in
        Python only to find each new.
        """
        records = table.records
        if self.by_key or not records or "app_id" not in records[0].values:
            return False
        ids = table.column("app_id")
        if (not all(ids) or not all(map(attrgetter("valid"), records))
                or len(set(ids)) != len(ids) or not self.seen_ids.keys().isdisjoint(ids)):
            return False  # a row without an id, an invalid or repeated one: reported by row
        sheet, rows = table.sheet, list(map(attrgetter("row"), records))
        values = list(map(attrgetter("values"), records))
        self.plan.apps += map(PlannedApp, repeat(Outcome.CREATED), repeat(sheet), rows, ids,
                              map(itemgetter("name"), values), values)
        self.seen_ids.update(zip(ids, zip(repeat(sheet), rows, values)))
        self.counts.add(Outcome.CREATED, len(ids))
        return True

    def _same_as_stored(self, table: NormalisedTable, vectors: list[tuple]) -> list[bool]:
        """Which rows name a stored app by app_id and equal its stored values as a whole."""
        if self.by_key:
            return [False] * len(vectors)
        ids = _app_ids(table)
        return list(map(eq, vectors, map(self.stored.vector_of.get, ids)))

    def _unchanged(self, table: NormalisedTable, same: list[bool]) -> list[bool]:
        """Which rows, `same` as their stored app, are a re-import's unchanged rows.

        Found with maps in C for all rows at once; the rest then go row by row.
        """
        sheet, records = table.sheet, table.records
        if self.by_key:
            return [False] * len(records)
        ids = _app_ids(table)
        repeated = _repeated(ids) | (self.seen_ids.keys() & ids)
        if repeated:  # every row of a repeated id goes the long way, to be reported
            same = [s and i not in repeated for s, i in zip(same, ids)]
        rows = zip(repeat(sheet), map(attrgetter("row"), records),
                   map(attrgetter("values"), records))
        self.seen_ids.update(compress(zip(ids, rows), same))
        return same

    def _plan_row(self, sheet: str, row: int, values: dict, vector: tuple,
                  labels: dict[str, str]) -> None:
        app_id = values.get("app_id")
        key = _app_key(values) if self.by_key else None
        position = self._match(sheet, row, values, app_id, key, labels)
        if position is False:
            return
        if position is not None:
            app_id = self.stored.app_ids[position]
        app_id = app_id or new_app_id()
        self.seen_ids.setdefault(app_id, (sheet, row, values))
        if key is not None:
            self.seen_keys.setdefault(key, (sheet, row, values))
        if position is None:
            self._created(sheet, row, app_id, values)
        else:
            skip = KEY_FIELDS if not values.get("app_id") else ()
            self._compared(sheet, row, position, values, vector, skip)

    def _match(self, sheet, row, values, app_id, key, labels) -> int | None | bool:
        """The stored position of the row's app, None for a new app, False to skip the row."""
        stored = self.stored
        if app_id:
            first = self.seen_ids.get(app_id)
            if first is not None:
                self.problems.append(duplicate(sheet, row, labels.get("app_id", ""), app_id,
                                               first, values, "app"))
                return False
            return stored.by_id.get(app_id)
        first = self.seen_keys.get(key)
        candidates = stored.by_key.get(key, ())
        if first is None and len(candidates) == 1:
            first = self.seen_ids.get(stored.app_ids[candidates[0]])
        if first is not None:
            self.problems.append(duplicate(sheet, row, labels.get("name", ""),
                                           values.get("name") or "", first, values, "app"))
            return False
        if len(candidates) > 1:
            ids = ", ".join(stored.app_ids[n] for n in candidates[:3])
            self.problems.append(Problem(
                sheet, row, labels.get("name", ""), values.get("name") or "",
                f"matches {len(candidates)} apps in the portfolio ({ids}) by name, platform "
                "and environment; add an app_id column so the row names its app", ERROR))
            self.counts.add(Outcome.INVALID)
            return False
        return candidates[0] if candidates else None

    def _created(self, sheet: str, row: int, app_id: str, values: dict) -> None:
        if values.get("app_id") != app_id:
            values = {**values, "app_id": app_id}  # the file's own row stays as it was read
        self.plan.apps.append(PlannedApp(Outcome.CREATED, sheet, row, app_id, values["name"], values))
        self.counts.add(Outcome.CREATED)

    def _compared(self, sheet: str, row: int, position: int, values: dict, vector: tuple,
                  skip: tuple[str, ...]) -> None:
        stored = self.stored.vectors[position]
        diffs = () if vector == stored else self._diffs(vector, stored, values, skip)
        if not diffs:
            self.counts.add(Outcome.UNCHANGED)
            return
        self.plan.apps.append(PlannedApp(
            Outcome.UPDATED, sheet, row, self.stored.app_ids[position], values["name"],
            {diff.field: diff.new for diff in diffs}, self.stored.ids[position],
            self.stored.versions[position], diffs))
        self.counts.add(Outcome.UPDATED)

    def _diffs(self, vector: tuple, stored: tuple, values: dict,
               skip: tuple[str, ...]) -> tuple[FieldDiff, ...]:
        diffs = []
        for name, new, old in zip(self.fields, vector, stored):
            if new is None and name in EMPTY_IS_NONE and values.get(name) is not None:
                new = ""  # the file says "none" (compared as None): it may clear what is stored
            if new is None or name in skip or same_value(name, new, old):
                continue
            if name in self.derived and old is not None:
                continue  # a rule's guess never overrides what the portfolio records
            diffs.append(FieldDiff(name, canonical_value(name, old), values[name]))
        return tuple(diffs)


def _app_ids(table: NormalisedTable) -> list[str | None]:
    """Each row's app_id, None for a row that is not valid."""
    ids = table.column("app_id")
    valid = list(map(attrgetter("valid"), table.records))
    if all(valid):  # the usual case, settled in C
        return ids
    return [app_id if ok else None for ok, app_id in zip(valid, ids)]


def _repeated(ids: list) -> set:
    """The ids given more than once (found in C when, as usual, none is)."""
    if len(set(ids)) == len(ids):
        return set()
    return {i for i, n in Counter(ids).items() if n > 1}


def needs_keys(tables: list[NormalisedTable]) -> bool:
    """Whether some valid row lacks an app_id: apps are then matched by name too."""
    for table in tables:  # a scan in C: no Python call per row
        valid = compress(table.column("app_id"), map(attrgetter("valid"), table.records))
        if not all(valid):
            return True
    return False


def same_as_records(portfolio: PortfolioRead, tables: list[NormalisedTable],
                    columns: list[list[list]], fields: tuple[str, ...]) -> list[list[bool]] | None:
    """Per table, which valid rows equal their stored app's record (`stored_records`);
    None where the rows are to be compared value by value instead."""
    records = portfolio.records(fields)
    if records is None:
        return None
    return [list(map(records.__contains__, record_texts(_app_ids(table), table_columns)))
            for table, table_columns in zip(tables, columns)]


def walked_ids(tables: list[NormalisedTable], same: list[list[bool]]) -> list[str]:
    """The app_ids of the rows walked one by one: those not the same as their record, and
    every repeated one (reported at its repeats)."""
    ids = [table.column("app_id") for table in tables]
    walked = _repeated(list(chain.from_iterable(ids)))
    for table_ids, table_same in zip(ids, same):
        walked.update(compress(table_ids, map(not_, table_same)))
    walked.discard(None)
    return list(walked)
