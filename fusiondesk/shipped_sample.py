"""The sample portfolio shipped in sample_data/: where it is, the user's copy, and making it anew.

The GUI (`fusiondesk --sample`, the welcome page, `make run`) opens the user's own copy,
never the shipped file, which stays pristine. `sample_data/make_sample.py` calls
`write_shipped_sample` to make the shipped files again from the generator.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import fusiondesk
from fusiondesk import paths

if TYPE_CHECKING:
    from fusiondesk.sample_generator import SamplePortfolio

SAMPLE_NAME = "sample_portfolio.fdesk"
INVENTORY_NAME = "sample_inventory.xlsx"
SAMPLE_APPS, SAMPLE_SEED = 400, 7


def shipped_sample() -> Path | None:
    """The sample portfolio shipped in sample_data/ (or in a PyInstaller bundle)."""
    places = [Path(fusiondesk.__file__).resolve().parent.parent / "sample_data" / SAMPLE_NAME]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        places.append(Path(bundle) / "sample_data" / SAMPLE_NAME)
    return next((p for p in places if p.is_file()), None)


def user_sample() -> Path:
    """The user's own copy of the sample, copied (or, failing that, generated) on first use."""
    target = paths.data_home() / SAMPLE_NAME
    if target.exists():
        return target
    shipped = shipped_sample()
    if shipped is not None:
        shutil.copyfile(shipped, target)
        target.chmod(0o600)
        return target
    _generate(target)
    return target


def _generate(target: Path) -> None:
    from fusiondesk.db.engine import open_portfolio
    from fusiondesk.services.portfolio import fill_with_sample

    portfolio = open_portfolio(target, daily_backup=False)
    try:
        with portfolio.transaction() as session:
            fill_with_sample(session, portfolio.user, apps=SAMPLE_APPS, seed=SAMPLE_SEED)
    finally:
        portfolio.close()


def write_shipped_sample(folder: Path) -> SamplePortfolio:
    """Write the sample portfolio and its messy inventory workbook into `folder`; the sample.

    Both come from the same generated sample (400 apps, seed 7), dated by FusionDesk's
    clock: the caller fixes FUSIONDESK_TODAY so the files can be made again alike.
    """
    from fusiondesk.core import clock
    from fusiondesk.sample_generator import generate
    from fusiondesk.sample_generator.inventory import write_inventory_xlsx
    sample = generate(apps=SAMPLE_APPS, seed=SAMPLE_SEED, today=clock.today())
    _write_portfolio(sample, folder / SAMPLE_NAME)
    write_inventory_xlsx(sample, folder / INVENTORY_NAME, messy=True)
    return sample


def _write_portfolio(sample: SamplePortfolio, path: Path) -> None:
    from fusiondesk.db.engine import open_portfolio
    from fusiondesk.services.portfolio import add_sample

    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    portfolio = open_portfolio(path, daily_backup=False)
    try:
        with portfolio.transaction() as session:
            add_sample(session, sample, "sample")
        # One self-contained file to ship: no -wal or -shm beside it.
        with portfolio.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.exec_driver_sql("PRAGMA journal_mode = DELETE")
    finally:
        portfolio.close()
