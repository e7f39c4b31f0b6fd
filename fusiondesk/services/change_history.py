"""The change log as people read it: one line per change (one user action), with app names.

An edit, a bulk edit of 40 apps, an import or an undo logs a row per field in one
transaction; those rows share a change id (migration 0011). Here they come back as one
`Change` saying what happened ("Edited 'Expense Tracker': Approved tier 2 → 3",
"Imported inventory.xlsx: 120 new, 30 updated"), a page at a time, newest first: the log
grows without bound, so no list here ever reads all of it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time

from fusiondesk.core.fields import APP_FIELD_BY_NAME, PERSON_FIELD_BY_NAME
from fusiondesk.core.labels import field_label, label
from fusiondesk.core.terms import Entity, Existence, Source
from fusiondesk.db.store import Session
from fusiondesk.db.store import change_log as log_store
from fusiondesk.db.store.change_log import EntityCount, LogEntry, LogFilter

__all__ = ["Change", "ChangeFilter", "LogEntry", "change_entries", "count_changes",
           "describe", "list_changes", "subject_of"]

PAGE = 200  # changes read at a time
DETAILED = 6  # a change of at most this many rows is spelled out field by field
READ_WHOLE = 40  # a change of at most this many rows is read whole (an edit and its reviews)
SHOWN_FIELDS = 3  # a bigger one names its most changed fields, this many
VALUE_WIDTH = 40  # characters of a value before it is cut short
ARROW = "→"

VERBS = {Source.EDIT: "Edited", Source.BULK_EDIT: "Bulk edit of", Source.UNDO: "Undid a change to",
         Source.RULE: "Reclassified", Source.REVIEW: "Review of", Source.HANDOVER: "Handover of",
         Source.POLICY: "Changed", Source.AUDIT: "Audit of", Source.SAMPLE: "Sample:",
         Source.IMPORT: "Imported"}
NOUNS = {Entity.APP: ("app", "apps"), Entity.PERSON: ("person", "people"),
         Entity.REVIEW: ("review", "reviews"), Entity.POLICY: ("policy", "policy settings"),
         Entity.HANDOVER_PLAN: ("handover plan", "handover plans"),
         Entity.HANDOVER_ITEM: ("handover item", "handover items"),
         Entity.AUDIT: ("audit", "audits"), Entity.PORTFOLIO: ("portfolio", "portfolio"),
         Entity.ESCALATION: ("escalation case", "escalation cases"),
         Entity.DUPLICATES: ("duplicate decision", "duplicate decisions")}


@dataclass(frozen=True, slots=True)
class ChangeFilter:
    """The Log page's filters, as a person sets them (a day, menus, words)."""

    since: date | datetime | None = None
    app_id: str | None = None
    entity: str | None = None
    key: str | None = None
    source: str | None = None
    who: str | None = None
    text: str | None = None

    def rows(self) -> LogFilter:
        """The log rows these filters select."""
        since = self.since
        if since is not None and not isinstance(since, datetime):
            since = datetime.combine(since, time.min)
        return LogFilter(since, self.app_id, self.entity, self.key, self.source, self.who,
                         tuple((self.text or "").split()))


@dataclass(frozen=True, slots=True)
class Change:
    """One user action as the Log page lists it."""

    key: str  # the change's id (pass it to `change_entries`)
    last_id: int  # its newest row: the next page starts below it
    at: datetime
    who: str
    source: str
    detail: str | None
    rows: int  # how many log rows (fields) it holds
    what: str  # what happened, in words, with app names
    keys: str  # the ids it touched, for a tooltip ("PA-1, PA-2, …")


