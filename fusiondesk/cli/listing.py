"""`apps` and `classify` over a whole portfolio: every app with its classification, in name order.

`classify` classifies every app now. `apps` prints of a classification only what the app
row stores (tier, warning signs' names, drift), kept current by every change and by every
open (services.classification.rules): while the stored ones are current it prints them,
as the GUI's lists do, and classifies only an app never classified; when they are not (a
reader's open, which cannot store them, on a later day) it classifies every app now.

At 100,000 apps reading the facts, classifying them and encoding the JSON are each
seconds of CPU-bound Python, so a portfolio of more than _RANGE apps is cut in
ranges by database id, and a second process (spawned, as for a policy change) reads,
classifies and encodes ranges from the last back while this process does so from the
first on, until they meet (services.classification.parallel). Each range comes back
sorted; merging them gives the one name order the GUI and the earlier CLI use. The
second process reads what is committed when it starts, so an edit saved by someone else
in that second may show in one part and not the other, as it would between two runs of
the command.

Starting a process and importing FusionDesk in it takes most of a second, so when the
portfolio's file is big enough to need one it is started before this process loads this
module (cli.listing_command).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter

from fusiondesk.cli.app_rows import Signs, app_row, classification_row, signs_of
from fusiondesk.cli.listing_command import SecondProcess
from fusiondesk.cli.row_text import app_text, classification_text
from fusiondesk.core import clock
from fusiondesk.core.facts import AppFacts
from fusiondesk.core.flags import Interned
from fusiondesk.core.memory import paused_gc
from fusiondesk.core.policy import Policy
from fusiondesk.core.tiers import Classification, classify_many, summary_text
from fusiondesk.db.store import Session
from fusiondesk.db.store.apps import id_ranges, load_facts
from fusiondesk.db.store.chunks import Scope
from fusiondesk.db.store.classification import cached_classifications
from fusiondesk.db.store.driver import database_url, separate_session
from fusiondesk.db.store.facts_reader import FactsReader
from fusiondesk.services.classification.parallel import share_ranges
from fusiondesk.services.classification.reclassify import policy_in_force
from fusiondesk.services.classification.rules import stored_signs_current


def classification_line(facts: AppFacts, result: Classification) -> dict:
    """One app as the `classify` table shows it."""
    return {"app_id": facts.app_id, "name": facts.name, "classification": summary_text(result)}


# What a listing prints per app, by name: the JSON rows, and the classify table's line.
SHAPES: dict[str, Callable] = {
    "apps": app_row, "classify": classification_row, "classify-table": classification_line}
# The JSON rows as text, byte for byte their `encode_row`, for a listing that is `encoded`.
TEXTS: dict[str, Callable] = {"apps": app_text, "classify": classification_text}
# The shapes that print of a classification only its Signs (what the app row stores).
SIGNS_ONLY = frozenset({"apps"})
# The shapes that print only what classification reads (app_id, name and approved_tier are
# among it): their facts leave descriptions, notes and unused dates unread.
CLASSIFIED_ONLY = frozenset({"classify", "classify-table"})


@dataclass(frozen=True)
class Wanted:
    """The --tier, --flag and --drift filters: which classified apps are listed."""

    tier: int | None = None
    flag: str | None = None
    drift: bool = False

    def __call__(self, result: Classification) -> bool:
        return self.admits(signs_of(result))

    def admits(self, signs: Signs) -> bool:
        """Whether an app with these signs is listed (what `apps` reads of it)."""
        if self.tier is not None and signs.tier != self.tier:
            return False
        if self.flag is not None and self.flag not in signs.names:
            return False
        return signs.drift or not self.drift


@dataclass(frozen=True)
class Listing:
    """What to list and how: the shape of a row, the filters, whether rows go out as JSON
    text, and whether the Signs stored on the app rows are current (and so are printed)."""

    shape: str
    wanted: Wanted
    encoded: bool
    policy: Policy
    today: date
    stored: bool = False
    # Tells one listing from the next in a process that serves several (see _reader_apart).
    job: str = field(default_factory=lambda: uuid.uuid4().hex)


def listed(session: Session, shape: str, wanted: Wanted, encoded: bool,
           second: SecondProcess | None = None) -> Iterator:
    """Every wanted app's row (a dict, or its JSON text when `encoded`), in name order.

    `second`: the process that lists part of a big portfolio (started here when needed).
    """
    listing = Listing(shape, wanted, encoded, policy_in_force(session), clock.today(),
                      stored=shape in SIGNS_ONLY and stored_signs_current(session))
    step = min(_RANGE, _STATEMENT)
    ranges = id_ranges(session, step)
    if not encoded or len(ranges) * step <= _RANGE:
        return _rows_only(_sorted_rows(session, ranges, listing, _reader(listing)))
    if second is None:
        second = SecondProcess()
    try:
        return _rows_only(_listed_on_two_cores(session, ranges, listing, second))
    finally:
        second.close()


# A portfolio of more than this many apps is listed by two processes: from this size a
# second process pays for its start (about a second of CPU).
_RANGE = 25_000
# Apps read and classified per statement: big enough that the per-query cost vanishes,
# small enough to share the work between the processes evenly.
_STATEMENT = 5_000
Keyed = tuple[str, object]  # (sort key, row)


def sort_key(name: str, app_id: str) -> str:
    """The name order as one text: it sorts as (name.lower(), app_id) does.

    Sorting by one text lets Python compare plain strings, where tuples of two took a
    tenth of a second to merge 100,000 rows (names repeat, so the ids are compared too).
    The name ends in "\x00", below every other character, so a shorter name sorts first;
    a NUL inside a name is written "\x00\U0010ffff" (above every other character), which
    keeps it below the names it is a prefix of and above the ones it is not.
    """
    lowered = name.lower()
    if "\x00" in lowered:
        lowered = lowered.replace("\x00", "\x00\U0010ffff")
    return lowered + "\x00" + app_id


def _rows_only(keyed: Iterable[Keyed]) -> Iterator:
    return map(itemgetter(1), keyed)


def _listed_on_two_cores(session: Session, ranges: list[tuple[int, int]], listing: Listing,
                         second: SecondProcess) -> list[Keyed]:
    parts: list[list[Keyed]] = []
    reader = _reader(listing)

    def here(span: tuple[int, int]) -> None:
        parts.append(_sorted_rows(session, [span], listing, reader))

    share_ranges(second, ranges, here, lambda _span, rows: parts.append(rows),
                 sorted_rows_apart, database_url(session), listing)
    return _merged(parts)


def _merged(parts: list[list[Keyed]]) -> list[Keyed]:
    """The sorted parts as one sorted list. Sorting their concatenation merges them in C
    (the sort finds the sorted runs, and compares plain texts), where a heap merge
    compares keys in Python."""
    merged = [row for part in parts for row in part]
    merged.sort(key=itemgetter(0))
    return merged


def sorted_rows_apart(ranges: list[tuple[int, int]], url: str,
                      listing: Listing) -> list[list[Keyed]]:
    """In the second process: `_sorted_rows` of each range, read from the committed portfolio."""
    reader = _reader_apart(listing)
    with separate_session(url) as session:
        return [_sorted_rows(session, [span], listing, reader) for span in ranges]


def _reader_apart(listing: Listing) -> FactsReader:
    """The second process's reader for this listing: the people its ranges name are read at
    its first range and kept for the others, as this process's reader keeps them."""
    if _APART.get("job") != listing.job:
        _APART.update(job=listing.job, reader=_reader(listing))
    return _APART["reader"]


