"""`make bench`: run every benchmark script and print one table of figures against budgets.

Each bench_*.py prints `name value` lines; this collects them. Benchmarks are not
tests: they measure, and the table says which budgets hold on this machine.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# figure name -> (budget, unit, where the budget comes from)
BUDGETS = {
    "open_first_screen_s": (2.0, "s", "issue 2"),
    "sort_worst_s": (0.3, "s", "issue 2"),
    "search_keystroke_s": (0.15, "s", "issue 2"),
    "rss_mb": (400, "MB", "issue 2"),
    "classify_100k_s": (1.0, "s", "issue 3"),
    "reclassify_store_100k_s": (5.0, "s", "issue 3"),
    "normalise_only_100k_s": (1.5, "s", "issue 4"),
    # issue 12: the import transaction against the floor (planning follows the commit)
    "import_floor_ratio": (1.6, "x", "issue 12"),
    "reimport_ratio": (2.0, "x", "issue 12"),  # the aim is 1.5: 2.0 is too close to today's
    "import_peak_mb": (600, "MB", "issue 12"),
    "postgres_import_ratio": (2.0, "x", "issue 15"),  # PostgreSQL's import against SQLite's
    # issue 17: what requesting the new apps' milestone reviews adds to an import (a share)
    "import_reviews_share": (0.20, "x", "issue 17"),
    "audit_ratio": (1.3, "x", "issue 6"),
    "audit_export_100k_s": (30.0, "s", "issue 15"),  # absolute: on this machine, every feature kept
    "dashboard_100k_s": (2.0, "s", "issue 6"),
    "cli_apps_json_100k_s": (5.0, "s", "issue 16"),
    "cli_classify_json_100k_s": (5.0, "s", "issue 16"),
    "programme_100k_s": (1.0, "s", "issue 18"),
    "duplicates_100k_s": (10.0, "s", "issue 18"),  # blocked, never every pair
    "what_if_100k_s": (2.0, "s", "issue 17"),  # the use case, as the policy form previews
}
# Figures whose budget a later issue replaced with another figure: printed, not judged.
# Issue 4 asked a first import within 2x of calamine's bare read (blocked: reading the
# file and inserting the stored rows with no checking already took 2.4x); issue 12 set the
# budget against that floor instead, import_floor_ratio <= 1.6.
REPLACED = {"import_ratio": ("issue 4", "see import_floor_ratio")}


def run_script(path: Path) -> list[tuple[str, float]]:
    """The `name value` lines one benchmark printed."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(path)], capture_output=True, text=True)
    figures = []
    for line in result.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                figures.append((parts[0], float(parts[1])))
            except ValueError:
                pass
    if result.returncode != 0:
        print(f"{path.name} failed:\n{result.stderr[-2000:]}", file=sys.stderr)
    print(f"  ran {path.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return figures


def main(only: list[str]) -> int:
    """Run the benchmarks (all, or those named: `run.py import cli`) and print the table."""
    rows = []
    scripts = sorted(HERE.glob("bench_*.py"))
    if only:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in only]
    for script in scripts:
        for name, value in run_script(script):
            budget, unit, source = BUDGETS.get(name, (None, "", ""))
            verdict = "" if budget is None else ("ok" if value <= budget else "OVER")
            if name in REPLACED:
                source, verdict = REPLACED[name]
            rows.append((script.stem, name, value, budget, source, verdict))
    print(f"{'benchmark':<18} {'figure':<26} {'measured':>10} {'budget':>8}  {'from':<8} verdict")
    for bench, name, value, budget, source, verdict in rows:
        shown_budget = "" if budget is None else f"{budget:g}"
        print(f"{bench:<18} {name:<26} {value:>10.3f} {shown_budget:>8}  {source:<8} {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
