"""A what-if on a 100,000-app portfolio (issue 17: "a what-if in under 2 s on 100,000 apps").

The use case the policy form's preview and `policy --what-if` share
(services/classification/what_if.py), timed in this process on an opened portfolio as
the preview runs it; then blocking a connector (the DLP question, "who is hit?"), and the
whole CLI command for reference. Both settings are bounded (core.policy_reach): only the
apps they can move are read and classified, about 4,600 and 9,000 of the 100,000 sample
apps; a change reaching most of the portfolio reads every app, on two cores.
Prints `name value` lines:
- sample_100k_s                  filling the portfolio in a subprocess (setup, no budget)
- what_if_100k_s                 what_if_settings(tier3.users=40), best of three (budget 2 s)
- what_if_blocked_100k_s         what_if_settings(connectors.blocked=SQL Server), best of three
                                 (the same budget)
- cli_what_if_json_100k_s        `policy --what-if tier3.users=40 --json`, best of three (no budget)

Run: `.venv/bin/python benchmarks/bench_what_if.py [--db PATH]`
(BENCH_APPS=20000 for a quicker run; --db reuses a portfolio built the same way.)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
APPS = int(os.environ.get("BENCH_APPS", "100000"))
REPEAT = 3
SETTING = {"tier3.users": "40"}  # moves about 1,500 of the 100,000 sample apps
BLOCKING = {"connectors.blocked": "SQL Server"}  # used by about 9,000 of them: all move


def _fusiondesk(*argv: str) -> None:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout, not an installed copy
    subprocess.run([sys.executable, "-m", "fusiondesk", *argv], check=True,
                   stdout=subprocess.DEVNULL, env=environment)


def best_of(run) -> float:
    """The fastest of REPEAT runs."""
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def measure(path: Path) -> None:
    """Print the figures for the portfolio at `path` (read only: nothing is saved)."""
    from fusiondesk.db.engine import open_portfolio
    from fusiondesk.services.classification.what_if import what_if_settings

    portfolio = open_portfolio(path, daily_backup=False)
    try:
        for name, setting in (("what_if", SETTING), ("what_if_blocked", BLOCKING)):
            def in_process(setting=setting):
                with portfolio.reading() as session:
                    assert what_if_settings(session, setting).checked == APPS

            print(f"{name}_{APPS // 1000}k_s {best_of(in_process):.2f}", flush=True)
    finally:
        portfolio.close()
    setting = ",".join(f"{k}={v}" for k, v in SETTING.items())
    seconds = best_of(lambda: _fusiondesk("--db", str(path), "policy", "--what-if", setting,
                                          "--json"))
    print(f"cli_what_if_json_{APPS // 1000}k_s {seconds:.2f}", flush=True)


def main() -> int:
    """Measure in a temporary directory, removed after."""
    with tempfile.TemporaryDirectory(prefix="fd-bench-what-if-") as scratch:
        os.environ.setdefault("FUSIONDESK_HOME", scratch)
        if "--db" in sys.argv:
            path = Path(sys.argv[sys.argv.index("--db") + 1])
        else:
            path = Path(scratch) / "bench.fdesk"
            start = time.perf_counter()
            _fusiondesk("--db", str(path), "sample", "--apps", str(APPS), "--seed", "11")
            print(f"sample_{APPS // 1000}k_s {time.perf_counter() - start:.2f}", flush=True)
        measure(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
