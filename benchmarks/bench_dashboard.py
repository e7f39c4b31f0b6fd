"""Opening the dashboard on a 100,000-app portfolio (issue 6); budget under 2 s.

Prints `name value` lines:
- sample_100k_s               filling the portfolio in a subprocess (setup, no budget)
- dashboard_data_100k_s       counting every chart alone (SQL aggregates, no drawing), as the
                              page counts them (the slowest on a second connection meanwhile)
- dashboard_first_100k_s      the first opening after the portfolio was opened (cold caches)
- dashboard_100k_s            opening the page: count, draw all ten charts, grab() the page;
                              the best of three openings, each on a new page (budget 2 s)

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_dashboard.py [--db PATH]`
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
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

APPS = int(os.environ.get("BENCH_APPS", "100000"))
REPEAT = 3
TIMEOUT_MS = 60_000


def make_portfolio(path: Path) -> float:
    """Build the portfolio in another process, as bench_workspace does."""
    command = [sys.executable, "-m", "fusiondesk", "--db", str(path), "sample",
               "--apps", str(APPS), "--seed", "11"]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def open_dashboard(app, workspace) -> float:
    """Seconds from showing a new Dashboard page to a grab() of it with every chart drawn.

    Modules are imported before timing, as the main window imports them at start-up.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    from fusiondesk.gui.dashboard import DashboardView

    view = DashboardView(workspace, on_filter=lambda _filter: None)
    view.resize(1400, 900)
    loop = QEventLoop()
    view.refreshed.connect(lambda _data: loop.quit())
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    start = time.perf_counter()
    view.show()  # showEvent counts in the background; each chart is drawn as it arrives
    loop.exec()
    view.grab()
    seconds = time.perf_counter() - start
    assert view.last_data is not None and view.last_data.apps == APPS, "dashboard did not finish"
    assert all(canvas.chart is not None for canvas in view.charts.values())
    view.close()
    view.deleteLater()
    app.processEvents()
    return seconds


def count_only(portfolio) -> float:
    """Seconds to count every chart, with no drawing."""
    from fusiondesk.core import clock
    from fusiondesk.services.dashboard.data import dashboard_figures

    start = time.perf_counter()
    with portfolio.reading() as session:
        dashboard_figures(session, clock.today(), reading=portfolio.reading)
    return time.perf_counter() - start


def main() -> int:
    """Measure in a temporary directory (settings and the built portfolio), removed after."""
    with tempfile.TemporaryDirectory(prefix="fd-bench-dashboard-") as scratch:
        os.environ.setdefault("FUSIONDESK_HOME", scratch)
        if "--db" in sys.argv:
            path = Path(sys.argv[sys.argv.index("--db") + 1])
        else:
            path = Path(scratch) / "bench.fdesk"
            print(f"sample_{APPS // 1000}k_s {make_portfolio(path):.2f}")
        measure(path)
    return 0


def measure(path: Path) -> None:
    """Open the portfolio, then open the dashboard on it, timed."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])

    from fusiondesk.db.engine import open_portfolio
    from fusiondesk.gui import dashboard  # noqa: F401 (imported at start-up, not timed)
    from fusiondesk.gui.workspace import Workspace

    workspace = Workspace()
    workspace.set_portfolio(open_portfolio(path, daily_backup=False))
    first = open_dashboard(app, workspace)
    print(f"dashboard_first_{APPS // 1000}k_s {first:.3f}")
    counting = min(count_only(workspace.portfolio) for _ in range(REPEAT))
    print(f"dashboard_data_{APPS // 1000}k_s {counting:.3f}")
    best = min([first] + [open_dashboard(app, workspace) for _ in range(REPEAT - 1)])
    print(f"dashboard_{APPS // 1000}k_s {best:.3f}")
    workspace.portfolio.close()


if __name__ == "__main__":
    raise SystemExit(main())
