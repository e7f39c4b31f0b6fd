"""The programme's figures on a 100,000-app portfolio (issue 18); budget under 1 s.

Prints `name value` lines:
- sample_100k_s          filling the portfolio in a subprocess (setup, no budget)
- programme_100k_s       value per department, platform and quarter, and delivery, under the
                         policy in force: the best of three counts (budget 1 s)
- programme_cpu_s        the processor time of that count: on a machine others share, the
                         wall time above is mostly waiting for a core
- programme_quarter_s    the same for one quarter's deliveries (`--quarter`)

Run: `.venv/bin/python benchmarks/bench_programme.py [--db PATH]`
(BENCH_APPS=20000 for a quicker run; --db reuses a portfolio built the same way.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

APPS = int(os.environ.get("BENCH_APPS", "100000"))
REPEAT = 3


def make_portfolio(path: Path) -> float:
    """Build the portfolio in another process, as the other benchmarks do."""
    command = [sys.executable, "-m", "fusiondesk", "--db", str(path), "sample",
               "--apps", str(APPS), "--seed", "11"]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def best_of(portfolio, quarter: str | None, clock=time.perf_counter) -> float:
    """The fastest of REPEAT counts, each in its own read transaction, policy included."""
    from fusiondesk.services.classification.reclassify import policy_in_force
    from fusiondesk.services.programme import programme_figures

    times = []
    for _ in range(REPEAT):
        start = clock()
        with portfolio.reading() as session:
            found = programme_figures(session, policy_in_force(session), quarter)
        times.append(clock() - start)
        assert quarter or found.value.total.apps > APPS // 4, "too few apps counted"
    return min(times)


def main() -> int:
    """Measure and print the figures."""
    from fusiondesk.db.engine import open_portfolio

    given = sys.argv[2] if len(sys.argv) > 2 and sys.argv[1] == "--db" else None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(given) if given else Path(folder) / "bench.fdesk"
        if not given:
            print(f"sample_{APPS // 1000}k_s {make_portfolio(path):.3f}")
        portfolio = open_portfolio(path, daily_backup=False)
        try:
            print(f"programme_{APPS // 1000}k_s {best_of(portfolio, None):.3f}")
            print(f"programme_cpu_s {best_of(portfolio, None, time.process_time):.3f}")
            print(f"programme_quarter_s {best_of(portfolio, '2025-Q2'):.3f}")
        finally:
            portfolio.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
