"""The read benchmark still runs and prints the figures the report quotes."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_read.py"


def test_benchmark_prints_its_figures_for_a_small_inventory(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("bench_read", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    bench.main(["--rows", "300", "--repeat", "1", "--keep", str(tmp_path)])

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("rows 300 columns 20 problems ")
    assert [line.split()[0] for line in lines[1:]] == [
        "calamine_100k_s", "read_100k_s", "normalise_100k_s", "normalise_only_100k_s"]
    assert all(re.fullmatch(r"\S+ \d+\.\d\d", line) for line in lines[1:])
    assert (tmp_path / "inventory_100k.xlsx").exists()
