"""Audit workbook budget (issue 15): the 100,000-app portfolio's audit workbook in 30 s or less.

Prints:
- audit_export_100k_s         exporting the audit workbook of a 100,000-app portfolio (budget 30 s)
- audit_export_cpu_100k_s     the CPU seconds of that export's own process (what the machine's load
                              does not change)
- audit_export_cpu_all_100k_s the CPU seconds of that process and of the second one that writes the
                              Reviews, Ownership and Citizen developers rows meanwhile
                              (services/audit/record_sheets.py): the work done on both cores
- audit_baseline_100k_s       openpyxl write-only writing exactly the cells of that workbook (issue 6's
                              baseline, kept for comparison: openpyxl alone cannot reach the budget)
- audit_baseline_cpu_100k_s   its CPU seconds
- audit_xlsxwriter_100k_s     XlsxWriter constant-memory alone writing the same cells
- audit_xlsxwriter_cpu_100k_s its CPU seconds
- audit_ratio                 export / the openpyxl baseline (issue 6's budget, 1.3)
- audit_xlsxwriter_ratio      export / XlsxWriter alone writing every cell: below 1 since the data rows
                              bypass XlsxWriter (sheets/rowstream.py), which writes only the rest
- audit_peak_mb               peak resident memory of the exporting process (bounded: nothing held whole)
Run: `.venv/bin/python benchmarks/bench_audit.py [--db PATH]` (BENCH_APPS=20000 for a quicker
run; --db reuses a portfolio built the same way, `fusiondesk sample --apps N --seed 11`).
The baselines read the exported file back with python-calamine (untimed) and write it in a
fresh process each (benchmarks/bench_writers.py), a header style and date formats included.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("FUSIONDESK_HOME", tempfile.mkdtemp(prefix="fd-bench-home-"))
APPS = int(os.environ.get("BENCH_APPS", "100000"))

EXPORT = """
import json, multiprocessing, resource, sys, time
from datetime import datetime
from pathlib import Path
from fusiondesk.db.engine import open_portfolio
from fusiondesk.services.audit.workbook import export_audit
portfolio = open_portfolio(sys.argv[1], daily_backup=False)
start, cpu = time.perf_counter(), time.process_time()
with portfolio.reading() as session:
    export_audit(session, Path(sys.argv[2]), datetime(2026, 11, 1), "bench", "bench")
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
for child in multiprocessing.active_children():  # the second process, let go unwaited: reaped
    child.join()                                  # here so that its CPU seconds are counted
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "cpu": cpu, "cpu_all": cpu + children.ru_utime + children.ru_stime,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> int:
    from bench_writers import read_cells, run_one, save_cells

    folder = Path(tempfile.mkdtemp(prefix="fd-bench-audit-"))
    db, out = folder / "bench.fdesk", folder / "audit.xlsx"
    if "--db" in sys.argv:
        db = Path(sys.argv[sys.argv.index("--db") + 1])
    else:
        subprocess.run([sys.executable, "-m", "fusiondesk", "--db", str(db), "sample", "--apps",
                        str(APPS), "--seed", "11"], check=True, capture_output=True)
    measured = json.loads(subprocess.run([sys.executable, "-c", EXPORT, str(db), str(out)], check=True,
                                         capture_output=True, text=True).stdout)
    cells = save_cells(read_cells(out), folder)
    openpyxl = run_one("openpyxl", cells, folder / "openpyxl.xlsx")
    xlsxwriter = run_one("xlsxwriter", cells, folder / "xlsxwriter.xlsx")
    openpyxl_alone, xlsxwriter_alone = openpyxl["seconds"], xlsxwriter["seconds"]
    size = f"{APPS // 1000}k"
    print(f"audit_export_{size}_s {measured['seconds']:.2f}")
    print(f"audit_export_cpu_{size}_s {measured['cpu']:.2f}")
    print(f"audit_export_cpu_all_{size}_s {measured['cpu_all']:.2f}")
    print(f"audit_baseline_{size}_s {openpyxl_alone:.2f}")
    print(f"audit_baseline_cpu_{size}_s {openpyxl['cpu']:.2f}")
    print(f"audit_xlsxwriter_{size}_s {xlsxwriter_alone:.2f}")
    print(f"audit_xlsxwriter_cpu_{size}_s {xlsxwriter['cpu']:.2f}")
    print(f"audit_ratio {measured['seconds'] / openpyxl_alone:.2f}")
    print(f"audit_xlsxwriter_ratio {measured['seconds'] / xlsxwriter_alone:.2f}")
    print(f"audit_peak_mb {measured['peak_mb']:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