_APART: dict = {}  # the listing the second process works for, and its reader


def _reader(listing: Listing) -> FactsReader:
    """The facts reader for a listing: only what classification reads for the shapes
    that print no more; with stored signs, none of the facts only classification reads."""
    return FactsReader(for_classification=listing.shape in CLASSIFIED_ONLY,
                       derived=not listing.stored)


def _sorted_rows(session: Session, ranges: list[tuple[int, int]], listing: Listing,
                 reader: FactsReader) -> list[Keyed]:
    shape = TEXTS[listing.shape] if listing.encoded else SHAPES[listing.shape]
    wanted = listing.wanted.admits if listing.shape in SIGNS_ONLY else listing.wanted
    keyed: list[Keyed] = []
    with paused_gc():  # hundreds of thousands of acyclic objects: collections only cost time
        for low, high in ranges:
            for one, judged in _judged(session, Scope(low=low, high=high), listing, reader):
                if wanted(judged):
                    keyed.append((sort_key(one.name, one.app_id), shape(one, judged)))
        keyed.sort(key=itemgetter(0))
    return keyed


def _judged(session: Session, scope: Scope, listing: Listing,
            reader: FactsReader) -> Iterable[tuple[AppFacts, Signs | Classification]]:
    """Each app in `scope` with what its row says of its classification: its Signs for
    `apps` (as stored, while they are current), its whole classification for `classify`."""
    read = reader.read(session, scope)
    facts = list(read.values())
    if listing.shape not in SIGNS_ONLY:
        return zip(facts, classify_many(facts, listing.policy, listing.today))
    if not listing.stored:
        return zip(facts, map(signs_of, classify_many(facts, listing.policy, listing.today)))
    signs = _stored_signs(session, scope, read)
    unknown = [db_id for db_id, found in zip(read, signs) if found is None]
    if unknown:  # read without the facts only classification reads: read whole to classify
        whole = load_facts(session, unknown)
        fresh = dict(zip(unknown, classify_many([whole[i] for i in unknown], listing.policy,
                                                listing.today)))
        signs = [signs_of(fresh[db_id]) if found is None else found
                 for db_id, found in zip(read, signs)]
    return zip(facts, signs)


def _stored_signs(session: Session, scope: Scope, read: dict[int, AppFacts]) -> list[Signs | None]:
    """The Signs stored on each app row `read` (by database id), None for one never classified."""
    stored = cached_classifications(session, scope)
    found: list[Signs | None] = []
    for db_id in read:
        tier, _possible, names, drift = stored.get(db_id, _UNCLASSIFIED)
        found.append(None if tier is None or drift is None
                     else Signs(tier, _SIGN_NAMES[names], drift))
    return found


_UNCLASSIFIED = (None, None, None, None)
# The stored signs' text ("single_owner;inactive", None for none) as names: a portfolio
# repeats a few hundred combinations.
_SIGN_NAMES = Interned(lambda text: tuple(text.split(";")) if text else ())
