"""The xlsx writers side by side on the real audit workbook's cells (issue 15).

`python benchmarks/bench_writers.py [AUDIT.xlsx]` reads an audit workbook back with
python-calamine (untimed; without a path it exports one from a BENCH_APPS-app sample,
100,000 by default), then has each writer write exactly those sheets and rows, each in a
fresh process: header row in a bold filled style, dates with a date format, nothing else.
It prints one line per writer (seconds, and CPU seconds, which a loaded machine changes
less; the process's peak memory, the cells included, and
what writing added to it; what it supports of what the audit workbook needs) and
`writer_<name>_<N>k_s` figures for `make bench`.

The "text" column is measured, not claimed: each writer writes "=1+1" and "#N/A" through
its plain value call and the file is read back with openpyxl ("yes": both stayed strings).
The other columns are from each library's documented API (see FEATURES).
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("FUSIONDESK_HOME", tempfile.mkdtemp(prefix="fd-bench-home-"))
APPS = int(os.environ.get("BENCH_APPS", "100000"))
HEADER = {"bold": True, "fill": "37474F", "colour": "FFFFFF"}
DATE_FORMAT = "yyyy-mm-dd"

# What each writer offers of what the audit workbook needs, from its API (y: yes, -: no).
# styles, charts, freeze panes, autofilter, print titles, conditional formats, free layout
# (a sheet that is not one table: the Summary's figures and four small tables).
FEATURES = {
    "openpyxl": "y y y y y y y",  # write-only mode: every feature, but slow (pure Python XML)
    "xlsxwriter": "y y y y y y y",  # constant_memory: rows in order, everything else as usual
    "pyexcelerate": "y - y y - - y",  # no charts, print titles or conditional formats
    "rustpy_xlsxwriter": "y y y y y y -",  # one table per sheet from dicts: no free layout
    "excelize": "- y y y y y y",  # the Go library through ctypes; its stream writer takes no styles
}
FEATURE_NAMES = "styles charts freeze filter print-titles cond-formats layout"


def read_cells(workbook: Path) -> dict[str, list[list]]:
    """Every sheet's rows as calamine reads them, a blank as None (not "")."""
    from python_calamine import CalamineWorkbook

    source = CalamineWorkbook.from_path(str(workbook))
    return {name: [[None if v == "" else v for v in row]
                   for row in source.get_sheet_by_name(name).to_python()]
            for name in source.sheet_names}


def write_openpyxl(sheets, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    book = Workbook(write_only=True)
    font, fill = Font(bold=True, color=HEADER["colour"]), PatternFill("solid", fgColor=HEADER["fill"])
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for number, row in enumerate(rows):
            if number == 0:
                row = [WriteOnlyCell(sheet, value=v) for v in row]
                for cell in row:
                    cell.font, cell.fill = font, fill
            sheet.append(row)
    book.save(path)


def write_xlsxwriter(sheets, path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                           "strings_to_numbers": False, "strings_to_urls": False})
    header = book.add_format({"bold": True, "bg_color": "#" + HEADER["fill"],
                              "font_color": "#" + HEADER["colour"]})
    dated = book.add_format({"num_format": DATE_FORMAT})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for number, row in enumerate(rows):
            style = header if number == 0 else None
            for column, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, date):
                    sheet.write_datetime(number, column, value, dated)
                else:
                    sheet.write(number, column, value, style)
    book.close()


def write_pyexcelerate(sheets, path: Path) -> None:
    from pyexcelerate import Color, Fill, Font, Style, Workbook

    book = Workbook()
    header = Style(font=Font(bold=True, color=Color(255, 255, 255)),
                   fill=Fill(background=Color(0x37, 0x47, 0x4F)))
    for name, rows in sheets.items():
        sheet = book.new_sheet(name, data=rows)
        if rows:
            sheet.set_row_style(1, header)
    book.save(str(path))


def write_rustpy_xlsxwriter(sheets, path: Path) -> None:
    import rustpy_xlsxwriter as rx

    def records(rows):
        keys = _unique_keys(rows[0])
        return [dict(zip(keys, row)) for row in rows[1:]]

    header = rx.Format().set_bold().set_background_color(HEADER["fill"]).set_font_color(HEADER["colour"])
    entries = [(name, records(rows)) for name, rows in sheets.items() if rows]
    rx.write_worksheets(entries, str(path), header_format={name: header for name, _r in entries},
                        datetime_format=DATE_FORMAT)


def _unique_keys(header) -> list[str]:
    # a record is a dict: a blank or repeated heading (the Summary's) needs a key of its own
    keys = []
    for index, value in enumerate(header):
        key = str(value) if value not in (None, "") else f"column {index + 1}"
        keys.append(key if key not in keys else f"{key} ({index + 1})")
    return keys


