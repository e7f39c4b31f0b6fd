"""The rows a batch of new apps becomes: app rows (classified), owners, integrations.

Built column by column for a whole batch, with owners and stored forms converted once
per distinct cell, because this runs for every app of a 100,000-row import.
"""

from __future__ import annotations

from dataclasses import MISSING
from dataclasses import fields as dataclass_fields
from itertools import repeat
from operator import itemgetter
from typing import Any, Iterable, Sequence

from fusiondesk.core.facts import AppFacts, Owner, facts_of_columns
from fusiondesk.core.fields import APP_FIELD_BY_NAME, OWNER_COLUMNS
from fusiondesk.core.terms import OwnerRole, PersonStatus
from fusiondesk.core.tiers import classify
from fusiondesk.core.values import TEAM_COLUMN
from fusiondesk.db.store import Session
from fusiondesk.db.store.apps import APP_SCALARS, owner_summary
from fusiondesk.db.store.certifications import builder_standings
from fusiondesk.db.store.classification import CACHED
from fusiondesk.db.store.deployers import read_deployers
from fusiondesk.db.store.integrations import integration_rows
from fusiondesk.db.store.ownership import owner_rows
from fusiondesk.db.store.people import owners_by_key
from fusiondesk.db.store.teams import insert_teams, members_by_team, team_ids_by_name
from fusiondesk.services.classification.reclassify import classification_values
from fusiondesk.services.importing.forms import OWNER_FIELDS, integration_summary, stored_form

CLASSIFIED = CACHED  # the classification an app row caches
APP_INSERT_COLUMNS = ("id", *APP_SCALARS, "owner_summary", "integration_summary",
                      *CLASSIFIED, "policy_version", "version")
_FACT_FIELDS = frozenset(APP_FIELD_BY_NAME) - set(OWNER_FIELDS)
# Dates and lists take few distinct values, so these memos stay small across imports.
SCALAR_FORMS = {name: stored_form(name) for name in APP_SCALARS}
_PERSON_COLUMNS = tuple(OWNER_COLUMNS.items())
# AppFacts' fields in order, with their defaults; those without one must be given.
_FACT_DEFAULTS = tuple((f.name, f.default) for f in dataclass_fields(AppFacts))
_REQUIRED_FACTS = frozenset(name for name, default in _FACT_DEFAULTS if default is MISSING)


class OwnerBook:
    """People and teams by key, and owners carrying their person's status and role."""

    def __init__(self, session: Session) -> None:
        self.session = session
        # An owner key is an e-mail, or the name of someone without one (see import_owners).
        self.people = owners_by_key(session)
        self.person_ids = {email: person[0] for email, person in self.people.items()}
        self.teams = team_ids_by_name(session)
        self.standings = builder_standings(session)  # the qualification flag reads them
        self.members = members_by_team(session)  # a team is as active as its members
        self._cells: dict[tuple, tuple[Owner, ...]] = {}
        self.deployers: dict[str, tuple[str, str | None]] = {}  # see learn_deployers

    def learn_deployers(self, values: list[dict[str, Any]]) -> None:
        """Who the rows' `deployed_by` name, read before batches are built (issue 17's gate).

        Read here, once, because on SQLite a batch is built while the one before is
        written on the same session.
        """
        self.deployers = read_deployers(self.session, {v.get("deployed_by") for v in values})

    def with_deployers(self, facts: list[AppFacts]) -> list[AppFacts]:
        """The facts, each carrying the person its `deployed_by` names and their role."""
        known = self.deployers
        if not known:
            return facts
        return [f.with_changes(deployer=known[f.deployed_by][0], deployer_role=known[f.deployed_by][1])
                if f.deployed_by in known else f for f in facts]

    def ensure_teams(self, values: list[dict[str, Any]]) -> None:
        """Add the teams the rows name that the portfolio lacks."""
        wanted = {team for v in values for team in v.get(TEAM_COLUMN) or ()}
        if wanted - self.teams.keys():
            self.teams = insert_teams(self.session, ((name, None) for name in wanted))

    def owners(self, values: dict[str, Any]) -> tuple[Owner, ...]:
        """The owners the flat columns name, each with its person's status and role."""
        # As `owners_from_columns` reads them (a test holds the two together), but
        # remembered per cell: the same owner cells recur across thousands of apps.
        owners: tuple[Owner, ...] = ()
        for column, role in _PERSON_COLUMNS:
            cell = values.get(column)
            if cell:
                owners += self._cell(role, cell)
        teams = values.get(TEAM_COLUMN)
        if teams:  # a team is primary only when no person is
            owners += self._cell(OwnerRole.CO_OWNER if values.get("primary_owner") else OwnerRole.PRIMARY,
                                 teams, team=True)
        return owners

    def _cell(self, role: str, cell: tuple[str, ...], team: bool = False) -> tuple[Owner, ...]:
        key = (role, cell, team)
        found = self._cells.get(key)
        if found is None:
            found = self._cells[key] = tuple(
                Owner(role, team=name.strip(), members=self.members.get(name.strip(), ()))
                if team else self._person(role, name)
                for name in cell)
        return found

    def _person(self, role: str, key: str) -> Owner:
        named = "@" not in key
        key = key.strip() if named else key.strip().lower()
        _, status, person_role = self.people.get(key, (None, PersonStatus.ACTIVE, None))
        certificates = self.standings.get(key) if role == OwnerRole.PRIMARY else None
        if named:
            return Owner(role, status=status, person_role=person_role, name=key,
                         certificates=certificates)
        return Owner(role, email=key, status=status, person_role=person_role,
                     certificates=certificates)


