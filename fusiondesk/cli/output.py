"""Printing results: JSON for scripts, aligned text for people."""

from __future__ import annotations

import json
import sys
from typing import Any


def print_json(value: Any) -> None:
    """One JSON document on stdout."""
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def print_table(rows: list[dict], columns: list[str]) -> None:
    """A plain aligned table (for people at a terminal)."""
    if not rows:
        print("(none)")
        return
    widths = {c: min(40, max(len(c), *(len(str(r.get(c) or "")) for r in rows))) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns))
    for row in rows:
        print("  ".join(str(row.get(c) or "")[:40].ljust(widths[c]) for c in columns))
