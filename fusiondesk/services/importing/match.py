"""Planning an import: matching the rows read to the portfolio and saying what differs.

Apps are matched by `app_id`, else by name + platform + environment ignoring case and
surrounding spaces (people: see `import_people`). A row that repeats an earlier row of
the file is reported and imported once. A blank cell never erases what the portfolio
knows: only values the file states are compared.
"""

from __future__ import annotations

from collections import Counter
from itertools import chain, compress, repeat
from operator import attrgetter, eq, itemgetter, not_
from os import PathLike
from typing import Any, Iterable

from fusiondesk.core.fields import OWNER_COLUMNS
from fusiondesk.core.memory import heap_set_aside, paused_gc
from fusiondesk.db.store import Session
from fusiondesk.db.store.compared import record_texts
from fusiondesk.services.apps.edits import new_app_id
from fusiondesk.services.importing.apply import prompt_handoffs
from fusiondesk.services.importing.early_people import EarlyPeople
from fusiondesk.services.importing.forms import (
    EMPTY_IS_NONE,
    StoredForm,
    canonical_value,
    same_value,
    stored_form,
)
from fusiondesk.services.importing.owners import OwnerNames
from fusiondesk.services.importing.people import KnownPeople, duplicate, fold, plan_people
from fusiondesk.services.importing.plan import (
    FieldDiff,
    ImportPlan,
    Inventory,
    Outcome,
    PlannedApp,
)
from fusiondesk.services.importing.read import read_inventory
from fusiondesk.services.importing.stored import (
    KEY_FIELDS,
    PortfolioRead,
    StoredApps,
    compared_order,
)
from fusiondesk.sheets.mapping import APPS, PEOPLE
from fusiondesk.sheets.normalise import NormalisedTable
from fusiondesk.sheets.problems import ERROR, WARNING, Problem
from fusiondesk.sheets.profile import Profile

_PERSON_OWNER_FIELDS = tuple(OWNER_COLUMNS)


def _app_key(values: dict[str, Any]) -> tuple[str, str, str]:
    return (fold(values.get("name")), fold(values.get("platform")),
            fold(values.get("environment")))


# --- apps -----------------------------------------------------------------------------

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
        ids = _app_ids(table, list(map(attrgetter("valid"), table.records)))
        return list(map(eq, vectors, map(self.stored.vector_of.get, ids)))

    def _unchanged(self, table: NormalisedTable, same: list[bool]) -> list[bool]:
        """Which rows, `same` as their stored app, are a re-import's unchanged rows.

        Found with maps in C for all rows at once; the rest then go row by row.
        """
        sheet, records = table.sheet, table.records
        if self.by_key:
            return [False] * len(records)
        ids = _app_ids(table, list(map(attrgetter("valid"), records)))
        repeated = {i for i, n in Counter(ids).items() if n > 1} | (self.seen_ids.keys() & ids)
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


def _app_ids(table: NormalisedTable, valid: list[bool]) -> list[str | None]:
    """Each row's app_id, None for a row that is not valid."""
    ids = table.column("app_id")
    if all(valid):  # the usual case, settled in C
        return ids
    return [app_id if ok else None for ok, app_id in zip(valid, ids)]


def needs_keys(tables: list[NormalisedTable]) -> bool:
    """Whether some valid row lacks an app_id: apps are then matched by name too."""
    for table in tables:  # a scan in C: no Python call per row
        valid = compress(table.column("app_id"), map(attrgetter("valid"), table.records))
        if not all(valid):
            return True
    return False


def plan_apps(portfolio: PortfolioRead, plan: ImportPlan,
              tables: list[NormalisedTable], labels: dict[str, dict[str, str]],
              known: KnownPeople, problems: list[Problem]) -> None:
    """Plan the app sheets, then flag the owners the portfolio does not know yet.

    The portfolio's apps may still be being read: meanwhile, unless the portfolio had no
    apps to compare with, the rows are put in the form they are compared in.
    """
    if not tables:
        return
    OwnerNames(plan, known, problems).resolve(tables, labels)
    fields, by_key = compared_fields(tables), needs_keys(tables)
    compare = portfolio.any_apps()
    columns = [compared_columns(table, fields) if compare else None for table in tables]
    same = same_as_records(portfolio, tables, columns, fields) if compare and not by_key else None
    if same is None:
        stored_apps = portfolio.apps(fields, by_key)
    else:  # only the apps of the rows that differ, or may be reported, are walked
        stored_apps = portfolio.apps(fields, by_key, _walked_ids(tables, same))
    matcher = AppMatcher(plan, stored_apps, fields, problems, stored_apps.by_key_read, compare)
    for n, table in enumerate(tables):
        problems.extend(table.problems)
        matcher.plan_table(table, labels[table.sheet], columns[n],
                           None if same is None else same[n])
    _flag_new_owners(plan, tables, labels, known, problems)


def same_as_records(portfolio: PortfolioRead, tables: list[NormalisedTable],
                    columns: list[list[list]], fields: tuple[str, ...]) -> list[list[bool]] | None:
    """Per table, which valid rows equal their stored app's record (`stored_records`);
    None where the rows are to be compared value by value instead."""
    records = portfolio.records(fields)
    if records is None:
        return None
    return [list(map(records.__contains__, record_texts(
                _app_ids(table, list(map(attrgetter("valid"), table.records))), table_columns)))
            for table, table_columns in zip(tables, columns)]