def write_excelize(sheets, path: Path) -> None:
    import excelize

    # The Python binding's stream writer takes plain values only: no style for a cell.
    book = excelize.new_file()
    for number, (name, rows) in enumerate(sheets.items()):
        if number == 0:
            book.set_sheet_name("Sheet1", name)
        else:
            book.new_sheet(name)
        stream = book.new_stream_writer(name)
        for row_number, row in enumerate(rows, start=1):
            stream.set_row(f"A{row_number}", row)
        stream.flush()
    book.save_as(str(path))
    book.close()


WRITERS = {
    "openpyxl": write_openpyxl,
    "xlsxwriter": write_xlsxwriter,
    "pyexcelerate": write_pyexcelerate,
    "rustpy_xlsxwriter": write_rustpy_xlsxwriter,
    "excelize": write_excelize,
}


def keeps_text(name: str, folder: Path) -> bool:
    """Whether the writer's plain value call keeps formula-like and error-like text as text."""
    import openpyxl

    path = folder / f"text-{name}.xlsx"
    WRITERS[name]({"Text": [["value"], ["=1+1"], ["#N/A"]]}, path)
    cells = [row[0] for row in openpyxl.load_workbook(path)["Text"].iter_rows(min_row=2)]
    return [(c.value, c.data_type) for c in cells] == [("=1+1", "s"), ("#N/A", "s")]


def measure_one(name: str, cells_file: Path, out: Path) -> dict:
    """Run in a fresh process: time one writer; memory is what writing added to the cells."""
    import resource

    sheets = pickle.loads(cells_file.read_bytes())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.perf_counter(), time.process_time()
    WRITERS[name](sheets, out)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "cpu": cpu, "peak_mb": after / 1024, "extra_mb": (after - before) / 1024,
            "text": keeps_text(name, out.parent), "bytes": out.stat().st_size}


def run_one(name: str, cells_file: Path, out: Path) -> dict:
    """`measure_one` in a fresh process, so neither time nor memory carries over between writers."""
    done = subprocess.run([sys.executable, __file__, "--one", name, str(cells_file), str(out)],
                          capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1])
    return json.loads(done.stdout)


def save_cells(sheets: dict, folder: Path) -> Path:
    """The cells, pickled for the writers' processes."""
    cells_file = folder / "cells.pickle"
    cells_file.write_bytes(pickle.dumps(sheets))
    return cells_file


def audit_workbook(folder: Path) -> Path:
    """An audit workbook of a BENCH_APPS-app sample, made by the app itself (untimed)."""
    db, out = folder / "bench.fdesk", folder / "audit.xlsx"
    subprocess.run([sys.executable, "-m", "fusiondesk", "--db", str(db), "sample", "--apps", str(APPS),
                    "--seed", "11"], check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "fusiondesk", "--db", str(db), "export-audit", str(out)],
                   check=True, capture_output=True)
    return out


def available(name: str) -> bool:
    """Whether the writer's package is installed (the candidates are not FusionDesk's dependencies)."""
    import importlib.util

    return importlib.util.find_spec(name) is not None


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        print(json.dumps(measure_one(argv[1], Path(argv[2]), Path(argv[3]))))
        return 0
    folder = Path(tempfile.mkdtemp(prefix="fd-bench-writers-"))
    source = Path(argv[0]) if argv else audit_workbook(folder)
    sheets = read_cells(source)
    cells_file = save_cells(sheets, folder)
    count = sum(len(row) for rows in sheets.values() for row in rows)
    apps = len(sheets.get("Apps", [[]])) - 1  # the figures' names say the portfolio's size
    print(f"# {source.name}: {sum(len(r) for r in sheets.values())} rows, {count} cells "
          f"(blank ones included)", file=sys.stderr)
    print(f"# {'writer':<18} {'seconds':>8} {'CPU s':>6} {'peak MB':>7} {'extra MB':>9} {'file MB':>8}  text  {FEATURE_NAMES}",
          file=sys.stderr)
    for name in WRITERS:
        if not available(name):
            print(f"# {name:<18} not installed", file=sys.stderr)
            continue
        try:
            figures = run_one(name, cells_file, folder / f"{name}.xlsx")
        except RuntimeError as error:
            print(f"# {name:<18} failed: {error}", file=sys.stderr)
            continue
        print(f"# {name:<18} {figures['seconds']:>8.2f} {figures['cpu']:>6.2f} {figures['peak_mb']:>7.0f} {figures['extra_mb']:>9.0f} "
              f"{figures['bytes'] / 1e6:>8.1f}  {'yes' if figures['text'] else 'NO ':<4}  {FEATURES[name]}",
              file=sys.stderr)
        print(f"writer_{name}_{apps // 1000}k_s {figures['seconds']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
