"""Write the sample portfolio and its spreadsheet: `python sample_data/make_sample.py`.

Both come from the same deterministic generator (fusiondesk.sample_generator, seed 7),
so the committed files can be made again byte-for-byte in content.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Everything dated in the sample (classification, handover due dates) is as of this day.
os.environ.setdefault("FUSIONDESK_TODAY", "2026-11-01")
sys.path.insert(0, str(HERE.parent))

from fusiondesk import sample_generator  # noqa: E402
from fusiondesk.db.engine import open_portfolio  # noqa: E402
from fusiondesk.services.bulk import insert_apps, insert_people, insert_teams  # noqa: E402
from fusiondesk.services.classification import reclassify  # noqa: E402
from fusiondesk.sample_generator.inventory import write_inventory_xlsx  # noqa: E402
from fusiondesk.services.handover import refresh_plans_for  # noqa: E402

SAMPLE_DATE = date(2026, 11, 1)


def write_portfolio(sample, path: Path) -> None:
    """The sample as a portfolio file (replacing an older one)."""
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    portfolio = open_portfolio(path, daily_backup=False)
    try:
        with portfolio.transaction() as session:
            insert_people(session, sample.people)
            insert_teams(session, [(t.name, t.department) for t in sample.teams])
            insert_apps(session, sample.apps)
            reclassify(session, today=SAMPLE_DATE)
            leavers = [p.email for p in sample.people if p.status in ("leaving", "left")]
            refresh_plans_for(session, leavers, "sample")
        with portfolio.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.exec_driver_sql("PRAGMA journal_mode = DELETE")
    finally:
        portfolio.close()


def main() -> int:
    """Write sample_portfolio.fdesk and sample_inventory.xlsx beside this script."""
    sample = sample_generator.generate(apps=400, seed=7, today=SAMPLE_DATE)
    write_portfolio(sample, HERE / "sample_portfolio.fdesk")
    write_inventory_xlsx(sample, HERE / "sample_inventory.xlsx", messy=True)
    print(f"Wrote {len(sample.apps)} apps and {len(sample.people)} people to {HERE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
