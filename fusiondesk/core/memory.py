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
            gc.enable()
