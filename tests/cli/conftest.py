"""Running the CLI in-process and capturing what it prints."""

import pytest


@pytest.fixture
def sample_db(portfolio_location, run):
    """make(apps, seed) -> the path (or URL) of a new portfolio filled with a sample."""
    def make(apps: int, seed: int) -> str:
        path = portfolio_location(f"cli-{apps}-{seed}.fdesk")
        assert run("--db", path, "sample", "--apps", str(apps), "--seed", str(seed))[0] == 0
        return path
    return make
