"""A big listing checks its portfolio file in a thread while it starts: the file is still
checked once, before anything touches it, and a damaged file is still refused unchanged."""

import pytest

from fusiondesk.cli import listing_command
from fusiondesk.db import file_check

pytestmark = pytest.mark.sqlite_only  # about the portfolio file


@pytest.fixture
def big(monkeypatch):
    """Every file counts as big: listings start early, as at 100,000 apps."""
    monkeypatch.setattr(listing_command, "_BIG_FILE", 0)


@pytest.fixture
def looks(monkeypatch):
    """The files read-only checks looked into, in order."""
    seen = []
    monkeypatch.setattr(file_check, "_look", lambda path, real=file_check._look: (
        seen.append(path), real(path))[1])
    return seen


def test_a_big_listing_checks_its_file_once_and_early(sample_db, run, big, looks, monkeypatch):
    db = sample_db(30, 5)
    looks.clear()
    started_early = []
    monkeypatch.setattr(file_check, "findings", lambda path, real=file_check.findings: (
        started_early.append(path in file_check._EARLY), real(path))[1])
    code, listed, err = run("--db", db, "classify", "--jsonl")
    assert code == 0 and err == "" and len(listed.splitlines()) == 30
    assert len(looks) == 1  # checked once: opening took the early findings
    assert started_early == [True]  # opening found the check under way
    assert file_check._EARLY == {}


def test_a_small_listing_checks_its_file_when_opening_it(sample_db, run, looks):
    db = sample_db(30, 5)
    looks.clear()
    assert run("--db", db, "apps", "--jsonl")[0] == 0
    assert len(looks) == 1 and file_check._EARLY == {}


def _damage(path):
    """Overwrite pages in the middle of the file, as a bad disk would."""
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 2, min(len(data), 4096 * 6), 7):
        data[offset] = 0xAB
    path.write_bytes(bytes(data))


def test_a_damaged_file_checked_early_is_refused_unchanged(sample_db, run, big, tmp_path):
    from pathlib import Path

    path = Path(sample_db(30, 5))
    _damage(path)
    damaged = path.read_bytes()
    code, listed, err = run("--db", str(path), "apps", "--json")
    assert code == 2 and listed == ""
    assert "damaged" in err and len(err.strip().splitlines()) == 1
    assert path.read_bytes() == damaged


def test_a_server_or_a_missing_file_is_not_checked_early(tmp_path):
    file_check.check_early("postgresql+psycopg://someone@server/portfolio")
    file_check.check_early(str(tmp_path / "missing.fdesk"))
    assert file_check._EARLY == {}


EXIT_WITH_GARBAGE = """
import gc, sys
from fusiondesk.cli import listing_command

class Cycle:
    def __del__(self):
        print("collected at exit")

cycle = Cycle()
cycle.me = cycle
del cycle
gc.disable()  # as a listing leaves it: what is garbage now is found only at exit
if sys.argv[1] == "big":
    listing_command._no_collection_at_exit()
"""


@pytest.mark.parametrize("listing, collected", [("small", True), ("big", False)])
def test_a_big_listing_ends_without_collecting_what_the_process_frees(listing, collected):
    import subprocess
    import sys

    ended = subprocess.run([sys.executable, "-c", EXIT_WITH_GARBAGE, listing],
                           capture_output=True, text=True, timeout=60)
    assert ended.returncode == 0 and ended.stderr == ""
    assert ("collected at exit" in ended.stdout) == collected


def test_findings_of_a_file_changed_since_its_early_check_are_not_used(sample_db, run, looks):
    from pathlib import Path

    path = Path(sample_db(30, 5))
    looks.clear()
    file_check.check_early(str(path))
    file_check._EARLY[path][1].result()  # the early check is done
    _damage(path)  # then the file changes, as another program could change it
    with open(path, "ab") as grown:  # by a page more: a change even within the clock's tick
        grown.write(bytes(4096))
    assert file_check.findings(path).result != "ok"  # looked into again, as it is now
    assert len(looks) == 2 and file_check._EARLY == {}
