"""The portfolio table model: it holds only row ids and fetches cells a page at a time.

Sorting and filtering are done in SQL by `services.apps.table`, which returns the
ordered ids; a model reset then costs milliseconds even at 100,000 apps (a
sort-filter proxy model over the same rows takes ~20 s to sort).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from fusiondesk.core.errors import NotFound
from fusiondesk.core.labels import field_label
from fusiondesk.core.terms import Entity
from fusiondesk.gui.badges import flag_names, flags_tooltip, legend_tooltip
from fusiondesk.services import affected
from fusiondesk.services.apps import table as app_table
from fusiondesk.services.apps.edits import db_id_of
from fusiondesk.services.apps.table import COLUMN_BY_KEY, AppQuery
from fusiondesk.services.changes import ChangeSet

PAGE = 200  # rows fetched together: a screenful or two
CACHE_LIMIT = 20_000  # cells of rows far off screen are dropped past this many rows
# Columns computed from every other field: a query that filters or sorts by one may
# change its rows or order after any edit.
COMPUTED = frozenset({"tier", "flags", "drift"})
# The fields behind the owners column, the owner filter and quick search.
OWNERS = affected.OWNER_FIELDS | {"owners"}
SEARCHED = frozenset({"name", "app_id", "department", "platform"}) | OWNERS
# Changes to these redraw the apps they name; anything else (people, policy, an import)
# may touch any row's cells, so the table reads its rows again.
ROW_CHANGES = (Entity.APP, Entity.REVIEW, Entity.AUDIT, Entity.HANDOVER_ITEM)


class AppTableModel(QAbstractTableModel):
    """Rows are apps (by database id, in query order); columns are chosen by the user."""

    def __init__(self, workspace, keys: list[str], parent=None):
        super().__init__(parent)
        self._workspace = workspace
        self._keys = [k for k in keys if k in COLUMN_BY_KEY]
        self._ids: list[int] = []
        self._cache: dict[int, dict] = {}
        self.query = AppQuery()
        # The filtered, sorted ids before quick search, and their search texts: typing
        # filters these in Python instead of asking SQL again on every key.
        self._base: tuple[AppQuery, list[int]] | None = None
        self._texts: list[str] | None = None
        # The last quick search: (the texts it read, its words, the places that matched).
        self._found: tuple[list[str], list[str], list[int]] | None = None

    # -- what to show -------------------------------------------------------------
    def set_query(self, query: AppQuery) -> None:
        """Filter and sort in SQL (only when those change), quick-search in memory, and show."""
        self.query = query
        self._show_query()

    def reload(self) -> None:
        """Fetch the matching ids again (after a change) and drop cached cells."""
        self._base, self._texts = None, None
        self._show_query()

    def refresh(self, done: ChangeSet) -> bool:
        """Show what a change did: redraw the rows it names, or read all rows again.

        Rows are read again when apps came or went, when the change may touch any app
        (people, policy, an import), or when it may move rows in or out of the current
        filters, search or sort. Returns True when it did that.
        """
        if not affected.touches_only(done, *ROW_CHANGES) or affected.apps_came_or_went(done):
            self.reload()
            return True
        named, fields = affected.app_ids(done), affected.app_fields(done)
        if named and self._query_uses(fields):
            self.reload()
            return True
        if fields & SEARCHED:
            self._texts = None  # quick search reads the new texts when next used
        self.redraw(named)
        return False

    def _query_uses(self, fields: set[str]) -> bool:
        """True when the current filters, search or sort may read one of these fields."""
        query = self.query
        used = {query.sort} | {name for name in ("platform", "kind", "department", "lifecycle")
                                if getattr(query, name)}
        if query.owner:
            used |= OWNERS
        if query.search.strip():
            used |= SEARCHED
        if query.tier is not None or query.flag or query.drift:
            used |= COMPUTED
        if used & COMPUTED:  # any edit (a review too) may change an app's tier and flags
            return True
        return bool(used & (fields | ({"owners"} if fields & OWNERS else set())))

    def redraw(self, app_ids: set[str]) -> None:
        """Drop the cached cells of these apps and repaint just their rows."""
        stale = [db_id for db_id, cells in self._cache.items() if cells.get("_app_id") in app_ids]
        if not stale:
            return  # rows not cached need nothing: they are read fresh when first painted
        for db_id in stale:
            del self._cache[db_id]
        position = {db_id: row for row, db_id in enumerate(self._ids)}
        rows = sorted(position[db_id] for db_id in stale if db_id in position)
        if rows:
            self.dataChanged.emit(self.index(rows[0], 0), self.index(rows[-1], len(self._keys) - 1))

    def prepare_search(self) -> None:
        """Fetch the search texts now (when the search box takes focus), not on the first key."""
        if self._workspace.portfolio is None or self._texts is not None:
            return
        base_query = replace(self.query, search="")
        with self._workspace.read() as session:
            if self._base is None or self._base[0] != base_query:
                self._base = (base_query, app_table.matching_ids(session, base_query))
            self._texts = app_table.search_texts(session, self._base[1])

    def _show_query(self) -> None:
        self.beginResetModel()
        self._ids = self._matching() if self._workspace.portfolio is not None else []
        self._cache.clear()
        self.endResetModel()

    def _matching(self) -> list[int]:
        base_query = replace(self.query, search="")
        with self._workspace.read() as session:
            if self._base is None or self._base[0] != base_query:
                self._base, self._texts = (base_query, app_table.matching_ids(session, base_query)), None
            if not self.query.search.strip():
                return list(self._base[1])
            if self._texts is None:
                self._texts = app_table.search_texts(session, self._base[1])
        return self._searched(self._base[1], self._texts)

    def _searched(self, ids: list[int], texts: list[str]) -> list[int]:
        """The ids whose texts hold the search's words; a search that narrows the last one
        (a letter typed on) looks only among the last one's places."""
        words = app_table.search_words(self.query.search)
        last = self._found
        among = (last[2] if last is not None and last[0] is texts
                 and app_table.narrows(words, last[1]) else None)
        places = app_table.places_with_words(texts, words, among)
        self._found = (texts, words, places)  # the texts they index, which a reload replaces
        return [ids[at] for at in places]

    def set_columns(self, keys: list[str]) -> None:
        """Show another set of columns."""
        self.beginResetModel()
        self._keys = [k for k in keys if k in COLUMN_BY_KEY]
        self._cache.clear()
        self.endResetModel()

    @property
    def keys(self) -> list[str]:
        """The column keys shown, in order."""
        return list(self._keys)

    def db_id(self, row: int) -> int:
        """The database id of a row."""
        return self._ids[row]

    def app_id(self, row: int) -> str:
        """The app_id (external key) of a row."""
        return self._row(row)["_app_id"]

    def row_of(self, app_id: str) -> int | None:
        """The row an app is shown in, if it is shown (reads ids from the cache first)."""
        for db_id, cells in self._cache.items():
            if cells.get("_app_id") == app_id:
                return self._ids.index(db_id)
        with self._workspace.read() as session:
            try:
                target = db_id_of(session, app_id)
            except NotFound:
                return None
        return self._ids.index(target) if target in self._ids else None

    def cell_text(self, row: int, key: str) -> str:
        """The text a user sees in a cell (for tests and copy)."""
        return cell_display(key, self._row(row).get(key))

    # -- Qt model -----------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._keys)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMN_BY_KEY[self._keys[section]].header
        if role == Qt.ItemDataRole.ToolTipRole and self._keys[section] == "flags":
            return legend_tooltip()  # the key to the icons below
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        key = self._keys[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_display(key, self._row(index.row()).get(key))
        if role == Qt.ItemDataRole.UserRole:  # the raw value, for the badge delegates
            return self._row(index.row()).get(key)
        if role == Qt.ItemDataRole.ToolTipRole and key == "flags":
            return flags_tooltip(flag_names(self._row(index.row()).get(key)))
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("users", "approved_tier"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self._keys):
            descending = order == Qt.SortOrder.DescendingOrder
            self.set_query(replace(self.query, sort=self._keys[column], descending=descending))

    # -- lazy fetching ------------------------------------------------------------
    def _row(self, row: int) -> dict:
        db_id = self._ids[row]
        cells = self._cache.get(db_id)
        if cells is None:
            self._fetch_page(row)
            cells = self._cache.get(db_id, {})
        return cells

    def _fetch_page(self, row: int) -> None:
        if len(self._cache) > CACHE_LIMIT:
            self._cache.clear()
        start = (row // PAGE) * PAGE
        page = self._ids[start:start + PAGE]
        with self._workspace.read() as session:
            self._cache.update(app_table.fetch_cells(session, page, tuple(self._keys)))


def cell_display(key: str, value) -> str:
    """A cell as a person reads it: an enum field's label ('Mission-critical'), else its text."""
    shown = field_label(key, value)
    return app_table.display(key, value) if shown is None else shown
