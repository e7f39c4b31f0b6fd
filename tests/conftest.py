"""Hermetic tests: a temporary data directory, a fixed 'today', offscreen Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from fusiondesk.db.engine import open_portfolio

TODAY = "2026-11-01"


@pytest.fixture(autouse=True)
def hermetic_home(tmp_path, monkeypatch):
    """Every test gets its own data directory, settings and clock."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("FUSIONDESK_HOME", str(home))
    monkeypatch.setenv("FUSIONDESK_TODAY", TODAY)
    monkeypatch.setenv("FUSIONDESK_USER", "tester")
    monkeypatch.delenv("FUSIONDESK_DB", raising=False)
    return home


@pytest.fixture
def empty_portfolio(tmp_path):
    """A new, empty portfolio file."""
    portfolio = open_portfolio(tmp_path / "empty.fdesk")
    yield portfolio
    portfolio.close()


@pytest.fixture
def sample_portfolio(tmp_path):
    """A portfolio filled with the small generated sample (60 apps)."""
    from fusiondesk.services.portfolio import fill_with_sample

    portfolio = open_portfolio(tmp_path / "sample.fdesk")
    with portfolio.transaction() as session:
        fill_with_sample(session, "tester", apps=60, seed=3)
    yield portfolio
    portfolio.close()
