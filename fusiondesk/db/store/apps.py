"""Between database rows and the core's facts, one app or 100,000 at a time: the app table's mapping.

Bulk paths use SQLAlchemy Core (plain tuples) because building ORM objects for
a whole portfolio costs ten times as much.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import MISSING, dataclass
from dataclasses import fields as dataclass_fields
from datetime import date
from functools import lru_cache
from itertools import repeat
from typing import Any

from sqlalchemy import (
    String,
    and_,
    case,
    delete,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session

from fusiondesk.core.facts import AppFacts, Integration, Owner, facts_of_columns
from fusiondesk.core.fields import (
    APP_FIELDS,
    BOOL,
    DATE,
    INTEGRATIONS,
    LIST,
    OWNER_COLUMNS,
)
from fusiondesk.core.flags import Interned
from fusiondesk.core.terms import OwnerRole, ReviewOutcome, ReviewType, values_of
from fusiondesk.core.values import TEAM_COLUMN, app_values, join_list, split_list
from fusiondesk.db.models import App, IntegrationLink, Review
from fusiondesk.db.store.chunks import Scope
from fusiondesk.db.store.deployers import read_deployers
from fusiondesk.db.store.driver import insert_rows, insert_tuples, raw_rows, update_versioned
from fusiondesk.db.store.ownership import read_owners

# App columns that hold a canonical field as it is (no owners, no integrations).
APP_SCALARS = tuple(
    f.name for f in APP_FIELDS
    if f.kind not in (INTEGRATIONS, "emails") and f.name != "owner_team"
)
APP_LISTS = tuple(f.name for f in APP_FIELDS if f.kind == LIST and f.name != "owner_team")
APP_DATES = tuple(f.name for f in APP_FIELDS if f.kind == DATE)
APP_BOOLS = tuple(f.name for f in APP_FIELDS if f.kind == BOOL)
_SUMMARY_ORDER = {OwnerRole.PRIMARY: 0, OwnerRole.CO_OWNER: 1, OwnerRole.PRODEV_PARTNER: 2,
                  OwnerRole.BUSINESS_OWNER: 3}


def id_ranges(session: Session, size: int) -> list[tuple[int, int]]:
    """The app ids cut into consecutive ranges of about `size` apps, covering every app.

    As many ranges as `size` apps make, each spanning an equal share of the ids: the apps
    are about `size` a range where ids are dense (an import or a sample leaves them so),
    fewer where deletions left gaps. Reading every id to cut exact ranges read the whole
    app table (a tenth of a second and more at 100,000 apps) before a big job could
    start sharing its ranges; the lowest and highest id and the count are index look-ups.
    """
    lowest, highest, count = session.execute(select(
        select(func.min(App.id)).scalar_subquery(), select(func.max(App.id)).scalar_subquery(),
        select(func.count()).select_from(App).scalar_subquery())).one()
    if not count:
        return []
    width = -(-(highest - lowest + 1) // -(-count // size))  # ceilings: no range left over
    return [(low, min(low + width - 1, highest)) for low in range(lowest, highest + 1, width)]


# The facts classification reads (core.tiers and core.flags: `classified` in the registry);
# reclassifying 100,000 apps loads only these, leaving descriptions, notes and unused dates.
CLASSIFIED_SCALARS = tuple(f.name for f in APP_FIELDS if f.classified)


def load_facts(session: Session, ids: list[int] | None = None, scope: Scope | None = None,
               for_classification: bool = False) -> dict[int, AppFacts]:
    """Facts of the given apps (all when neither ids nor scope is given), keyed by database id.

    With `for_classification`, only the facts classification reads are filled in.
    (A job reading a whole portfolio range by range uses `facts_reader.FactsReader`.)
    """
    if ids is not None and not ids:
        return {}
    scope = scope or Scope(ids)
    return read_facts(session, scope, for_classification, read_owners(session, scope),
                      read_deployers)


def read_facts(session: Session, scope: Scope, for_classification: bool,
               owners: dict[int, list[Owner]], deployers, links: dict | None = None,
               derived: bool = True) -> dict[int, AppFacts]:
    """The facts of the apps in `scope`, given their owners (by database id); `deployers`
    resolves `deployed_by` texts as `read_deployers` does; `links`: the Integrations made
    so far, to share (by their row's values). Without `derived`, the facts only
    classification reads from other records (the next review due, a passed readiness
    review, who `deployed_by` names) are left unknown: for what shows the stored fields."""
    integrations = _load_integrations(session, scope, links)
    reviews = _load_review_facts(session, scope) if derived else {}
    if not derived:
        deployers = _nobody_read
    names = CLASSIFIED_SCALARS if for_classification else APP_SCALARS
    raw = [App.id, *(type_coerce(getattr(App, n), String) if n in APP_DATES else getattr(App, n)
                     for n in names)]
    deployed_at = names.index("deployed_by") + 1
    facts: dict[int, AppFacts] = {}
    for where in scope.groups():
        rows = raw_rows(session, select(*raw).where(where(App.id)))
        if rows:
            found = deployers(session, {row[deployed_at] for row in rows})
            facts.update(_facts_of_rows(rows, names, owners, integrations, reviews, found))
    return facts


def _facts_of_rows(rows: list[tuple], names: tuple[str, ...], owners: dict, integrations: dict,
                   reviews: dict, deployers: dict) -> Iterable[tuple[int, AppFacts]]:
    """(database id, facts) of each app row (id, *names), converted column by column.

    At 100,000 apps of ~40 columns a loop per value cost more than reading the rows: each
    column is converted by one C-level map, and the facts are made by position from the
    columns side by side (unread facts keep their defaults).
    """
    columns = list(zip(*rows))
    ids = columns[0]
    slots: list = [repeat(default) for default in _FACT_DEFAULTS]
    for name, column in zip(names, columns[1:]):
        convert = _converter(name)
        slots[_FACT_INDEX[name]] = column if convert is None else list(map(convert, column))
    slots[_OWNERS_AT] = [tuple(owners.get(i, ())) for i in ids]
    slots[_LINKS_AT] = [integrations.get(i, ()) for i in ids]
    slots[_DUE_AT], slots[_READY_AT] = zip(*[reviews.get(i, _NO_REVIEWS) for i in ids])
    deployed = columns[names.index("deployed_by") + 1]
    slots[_DEPLOYER_AT], slots[_DEPLOYER_ROLE_AT] = zip(*[deployers.get(t, _NOBODY) for t in deployed])
    return zip(ids, facts_of_columns(*slots))


_FACT_FIELDS = dataclass_fields(AppFacts)
_FACT_INDEX = {f.name: i for i, f in enumerate(_FACT_FIELDS)}
_FACT_DEFAULTS = tuple(None if f.default is MISSING else f.default for f in _FACT_FIELDS)
_DEPLOYER_AT, _DEPLOYER_ROLE_AT = _FACT_INDEX["deployer"], _FACT_INDEX["deployer_role"]
_OWNERS_AT, _LINKS_AT, _DUE_AT, _READY_AT = (
    _FACT_INDEX[n] for n in ("owners", "integrations", "next_review_due", "readiness_passed"))
_NOBODY = (None, None)


def _nobody_read(session: Session, texts) -> dict:
    return {}


def _converter(name: str):
    """How a raw stored value of a column becomes a fact (None: as stored); each keeps None
    (unknown) as None."""
    if name in APP_LISTS:
        return _as_list.__getitem__
    if name in APP_DATES:
        return _as_date
    if name in APP_BOOLS:
        return _as_bool
    return None


# Lists repeat across a portfolio (the same categories, regimes): each text split once.
_as_list = Interned(split_list, limit=20_000)


def _as_bool(value) -> bool | None:
    return None if value is None else bool(value)


@lru_cache(maxsize=65536)
def _as_date(text: str | date | None) -> date | None:
    # dates repeat across a portfolio; fromisoformat on a cache miss is C-fast. SQLite
    # hands back ISO text, PostgreSQL's driver a date already.
    if not text or isinstance(text, date):
        return text or None
    return date.fromisoformat(text[:10])


# A production-readiness review passed: approved, with or without conditions.
_PASSED_READINESS = (Review.type == ReviewType.PRODUCTION_READINESS.value,
                     Review.completed.is_not(None),
                     Review.outcome.in_(values_of((ReviewOutcome.APPROVED,
                                                   ReviewOutcome.APPROVED_WITH_CONDITIONS))))
_NO_REVIEWS = (None, False)  # next review due, readiness passed


def _load_review_facts(session: Session, scope: Scope) -> dict[int, tuple[date | None, bool]]:
    """Per app in `scope` with reviews: its next open review's due day, and whether it passed
    a production-readiness review.

    One grouped statement per id range: a realistic review history is twice as many reviews
    as apps (220,000 at 100,000), and a statement for each fact read them twice.
    """
    next_due = func.min(case((Review.completed.is_(None), Review.due)))  # MIN skips NULLs
    passed = func.max(case((and_(*_PASSED_READINESS), 1), else_=0))
    query = select(Review.app_id, next_due, passed).group_by(Review.app_id)
    found: dict[int, tuple[date | None, bool]] = {}
    for where in scope.groups():
        for app_id, due, ready in raw_rows(session, query.where(where(Review.app_id))):
            found[app_id] = (_as_date(due), bool(ready))
    return found


def _load_integrations(session: Session, scope: Scope, made: dict | None = None) -> dict[int, tuple]:
    """The integrations of the apps in `scope`, in order, by app database id.

    A portfolio's 100,000 integrations are a few hundred distinct ones: each is made once
    (in `made`, by its row's values, shared across calls when given) and shared.
    """
    query = select(
        IntegrationLink.app_id, IntegrationLink.system, IntegrationLink.direction,
        IntegrationLink.approved, IntegrationLink.external_api, IntegrationLink.enterprise,
        IntegrationLink.asynchronous,
    ).order_by(IntegrationLink.app_id, IntegrationLink.position)
    made = {} if made is None else made
    grouped: dict[int, list[Integration]] = defaultdict(list)
    for where in scope.groups():
        for row in raw_rows(session, query.where(where(IntegrationLink.app_id))):
            link = made.get(row[1:])
            if link is None:
                link = made[row[1:]] = _integration(*row[1:])
            grouped[row[0]].append(link)
    # Integrations are always written with their app, so no rows means known-none.
    return {app_id: tuple(items) for app_id, items in grouped.items()}


def _integration(system, direction, approved, external_api, enterprise, asynchronous) -> Integration:
    return Integration(system, direction, _as_bool(approved), _as_bool(external_api),
                       _as_bool(enterprise), asynchronous=bool(asynchronous))


def scalar_columns(facts: AppFacts) -> dict:
    """The app-table columns for a set of facts (lists joined, owners and integrations apart)."""
    values = {name: getattr(facts, name) for name in APP_SCALARS}
    for name in APP_LISTS:
        values[name] = join_list(values[name])
    values["owner_summary"] = owner_summary(facts.owners)
    values["integration_summary"] = join_list(
        tuple(i.to_text() for i in facts.integrations or ())
    )
    return values


def refresh_owner_summaries(session: Session, app_ids: Iterable[int]) -> None:
    """Rewrite the table's Owners column of these apps, after an owner's key changed.

    An owner is shown by e-mail, or by name while they have none: completing someone's
    e-mail (or merging them into their directory record) changes what their apps show.
    """
    for db_id, facts in load_facts(session, sorted(set(app_ids))).items():
        session.execute(update(App).where(App.id == db_id)
                        .values(owner_summary=owner_summary(facts.owners)))


def owner_summary(owners: tuple[Owner, ...]) -> str | None:
    """Owners for the table column: primary first, then the others, teams by name."""
    ranked = sorted(owners, key=lambda o: _SUMMARY_ORDER.get(o.role, 9))
    names = [o.key for o in ranked if o.role != OwnerRole.BUSINESS_OWNER]
    return join_list(tuple(dict.fromkeys(n for n in names if n))) or None


# ---- Many apps at a time (imports, samples) ----

def count_apps(session: Session) -> int:
    """How many apps the portfolio holds."""
    return session.scalar(select(func.count(App.id))) or 0


def last_app_id(session: Session) -> int:
    """The highest app database id (0 for an empty portfolio)."""
    return session.scalar(select(func.coalesce(func.max(App.id), 0)))


def app_ids_after(session: Session, last_id: int) -> dict[str, int]:
    """app_id → database id of the apps added since `last_id` (this transaction's inserts)."""
    return dict(session.execute(select(App.app_id, App.id).where(App.id > last_id)).all())


def database_ids(session: Session) -> dict[str, int]:
    """Every app's database id, by app_id."""
    return dict(session.execute(select(App.app_id, App.id)).all())


def insert_app_rows(session: Session, columns: list[str] | tuple[str, ...],
                    rows: list[tuple]) -> None:
    """Add app rows given as tuples in `columns` order, values in stored form."""
    insert_tuples(session, App.__table__, columns, rows)


def insert_app_facts(session: Session, apps: list[AppFacts]) -> None:
    """Add apps' own rows (not their owners or integrations), version 1."""
    rows = [{**scalar_columns(a), "version": 1} for a in apps]
    if rows:  # an empty list would run the insert once, with no values
        session.connection().execute(App.__table__.insert(), rows)


def update_apps(session: Session, columns: tuple[str, ...], rows: list[tuple]) -> int:
    """UPDATE apps given as (*values, id, version) still at that version; how many matched."""
    return update_versioned(session, App.__table__, columns, rows)


# ---- One app at a time (edits) ----

# The canonical fields classification reads: an edit of any other field (notes, a
# description) leaves the app's tier and flags as they were.
CLASSIFIED_FIELDS = frozenset((*CLASSIFIED_SCALARS, *OWNER_COLUMNS, TEAM_COLUMN, "integrations"))


@dataclass(frozen=True)
class StoredApp:
    """An app as the editor sees it: facts plus the version they were read at."""

    db_id: int
    version: int
    facts: AppFacts

    @property
    def values(self) -> dict[str, Any]:
        """The canonical columns, for editors and exports."""
        return app_values(self.facts)


def app_db_id(session: Session, app_id: str) -> int | None:
    """The database id of an app by its external key (None: no such app)."""
    return session.scalar(select(App.id).where(App.app_id == app_id))


def read_app(session: Session, app_id: str) -> StoredApp | None:
    """One app by its external key, with its version, in three statements (None: no such app).

    The row, its version and its next review due come in one statement; owners and
    integrations in one each.
    """
    next_due = (select(func.min(Review.due))
                .where(Review.app_id == App.id, Review.completed.is_(None), Review.due.is_not(None))
                .scalar_subquery())
    ready = select(Review.id).where(Review.app_id == App.id, *_PASSED_READINESS).exists()
    columns = (type_coerce(getattr(App, n), String) if n in APP_DATES else getattr(App, n)
               for n in APP_SCALARS)
    rows = raw_rows(session, select(App.id, App.version, next_due, ready, *columns)
                    .where(App.app_id == app_id))
    if not rows:
        return None
    db_id, version, due, passed, *row = rows[0]
    values = list(_FACT_DEFAULTS)
    for name, value in zip(APP_SCALARS, row):
        convert = _converter(name)
        values[_FACT_INDEX[name]] = value if convert is None or value is None else convert(value)
    scope = Scope([db_id])
    values[_FACT_INDEX["owners"]] = tuple(read_owners(session, scope).get(db_id, ()))
    values[_FACT_INDEX["integrations"]] = _load_integrations(session, scope).get(db_id, ())
    values[_FACT_INDEX["next_review_due"]] = _as_date(due)
    values[_FACT_INDEX["readiness_passed"]] = bool(passed)
    deployed_by = values[_FACT_INDEX["deployed_by"]]
    values[_DEPLOYER_AT], values[_DEPLOYER_ROLE_AT] = read_deployers(
        session, [deployed_by]).get(deployed_by, _NOBODY)
    return StoredApp(db_id, version, AppFacts(*values))


def insert_app(session: Session, facts: AppFacts) -> int:
    """Add one app's row at version 1 (owners and integrations apart); its database id."""
    made = session.execute(insert(App).values(**scalar_columns(facts), version=1))
    return made.inserted_primary_key[0]


def update_app(session: Session, stored: StoredApp, facts: AppFacts,
               classification: dict | None = None) -> bool:
    """Write `facts` over the app read as `stored`, one version on; False when someone else
    changed it since (the version check). `classification`: cached columns written with it."""
    written = session.execute(
        update(App).where(App.id == stored.db_id, App.version == stored.version)
        .values(**scalar_columns(facts), **(classification or {}), version=stored.version + 1)
    )
    return written.rowcount == 1


def delete_app(session: Session, db_id: int) -> None:
    """Remove one app (its owners, integrations and reviews go with it)."""
    session.execute(delete(App).where(App.id == db_id))


def write_integrations(session: Session, db_id: int, integrations) -> None:
    """Make `integrations` the integrations of one app, in order."""
    session.execute(delete(IntegrationLink).where(IntegrationLink.app_id == db_id))
    rows = [
        {"app_id": db_id, "position": n, "system": i.system, "direction": i.direction,
         "approved": i.approved, "external_api": i.external_api, "enterprise": i.enterprise,
         "asynchronous": i.asynchronous}
        for n, i in enumerate(integrations or ())
    ]
    insert_rows(session, IntegrationLink.__table__, rows)


def ownership_facts(session: Session) -> list[AppFacts]:
    """Every app with only what the ownership measures read: key, name, department,
    lifecycle and owners (with their people's status)."""
    owners = read_owners(session)
    rows = raw_rows(session, select(App.id, App.app_id, App.name, App.department, App.lifecycle))
    return [AppFacts(app_id=app_id, name=name, department=department, lifecycle=lifecycle,
                     owners=tuple(owners.get(db_id, ())))
            for db_id, app_id, name, department, lifecycle in rows]
