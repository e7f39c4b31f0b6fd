"""The CLI listing a 100,000-app portfolio (issue 16); budget 5 s per command.

Each figure is the wall time of the whole command as a user runs it (`python -m
fusiondesk ... > file`): start-up, opening, reading, classifying, encoding, writing.
Prints `name value` lines:
- sample_100k_s          filling the portfolio in a subprocess (setup, no budget)
- cli_apps_json_100k_s   `apps --json`, best of three (budget 5 s)
- cli_classify_json_100k_s `classify --json`, best of three (budget 5 s)
- cli_apps_jsonl_100k_s  `apps --jsonl`, best of three (no budget of its own)

Run: `.venv/bin/python benchmarks/bench_cli.py [--db PATH]`
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
APPS = int(os.environ.get("BENCH_APPS", "100000"))
REPEAT = 3
COMMANDS = {"apps_json": ["apps", "--json"], "classify_json": ["classify", "--json"],
            "apps_jsonl": ["apps", "--jsonl"]}


def make_portfolio(path: Path) -> float:
    """Build the portfolio in another process, as bench_dashboard does."""
    start = time.perf_counter()
    _fusiondesk("--db", str(path), "sample", "--apps", str(APPS), "--seed", "11")
    return time.perf_counter() - start


def _fusiondesk(*argv: str, into: Path | None = None) -> None:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout, not an installed copy
    with open(into or os.devnull, "wb") as out:
        subprocess.run([sys.executable, "-m", "fusiondesk", *argv], check=True, stdout=out,
                       env=environment)


def best_run(path: Path, argv: list[str], output: Path) -> float:
    """The fastest of REPEAT runs of one command, its output written to a file."""
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        _fusiondesk("--db", str(path), *argv, into=output)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    """Measure in a temporary directory, removed after."""
    with tempfile.TemporaryDirectory(prefix="fd-bench-cli-") as scratch:
        os.environ.setdefault("FUSIONDESK_HOME", scratch)
        if "--db" in sys.argv:
            path = Path(sys.argv[sys.argv.index("--db") + 1])
        else:
            path = Path(scratch) / "bench.fdesk"
            print(f"sample_{APPS // 1000}k_s {make_portfolio(path):.2f}", flush=True)
        for name, argv in COMMANDS.items():
            seconds = best_run(path, argv, Path(scratch) / "out.json")
            print(f"cli_{name}_{APPS // 1000}k_s {seconds:.2f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
