"""Audit workbook budget (issue 6): export within 1.3x of openpyxl write-only writing the same cells.

Prints:
- audit_export_100k_s   exporting the audit workbook of a 100,000-app portfolio
- audit_baseline_100k_s openpyxl write-only writing exactly the cells of that workbook (plain values)
- audit_ratio           export / baseline (budget 1.3)
- audit_peak_mb         peak resident memory of the exporting process (bounded: no full workbook in memory)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("FUSIONDESK_HOME", tempfile.mkdtemp(prefix="fd-bench-home-"))
APPS = int(os.environ.get("BENCH_APPS", "100000"))

EXPORT = """
import json, resource, sys, time
from datetime import datetime
from pathlib import Path
from fusiondesk.db.engine import open_portfolio
from fusiondesk.services.audit.workbook import export_audit
portfolio = open_portfolio(sys.argv[1], daily_backup=False)
start = time.perf_counter()
with portfolio.reading() as session:
    export_audit(session, Path(sys.argv[2]), datetime(2026, 11, 1), "bench", "bench")
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def baseline(workbook: Path) -> float:
    """Time openpyxl write-only writing the same cell values (read back untimed with calamine)."""
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    source = CalamineWorkbook.from_path(str(workbook))
    # calamine gives "" for a blank cell; a blank must stay blank or the baseline writes more cells
    sheets = {name: [[None if v == "" else v for v in row]
                     for row in source.get_sheet_by_name(name).to_python()]
              for name in source.sheet_names}
    target = Path(tempfile.mkdtemp()) / "baseline.xlsx"
    start = time.perf_counter()
    book = Workbook(write_only=True)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(target)
    return time.perf_counter() - start


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="fd-bench-audit-"))
    db, out = folder / "bench.fdesk", folder / "audit.xlsx"
    subprocess.run([sys.executable, "-m", "fusiondesk", "--db", str(db), "sample", "--apps", str(APPS),
                    "--seed", "11"], check=True, capture_output=True)
    measured = json.loads(subprocess.run([sys.executable, "-c", EXPORT, str(db), str(out)], check=True,
                                         capture_output=True, text=True).stdout)
    base = baseline(out)
    print(f"audit_export_{APPS // 1000}k_s {measured['seconds']:.2f}")
    print(f"audit_baseline_{APPS // 1000}k_s {base:.2f}")
    print(f"audit_ratio {measured['seconds'] / base:.2f}")
    print(f"audit_peak_mb {measured['peak_mb']:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
