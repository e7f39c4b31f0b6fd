"""Matching imported rows to the portfolio and saying what differs.

People are matched by e-mail, else by a name only one person has. Apps are matched by
`app_id`, else by name + platform + environment ignoring case and surrounding spaces.
A row that repeats an earlier row of the file is reported and imported once. A blank
cell never erases what the portfolio knows: only values the file states are compared.
"""

from __future__ import annotations

from collections import defaultdict
from operator import itemgetter
from typing import Any, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fusiondesk.core.fields import APP_FIELDS, OWNER_COLUMNS, PERSON_COLUMNS
from fusiondesk.core.values import TEAM_COLUMN, split_list
from fusiondesk.db.models import App, Ownership, Person, Team
from fusiondesk.services.app_edits import new_app_id
from fusiondesk.services.import_forms import (
    OWNER_FIELDS, canonical_value, same_value, stored_form,
)
from fusiondesk.services.import_plan import (
    CREATED, INVALID, UNCHANGED, UPDATED, FieldDiff, ImportPlan, PlannedApp, PlannedPerson,
)
from fusiondesk.services.records import PERSON_LISTS, raw_rows
from fusiondesk.sheets.mapping import APPS, PEOPLE
from fusiondesk.sheets.normalise import NormalisedTable
from fusiondesk.sheets.problems import ERROR, WARNING, Problem

KEY_FIELDS = ("name", "platform", "environment")
_ROLE_COLUMN = {role: column for column, role in OWNER_COLUMNS.items()}
_PERSON_OWNER_FIELDS = tuple(OWNER_COLUMNS)


def _fold(text: object) -> str:
    return str(text).strip().casefold() if text is not None else ""


def _app_key(values: dict[str, Any]) -> tuple[str, str, str]:
    return (_fold(values.get("name")), _fold(values.get("platform")),
            _fold(values.get("environment")))


# --- people ---------------------------------------------------------------------------

class KnownPeople:
    """The portfolio's people by e-mail and by name, and every e-mail the import knows."""

    def __init__(self, session: Session) -> None:
        columns = [Person.id, Person.version, *(getattr(Person, n) for n in PERSON_COLUMNS)]
        self.stored: dict[str, tuple[int, int, dict[str, Any]]] = {}
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for row in session.execute(select(*columns)):
            values = dict(zip(PERSON_COLUMNS, row[2:]))
            for name in PERSON_LISTS:
                values[name] = split_list(values[name])
            self.stored[values["email"]] = (row[0], row[1], values)
            if values["name"]:
                self.by_name[_fold(values["name"])].append(values["email"])
        self.emails: set[str] = set(self.stored)  # grows with the file's own people

    def email_by_name(self, name: object) -> str | None:
        """The e-mail of the one person with this name, or None (nobody, or several)."""
        found = self.by_name.get(_fold(name)) if name else None
        return found[0] if found and len(found) == 1 else None


def plan_people(session: Session, plan: ImportPlan, tables: list[NormalisedTable],
                labels: dict[str, dict[str, str]], problems: list[Problem]) -> KnownPeople:
    """Plan the People sheets: created, updated (with diffs), unchanged, invalid."""
    known = KnownPeople(session)
    seen: dict[str, tuple[str, int, dict]] = {}
    for table in tables:
        email_label = labels[table.sheet].get("email", "")
        blank = {p.row for p in table.problems
                 if p.is_error and p.column == email_label and p.value == ""}
        rescued: set[int] = set()
        for record in table.records:
            values = record.values
            if not record.valid:
                email = known.email_by_name(values.get("name")) if record.row in blank else None
                if email is None:
                    plan.counts[PEOPLE].add(INVALID)
                    continue
                values = {**values, "email": email}
                rescued.add(record.row)
                problems.append(Problem(table.sheet, record.row, email_label, "",
                                        f"no email; matched by name to {email}", WARNING))
            first = seen.get(values["email"])
            if first is not None:
                problems.append(_duplicate(table.sheet, record.row, email_label,
                                           values["email"], first, values))
                continue
            seen[values["email"]] = (table.sheet, record.row, values)
            _plan_person(plan, known, table.sheet, record.row, values)
        problems.extend(p for p in table.problems
                        if not (p.row in rescued and p.column == email_label))
    known.emails.update(seen)
    return known


def _plan_person(plan: ImportPlan, known: KnownPeople, sheet: str, row: int,
                 values: dict[str, Any]) -> None:
    email = values["email"]
    stored = known.stored.get(email)
    if stored is None:
        plan.people.append(PlannedPerson(CREATED, sheet, row, email, values))
        plan.counts[PEOPLE].add(CREATED)
        return
    db_id, version, old = stored
    diffs = tuple(FieldDiff(name, old.get(name), new) for name, new in values.items()
                  if name != "email" and new is not None
                  and not _same_person_value(name, new, old.get(name)))
    if not diffs:
        plan.counts[PEOPLE].add(UNCHANGED)
        return
    changes = {diff.field: diff.new for diff in diffs}
    plan.people.append(PlannedPerson(UPDATED, sheet, row, email, changes, db_id, version, diffs))
    plan.counts[PEOPLE].add(UPDATED)


