"""SQLite's limit on bound parameters: ids in slices small enough for an IN (...) clause."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from sqlalchemy import true

# SQLite before 3.32 allows 999 bound parameters a statement; 900 leaves room for the
# few other parameters a query binds besides the ids.
CHUNK = 900

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """`items` in slices small enough for an IN (...) clause."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Scope:
    """Which apps to load: a list of ids (IN), or every id in [low, high] (a range scan)."""

    def __init__(self, ids: list[int] | None = None, low: int | None = None, high: int | None = None):
        self.ids, self.low, self.high = ids, low, high

    def groups(self):
        """Filters to apply to an app-id column, one query each."""
        if self.ids is None:
            yield lambda column: column.between(self.low, self.high) if self.low is not None else true()
        else:
            for group in chunks(self.ids):
                yield lambda column, group=group: column.in_(group)
