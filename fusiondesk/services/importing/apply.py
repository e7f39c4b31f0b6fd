"""Applying an import plan inside one transaction: people, created apps, updated apps.

Created apps are classified as they are written (their facts are in memory, and their
owners' statuses are known once the people are in), so a 100,000-app import never
reads its own apps back; updated apps and the apps of people whose status changed go
through `reclassify`, which loads them as stored.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Callable, Iterator

from fusiondesk.core import clock
from fusiondesk.core.errors import PortfolioError
from fusiondesk.core.facts import AppFacts, PersonFacts
from fusiondesk.core.fields import DATE, PERSON_FIELD_BY_NAME
from fusiondesk.core.memory import heap_set_aside, paused_gc
from fusiondesk.core.terms import LEAVER_STATUSES, Entity, Existence, Source, Whole
from fusiondesk.core.values import carry_integrations, facts_from_values, format_value, join_list
from fusiondesk.db.store import Session
from fusiondesk.db.store.apps import (
    app_ids_after,
    insert_app_rows,
    last_app_id,
    load_facts,
    owner_summary,
    refresh_owner_summaries,
    update_apps,
)
from fusiondesk.db.store.driver import KEY_CONFLICTS, is_sqlite
from fusiondesk.db.store.import_log import insert_log, log_created_apps, log_stamp
from fusiondesk.db.store.integrations import (
    delete_integrations,
    insert_integrations,
    integration_rows,
)
from fusiondesk.db.store.ownership import (
    apps_owned_by_emails,
    apps_owned_by_people,
    delete_owners,
    owner_rows,
    write_owners,
)
from fusiondesk.db.store.people import PERSON_LISTS, insert_people, update_people
from fusiondesk.db.store.reviews import insert_review_rows, last_review_id
from fusiondesk.services.apps.bulk import merge_person
from fusiondesk.services.changes import FieldChange
from fusiondesk.services.classification.reclassify import policy_in_force, reclassify
from fusiondesk.services.handover.pending import defer_planning
from fusiondesk.services.importing.forms import OWNER_FIELDS, integration_summary
from fusiondesk.services.importing.plan import ImportPlan, Outcome, PlannedApp
from fusiondesk.services.importing.rows import SCALAR_FORMS, CreatedBatch, OwnerBook
from fusiondesk.services.reviews.milestones import (
    gains_a_milestone,
    insert_new_app_reviews,
    new_apps_reviews,
    numbered_reviews,
    reclassify_late,
    request_milestone_reviews,
)

BATCH = 5000  # apps per write: progress is reported (and cancel can strike) between batches
_OWNER_FIELDS = frozenset(OWNER_FIELDS)


class ImportStale(PortfolioError):
    """The portfolio changed between the preview and the import; nothing was written."""


def _stale(what: str) -> ImportStale:
    return ImportStale(f"{what} changed since the import was previewed; nothing was "
                       "imported. Preview the import again.")


@contextmanager
def stale_on_conflict(what: str) -> Iterator[None]:
    """A unique key taken since the preview (an app or person added meanwhile) is stale."""
    try:
        yield
    except KEY_CONFLICTS as error:
        raise _stale(what) from error


@contextmanager
def prompt_handoffs(seconds: float = 0.0005) -> Iterator[None]:
    """Let a thread waiting for the GIL have it within half a millisecond, not five.

    The writer thread lets go of the GIL while SQLite runs each statement and needs it
    back to bind the next; while the building thread runs Python, every hand-back waits
    out the interpreter's switch interval (5 ms): about 800 statements an import, so the
    writer sat idle for much of each batch. The interval is process-wide: restored after.
    """
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, seconds))
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


def _ids_of(found: dict[str, int], batch: list[PlannedApp]) -> list[int]:
    return [found[app.app_id] for app in batch]


class ImportWriter:
    """Writes one plan in the caller's transaction, logging every change."""

    def __init__(self, session: Session, plan: ImportPlan, who: str,
                 progress: Callable[[int, int], Any] | None = None) -> None:
        self.session, self.plan, self.who, self.progress = session, plan, who, progress
        self.stamp = log_stamp(session, datetime.now().replace(microsecond=0))
        self.logged = self.reclassified = self.created_people = 0
        self.touched: set[int] = set()
        self.new_reviews: list = []  # the reviews the created apps need, as milestone items
        self.milestones: list[int] = []  # updated apps that reached a milestone
        self.requested = 0  # reviews requested
        self.people_changed: list[str] = []  # whose status or role changed
        self.leaving_changed: list[str] = []  # whose status or leave date changed: replan
        self.done, self.total = 0, len(plan.people) + len(plan.apps) + 1

    def write(self) -> None:
        """People, created apps, updated apps, their reviews, then reclassify what moved."""
        # rows of plain tuples: nothing for the cycle collector to find, in them or the plan
        with heap_set_aside(), paused_gc():
            self._write()

    def _write(self) -> None:
        self.write_people()
        book = OwnerBook(self.session)
        self.write_created(book, self.plan.apps_with(Outcome.CREATED))
        self.write_updated(book, self.plan.apps_with(Outcome.UPDATED))
        self.request_reviews()
        self.reclassify()
        self.replan_handovers()

    def _tick(self, n: int) -> None:
        self.done += n
        if self.progress is not None:
            self.progress(self.done, self.total)  # may raise: the transaction rolls back

    def _log(self, changes: list[FieldChange]) -> None:
        rows = [(self.stamp, self.who, c.entity, c.key, c.field, _text(c.field, c.old),
                 _text(c.field, c.new), Source.IMPORT, self.plan.source) for c in changes]
        insert_log(self.session, rows)
        self.logged += len(rows)

    # --- people -------------------------------------------------------------------------

    def write_people(self) -> None:
        """Add new people (from the sheet and unknown owners), update changed ones."""
        created = [p for p in self.plan.people if p.action == Outcome.CREATED]
        added = [_person_facts(p.values) for p in created]
        self.leaving_changed += [p.email for p in added if p.status in LEAVER_STATUSES]
        added += [PersonFacts(email=email) for email in self.plan.new_owners]
        added += [PersonFacts(email=None, name=name) for name in self.plan.new_named_owners]
        if added:
            with stale_on_conflict("A person in the file"):
                insert_people(self.session, added)
        self.created_people = len(added)
        self._log([FieldChange(Entity.PERSON, p.email or p.name, Whole.PERSON, None, Existence.CREATED)
                   for p in added])
        updated = [p for p in self.plan.people if p.action == Outcome.UPDATED]
        self._update_people([p for p in updated if p.diffs])
        self._merge_people([p for p in updated if p.merge_from is not None])
        self._tick(len(self.plan.people))

    def _merge_people(self, merged: list) -> None:
        """People without an e-mail whom the directory turned out to know: one person each."""
        for person in merged:
            name, apps = merge_person(self.session, person.merge_from, person.db_id)
            self._log([FieldChange(Entity.PERSON, person.email, Whole.MERGED, name, person.email)])
            refresh_owner_summaries(self.session, apps)
            self.touched.update(apps)

    def _update_people(self, updated: list) -> None:
        groups: dict[tuple, list[tuple]] = defaultdict(list)
        for person in updated:
            columns = {k: _stored_person_value(k, v) for k, v in person.values.items()}
            groups[tuple(columns)].append((*columns.values(), person.db_id, person.version))
            if {"status", "role"} & person.values.keys():
                self.people_changed.append(person.email)
            if {"status", "leave_date"} & {d.field for d in person.diffs}:
                self.leaving_changed.append(person.email)
        for columns, rows in groups.items():
            if update_people(self.session, columns, rows) != len(rows):
                raise _stale("A person in the file")
        completed = [p.db_id for p in updated if any(d.field == "email" for d in p.diffs)]
        if completed:  # their apps showed them by name: now by e-mail
            refresh_owner_summaries(self.session, apps_owned_by_people(self.session, completed))
        self._log([FieldChange(Entity.PERSON, p.email, d.field, d.old, d.new)
                   for p in updated for d in p.diffs])

    # --- created apps ------------------------------------------------------------------

    def write_created(self, book: OwnerBook, apps: list[PlannedApp]) -> None:
        """Insert new apps in batches, classified as they go, with owners and integrations."""
        if not apps:
            return
        book.ensure_teams([app.values for app in apps])
        book.learn_deployers([app.values for app in apps])
        policy, today = policy_in_force(self.session), clock.today()
        next_id = last_app_id(self.session) + 1
        next_review = last_review_id(self.session) + 1
        if not is_sqlite(self.session):
            self._created_in_turn(book, apps, policy, today, next_id)
            return
        # On SQLite the ids are given, not read back (the transaction holds the write lock,
        # so a concurrent insert fails rather than mixing in), so each batch can be built
        # while the one before is written: SQLite's own code runs without the GIL, and a
        # second core takes most of the writing off the Python that builds and classifies.
        with prompt_handoffs(), ThreadPoolExecutor(max_workers=1,
                                                   thread_name_prefix="import-writer") as driver:
            writing = None
            for start in range(0, len(apps), BATCH):
                batch = apps[start:start + BATCH]
                rows = CreatedBatch([app.values for app in batch], book, policy, today, next_id)
                ids = range(next_id, next_id + len(batch))
                owners, links = rows.owners(ids), rows.integrations(ids)
                # their reviews too: the writer thread writes them while the next batch is built
                reviews, logged = numbered_reviews(self._needed(rows, ids, policy, today),
                                                   next_review)
                self._written(writing)
                writing = driver.submit(self._insert_created, rows, owners, links, ids,
                                        reviews, logged)
                next_id += len(batch)
                next_review += len(reviews)
            self._written(writing)

    def _written(self, writing: Future | None) -> None:
        """Wait for a batch being written; count it (progress may cancel here)."""
        if writing is None:
            return
        with stale_on_conflict("An app in the file"):
            self._tick(writing.result())

    def _insert_created(self, rows: CreatedBatch, owners: list[tuple], links: list[tuple],
                        ids: range, reviews: list[tuple], logged: list[tuple]) -> int:
        """One batch's rows and log entries (on the writer thread); how many apps."""
        insert_app_rows(self.session, rows.columns, rows.apps)
        write_owners(self.session, owners)
        insert_integrations(self.session, links)
        self.logged += log_created_apps(self.session, ids[0], ids[-1], self.stamp,
                                        self.who, Existence.CREATED, self.plan.source)
        # after the apps' own rows, as elsewhere: an app's history opens with the import
        insert_review_rows(self.session, reviews, numbered=True)
        self._log_rule(logged)
        return len(ids)

    def _created_in_turn(self, book: OwnerBook, apps: list[PlannedApp], policy, today,
                         next_id: int) -> None:
        """Other databases: each batch is written, and its ids read back, before the next."""
        for start in range(0, len(apps), BATCH):
            batch = apps[start:start + BATCH]
            rows = CreatedBatch([app.values for app in batch], book, policy, today)
            with stale_on_conflict("An app in the file"):
                insert_app_rows(self.session, rows.columns, rows.apps)
            ids = _ids_of(app_ids_after(self.session, next_id - 1), batch)
            needed = self._needed(rows, ids, policy, today)
            write_owners(self.session, rows.owners(ids))
            insert_integrations(self.session, rows.integrations(ids))
            next_id = ids[-1] + 1
            self.logged += log_created_apps(self.session, ids[0], ids[-1], self.stamp,
                                            self.who, Existence.CREATED, self.plan.source)
            insert_new_app_reviews(self.session, needed, self._log_rule)
            self._tick(len(batch))

    def _needed(self, rows: CreatedBatch, ids, policy, today) -> list:
        """The reviews a batch of new apps needs, from the facts and tiers in hand."""
        needed = new_apps_reviews(zip(ids, rows.facts, rows.results), policy, today)
        self.new_reviews += needed
        return needed

    # --- updated apps ------------------------------------------------------------------

    def write_updated(self, book: OwnerBook, apps: list[PlannedApp]) -> None:
        """Write only the changed fields of each app, bumping its version."""
        if not apps:
            return
        book.ensure_teams([app.values for app in apps])
        stored = load_facts(self.session, [app.db_id for app in apps])
        policy, today = policy_in_force(self.session), clock.today()
        groups: dict[tuple, list[tuple]] = defaultdict(list)
        owned, owners, linked, links = [], [], [], []
        for app in apps:
            base = stored.get(app.db_id)
            if base is None:
                raise _stale(f"The app {app.app_id}")
            after, columns = _updated(app, base)
            if gains_a_milestone(base, after, policy, today):
                self.milestones.append(app.db_id)
            groups[tuple(columns)].append((*columns.values(), app.db_id, app.version))
            if "owner_summary" in columns:
                owned.append(app.db_id)
                owners += owner_rows(app.db_id, after.owners, book.person_ids, book.teams)
            if "integration_summary" in columns:
                linked.append(app.db_id)
                links += integration_rows(app.db_id, after.integrations)
        for columns, rows in groups.items():
            if update_apps(self.session, columns, rows) != len(rows):
                raise _stale("An app in the file")
        delete_owners(self.session, owned)
        write_owners(self.session, owners)
        delete_integrations(self.session, linked)
        insert_integrations(self.session, links)
        self._log([FieldChange(Entity.APP, a.app_id, d.field, d.old, d.new)
                   for a in apps for d in a.diffs])
        self.touched.update(app.db_id for app in apps)
        self._tick(len(apps))

    # --- classification ----------------------------------------------------------------

    def reclassify(self) -> None:
        """Reclassify updated apps and every app of a person whose status or role changed."""
        if self.people_changed:
            self.touched.update(apps_owned_by_emails(self.session, self.people_changed))
        if self.touched:
            self.reclassified = reclassify(self.session, sorted(self.touched))
        self._tick(1)


    def request_reviews(self) -> None:
        """The reviews the new apps need and the milestones updated apps reached (source 'rule')."""
        policy, today = policy_in_force(self.session), clock.today()
        self.requested = len(self.new_reviews)  # written with their apps
        reclassify_late(self.session, self.new_reviews, policy, today)
        done = request_milestone_reviews(self.session, self.milestones, self.who, today, policy)
        self.requested += len(done.keys(Entity.REVIEW))
        self.logged += len(done.changes)

    def _log_rule(self, rows: list[tuple]) -> None:
        """Log reviews the rules requested: (key, field, new value, detail) rows."""
        stamp, who, review, rule = self.stamp, self.who, Entity.REVIEW.value, Source.RULE.value
        insert_log(self.session, [(stamp, who, review, key, field, None, new, rule, detail)
                                  for key, field, new, detail in rows])
        self.logged += len(rows)

    def replan_handovers(self) -> None:
        """Record whose handovers to plan once this commits (pending_handovers plans them)."""
        defer_planning(self.session, self.leaving_changed)


