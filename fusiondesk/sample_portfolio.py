"""The sample portfolio a new user opens to look around (`fusiondesk --sample`, `make run`)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import fusiondesk
from fusiondesk import paths

SAMPLE_NAME = "sample_portfolio.fdesk"


def shipped_sample() -> Path | None:
    """The sample portfolio shipped in sample_data/ (or in a PyInstaller bundle)."""
    places = [Path(fusiondesk.__file__).resolve().parent.parent / "sample_data" / SAMPLE_NAME]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        places.append(Path(bundle) / "sample_data" / SAMPLE_NAME)
    return next((p for p in places if p.is_file()), None)


def user_sample() -> Path:
    """The user's own copy of the sample (never the shipped file, which stays pristine)."""
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
            fill_with_sample(session, portfolio.user, apps=400, seed=7)
    finally:
        portfolio.close()
