"""The portfolio as an import compares with it, read on a second thread while the file is
parsed: each app as one record text (`stored_records`), to settle the rows a file
repeats unchanged at once, and the apps the other rows name in compared form."""

from __future__ import annotations

import threading
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import repeat
from operator import add, itemgetter

from fusiondesk.core.fields import APP_FIELDS
from fusiondesk.db.store import Session
from fusiondesk.db.store.apps import last_app_id
from fusiondesk.db.store.compared import (
    compared_rows,
    fields_held,
    filled_fields,
    records_supported,
    stored_records,
)
from fusiondesk.db.store.ownership import owner_cells
from fusiondesk.db.store.people import person_rows
from fusiondesk.services.importing.forms import OWNER_FIELDS
from fusiondesk.services.importing.people import fold
from fusiondesk.sheets.mapping import APPS

KEY_FIELDS = ("name", "platform", "environment")  # an app's key when a row has no app_id


class StoredApps:
    """The portfolio's apps (or those with given app_ids) as raw stored values of the
    compared fields, indexed by key.

    Owners read as `; `-joined text per column, and no owners or integrations as None, as
    a blank cell does: the stored row of an app a file re-imports unchanged then equals
    the file's row as a whole. `vectors` (and `vector_of`) hold `fields` in order.
    """

    def __init__(self, session: Session, fields: tuple[str, ...], by_key: bool,
                 app_ids: list[str] | None = None) -> None:
        scalars = tuple(f for f in fields if f not in OWNER_FIELDS)
        owner_fields = tuple(f for f in fields if f in OWNER_FIELDS)
        # A read of every app made before the file is mapped asks for every field; most
        # portfolios leave many of them empty, and those need not be fetched for every app.
        filled = filled_fields(session, scalars) if app_ids is None else scalars
        read = tuple(f for f in scalars if f in filled)
        # The keys come with the fields read when those hold them (they are read raw
        # alike): 300,000 values fewer to fetch and keep through a re-import.
        keys_apart = by_key and not set(KEY_FIELDS) <= set(read)
        rows = compared_rows(session, read, keys_apart, app_ids)
        owners = (owner_cells(session, owner_fields,
                              None if app_ids is None else list(map(itemgetter(0), rows)))
                  if owner_fields and rows else {})
        self.fields, self.by_key_read = fields, by_key  # by key: the keys were read
        self.ids = list(map(itemgetter(0), rows))
        self.app_ids = list(map(itemgetter(1), rows))
        self.versions = list(map(itemgetter(2), rows))
        self.by_id = {app_id: n for n, app_id in enumerate(self.app_ids)}
        # What was fetched, as (*read, *owner_fields) per app, built in C. A field no app
        # fills is put in as None only when `vectors` are asked for, in `fields` order:
        # the early read is narrowed to what the file maps first (44 fields wide, the
        # 100,000 tuples were 35 MB of a re-import's peak, and built in Python).
        self._held = (*read, *owner_fields)
        self._held_vectors = list(map(add, map(itemgetter(slice(3, 3 + len(read))), rows),
                                      map(owners.get, self.ids, repeat((None,) * len(owner_fields)))))
        # The keys as stored; folded into `by_key` only when the file has rows without
        # an app_id (a read made before the file is mapped reads them for every file).
        self._keys = list(map(_key_of(read, keys_apart), rows)) if by_key else []
        self._by_key: dict[tuple, list[int]] | None = None

    def __getattr__(self, name: str):
        # Only reached while `vectors` and `vector_of` are not yet built (see above).
        if name not in ("vectors", "vector_of"):
            raise AttributeError(name)
        self._with_vectors(self.fields)
        return self.__dict__[name]

    def _with_vectors(self, fields: tuple[str, ...]) -> None:
        self.vectors = _ordered(self._held, self._held_vectors, fields)
        self.vector_of = dict(zip(self.app_ids, self.vectors))

    @property
    def by_key(self) -> dict[tuple, list[int]]:
        """Stored positions by folded name + platform + environment (empty unless read)."""
        if self._by_key is None:
            self._by_key = defaultdict(list)
            for n, (name, platform, environment) in enumerate(self._keys):
                self._by_key[(fold(name), fold(platform), fold(environment))].append(n)
        return self._by_key

    def narrowed(self, fields: tuple[str, ...], by_key: bool) -> "StoredApps":
        """The same apps with only `fields` (a subsequence of this read's) compared.

        A read made before the file was mapped holds every field a file could map; the
        rows are compared on what the file does map, in the order `compared_fields` gives.
        """
        if fields == self.fields and by_key == self.by_key_read:
            return self
        narrow = object.__new__(StoredApps)
        narrow.__dict__.update({name: value for name, value in self.__dict__.items()
                                if name not in ("vectors", "vector_of")})
        narrow.fields, narrow.by_key_read = fields, by_key
        narrow._keys = self._keys if by_key else []
        narrow._by_key = self._by_key if by_key else None
        narrow._with_vectors(fields)
        return narrow


def _ordered(held: tuple[str, ...], vectors: list[tuple], fields: tuple[str, ...]) -> list[tuple]:
    """`vectors` (of the `held` fields) as tuples of `fields`: None for a field not held."""
    if fields == held:
        return vectors
    positions = [held.index(name) if name in held else len(held) for name in fields]
    if len(held) in positions:  # a field no app fills: the None put after each vector
        vectors = map(add, vectors, repeat((None,)))
    if len(positions) == 1:
        return [(vector[positions[0]],) for vector in vectors]
    return list(map(itemgetter(*positions), vectors)) if positions else [()] * len(vectors)


