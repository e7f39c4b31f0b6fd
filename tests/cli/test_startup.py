"""`fusiondesk --help`, `--version` and the no-display message answer before the heavy imports.

Each runs in a fresh interpreter, which then reports which of the slow libraries it loaded:
parsing the command line must decide what to do before the database, spreadsheets or Qt load.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import fusiondesk

REPO = Path(fusiondesk.__file__).parent.parent
HEAVY = ("sqlalchemy", "alembic", "PySide6", "shiboken6", "openpyxl", "matplotlib", "numpy",
         "fusiondesk.services")

LOADED_AFTER = textwrap.dedent(f"""
    import json, sys
    from fusiondesk.cli import main

    for argv in json.loads(sys.argv[1]):
        try:
            main(argv)
        except SystemExit:  # --help and --version exit once printed
            pass
    # a submodule never loads without its package, so the packages' names suffice
    loaded = sorted(m for m in sys.modules if m in {HEAVY!r})
    print("LOADED", json.dumps(loaded), file=sys.stderr)
""")


def _loaded_modules(argvs: list[list[str]], env: dict | None = None) -> tuple[list[str], str]:
    """Run `main(argv)` for each argv in one new interpreter: (heavy modules loaded, stderr)."""
    done = subprocess.run([sys.executable, "-c", LOADED_AFTER, json.dumps(argvs)], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=60)
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("LOADED "), done.stderr
    return json.loads(last.removeprefix("LOADED ")), done.stderr


def test_help_and_version_load_no_database_spreadsheet_or_qt():
    from fusiondesk.cli import _command_names

    argvs = [["--help"], ["--version"]] + [[name, "--help"] for name in sorted(_command_names())]
    loaded, _ = _loaded_modules(argvs)
    assert loaded == []


def test_the_no_display_message_comes_before_the_heavy_imports(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    loaded, stderr = _loaded_modules([["--db", str(tmp_path / "x.fdesk")]], env)
    assert "no display found" in stderr
    assert loaded == []


def test_importing_the_command_package_loads_no_command_module():
    # Each child that parses a workbook imports the `fusiondesk` script again, and the
    # script imports this package: it must cost that child nothing before it reads.
    code = ("import sys; import fusiondesk.cli; "
            "print(sorted(m for m in sys.modules if m.startswith('fusiondesk.cli.')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.stdout.strip() == "[]", done.stderr
