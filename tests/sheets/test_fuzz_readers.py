"""Mutated workbooks and CSVs: whatever the bytes, only SheetError comes out.

Valid files of every format are built, then mutated (bytes flipped, spans overwritten,
cut short, duplicated; and inside a zip part or a BIFF stream, so the mutants get past
the container to the parser). The random sequence is seeded, so a failure names the
seed and mutant that reproduce it; each part runs for a bounded time.
"""

from __future__ import annotations

import random
import time
import zipfile
from datetime import date
from pathlib import Path
from typing import Callable

import pytest

from fusiondesk.sheets.problems import SheetError
from fusiondesk.sheets.reader import read_tables
from fusiondesk.sheets.safety import check_file

from sheet_files import biff8_workbook_stream, build_cfb, write_ods, write_xlsx

CHECK_SECONDS = 2.5  # the container checks alone: thousands of mutants
READ_SECONDS = 3.0  # whole reads, each parsing in a child process: dozens of mutants
ROWS = [["Name", "Users", "Created", "Owner"],
        ["Budget tracker", 120, date(2024, 3, 1), "ann@example.com"],
        ["Leave planner", 8, date(2023, 11, 30), "bob@example.com"]]


def _xlsx(folder: Path) -> bytes:
    path = write_xlsx(folder / "seed.xlsx", {"Apps": ROWS, "People": [["Email"], ["a@x.com"]]},
                      merges={"Apps": ["D2:D3"]})
    return path.read_bytes()


def _ods(folder: Path) -> bytes:
    return write_ods(folder / "seed.ods", {"Apps": ROWS}).read_bytes()


def _xls(_folder: Path) -> bytes:
    return build_cfb({"Workbook": biff8_workbook_stream([[c if not isinstance(c, date) else 1
                                                          for c in row] for row in ROWS])})


def _csv(_folder: Path) -> bytes:
    text = "\n".join(",".join(str(c) for c in row) for row in ROWS)
    return text.encode("utf-8")


def _csv16(_folder: Path) -> bytes:
    return b"\xff\xfe" + "\n".join("\t".join(map(str, row)) for row in ROWS).encode("utf-16-le")


SEEDS: dict[str, tuple[str, Callable[[Path], bytes]]] = {
    "xlsx": (".xlsx", _xlsx), "ods": (".ods", _ods), "xls": (".xls", _xls),
    "csv": (".csv", _csv), "csv16": (".csv", _csv16),
}


def mutate(data: bytes, rnd: random.Random) -> bytes:
    """One random change to the bytes: flip, overwrite, cut, duplicate, insert or zero."""
    out = bytearray(data)
    kind = rnd.randrange(6)
    at = rnd.randrange(len(out))
    span = rnd.choice((1, 2, 4, 8, 64, 512))
    if kind == 0:
        for _ in range(rnd.randint(1, 16)):
            out[rnd.randrange(len(out))] ^= 1 << rnd.randrange(8)
    elif kind == 1:
        out[at:at + span] = rnd.randbytes(span)
    elif kind == 2:
        del out[at:]
    elif kind == 3:
        out[at:at] = out[max(at - span, 0):at]
    elif kind == 4:
        out[at:at] = rnd.choice((b"\xff\xff\xff\xff", b"\x00" * span, rnd.randbytes(span)))
    else:
        out[at:at + span] = bytes(len(out[at:at + span]))
    return bytes(out) if out else b"\x00"


def mutate_inside(data: bytes, suffix: str, rnd: random.Random) -> bytes:
    """A mutant made past the container: one zip part or the BIFF stream changed."""
    if suffix in (".xlsx", ".ods"):
        import io
        source = zipfile.ZipFile(io.BytesIO(data))
        parts = {info.filename: source.read(info) for info in source.infolist()}
        victim = rnd.choice(sorted(parts))
        parts[victim] = mutate(parts[victim], rnd)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name, part in parts.items():
                target.writestr(name, part)
        return out.getvalue()
    if suffix == ".xls":
        rows = [[c if not isinstance(c, date) else 1 for c in row] for row in ROWS]
        return build_cfb({"Workbook": mutate(biff8_workbook_stream(rows), rnd)})
    return mutate(data, rnd)


def _run(tmp_path: Path, fmt: str, seconds: float, attempt: Callable[[Path], object],
         inside: bool) -> int:
    suffix, make = SEEDS[fmt]
    original = make(tmp_path)
    rnd = random.Random(f"{fmt}-{inside}")
    deadline, tried = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        mutant = mutate_inside(original, suffix, rnd) if inside and tried % 2 else mutate(
            original, rnd)
        path = tmp_path / f"mutant{suffix}"
        path.write_bytes(mutant)
        try:
            attempt(path)
        except SheetError as error:
            assert path.name in str(error), f"mutant {tried} of {fmt}: {error}"
        except BaseException as error:  # noqa: BLE001 - the test's whole point
            kept = tmp_path.parent / f"fuzz-{fmt}-{tried}{suffix}"
            kept.write_bytes(mutant)
            pytest.fail(f"mutant {tried} of {fmt} (kept as {kept}) raised {error!r}")
        tried += 1
    return tried


@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_container_checks_only_ever_raise_sheet_error(tmp_path, fmt):
    tried = _run(tmp_path, fmt, CHECK_SECONDS / len(SEEDS), check_file, inside=False)

    assert tried > 20


@pytest.mark.parametrize("fmt", sorted(SEEDS))
def test_whole_reads_only_ever_raise_sheet_error(tmp_path, fmt):
    tried = _run(tmp_path, fmt, READ_SECONDS * 5 / len(SEEDS) if fmt in ("xlsx", "xls", "ods")
                 else 1.0, read_tables, inside=True)

    assert tried > 5
