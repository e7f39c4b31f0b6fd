"""Time importing a 100,000-app inventory against reading it and inserting it raw.

Run: `.venv/bin/python benchmarks/bench_import.py [--rows N] [--keep DIR] [--repeat N]`.

Builds once, into a temporary directory (or --keep DIR), a canonical workbook from the
sample generator: an "Apps" sheet of 100,000 rows × 20 columns and a "People" sheet.
Then, in the same run and each in a fresh process (best of --repeat):
  baseline  python-calamine reads both sheets + sqlite3 executemany inserts the same
            rows into plain tables (the floor any import is measured against);
  import    plan_import + apply_import into an empty portfolio (read, map, validate,
            diff, write, log, classify), timed in its two steps: the import transaction
            (`write_import`) and the leavers' handover planning after it commits
            (`plan_handovers`);
  reimport  the same file again into that portfolio (all rows unchanged);
  no reviews  the same import into an empty portfolio with the step that requests the
            new apps' milestone reviews skipped (nothing else changed): what the
            reviews the rules require add to an import (issue 17);
  floor     python-calamine reads both sheets + sqlite3 executemany inserts exactly the
            rows the import stored (apps, people, owners, integrations, the milestone
            reviews it requested, change log, handover plans) into an empty portfolio
            with the same schema: what any import that keeps this portfolio would cost
            with no mapping, checking, diffing or classifying at all.
Prints `import_baseline_100k_s`; `import_100k_s` (both steps, what a user waits for),
`import_txn_100k_s` (read, plan and the import transaction) and `import_handovers_100k_s`
(the planning step); `reimport_100k_s`; `import_ratio` and `reimport_ratio` (against the
baseline); `import_floor_s`; `import_floor_ratio` (the import transaction alone against
the floor: the issue lets planning follow the commit) and
`import_with_handovers_floor_ratio` (both steps against the floor); `floor_baseline_ratio`;
`import_reviews_share` (the import against the same import without its reviews, less
one: what requesting them adds); and `import_peak_mb` (the import processes' peak RSS).
With a PostgreSQL server at hand (--postgres auto, the default: Debian's binaries, or
FUSIONDESK_TEST_POSTGRES), the same import also runs into a fresh database on a throw-away
server with fsync on (tests/postgres/server.py): `import_postgres_100k_s` and
`postgres_import_ratio` (against the SQLite import).
Budgets: import and reimport ratios ≤ 2.0, peak < 600 MB (issue 4); import_floor_ratio
≤ 1.6 (issue 12); postgres_import_ratio ≤ 2.0 (issue 15); import_reviews_share < 0.20
(issue 17).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 1)
# Twenty canonical columns: keys, the enums and counts classification reads, lists,
# integrations, owners and dates — the shape of a real admin-centre export.
COLUMNS = ("app_id", "name", "platform", "environment", "lifecycle", "department", "scope",
           "users", "data_sensitivity", "data_categories", "compliance", "integrations",
           "criticality", "custom_code", "support", "dr_plan", "primary_owner", "co_owners",
           "created", "last_modified")


def write_workbook(path: Path, rows: int) -> None:
    """The canonical inventory: Apps (COLUMNS) and People sheets, streamed by openpyxl."""
    from openpyxl import Workbook

    from fusiondesk.core.fields import APP_COLUMNS, PERSON_COLUMNS
    from fusiondesk.sample_generator import generate
    from fusiondesk.sample_generator.inventory import app_row, person_row

    sample = generate(rows, seed=7, today=TODAY)
    picks = [APP_COLUMNS.index(name) for name in COLUMNS]
    workbook = Workbook(write_only=True)
    apps = workbook.create_sheet("Apps")
    apps.append(list(COLUMNS))
    for app in sample.apps:
        cells = app_row(app)
        apps.append([cells[i] for i in picks])
    people = workbook.create_sheet("People")
    people.append(list(PERSON_COLUMNS))
    for person in sample.people:
        people.append(person_row(person))
    workbook.save(path)


# --- the measured runs, each in its own process ------------------------------------------

def run_baseline(workbook: Path, database: Path) -> float:
    """Read every sheet with python-calamine and insert the rows with executemany."""
    from python_calamine import CalamineWorkbook

    started = time.perf_counter()
    book = CalamineWorkbook.from_path(workbook)
    connection = sqlite3.connect(database)
    for name in book.sheet_names:
        header, *rows = book.get_sheet_by_name(name).to_python()
        columns = ", ".join(f'"{h}"' for h in header)
        connection.execute(f'CREATE TABLE "{name}" ({columns})')
        connection.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(header))})',
                               rows)
    connection.commit()
    connection.close()
    return time.perf_counter() - started


def run_import_without_reviews(workbook: Path, database: Path) -> dict:
    """`run_import` with the new apps' reviews left unrequested: what they cost, by difference."""
    from fusiondesk.services.importing.apply import ImportWriter

    ImportWriter._needed = lambda self, rows, ids, policy, today: []  # this process only
    return run_import(workbook, database)