def _same_person_value(name: str, new: Any, old: Any) -> bool:
    if new == old:
        return True
    return name in PERSON_LISTS and set(new) == set(old or ())


def _duplicate(sheet: str, row: int, column: str, key: str, first: tuple[str, int, dict],
               values: dict[str, Any]) -> Problem:
    first_sheet, first_row, first_values = first
    where = f"row {first_row}" + (f" of {first_sheet}" if first_sheet != sheet else "")
    what = column.split(" (")[0] or "key"
    message = (f"rows {first_row} and {row} are the same (same {what}); imported once, "
               f"from {where}")
    if values != first_values:
        message += "; this row's other values differ and were not imported"
    return Problem(sheet, row, column, key, message, WARNING)


# --- apps -----------------------------------------------------------------------------

def compared_fields(tables: Iterable[NormalisedTable]) -> tuple[str, ...]:
    """The app fields any table maps (but app_id): scalar columns first, then owners.

    Owners come last so a stored row is its raw table row plus its owner tuples.
    """
    mapped = {name for table in tables for record in table.records[:1]
              for name in record.values}
    scalars = [f.name for f in APP_FIELDS
               if f.name in mapped and f.name != "app_id" and f.name not in OWNER_FIELDS]
    return (*scalars, *(name for name in OWNER_FIELDS if name in mapped))


class StoredApps:
    """The portfolio's apps as raw stored values of the compared fields, indexed by key.

    Empty collections read as None, as a blank cell does, so the stored row of an app
    that a file re-imports unchanged equals the file's row as a whole.
    """

    def __init__(self, session: Session, fields: tuple[str, ...], by_key: bool) -> None:
        table = App.__table__
        scalars = [f for f in fields if f not in OWNER_FIELDS]
        owner_fields = [f for f in fields if f in OWNER_FIELDS]
        columns = [table.c.id, table.c.app_id, table.c.version,
                   *(_stored_column(table, f) for f in scalars)]
        if by_key:
            columns += [table.c.name, table.c.platform, table.c.environment]
        rows = raw_rows(session, select(*columns))
        width = 3 + len(scalars)
        owners = _stored_owners(session, owner_fields) if owner_fields else {}
        no_owners = (None,) * len(owner_fields)
        self.ids = [row[0] for row in rows]
        self.app_ids = [row[1] for row in rows]
        self.versions = [row[2] for row in rows]
        self.vectors = [row[3:width] + owners.get(row[0], no_owners) for row in rows]
        self.by_id = {app_id: n for n, app_id in enumerate(self.app_ids)}
        self.by_key: dict[tuple, list[int]] = defaultdict(list)
        for n, row in enumerate(rows if by_key else ()):
            self.by_key[(_fold(row[width]), _fold(row[width + 1]), _fold(row[width + 2]))].append(n)


def _stored_column(table, field_name: str):
    if field_name == "integrations":  # no integrations reads as a blank cell
        return func.nullif(table.c.integration_summary, "")
    return table.c[field_name]


def _stored_owners(session: Session, owner_fields: list[str]) -> dict[int, tuple]:
    """Per app, a tuple of e-mails (or team names) per owner column, None for nobody."""
    people = dict(raw_rows(session, select(Person.id, Person.email)))
    teams = dict(raw_rows(session, select(Team.id, Team.name)))
    # No join and no ORDER BY: a scan in rowid order is insertion order, and the ids
    # map to names in Python faster than SQLite sorts 100,000 joined rows.
    query = select(Ownership.app_id, Ownership.role, Ownership.person_id, Ownership.team_id)
    grouped: dict[int, dict[str, list[str]]] = {}
    for app_id, role, person_id, team_id in raw_rows(session, query):
        columns = grouped.get(app_id)
        if columns is None:
            columns = grouped[app_id] = {}
        if team_id is None:
            columns.setdefault(_ROLE_COLUMN[role], []).append(people[person_id])
        else:
            columns.setdefault(TEAM_COLUMN, []).append(teams[team_id])
    return {app_id: tuple(tuple(columns[f]) if f in columns else None for f in owner_fields)
            for app_id, columns in grouped.items()}


def incoming_vectors(table: NormalisedTable, fields: tuple[str, ...]) -> list[tuple]:
    """Each row's compared values in stored form, built column by column (C-speed)."""
    rows = [record.values for record in table.records]
    mapped = rows[0].keys() if rows else ()
    columns = []
    for name in fields:
        if name not in mapped:  # another app sheet maps it; this one says nothing
            columns.append([None] * len(rows))
            continue
        column = list(map(itemgetter(name), rows))  # every record has every mapped field
        form = stored_form(name)
        columns.append(column if form is None else list(map(form.__getitem__, column)))
    return list(zip(*columns)) if columns else [()] * len(rows)