# --- rows ------------------------------------------------------------------------------

def _updated(app: PlannedApp, base: AppFacts) -> tuple[AppFacts, dict[str, Any]]:
    """The app after the import, and the app-table columns that change."""
    values = dict(app.values)
    if "integrations" in values:
        values["integrations"] = carry_integrations(values["integrations"], base.integrations)
    after = facts_from_values(values, base)
    columns = {}
    for name, new in values.items():
        if name in SCALAR_FORMS:
            form = SCALAR_FORMS[name]
            columns[name] = new if form is None else form[new]
    if _OWNER_FIELDS & values.keys():
        columns["owner_summary"] = owner_summary(after.owners)
    if "integrations" in values:
        columns["integration_summary"] = integration_summary(after.integrations)
    return after, columns


def _person_facts(values: dict[str, Any]) -> PersonFacts:
    known = {k: v for k, v in values.items() if k in PERSON_FIELD_BY_NAME and v is not None}
    return PersonFacts(**known)


def _stored_person_value(name: str, value: Any) -> Any:
    if name in PERSON_LISTS:
        return join_list(value) or None
    if PERSON_FIELD_BY_NAME[name].kind == DATE and isinstance(value, date):
        return value.isoformat()
    return value


def _text(field_name: str, value: Any) -> str | None:
    return None if value is None else format_value(field_name, value)