def _walked_ids(tables: list[NormalisedTable], same: list[list[bool]]) -> list[str]:
    """The app_ids of the rows walked one by one: those not the same as their record, and
    every repeated one (reported at its repeats)."""
    ids = [table.column("app_id") for table in tables]
    every = list(chain.from_iterable(ids))
    walked = set()
    if len(set(every)) != len(every):
        walked = {app_id for app_id, n in Counter(every).items() if n > 1}
    for table_ids, table_same in zip(ids, same):
        walked.update(compress(table_ids, map(not_, table_same)))
    walked.discard(None)
    return list(walked)


def _flag_new_owners(plan: ImportPlan, tables: list[NormalisedTable],
                     labels: dict[str, dict[str, str]], known: KnownPeople,
                     problems: list[Problem]) -> None:
    """Warn once, at its first row, about each owner the portfolio will gain."""
    if not _any_new_owner(tables, known):
        return  # the usual case (the file's People sheet names them): no walk of every row
    planned = {(app.sheet, app.row) for app in plan.apps}
    for table in tables:
        for record in table.records:
            if (table.sheet, record.row) not in planned:
                continue  # an unchanged app's owners are in the portfolio already
            for name in _PERSON_OWNER_FIELDS:
                for email in record.values.get(name) or ():
                    if "@" in email and email not in known.emails:
                        known.emails.add(email)
                        plan.new_owners.append(email)
                        problems.append(Problem(
                            table.sheet, record.row, labels[table.sheet].get(name, name),
                            email, f"owner {email} not in the portfolio; will be added",
                            WARNING))


def _any_new_owner(tables: list[NormalisedTable], known: KnownPeople) -> bool:
    """Whether any row names an owner by an e-mail the import does not know (found in C)."""
    for table in tables:
        mapped = table.records[0].values.keys() if table.records else ()
        for name in _PERSON_OWNER_FIELDS:
            if name in mapped:
                emails = set(chain.from_iterable(filter(None, table.column(name))))
                if any("@" in email for email in emails - known.emails):
                    return True
    return False


# --- the plan -------------------------------------------------------------------------

def plan_import(session: Session, path: str | PathLike, sheet: str | None = None,
                profile: Profile | str | PathLike | None = None,
                date_order: str | None = None) -> ImportPlan:
    """Read a file and say what importing it would change; nothing is written.

    The portfolio is read while the file is parsed (in its child process), so a
    re-import waits for the slower of the two, not for both.
    """
    # The collector stays off the rows the other thread builds meanwhile (see below). The
    # thread receiving the sheet's slices lets go of the GIL for each read from the pipe,
    # while the slices are converted in Python: it gets it back within half a millisecond,
    # so the parser child is not left waiting on a full pipe.
    with paused_gc(), prompt_handoffs(), PortfolioRead(session) as portfolio:
        # A People sheet is planned as soon as it is read, beside the Apps sheet's parsing.
        early = EarlyPeople(portfolio)
        inventory = read_inventory(path, sheet, profile, date_order, early.offer,
                                   portfolio.expect_sheet)
        return plan_from_inventory(session, inventory, portfolio, early)


def plan_from_inventory(session: Session, inventory: Inventory,
                        portfolio: PortfolioRead | None = None,
                        early: EarlyPeople | None = None) -> ImportPlan:
    """Match an inventory already read against the portfolio (rows, owners, duplicates).

    `portfolio`: a read of it already under way (see `plan_import`); else one is made.
    `early`: the People sheet perhaps planned while the file was read.
    """
    # 100,000 rows of tuples and no cycles: the collector would only rescan them
    with heap_set_aside(), paused_gc():
        if portfolio is not None:
            return _plan(inventory, portfolio, early)
        app_tables = [t for t in inventory.tables if t.entity == APPS]
        fields = compared_fields(app_tables) if app_tables else None
        with PortfolioRead(session, fields, needs_keys(app_tables)) as reading:
            return _plan(inventory, reading)


def _plan(inventory: Inventory, portfolio: PortfolioRead,
          early: EarlyPeople | None = None) -> ImportPlan:
    plan = ImportPlan(inventory.source, list(inventory.sheets), list(inventory.skipped_sheets))
    labels = {sheet.sheet: sheet.labels for sheet in inventory.sheets}
    people_tables = [t for t in inventory.tables if t.entity == PEOPLE]
    app_tables = [t for t in inventory.tables if t.entity == APPS]
    problems = list(inventory.problems)
    # People are planned, owners resolved and app rows put in compared form while the
    # portfolio's apps are still being read on the other thread.
    known = _people(portfolio, plan, people_tables, labels, problems, early)
    plan_apps(portfolio, plan, app_tables, labels, known, problems)
    order = {sheet.sheet: n for n, sheet in enumerate(inventory.sheets)}
    plan.problems = sorted(problems, key=lambda p: (order.get(p.sheet, -1), p.row))
    for table in inventory.tables:
        # Planned: the columns are let go, not held through the writing (the plan's
        # rows are the records' own values, which writing may still change).
        table.values_changed()
    return plan


def _people(portfolio: PortfolioRead, plan: ImportPlan, tables: list[NormalisedTable],
            labels: dict[str, dict[str, str]], problems: list[Problem],
            early: EarlyPeople | None) -> KnownPeople:
    """The People sheets planned: taken from the early plan when it holds them."""
    planned = early.take(tables) if early is not None else None
    if planned is None:
        return plan_people(portfolio.people(), plan, tables, labels, problems)
    plan.people, plan.counts[PEOPLE] = planned.plan.people, planned.plan.counts[PEOPLE]
    problems.extend(planned.problems)
    return planned.known