class AppMatcher:
    """Walks the app sheets in order: matches, spots duplicates, plans each row."""

    def __init__(self, plan: ImportPlan, stored: StoredApps, fields: tuple[str, ...],
                 problems: list[Problem], by_key: bool) -> None:
        self.plan, self.stored, self.fields, self.problems = plan, stored, fields, problems
        self.by_key = by_key  # some rows lack an app_id: match and de-duplicate by name too
        self.seen_ids: dict[str, tuple[str, int, dict]] = {}
        self.seen_keys: dict[tuple, tuple[str, int, dict]] = {}
        self.counts = plan.counts[APPS]

    def plan_table(self, table: NormalisedTable, labels: dict[str, str]) -> None:
        """Plan every row of one app sheet."""
        vectors = incoming_vectors(table, self.fields)
        by_id, stored, seen = self.stored.by_id, self.stored.vectors, self.seen_ids
        sheet, by_key, unchanged = table.sheet, self.by_key, 0
        for record, vector in zip(table.records, vectors):
            values = record.values
            app_id = values.get("app_id")
            if app_id and not by_key and record.valid and app_id not in seen:
                # The common re-import: a known app, row equal to the stored one.
                position = by_id.get(app_id)
                if position is not None and vector == stored[position]:
                    seen[app_id] = (sheet, record.row, values)
                    unchanged += 1
                    continue
            if not record.valid:
                self.counts.add(INVALID)
                continue
            self._plan_row(sheet, record.row, values, vector, labels)
        self.counts.add(UNCHANGED, unchanged)

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
                self.problems.append(_duplicate(sheet, row, labels.get("app_id", ""), app_id,
                                                first, values))
                return False
            return stored.by_id.get(app_id)
        first = self.seen_keys.get(key)
        candidates = stored.by_key.get(key, ())
        if first is None and len(candidates) == 1:
            first = self.seen_ids.get(stored.app_ids[candidates[0]])
        if first is not None:
            self.problems.append(_duplicate(sheet, row, labels.get("name", ""),
                                            values.get("name") or "", first, values))
            return False
        if len(candidates) > 1:
            ids = ", ".join(stored.app_ids[n] for n in candidates[:3])
            self.problems.append(Problem(
                sheet, row, labels.get("name", ""), values.get("name") or "",
                f"matches {len(candidates)} apps in the portfolio ({ids}) by name, platform "
                "and environment; add an app_id column so the row names its app", ERROR))
            self.counts.add(INVALID)
            return False
        return candidates[0] if candidates else None

    def _created(self, sheet: str, row: int, app_id: str, values: dict) -> None:
        if values.get("app_id") != app_id:
            values = {**values, "app_id": app_id}  # the file's own row stays as it was read
        self.plan.apps.append(PlannedApp(CREATED, sheet, row, app_id, values["name"], values))
        self.counts.add(CREATED)

    def _compared(self, sheet: str, row: int, position: int, values: dict, vector: tuple,
                  skip: tuple[str, ...]) -> None:
        stored = self.stored.vectors[position]
        diffs = () if vector == stored else self._diffs(vector, stored, values, skip)
        if not diffs:
            self.counts.add(UNCHANGED)
            return
        self.plan.apps.append(PlannedApp(
            UPDATED, sheet, row, self.stored.app_ids[position], values["name"],
            {diff.field: diff.new for diff in diffs}, self.stored.ids[position],
            self.stored.versions[position], diffs))
        self.counts.add(UPDATED)

    def _diffs(self, vector: tuple, stored: tuple, values: dict,
               skip: tuple[str, ...]) -> tuple[FieldDiff, ...]:
        diffs = []
        for name, new, old in zip(self.fields, vector, stored):
            if new is None or name in skip or same_value(name, new, old):
                continue
            diffs.append(FieldDiff(name, canonical_value(name, old), values[name]))
        return tuple(diffs)


def plan_apps(session: Session, plan: ImportPlan, tables: list[NormalisedTable],
              labels: dict[str, dict[str, str]], known: KnownPeople,
              problems: list[Problem]) -> None:
    """Plan the app sheets, then flag the owners the portfolio does not know yet."""
    if not tables:
        return
    fields = compared_fields(tables)
    by_key = any(not record.values.get("app_id")
                 for table in tables for record in table.records if record.valid)
    matcher = AppMatcher(plan, StoredApps(session, fields, by_key), fields, problems, by_key)
    for table in tables:
        problems.extend(table.problems)
        matcher.plan_table(table, labels[table.sheet])
    _flag_new_owners(plan, tables, labels, known, problems)


def _flag_new_owners(plan: ImportPlan, tables: list[NormalisedTable],
                     labels: dict[str, dict[str, str]], known: KnownPeople,
                     problems: list[Problem]) -> None:
    """Warn once, at its first row, about each owner the portfolio will gain."""
    planned = {(app.sheet, app.row) for app in plan.apps}
    for table in tables:
        for record in table.records:
            if (table.sheet, record.row) not in planned:
                continue  # an unchanged app's owners are in the portfolio already
            for name in _PERSON_OWNER_FIELDS:
                for email in record.values.get(name) or ():
                    if email not in known.emails:
                        known.emails.add(email)
                        plan.new_owners.append(email)
                        problems.append(Problem(
                            table.sheet, record.row, labels[table.sheet].get(name, name),
                            email, f"owner {email} not in the portfolio; will be added",
                            WARNING))
