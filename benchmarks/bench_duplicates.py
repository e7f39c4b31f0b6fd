"""Duplicate detection over a 100,000-app portfolio (issue 18); budget 10 s, no quadratic
comparison.

Prints `name value` lines:
- duplicates_100k_s       find_groups: every app read from the portfolio, blocked, scored and
                          grouped, decisions matched; best of three (budget 10 s)
- duplicates_core_100k_s  the core alone (core.duplicates.find_duplicates), best of three
- duplicates_cpu_100k_s   the processor time of one find_groups (what a busy machine's wall
                          time hides: on a shared 2-core machine the wall time was 3× it)
- duplicates_groups_100k  how many groups were found (no budget: the figure to compare runs by)

Run: `.venv/bin/python benchmarks/bench_duplicates.py [--db PATH]`
(BENCH_APPS=20000 for a quicker run; --db reuses a portfolio built by `fusiondesk sample`.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout
APPS = int(os.environ.get("BENCH_APPS", "100000"))
REPEAT = 3


def make_portfolio(path: Path) -> None:
    """Fill a portfolio in another process, as bench_cli does (seed 11)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "fusiondesk", "--db", str(path), "sample", "--apps",
                    str(APPS), "--seed", "11"], check=True, stdout=subprocess.DEVNULL,
                   env=environment)


def best(work) -> tuple[float, object]:
    """The fastest of REPEAT runs, and the last result."""
    times, result = [], None
    for _ in range(REPEAT):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return min(times), result


def measure(path: Path) -> None:
    from fusiondesk.core.duplicates import find_duplicates
    from fusiondesk.db.engine import open_portfolio
    from fusiondesk.services import duplicates

    portfolio = open_portfolio(str(path), daily_backup=False)
    try:
        with portfolio.reading() as session:
            seconds, report = best(lambda: duplicates.find_groups(session))
            started = time.process_time()
            duplicates.find_groups(session)
            cpu = time.process_time() - started
            candidates = duplicates.candidates(session)
        core, _ = best(lambda: find_duplicates(candidates))
    finally:
        portfolio.close()
    suffix = f"{APPS // 1000}k"
    print(f"duplicates_{suffix}_s {seconds:.3f}")
    print(f"duplicates_core_{suffix}_s {core:.3f}")
    print(f"duplicates_cpu_{suffix}_s {cpu:.3f}")
    print(f"duplicates_groups_{suffix} {len(report.undecided) + len(report.decided)}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--db"]:
        measure(Path(argv[1]))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.fdesk"
        make_portfolio(path)
        measure(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