def list_changes(session: Session, where: ChangeFilter = ChangeFilter(),
                 before: int | None = None, limit: int = PAGE) -> list[Change]:
    """The newest `limit` changes with a row matching the filters, older than `before`."""
    rows = where.rows()
    found = log_store.read_changes(session, rows, before, limit)
    small = [c.key for c in found if c.rows <= READ_WHOLE]
    entries: dict[str, list[LogEntry]] = {}
    for key, entry in log_store.change_entries(session, small, rows):
        entries.setdefault(key, []).append(entry)
    # A big change is summed up in SQL; a small one from the rows already read.
    big = [c.key for c in found if c.rows > READ_WHOLE]
    counts = log_store.change_entity_counts(session, big, rows)
    counts.update({key: _entity_counts(group) for key, group in entries.items()})
    fields = log_store.change_fields(session, big, rows)
    names = log_store.app_names(session, {app_key(e) for group in entries.values()
                                          for e in group if app_key(e)})
    return [Change(c.key, c.last_id, c.at, c.who, c.source, c.detail, c.rows,
                   describe(c.source, c.detail, counts.get(c.key, []), fields.get(c.key, []),
                            entries.get(c.key), names),
                   _keys_text(entries.get(c.key), c.rows))
            for c in found]


def count_changes(session: Session, where: ChangeFilter = ChangeFilter()) -> int:
    """How many changes have a row matching the filters."""
    return log_store.count_changes(session, where.rows())


def change_entries(session: Session, key: str, where: ChangeFilter = ChangeFilter(),
                   limit: int | None = None) -> tuple[list[LogEntry], dict[str, str]]:
    """The field-level rows of one change (in the order logged) and the names of its apps."""
    entries = [e for _key, e in log_store.change_entries(session, [key], where.rows(), limit)]
    return entries, log_store.app_names(session, {app_key(e) for e in entries if app_key(e)})


def app_key(entry: LogEntry) -> str | None:
    """The app a row is about: the app itself, or the app of a review ('APP#7')."""
    if entry.entity == Entity.APP:
        return entry.entity_key
    if entry.entity == Entity.REVIEW:
        return entry.entity_key.rpartition("#")[0] or None
    return None


def subject_of(entry: LogEntry, names: dict[str, str]) -> str:
    """What one row is about, as a person names it: 'Expense Tracker', its review, an e-mail."""
    app = app_key(entry)
    if app is None:
        return entry.entity_key
    name = names.get(app, app)
    return name if entry.entity == Entity.APP else f"{name} (review)"


def field_change(entry: LogEntry) -> str:
    """One row as words: 'Approved tier: 2 → 3', 'App created'."""
    if entry.field.startswith("("):  # a whole entity came, went, or was merged
        return f"{label(Entity, entry.entity)} {_existence(entry)}"
    old, new = _value(entry.field, entry.old_value), _value(entry.field, entry.new_value)
    return f"{field_name(entry.field)}: {old or '(blank)'} {ARROW} {new or '(blank)'}"


def field_name(name: str) -> str:
    """A field as its label ('Approved tier'), or its name in words when it has none."""
    spec = APP_FIELD_BY_NAME.get(name) or PERSON_FIELD_BY_NAME.get(name)
    return spec.label if spec else name.strip("()").replace("_", " ").capitalize()


def describe(source: str, detail: str | None, counts: list[EntityCount], fields: list[str],
             entries: list[LogEntry] | None, names: dict[str, str]) -> str:
    """What one change did, in a line."""
    if source == Source.IMPORT:
        return _import_text(detail, counts)
    if source == Source.SAMPLE:
        apps = next((c.keys for c in counts if c.entity == Entity.APP), 0)
        made = f": {apps:,} apps" if apps else ""
        return f"Created the sample portfolio ({detail or 'generated'}){made}"
    if source == Source.RULE and counts and all(c.entity == Entity.REVIEW for c in counts):
        made = sum(c.created for c in counts)
        if made:  # the milestone reviews the rules asked for (services.reviews.milestones)
            return f"Requested {_count(made, Entity.REVIEW)} the rules require"
    verb = VERBS.get(source, label(Source, source))
    follow_up = ""
    if entries:
        entries, follow_up = _reviews_apart(entries)
        if len({(e.entity, e.entity_key) for e in entries}) == 1 and len(entries) <= DETAILED:
            return _one_subject_text(verb, entries, names) + follow_up
        counts = _entity_counts(entries)
        if len(entries) <= DETAILED:
            return (f"{verb} {_subjects(counts)}: "
                    + ", ".join(field_change(e) for e in entries) + follow_up)
        fields = [field for field, _n in Counter(e.field for e in entries).most_common()]
    what = f"{verb} {_subjects(counts)}"
    shown = [field_name(f) for f in fields if not f.startswith("(")][:SHOWN_FIELDS]
    more = len([f for f in fields if not f.startswith("(")]) - len(shown)
    tail = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
    return (f"{what}: {tail}" if tail else what) + follow_up


