"""Running the CLI in-process and capturing what it prints."""

import pytest

from fusiondesk.cli import main


@pytest.fixture
def run(capsys):
    """run(*argv) -> (exit status, stdout, stderr)."""
    def invoke(*argv):
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err
    return invoke


@pytest.fixture
def sample_db(tmp_path, run):
    """make(apps, seed) -> the path of a new portfolio filled with a sample."""
    def make(apps: int, seed: int) -> str:
        path = str(tmp_path / f"cli-{apps}-{seed}.fdesk")
        assert run("--db", path, "sample", "--apps", str(apps), "--seed", str(seed))[0] == 0
        return path
    return make
