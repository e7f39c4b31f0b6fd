"""Where FusionDesk keeps its files; every directory can be overridden for tests and portable use."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

PORTFOLIO_SUFFIX = ".fdesk"


def data_home() -> Path:
    """The per-user data directory (FUSIONDESK_HOME overrides it)."""
    override = os.environ.get("FUSIONDESK_HOME")
    home = Path(override) if override else Path(platformdirs.user_data_dir("FusionDesk", False))
    home.mkdir(parents=True, exist_ok=True)
    return home


def default_portfolio() -> Path:
    """The portfolio opened when none is named."""
    return data_home() / f"portfolio{PORTFOLIO_SUFFIX}"


def backups_dir() -> Path:
    """Where automatic and manual backups of portfolios are kept."""
    path = data_home() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_file() -> Path:
    """The application log, for errors that escape to the top."""
    return data_home() / "fusiondesk.log"