def run_import(workbook: Path, database: Path) -> dict:
    """plan_import + apply_import's two steps, as `fusiondesk import` does them, timed apart."""
    from fusiondesk.db.engine import open_portfolio
    from fusiondesk.services.importing.importer import plan_handovers, plan_import, write_import

    portfolio = open_portfolio(database, daily_backup=False)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        with portfolio.reading() as session:
            plan = plan_import(session, workbook)
        result = write_import(portfolio, plan)  # apply_import is these two calls
        committed = time.perf_counter()
        plan_handovers(portfolio, result)
        finished = time.perf_counter()
    finally:
        portfolio.close()
    counts = result.totals
    print(f"  import: {finished - started:.2f} s wall ({committed - started:.2f} s to commit, "
          f"{finished - committed:.2f} s planning {result.handover_plans} handovers), "
          f"{time.process_time() - cpu:.2f} s CPU; created {counts.created} updated "
          f"{counts.updated} unchanged {counts.unchanged} invalid {counts.invalid} "
          f"problems {len(result.problems)}", file=sys.stderr)
    return {"seconds": finished - started, "txn_seconds": committed - started,
            "handover_seconds": finished - committed}


# The tables an import of the benchmark's inventory writes rows into.
STORED_TABLES = ("person", "team", "app", "ownership", "integration", "review", "change_log",
                 "handover_plan", "handover_item")


