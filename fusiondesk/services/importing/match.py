"""Planning an import: the file read, its people and app rows matched to the portfolio.

The portfolio is read on a second thread while the file is parsed (`stored`); people are
planned in `people`, app rows matched in `app_matcher`, and new owners flagged here.
"""

from __future__ import annotations

from itertools import chain
from os import PathLike

from fusiondesk.core.fields import OWNER_COLUMNS
from fusiondesk.core.memory import heap_set_aside, paused_gc
from fusiondesk.db.store import Session
from fusiondesk.services.importing.app_matcher import (
    AppMatcher,
    compared_columns,
    compared_fields,
    needs_keys,
    same_as_records,
    walked_ids,
)
from fusiondesk.services.importing.apply import prompt_handoffs
from fusiondesk.services.importing.early_people import EarlyPeople
from fusiondesk.services.importing.owners import OwnerNames
from fusiondesk.services.importing.people import KnownPeople, plan_people
from fusiondesk.services.importing.plan import ImportPlan, Inventory
from fusiondesk.services.importing.read import read_inventory
from fusiondesk.services.importing.stored import PortfolioRead
from fusiondesk.sheets.mapping import APPS, PEOPLE
from fusiondesk.sheets.normalise import NormalisedTable
from fusiondesk.sheets.problems import WARNING, Problem
from fusiondesk.sheets.profile import Profile

_PERSON_OWNER_FIELDS = tuple(OWNER_COLUMNS)


# --- apps -----------------------------------------------------------------------------

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
        stored_apps = portfolio.apps(fields, by_key, walked_ids(tables, same))
    matcher = AppMatcher(plan, stored_apps, fields, problems, stored_apps.by_key_read, compare)
    for n, table in enumerate(tables):
        problems.extend(table.problems)
        matcher.plan_table(table, labels[table.sheet], columns[n],
                           None if same is None else same[n])
    _flag_new_owners(plan, tables, labels, known, problems)


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
