"""Matching the People sheets of an import: by e-mail, else by a name only one person has."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, Iterable

from fusiondesk.core import clock
from fusiondesk.core.terms import PersonStatus
from fusiondesk.core.values import name_key
from fusiondesk.db.store.people import PERSON_LISTS, StoredPerson
from fusiondesk.services.importing.plan import (
    FieldDiff,
    ImportPlan,
    Outcome,
    PlannedPerson,
)
from fusiondesk.sheets.mapping import PEOPLE
from fusiondesk.sheets.normalise import NormalisedTable
from fusiondesk.sheets.problems import WARNING, Problem


class NameKeys(dict):
    """name → `name_key(name)`, remembered: a plan asks for each person's key five times."""

    def __missing__(self, name: object) -> str:
        key = self[name] = name_key(name)
        return key


def fold(text: object) -> str:
    """Text as matching compares it: no surrounding spaces, no case."""
    return str(text).strip().casefold() if text is not None else ""


class KnownPeople:
    """The portfolio's people by e-mail and by name, and every e-mail the import knows.

    People without an e-mail (owners an export named only by display name) are kept
    apart, by name key: a directory row with the same name fills their e-mail in.
    """

    def __init__(self, stored_people: Iterable[StoredPerson]) -> None:
        self.stored: dict[str, tuple[int, int, dict[str, Any]]] = {}
        self.nameless: dict[str, tuple[int, int, dict[str, Any]]] = {}
        self.by_name: dict[str, list[str]] = defaultdict(list)  # name key → owner keys
        self.key_of = key_of = NameKeys()
        for person_id, version, values in stored_people:  # ~30k people
            for name in PERSON_LISTS:
                # A known-empty list is stored as NULL: read it back as the () a file's
                # "none" gives, so an unchanged re-import stays on the fast comparison.
                values[name] = values[name] or ()
            if values["email"] is None:
                self.nameless[key_of[values["name"]]] = (person_id, version, values)
                self.by_name[key_of[values["name"]]].append(values["name"])
                continue
            self.stored[values["email"]] = (person_id, version, values)
            if values["name"]:
                self.by_name[key_of[values["name"]]].append(values["email"])
        self.emails: set[str] = set(self.stored)  # grows with the file's own people
        self.shared_names: set[str] = set()  # name keys several people have

    def email_by_name(self, name: object) -> str | None:
        """The e-mail of the one person with this name, or None (nobody, or several)."""
        found = self.by_name.get(self.key_of[name]) if name else None
        return found[0] if found and len(found) == 1 and "@" in found[0] else None

    def owners_named(self, name: str) -> list[str]:
        """The owner keys (e-mail, or name of someone without one) a display name matches."""
        return self.by_name.get(self.key_of[name], [])

    def learn(self, email: str, name: object) -> None:
        """A person the file adds or completes: their name now resolves to their e-mail."""
        key = self.key_of[name]
        if not key:
            return
        names = self.by_name[key]
        # A name several people share completes nobody: the person stays without an e-mail.
        stale = None if key in self.shared_names else self.nameless.pop(key, None)
        if stale is not None and stale[2]["name"] in names:
            names.remove(stale[2]["name"])  # the person without an e-mail now has one
        if email not in names:
            names.append(email)


def plan_people(stored_people: Iterable[StoredPerson], plan: ImportPlan,
                tables: list[NormalisedTable], labels: dict[str, dict[str, str]],
                problems: list[Problem]) -> KnownPeople:
    """Plan the People sheets against the portfolio's people (`person_rows`, in any order)."""
    known = KnownPeople(stored_people)
    known.shared_names = _shared_names(tables, known)
    _resolve_managers(tables, known, labels, problems)
    seen: dict[str, tuple[str, int, dict]] = {}
    for table in tables:
        status_from_leave_dates(table, labels[table.sheet], clock.today())
        email_label = labels[table.sheet].get("email", "")
        blank = {p.row for p in table.problems
                 if p.is_error and p.column == email_label and p.value == ""}
        rescued: set[int] = set()
        for record in table.records:
            values = record.values
            if not record.valid:
                email = known.email_by_name(values.get("name")) if record.row in blank else None
                if email is None:
                    plan.counts[PEOPLE].add(Outcome.INVALID)
                    continue
                values = {**values, "email": email}
                rescued.add(record.row)
                problems.append(Problem(table.sheet, record.row, email_label, "",
                                        f"no email; matched by name to {email}", WARNING))
            first = seen.get(values["email"])
            if first is not None:
                problems.append(duplicate(table.sheet, record.row, email_label,
                                          values["email"], first, values, "person"))
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
    key = known.key_of[values.get("name")]
    nameless = known.nameless.get(key)
    if nameless is not None and key in known.shared_names:
        nameless = None  # two people of the file have that name: which one owns is unknown
    stored = known.stored.get(email)
    known.learn(email, values.get("name"))
    if stored is None and nameless is not None:
        # An owner an export named, now found in the directory: the same person gains an
        # e-mail, so every app they own keeps them.
        stored, nameless = nameless, None
    if stored is None:
        plan.people.append(PlannedPerson(Outcome.CREATED, sheet, row, email, values))
        plan.counts[PEOPLE].add(Outcome.CREATED)
        return
    db_id, version, old = stored
    diffs = _diffs(values, old)
    merge_from = nameless[0] if nameless is not None else None
    if not diffs and merge_from is None:
        plan.counts[PEOPLE].add(Outcome.UNCHANGED)
        return
    changes = {diff.field: diff.new for diff in diffs}
    plan.people.append(PlannedPerson(Outcome.UPDATED, sheet, row, email, changes, db_id, version, diffs,
                                     merge_from))
    plan.counts[PEOPLE].add(Outcome.UPDATED)


