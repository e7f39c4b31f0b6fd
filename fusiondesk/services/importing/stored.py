"""The portfolio as an import compares with it: stored apps in compared form, read on a
second thread, early (while the file is parsed) or once the file is mapped."""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from itertools import repeat
from operator import add, itemgetter

from fusiondesk.core.fields import APP_FIELDS
from fusiondesk.db.store import Session
from fusiondesk.db.store.apps import compared_rows, filled_fields, last_app_id
from fusiondesk.db.store.ownership import owner_cells
from fusiondesk.db.store.people import person_rows
from fusiondesk.services.importing.forms import OWNER_FIELDS
from fusiondesk.services.importing.people import fold

KEY_FIELDS = ("name", "platform", "environment")  # an app's key when a row has no app_id


class StoredApps:
    """The portfolio's apps as raw stored values of the compared fields, indexed by key.

    Owners read as `; `-joined text per column, and no owners or integrations as None, as
    a blank cell does: the stored row of an app a file re-imports unchanged then equals
    the file's row as a whole. `vectors` (and `vector_of`) hold `fields` in order.
    """

    def __init__(self, session: Session, fields: tuple[str, ...], by_key: bool) -> None:
        scalars = tuple(f for f in fields if f not in OWNER_FIELDS)
        owner_fields = tuple(f for f in fields if f in OWNER_FIELDS)
        # A read made before the file is mapped asks for every field; most portfolios
        # leave many of them empty, and those need not be fetched for every app.
        filled = filled_fields(session, scalars)
        read = tuple(f for f in scalars if f in filled)
        # The keys come with the fields read when those hold them (they are read raw
        # alike): 300,000 values fewer to fetch and keep through a re-import.
        keys_apart = by_key and not set(KEY_FIELDS) <= set(read)
        rows = compared_rows(session, read, keys_apart)
        owners = owner_cells(session, owner_fields) if owner_fields else {}
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


# Every field a file could map, in `compared_fields` order: what a read made before the
# file is mapped holds (see `PortfolioRead`).
EVERY_COMPARED_FIELD = (*(f.name for f in APP_FIELDS
                          if f.name != "app_id" and f.name not in OWNER_FIELDS), *OWNER_FIELDS)


class PortfolioRead:
    """What planning reads of the portfolio, read on a second thread: people, then apps.

    `early=True` starts before the file is mapped (while it is still being parsed in its
    child process, the calling thread mostly waits): the apps are read with every field
    and their keys, and narrowed to what the file maps when planning asks for them. The
    database driver lets go of the GIL while SQLite or the server works out the rows.
    Only the reading thread uses the session until `close` (which waits for it).
    """

    def __init__(self, session: Session, fields: tuple[str, ...] | None = EVERY_COMPARED_FIELD,
                 by_key: bool = True) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="portfolio-read")
        self._any_apps = self._pool.submit(last_app_id, session)
        self._people = self._pool.submit(person_rows, session, ordered=False)
        self._apps = (self._pool.submit(StoredApps, session, fields, by_key)
                      if fields is not None else None)

    def any_apps(self) -> bool:
        """Whether the portfolio had any app to compare the file's rows with."""
        return self._any_apps.result() > 0

    def people(self) -> list:
        """The stored people (waits for them)."""
        return self._people.result()

    def apps(self, fields: tuple[str, ...], by_key: bool) -> StoredApps:
        """The stored apps compared on `fields` (waits for them)."""
        if self._apps is None:
            raise RuntimeError("this read was made without the apps")
        return self._apps.result().narrowed(fields, by_key)

    def close(self) -> None:
        """Wait for the reading thread to let go of the session."""
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> "PortfolioRead":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
