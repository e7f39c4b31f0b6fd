"""The workspace budgets on a 100,000-app portfolio (issue 2 and the reclassify part of issue 3).

Prints `name value` lines:
- sample_100k_s           filling an empty portfolio with 100,000 generated apps (setup, no budget)
- open_first_screen_s     open the portfolio and show the first screen of the table (budget 2 s)
- sort_<column>_s         re-sort the table by a column, worst of several columns (budget 0.3 s)
- search_keystroke_s      one quick-search keystroke, worst of a typed word (budget 0.15 s)
- reclassify_store_100k_s reclassify and store every app after a policy change (budget 5 s)
- rss_mb                  resident memory of this process at the end (budget 400 MB)

Run: `.venv/bin/python benchmarks/bench_workspace.py [--db PATH]` (--db: a copy of a portfolio
built the same way, `fusiondesk sample --apps 100000 --seed 11`; BENCH_APPS must match it).
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("FUSIONDESK_HOME", tempfile.mkdtemp(prefix="fd-bench-home-"))

APPS = int(os.environ.get("BENCH_APPS", "100000"))
SORT_COLUMNS = ("users", "name", "tier", "department", "owners", "last_used")


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def make_portfolio(path: Path) -> float:
    """Build the portfolio in another process, so the memory figure is the GUI's alone."""
    import subprocess

    command = [sys.executable, "-m", "fusiondesk", "--db", str(path), "sample",
               "--apps", str(APPS), "--seed", "11"]
    seconds, _ = timed(lambda: subprocess.run(command, check=True, capture_output=True))
    return seconds


def main() -> int:
    from PySide6.QtWidgets import QApplication

    path = Path(tempfile.mkdtemp(prefix="fd-bench-")) / "bench.fdesk"
    if "--db" in sys.argv:  # a copy: the policy change below would alter the original
        shutil.copyfile(sys.argv[sys.argv.index("--db") + 1], path)
    else:
        print(f"sample_{APPS // 1000}k_s {make_portfolio(path):.2f}")
    app = QApplication.instance() or QApplication([])

    from fusiondesk.db.engine import open_portfolio
    from fusiondesk.gui.main_window import MainWindow

    window = MainWindow()
    window.resize(1400, 800)

    def open_and_show():
        window.workspace.set_portfolio(open_portfolio(path, daily_backup=False))
        window.show_page(window.portfolio_view)  # the table's first screen (Home is the first page)
        window.show()
        app.processEvents()
        window.grab()  # forces the first screen of rows to be fetched and painted

    seconds, _ = timed(open_and_show)
    print(f"open_first_screen_s {seconds:.3f}")
    assert window.portfolio_view.model.rowCount() == APPS

    view = window.portfolio_view
    worst = 0.0
    for key in SORT_COLUMNS:
        column = view.model.keys.index(key) if key in view.model.keys else None
        if column is None:
            continue
        seconds, _ = timed(lambda: (view.model.sort(column), view.table.viewport().grab()))
        worst = max(worst, seconds)
    print(f"sort_worst_s {worst:.3f}")

    view.model.prepare_search()  # what focusing the search box does, before the first key
    worst = 0.0
    for n in range(1, 7):
        view.search_box.blockSignals(True)
        view.search_box.setText("invoice"[:n])
        view.search_box.blockSignals(False)
        seconds, _ = timed(lambda: (view.apply_filters(), view.table.viewport().grab()))
        worst = max(worst, seconds)
    print(f"search_keystroke_s {worst:.3f}")

    from fusiondesk.core.policy import set_policy_value
    from fusiondesk.services.classification.governance import replace_policy
    from fusiondesk.services.classification.reclassify import policy_in_force

    portfolio = window.workspace.portfolio

    def policy_change():  # the use case the policy editor's Save runs
        with portfolio.transaction() as session:
            policy = set_policy_value(policy_in_force(session), "tier3.users", "40")
            replace_policy(session, policy, "bench")

    seconds, _ = timed(policy_change)
    print(f"reclassify_store_{APPS // 1000}k_s {seconds:.2f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rss_mb {rss:.0f}", flush=True)
    window.close()
    window.workspace.set_portfolio(None)
    window = None  # the last reference, dropped before Qt shuts down
    app.processEvents()
    return 0


if __name__ == "__main__":
    main()
    # The figures are printed; skip interpreter finalization, where PySide6 has crashed
    # tearing down this script's Qt objects (the app itself exits cleanly: exit code 0).
    sys.stdout.flush()
    os._exit(0)
