"""Files appear whole or not at all: the old file survives every failure, even kill -9."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from fusiondesk.core.atomic import replacing, write_bytes
from fusiondesk.core.errors import FileNotWritten


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_a_new_content_replaces_the_old_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "audit.xlsx"
    target.write_bytes(b"old")
    write_bytes(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert _leftovers(tmp_path) == []


def test_a_failure_while_writing_leaves_the_old_file_untouched(tmp_path):
    target = tmp_path / "audit.xlsx"
    target.write_bytes(b"the good workbook")
    with pytest.raises(RuntimeError):
        with replacing(target) as partial:
            partial.write_bytes(b"half a work")
            raise RuntimeError("the writer crashed")
    assert target.read_bytes() == b"the good workbook"
    assert _leftovers(tmp_path) == []


def test_a_full_disk_is_one_sentence_and_the_old_file_survives(tmp_path):
    target = tmp_path / "audit.xlsx"
    target.write_bytes(b"the good workbook")
    with pytest.raises(FileNotWritten) as caught:
        with replacing(target) as partial:
            partial.write_bytes(b"5 MB of zip")
            raise OSError(errno.ENOSPC, "No space left on device")
    message = str(caught.value)
    assert "disk is full" in message and str(target) in message and "\n" not in message
    assert target.read_bytes() == b"the good workbook"
    assert _leftovers(tmp_path) == []


def test_a_missing_folder_is_named(tmp_path):
    target = tmp_path / "no such folder" / "audit.xlsx"
    with pytest.raises(FileNotWritten, match="does not exist"):
        write_bytes(target, b"x")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_is_named(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(FileNotWritten, match="permission denied"):
            write_bytes(folder / "audit.xlsx", b"x")
    finally:
        folder.chmod(0o700)


def test_the_new_file_has_the_mode_asked_for(tmp_path):
    target = tmp_path / "backup.fdbak"
    write_bytes(target, b"x", mode=0o600)
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.skipif(os.name != "posix", reason="kill -9 is POSIX")
def test_kill_9_mid_write_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "view.csv"
    target.write_text("the good export\n")
    # A writer that streams slowly, so it is surely killed half-way through.
    script = textwrap.dedent(f"""
        import time
        from fusiondesk.sheets.writer import write_csv
        def rows():
            for n in range(1_000_000):
                if n % 1000 == 0:
                    time.sleep(0.01)
                yield [n, "x" * 50]
        write_csv({str(target)!r}, ["n", "text"], rows())
    """)
    child = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 20
        while not _leftovers(tmp_path) or os.path.getsize(tmp_path / _leftovers(tmp_path)[0]) < 50_000:
            assert time.monotonic() < deadline, "the writer never started"
            assert child.poll() is None, "the writer ended before it could be killed"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
    assert target.read_text() == "the good export\n"
