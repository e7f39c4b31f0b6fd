"""An export appears whole or not at all: a full disk or a crash mid-write leaves the old file."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time

import openpyxl
import pytest
from xlsxwriter import Workbook


@pytest.fixture
def db(sample_db):
    return sample_db(30, 2)


def test_a_full_disk_keeps_the_previous_audit_workbook_and_says_so_in_one_line(db, run, tmp_path, monkeypatch):
    out = tmp_path / "audit.xlsx"
    assert run("--db", db, "export-audit", str(out))[0] == 0
    good = out.read_bytes()

    real_close = Workbook.close

    def full_disk(self):
        real_close(self)  # most of it written, then the disk fills
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Workbook, "close", full_disk)
    code, stdout, err = run("--db", db, "export-audit", str(out))

    assert code == 2 and err.count("\n") == 1
    assert "disk is full" in err and "nothing was changed" in err
    assert out.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == []


def test_a_missing_folder_is_one_line(db, run, tmp_path):
    code, _out, err = run("--db", db, "export-audit", str(tmp_path / "nowhere" / "audit.xlsx"))
    assert code == 2 and "does not exist" in err and err.count("\n") == 1


@pytest.mark.skipif(os.name != "posix", reason="kill -9 is POSIX")
def test_kill_9_during_the_audit_export_leaves_the_old_workbook_whole(db, tmp_path):
    out = tmp_path / "audit.xlsx"
    subprocess.run([sys.executable, "-m", "fusiondesk", "--db", db, "export-audit", str(out)],
                   check=True, capture_output=True, env={**os.environ})
    good = out.read_bytes()
    # A writer slowed down at save time, so it is surely killed while the zip is written.
    script = (
        "import sys, time, xlsxwriter\n"
        "real = xlsxwriter.Workbook.close\n"
        "def slow(self):\n"
        "    open(self.filename, 'wb').write(b'PK partial zip')\n"
        "    time.sleep(30)\n"
        "    real(self)\n"
        "xlsxwriter.Workbook.close = slow\n"
        "from fusiondesk.cli import main\n"
        f"sys.exit(main(['--db', {db!r}, 'export-audit', {str(out)!r}]))\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script], env={**os.environ})
    try:
        deadline = time.monotonic() + 60
        while not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]:
            assert time.monotonic() < deadline and child.poll() is None, "the export never started"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait()
    assert out.read_bytes() == good
    assert openpyxl.load_workbook(out).sheetnames  # still a workbook