def _resolve_managers(tables: list[NormalisedTable], known: KnownPeople,
                      labels: dict[str, dict[str, str]], problems: list[Problem]) -> None:
    """Managers given by name become the e-mail of the one person (file or portfolio) with it."""
    emails = {key: owners[0] for key, owners in known.by_name.items()
              if len(owners) == 1 and "@" in owners[0]}
    counts: dict[str, set[str]] = defaultdict(set)
    for table in tables:
        for record in table.records:
            email, name = record.values.get("email"), record.values.get("name")
            if email and name:
                counts[known.key_of[name]].add(email)
    emails.update({key: next(iter(found)) for key, found in counts.items() if len(found) == 1})
    for table in tables:
        table.values_changed()  # managers given by name are rewritten below
        column = labels[table.sheet].get("manager_email", "manager_email")
        for record in table.records:
            manager = record.values.get("manager_email")
            if manager and "@" not in manager:
                record.values["manager_email"] = emails.get(known.key_of[manager])
                if record.values["manager_email"] is None:
                    problems.append(Problem(
                        table.sheet, record.row, column, manager,
                        f"manager “{manager}” is not one person in the file or the portfolio; "
                        "left blank — write their e-mail to set it", WARNING))


def _shared_names(tables: list[NormalisedTable], known: KnownPeople) -> set[str]:
    """Name keys more than one person has, counting the file's people and the portfolio's."""
    emails_by_name: dict[str, set[str]] = defaultdict(set)
    for key, owners in known.by_name.items():
        emails_by_name[key].update(o for o in owners if "@" in o)
    for table in tables:
        for record in table.records:
            email, name = record.values.get("email"), record.values.get("name")
            if email and name:
                emails_by_name[known.key_of[name]].add(email)
    return {key for key, emails in emails_by_name.items() if len(emails) > 1}


def _diffs(values: dict[str, Any], old: dict[str, Any]) -> tuple[FieldDiff, ...]:
    if {name: old.get(name) for name in values} == values:  # the common re-import
        return ()
    return tuple(FieldDiff(name, old.get(name), new) for name, new in values.items()
                 if new is not None and not _same_person_value(name, new, old.get(name))
                 and not _notice_kept(name, new, old.get(name)))


def _notice_kept(name: str, new: Any, old: Any) -> bool:
    # A directory still lists someone who handed in their notice as enabled; the lead
    # marked them leaving on purpose, and their handover is under way.
    return name == "status" and new == PersonStatus.ACTIVE and old == PersonStatus.LEAVING


def status_from_leave_dates(table: NormalisedTable, mapped: dict[str, str],
                            today: date) -> None:
    """A leavers list gives dates, not statuses: a date passed is left, one to come leaving."""
    if "leave_date" not in mapped or "status" in mapped:
        return
    table.values_changed()
    for record in table.records:
        leave = record.values.get("leave_date")
        if isinstance(leave, date):
            record.values["status"] = PersonStatus.LEFT if leave <= today else PersonStatus.LEAVING


def _same_person_value(name: str, new: Any, old: Any) -> bool:
    if new == old:
        return True
    return name in PERSON_LISTS and set(new) == set(old or ())


def duplicate(sheet: str, row: int, column: str, key: str, first: tuple[str, int, dict],
              values: dict[str, Any], noun: str) -> Problem:
    """The warning for a row that repeats an earlier row of the file (by its key)."""
    first_sheet, first_row, first_values = first
    where = f"row {first_row}" + (f" of {first_sheet}" if first_sheet != sheet else "")
    what = column.split(" (")[0] or "key"
    message = (f"rows {first_row} and {row} are the same {noun} (same {what}); imported "
               f"once, from {where}")
    if values != first_values:
        message += "; this row's other values differ and were not imported"
    return Problem(sheet, row, column, key, message, WARNING)