def run_floor(workbook: Path, imported: Path) -> float:
    """Read with calamine, then insert the rows `imported` holds into a copy of its schema.

    The rows are taken from the imported portfolio before the clock starts, so only the
    reading and the inserting are timed, with the portfolio's own indexes, foreign keys,
    triggers and pragmas (WAL, synchronous NORMAL).
    """
    from python_calamine import CalamineWorkbook

    source = sqlite3.connect(imported)
    schema = [sql for (sql,) in source.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "ORDER BY type = 'table' DESC, rowid")]
    rows = {name: source.execute(f'SELECT * FROM "{name}"').fetchall() for name in STORED_TABLES}
    source.close()
    target = fresh(imported.with_name("floor.fdesk"))
    connection = sqlite3.connect(target, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON"):
        connection.execute(f"PRAGMA {pragma}")
    for sql in schema:
        connection.execute(sql)

    started = time.perf_counter()
    book = CalamineWorkbook.from_path(workbook)
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python()
    connection.execute("BEGIN")
    for name, found in rows.items():
        if found:
            connection.executemany(f'INSERT INTO "{name}" VALUES '
                                   f'({", ".join("?" * len(found[0]))})', found)
    connection.execute("COMMIT")
    connection.close()
    return time.perf_counter() - started


def child(kind: str, workbook: str, database: str) -> None:
    """One measured run; prints its time and peak RSS as JSON."""
    run = {"baseline": run_baseline, "import": run_import, "floor": run_floor,
           "no_reviews": run_import_without_reviews}[kind]
    timed = run(Path(workbook), database if "://" in database else Path(database))
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    figures = timed if isinstance(timed, dict) else {"seconds": timed}
    print(json.dumps({**figures, "peak_mb": peak_kb / 1024}))


def measure(kind: str, workbook: Path, database: Path, env: dict) -> dict:
    """Run one measurement in a fresh interpreter."""
    done = subprocess.run([sys.executable, __file__, "--child", kind, str(workbook),
                           str(database)], capture_output=True, text=True, env=env)
    sys.stderr.write(done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"{kind} run failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def fresh(database: Path) -> Path:
    """Remove a database file (and its WAL) left by an earlier repeat."""
    for extra in ("", "-wal", "-shm"):
        Path(f"{database}{extra}").unlink(missing_ok=True)
    return database


def main(argv: list[str] | None = None) -> None:
    """Build the workbook once, then time baseline, import and re-import."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the workbook here and keep it")
    parser.add_argument("--repeat", type=int, default=3, help="report the best of N runs")
    parser.add_argument("--postgres", choices=("auto", "yes", "no"), default="auto",
                        help="also import into PostgreSQL: when a server can be started (auto)")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "XLSX", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        workbook = folder / f"inventory_{args.rows}.xlsx"
        if not workbook.exists():
            started = time.perf_counter()
            write_workbook(workbook, args.rows)
            print(f"  wrote {workbook.name} in {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
        env = {**os.environ, "FUSIONDESK_HOME": str(Path(tmp) / "home"),
               "FUSIONDESK_TODAY": TODAY.isoformat(), "FUSIONDESK_USER": "bench"}
        server = postgres_server(args.postgres)
        try:
            report(_runs(args.repeat, workbook, Path(tmp), env, server))
        finally:
            if server:
                server.stop()


def postgres_server(wanted: str):
    """A durable throw-away server with a migrated template, or None (said why) when auto."""
    if wanted == "no":
        return None
    from fusiondesk.db.engine import open_portfolio

    from tests.postgres import server as pg

    try:
        server = pg.start(durable=True)
    except pg.Unavailable as exc:
        if wanted == "yes":
            raise SystemExit(f"PostgreSQL: {exc}") from exc
        print(f"  PostgreSQL import not measured: {exc}", file=sys.stderr)
        return None
    open_portfolio(server.url(pg.TEMPLATE), daily_backup=False).close()
    return server


def _runs(repeat: int, workbook: Path, tmp: Path, env: dict, server=None) -> dict[str, list[dict]]:
    runs: dict[str, list[dict]] = {"baseline": [], "import": [], "reimport": [], "floor": [],
                                   "no_reviews": [], "postgres": []}
    for _ in range(repeat):  # interleaved, so a busy spell on the machine hits all of them
        runs["baseline"].append(measure("baseline", workbook, fresh(tmp / "raw.db"), env))
        database = fresh(tmp / "portfolio.fdesk")
        runs["import"].append(measure("import", workbook, database, env))
        runs["reimport"].append(measure("import", workbook, database, env))
        runs["floor"].append(measure("floor", workbook, database, env))
        runs["no_reviews"].append(measure("no_reviews", workbook, fresh(tmp / "bare.fdesk"), env))
        if server:
            name = server.new_database()
            runs["postgres"].append(measure("import", workbook, server.url(name), env))
            server.drop_database(name)
    return runs


def report(runs: dict[str, list[dict]]) -> None:
    """Print the figures as `name value` lines."""
    best = {kind: min(r["seconds"] for r in found) for kind, found in runs.items() if found}
    first = min(runs["import"], key=lambda r: r["seconds"])  # its two steps, from one run
    txn = min(r["txn_seconds"] for r in runs["import"])
    peak = max(r["peak_mb"] for kind in ("import", "reimport") for r in runs[kind])
    print(f"import_baseline_100k_s {best['baseline']:.2f}")
    print(f"import_100k_s {best['import']:.2f}")
    print(f"import_txn_100k_s {txn:.2f}")
    print(f"import_handovers_100k_s {first['handover_seconds']:.2f}")
    print(f"reimport_100k_s {best['reimport']:.2f}")
    print(f"import_ratio {best['import'] / best['baseline']:.2f}")
    print(f"reimport_ratio {best['reimport'] / best['baseline']:.2f}")
    print(f"import_floor_s {best['floor']:.2f}")
    print(f"import_floor_ratio {txn / best['floor']:.2f}")
    print(f"import_with_handovers_floor_ratio {best['import'] / best['floor']:.2f}")
    print(f"floor_baseline_ratio {best['floor'] / best['baseline']:.2f}")
    print(f"import_no_reviews_100k_s {best['no_reviews']:.2f}")
    print(f"import_reviews_share {best['import'] / best['no_reviews'] - 1:.2f}")
    print(f"import_peak_mb {peak:.0f}")
    if "postgres" in best:
        print(f"import_postgres_100k_s {best['postgres']:.2f}")
        print(f"postgres_import_ratio {best['postgres'] / best['import']:.2f}")


if __name__ == "__main__":
    main()