def _reviews_apart(entries: list[LogEntry]) -> tuple[list[LogEntry], str]:
    """An edit's own rows, and the reviews it brought or took back said in a few words.

    An edit that brings an app to a milestone requests its review in the same change
    (services.reviews.milestones); the line is about the edit, the reviews follow it.
    """
    reviews = [e for e in entries if e.entity == Entity.REVIEW]
    own = [e for e in entries if e.entity != Entity.REVIEW]
    if not reviews or not own:
        return entries, ""
    made = {e.entity_key for e in reviews if e.new_value == Existence.CREATED}
    gone = {e.entity_key for e in reviews if e.new_value == Existence.DELETED}
    parts = [f"{_count(len(made), Entity.REVIEW)} requested" if made else "",
             f"{_count(len(gone), Entity.REVIEW)} withdrawn" if gone else ""]
    other = {e.entity_key for e in reviews} - made - gone
    parts.append(f"{_count(len(other), Entity.REVIEW)} changed" if other else "")
    return own, "; " + ", ".join(p for p in parts if p)


def _entity_counts(entries: list[LogEntry]) -> list[EntityCount]:
    counts = []
    for entity in dict.fromkeys(e.entity for e in entries):
        mine = [e for e in entries if e.entity == entity]
        whole = [e.new_value for e in mine if e.field.startswith("(")]
        counts.append(EntityCount(entity, len({e.entity_key for e in mine}),
                                  whole.count(Existence.CREATED), whole.count(Existence.DELETED)))
    return counts


def _import_text(detail: str | None, counts: list[EntityCount]) -> str:
    apps = next((c for c in counts if c.entity == Entity.APP), EntityCount(Entity.APP, 0, 0, 0))
    people = next((c for c in counts if c.entity == Entity.PERSON), None)
    text = f"Imported {detail or 'a file'}: {apps.created:,} new, {apps.keys - apps.created:,} updated"
    if people is not None and people.created:
        text += f"; {_count(people.created, Entity.PERSON)} added"
    return text


def _one_subject_text(verb: str, entries: list[LogEntry], names: dict[str, str]) -> str:
    first = entries[0]
    noun = NOUNS.get(first.entity, (first.entity,))[0]
    subject = f"{noun} '{subject_of(first, names)}'"
    if len(entries) == 1 and first.field.startswith("("):
        return f"{subject[0].upper()}{subject[1:]} {_existence(first)}"
    fields = [field_change(e) for e in entries if not e.field.startswith("(")]
    lead = f"{verb} {subject}"
    return f"{lead}: {', '.join(fields)}" if fields else lead


def _subjects(counts: list[EntityCount]) -> str:
    parts = [_count(c.keys, c.entity) for c in counts if c.keys]
    return " and ".join(parts) if parts else "the portfolio"


def _count(n: int, entity: str) -> str:
    one, many = NOUNS.get(entity, (entity, entity))
    return f"{n:,} {one if n == 1 else many}"


def _existence(entry: LogEntry) -> str:
    if entry.new_value in (Existence.CREATED, Existence.DELETED):
        return label(Existence, entry.new_value)
    return f"merged into {entry.new_value}" if entry.new_value else "changed"


def _value(field: str, text: str | None) -> str:
    shown = field_label(field, text) or (text or "")
    return shown if len(shown) <= VALUE_WIDTH else shown[:VALUE_WIDTH - 1] + "…"


def _keys_text(entries: list[LogEntry] | None, rows: int) -> str:
    if not entries:
        return f"{rows:,} rows: expand the change to see them"
    return ", ".join(dict.fromkeys(e.entity_key for e in entries))
