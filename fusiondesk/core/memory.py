"""Building many small objects fast: one place that pauses Python's cyclic garbage collector."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector while building many small acyclic objects.

    Rows, facts and classifications hold no reference cycles, yet each collection
    walks all of them again as the result list grows; pausing saves a quarter to a
    half of the time at 100,000 rows. Reference counting still frees everything,
    and the collector's previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            _promote_young()
            gc.enable()


def _promote_young() -> None:
    """Move every young object to the oldest generation without scanning it.

    Otherwise the first collection after a paused block walks the millions of rows it
    built (a third of a second at 100,000 rows) only to find them all alive. Objects a
    `heap_set_aside` holds stay set aside until it ends.
    """
    set_aside = gc.get_freeze_count()
    gc.freeze()
    if not set_aside:
        gc.unfreeze()


@contextmanager
def heap_set_aside() -> Iterator[None]:
    """Keep the collector off the objects alive on entry while the block runs.

    A 100,000-row import holds its plan (millions of small objects) while it writes;
    the collection that ends a paused block would otherwise walk all of them again.
    They are handed back to the oldest generation on exit, so nothing is kept from
    the collector for longer than the block.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