def _key_of(read: tuple[str, ...], apart: bool) -> itemgetter:
    """A compared row's (name, platform, environment): after its fields, or among them."""
    if apart:
        return itemgetter(slice(3 + len(read), 3 + len(read) + len(KEY_FIELDS)))
    return itemgetter(*(3 + read.index(name) for name in KEY_FIELDS))


def compared_order(names) -> tuple[str, ...]:
    """The app fields among `names` an import compares (all but app_id), in the order it
    compares them: scalar columns first, then owners (a stored row is its raw table row
    plus its owner cells)."""
    names = set(names)
    scalars = [f.name for f in APP_FIELDS
               if f.name in names and f.name != "app_id" and f.name not in OWNER_FIELDS]
    return (*scalars, *(name for name in OWNER_FIELDS if name in names))


# Every field a file could map: what an early read of every app holds (see `PortfolioRead`).
EVERY_COMPARED_FIELD = compared_order(f.name for f in APP_FIELDS)


class PortfolioRead:
    """What planning reads of the portfolio, on a second thread: people, then apps.

    Made before the file is mapped (while it is still parsed in its child process, and
    the calling thread mostly waits), it reads the people at once. The apps follow as
    soon as the Apps sheet's mapping is known (`expect_sheet`): as records on SQLite,
    where a re-import's unchanged rows are then settled by set lookups, and only the
    apps the other rows name are read in compared form (`apps`); elsewhere every app is
    read in compared form with every field, early, and narrowed to what the file maps.
    `fields` given: the file is mapped already, and its apps are read at once. The
    database driver lets go of the GIL while SQLite or the server works out the rows.
    Only the reading thread uses the session until `close` (which waits for it).
    """

    def __init__(self, session: Session, fields: tuple[str, ...] | None = EVERY_COMPARED_FIELD,
                 by_key: bool = True) -> None:
        self._session = session
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="portfolio-read")
        self._lock = threading.Lock()  # sheets may be mapped on two threads at once
        self._records: dict[tuple[str, ...], Future] = {}
        self._as_records = records_supported(session)
        self._any_apps = self._pool.submit(last_app_id, session)
        self._people = self._pool.submit(person_rows, session, ordered=False)
        self._every_app: Future | None = None  # every app, in compared form
        self._with_apps = fields is not None
        if fields is None:
            return
        if self._as_records and fields == EVERY_COMPARED_FIELD:
            # The apps' records are read once the file is mapped; and meanwhile, while
            # the parser child works through the file, for the fields they hold.
            self._pool.submit(self._expect_held)
            return
        if self._as_records and not by_key:
            self.expect(fields)
        else:
            self._every_app = self._pool.submit(StoredApps, session, fields, by_key)

    def any_apps(self) -> bool:
        """Whether the portfolio had any app to compare the file's rows with."""
        return self._any_apps.result() > 0

    def people(self) -> list:
        """The stored people (waits for them)."""
        return self._people.result()

    def expect_sheet(self, entity: str, fields) -> None:
        """A sheet's mapping is known: for an Apps sheet whose rows name their app_id,
        start reading the records of the fields its rows will hold."""
        if entity == APPS and "app_id" in fields:
            self.expect(compared_order(fields))

    def expect(self, fields: tuple[str, ...]) -> None:
        """Start reading the apps' records of `fields` (nothing where there are none)."""
        with self._lock:
            if self._as_records and fields not in self._records:
                self._records[fields] = self._pool.submit(self._stored_records, fields)

    def _expect_held(self) -> None:
        """Guess that the file maps the fields the apps hold (as the file they came from
        did): a re-import's records are then ready as soon as its rows are."""
        if self._any_apps.result():
            self.expect(compared_order(fields_held(self._session, EVERY_COMPARED_FIELD)))

    def _stored_records(self, fields: tuple[str, ...]) -> frozenset[str] | None:
        return stored_records(self._session, fields) if self._any_apps.result() else frozenset()

    def records(self, fields: tuple[str, ...]) -> frozenset[str] | None:
        """Every app's record of `fields` (see `stored_records`; waits for them), or None
        where the rows are to be compared value by value."""
        self._check_with_apps()
        if self._every_app is not None or not self._as_records:
            return None
        self.expect(fields)
        return self._records[fields].result()

    def apps(self, fields: tuple[str, ...], by_key: bool,
             app_ids: list[str] | None = None) -> StoredApps:
        """The stored apps compared on `fields`: every one, or those with `app_ids`."""
        self._check_with_apps()
        if self._every_app is not None:
            return self._every_app.result().narrowed(fields, by_key)
        if app_ids is not None and len(app_ids) * 2 > self._any_apps.result():
            # Looked up one by one, apps cost 2.4 s per 100,000; one scan of them all,
            # 1.7 s: past half of them (the last id is about how many there are), a scan.
            app_ids = None
        return self._pool.submit(StoredApps, self._session, fields, by_key, app_ids).result()

    def _check_with_apps(self) -> None:
        if not self._with_apps:
            raise RuntimeError("this read was made without the apps")

    def close(self) -> None:
        """Wait for the reading thread to let go of the session."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "PortfolioRead":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
