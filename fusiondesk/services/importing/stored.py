"""The portfolio as an import compares with it: stored apps in compared form, read on a
second thread, early (while the file is parsed) or once the file is mapped."""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from operator import itemgetter

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
    the file's row as a whole.
    """

    def __init__(self, session: Session, fields: tuple[str, ...], by_key: bool) -> None:
        scalars = tuple(f for f in fields if f not in OWNER_FIELDS)
        owner_fields = [f for f in fields if f in OWNER_FIELDS]
        # A read made before the file is mapped asks for every field; most portfolios
        # leave many of them empty, and those need not be fetched for every app.
        filled = filled_fields(session, scalars)
        read = tuple(f for f in scalars if f in filled)
        # The keys come with the fields read when those hold them (they are read raw
        # alike): 300,000 values fewer to fetch and keep through a re-import.
        keys_apart = by_key and not set(KEY_FIELDS) <= set(read)
        rows = compared_rows(session, read, keys_apart)
        owners = owner_cells(session, owner_fields) if owner_fields else {}
        no_owners = (None,) * len(owner_fields)
        self.by_key_read = by_key  # matched by name too: the keys were read
        self.ids = [row[0] for row in rows]
        self.app_ids = [row[1] for row in rows]
        self.versions = [row[2] for row in rows]
        self.vectors = [values + owners.get(row[0], no_owners)
                        for values, row in zip(_in_order(rows, scalars, read), rows)]
        self.by_id = {app_id: n for n, app_id in enumerate(self.app_ids)}
        self.vector_of = dict(zip(self.app_ids, self.vectors))
        # The keys as stored; folded into `by_key` only when the file has rows without
        # an app_id (a read made before the file is mapped reads them for every file).
        self._keys = list(map(_key_of(read, keys_apart), rows)) if by_key else []
        self._by_key: dict[tuple, list[int]] | None = None
        self.fields = fields

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
        positions = [self.fields.index(name) for name in fields]
        pick = itemgetter(*positions) if len(positions) > 1 else (
            (lambda vector, at=positions[0]: (vector[at],)) if positions else (lambda _: ()))
        narrow.fields, narrow.by_key_read = fields, by_key
        narrow.ids, narrow.app_ids, narrow.versions = self.ids, self.app_ids, self.versions
        narrow.vectors = list(map(pick, self.vectors))  # one C-speed pass over the apps
        narrow.by_id = self.by_id
        narrow.vector_of = dict(zip(self.app_ids, narrow.vectors))
        narrow._keys = self._keys if by_key else []
        narrow._by_key = self._by_key if by_key else None
        return narrow


def _key_of(read: tuple[str, ...], apart: bool) -> itemgetter:
    """A compared row's (name, platform, environment): after its fields, or among them."""
    if apart:
        return itemgetter(slice(3 + len(read), 3 + len(read) + len(KEY_FIELDS)))
    return itemgetter(*(3 + read.index(name) for name in KEY_FIELDS))


def _in_order(rows: list[tuple], scalars: tuple[str, ...], read: tuple[str, ...]) -> list[tuple]:
    """Each row's values of `scalars`: None for those not `read` (as fetching them gives).

    A row is (id, app_id, version, *the fields read, ...).
    """
    if read == scalars:
        return list(map(itemgetter(slice(3, 3 + len(read))), rows))
    at = {name: 3 + n for n, name in enumerate(read)}
    positions = [at.get(name, -1) for name in scalars]  # -1: the None put after the row
    if len(positions) == 1:
        return [((row + (None,))[positions[0]],) for row in rows]
    pick = itemgetter(*positions)
    return [pick(row + (None,)) for row in rows]


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
