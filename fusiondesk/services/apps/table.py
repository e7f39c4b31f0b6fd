"""The portfolio table: which apps match, in what order, and their cells.

Filtering and sorting happen in SQL and return only ids; the table model then
fetches the cells of the rows on screen. That keeps 100,000 apps smooth.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from fusiondesk.core.fields import APP_FIELDS, EMAILS
from fusiondesk.core.values import format_value
from fusiondesk.db.store import Session
from fusiondesk.db.store import app_table as store


@dataclass(frozen=True)
class Column:
    """A column the portfolio table can show: its key (the store knows what is behind it) and header."""

    key: str
    header: str


def _table_columns() -> tuple[Column, ...]:
    columns = [Column("tier", "Tier"), Column("flags", "Warning signs")]
    for spec in APP_FIELDS:
        if spec.kind != EMAILS and spec.name != "owner_team":
            columns.append(Column(spec.name, spec.label))
    # Owners sit right after lifecycle: found by key, so a new field cannot push them along.
    after = next(i for i, c in enumerate(columns) if c.key == "lifecycle") + 1
    columns.insert(after, Column("owners", "Owners"))
    columns.append(Column("drift", "Drift"))
    return tuple(columns)


COLUMNS: tuple[Column, ...] = _table_columns()
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
DEFAULT_COLUMNS = ("tier", "flags", "name", "platform", "department", "lifecycle", "owners",
                   "users", "data_sensitivity", "criticality", "last_used")


@dataclass(frozen=True)
class AppQuery:
    """What the user asked the table for: search text, filters and sort."""

    search: str = ""
    platform: str | None = None
    kind: str | None = None
    department: str | None = None
    lifecycle: str | None = None
    owner: str | None = None  # an e-mail
    tier: int | None = None
    flag: str | None = None
    drift: bool = False
    tiers: tuple[int, ...] = ()  # any of these (Home's "Tier 3–4")
    leavers: tuple[date, date] | None = None  # owned by someone leaving within these days
    sort: str = "name"
    descending: bool = False
    extra: dict = field(default_factory=dict, hash=False, compare=False)


def matching_ids(session: Session, query: AppQuery) -> list[int]:
    """Database ids of the apps that match, in the requested order."""
    equal = {name: getattr(query, name) for name in store.EQUAL_FILTERS
             if getattr(query, name) is not None}
    sort = query.sort if query.sort in COLUMN_BY_KEY else "name"
    return store.matching_ids(session, equal, drift=query.drift, flag=query.flag,
                              owner=query.owner, words=query.search.split(), sort=sort,
                              descending=query.descending, tiers=query.tiers,
                              leavers=query.leavers)


def search_texts(session: Session, ids: list[int]) -> list[str]:
    """The searched columns of each app, lower-cased, aligned with `ids`.

    Quick search then filters these in Python: at 100,000 apps a keystroke costs
    ~20 ms instead of re-running a sorted SQL query (~150 ms for a single letter).
    """
    rows = store.search_rows(session)
    texts = {row[0]: "\x00".join((value or "").lower() for value in row[1:]) for row in rows}
    return [texts.get(app_id, "") for app_id in ids]


def filter_by_words(ids: list[int], texts: list[str], search: str) -> list[int]:
    """The ids whose text holds every word of `search` (the same rule as the SQL search)."""
    words = search_words(search)
    if not words:
        return list(ids)
    return [ids[at] for at in places_with_words(texts, words)]


def search_words(search: str) -> list[str]:
    """The words quick search looks for, lower-cased as the texts are."""
    return [word.lower() for word in search.split()]


def narrows(words: list[str], earlier: list[str]) -> bool:
    """True when a text holding every one of `words` holds every `earlier` word too (each
    is inside one of them): a word typed on only narrows the last result."""
    return bool(earlier) and all(any(old in new for new in words) for old in earlier)


def places_with_words(texts: list[str], words: list[str],
                      among: list[int] | None = None) -> list[int]:
    """The places (indexes) of the texts holding every word, looked for only at the places
    `among` when given. A word typed on looks among the last result's places: the first
    letter reads 100,000 texts, the next ones a few thousand."""
    if len(words) == 1:  # the usual case: no all() per text, three times faster
        word = words[0]
        if among is not None:
            return [at for at in among if word in texts[at]]
        return [at for at, text in enumerate(texts) if word in text]
    if among is not None:
        return [at for at in among if all(word in texts[at] for word in words)]
    return [at for at, text in enumerate(texts) if all(word in text for word in words)]


def fetch_cells(session: Session, ids: list[int], keys: tuple[str, ...]) -> dict[int, dict]:
    """Display text of the given columns for the given apps, keyed by database id."""
    cells: dict[int, dict] = {}
    for row in store.cell_rows(session, ids, keys):
        values = {"_app_id": row[1], "_version": row[2]}
        for key, value in zip(keys, row[3:]):
            values[key] = value
        cells[row[0]] = values
    return cells


def display(key: str, value) -> str:
    """The text of one cell."""
    if key == "drift":
        return "drift" if value else ""
    if key == "tier":
        return f"Tier {value}" if value else "?"
    if key == "flags":
        return "" if not value else value.replace(";", ", ")
    return format_value(key, value) if key not in ("owners", "integrations") else (value or "")


def distinct_values(session: Session, attribute: str) -> list[str]:
    """The values a filter can choose from (platforms, departments, ...)."""
    return [v for v in store.distinct_values(session, attribute) if v]


def owner_emails(session: Session) -> list[str]:
    """Everyone who owns at least one app, for the owner filter."""
    return store.owner_emails(session)


def app_count(session: Session) -> int:
    """How many apps the portfolio holds."""
    return store.app_count(session)