def app_facts(values: dict[str, Any], owners: tuple[Owner, ...]) -> AppFacts:
    """The facts of a new app exactly as `load_facts` will read them back."""
    known = {k: v for k, v in values.items() if k in _FACT_FIELDS}
    # The portfolio stores integrations as rows, so "none listed" reads back as ();
    # classifying with the same facts keeps the cached tier what reclassify would say.
    known["integrations"] = known.get("integrations") or ()
    return AppFacts(**known, owners=owners)


def batch_facts(values: list[dict[str, Any]], owners: list[tuple[Owner, ...]]) -> list[AppFacts]:
    """`app_facts` for a batch whose rows share their fields (one sheet), at C speed.

    Built a field at a time, column-wise, and each fact positionally: a dict and keyword
    arguments per app cost more than classifying it.
    """
    first = values[0].keys()
    if _REQUIRED_FACTS - first or any(v.keys() != first for v in values):
        return list(map(app_facts, values, owners))
    count = len(values)
    columns: list[Iterable] = []
    for name, default in _FACT_DEFAULTS:
        if name == "owners":
            columns.append(owners)
        elif name in first and name in _FACT_FIELDS:
            column = list(map(itemgetter(name), values))
            # as `app_facts`: the portfolio reads "none listed" back as ()
            columns.append([i or () for i in column] if name == "integrations" else column)
        else:
            columns.append(repeat(() if name == "integrations" else default, count))
    return list(facts_of_columns(*columns))


class CreatedBatch:
    """One batch of new apps as table rows: apps (classified), then owners and integrations.

    `columns` leaves out the columns no app of the batch fills: binding 100,000 NULLs
    per column is time the table's defaults give for free. With `first_id` the rows carry
    their ids (SQLite), so nothing has to be read back before writing their owners.
    """

    def __init__(self, values: list[dict[str, Any]], book: OwnerBook, policy, today,
                 first_id: int | None = None) -> None:
        self.book = book
        owners = [book.owners(v) for v in values]
        self.facts = book.with_deployers(batch_facts(values, owners))
        # kept: the reviews each new app needs follow from its classification
        self.results = [classify(f, policy, today) for f in self.facts]
        classified = [classification_values(result) for result in self.results]
        columns: list[Any] = [_ids(first_id, len(values)), *_scalar_columns(values)]
        columns.append(list(map(owner_summary, owners)))
        columns.append([integration_summary(f.integrations) for f in self.facts])
        columns += map(list, zip(*classified))  # in CLASSIFIED order
        columns += [[policy.version] * len(values), [1] * len(values)]
        filled = [n for n, column in enumerate(columns) if column.count(None) != len(values)]
        self.columns = [APP_INSERT_COLUMNS[n] for n in filled]
        self.apps = list(zip(*(columns[n] for n in filled)))

    def owners(self, ids: Sequence[int]) -> list[tuple]:
        """The ownership rows, given the apps' database ids."""
        book = self.book
        return [row for db_id, f in zip(ids, self.facts)
                for row in owner_rows(db_id, f.owners, book.person_ids, book.teams)]

    def integrations(self, ids: Sequence[int]) -> list[tuple]:
        """The integration rows, given the apps' database ids."""
        return [row for db_id, f in zip(ids, self.facts)
                for row in integration_rows(db_id, f.integrations)]


def _ids(first_id: int | None, count: int) -> Sequence[int | None]:
    return [None] * count if first_id is None else range(first_id, first_id + count)


def _scalar_columns(values: list[dict[str, Any]]) -> list[list]:
    """Each app-table scalar column of a batch, in stored form."""
    keys = values[0].keys()
    uniform = all(v.keys() == keys for v in values)
    columns = []
    for name, form in SCALAR_FORMS.items():
        if uniform:
            column = list(map(itemgetter(name), values)) if name in keys else [None] * len(values)
        else:
            column = [v.get(name) for v in values]
        columns.append(column if form is None else list(map(form.__getitem__, column)))
    return columns
