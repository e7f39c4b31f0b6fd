"""Smoke test of the PyInstaller build: `make package-test` (or `python packaging/smoke_test.py`).

Builds dist/fusiondesk/ with `make package` when it is missing or older than the sources, then
runs the *built* binary, headless, against throw-away portfolios in a temporary directory:

  * the bundle holds resources/, the Alembic migrations (as source files) and the sample;
  * `--version` matches fusiondesk/__init__.py;
  * `info --json` on a new portfolio: the migrations ran from the bundle, schema_revision is
    the newest migration in fusiondesk/db/migrations/versions/;
  * `sample --apps 50`, `classify --json` (50 apps), `export-audit` (a real xlsx),
    `import --dry-run --json` of the shipped inventory (python-calamine is in the bundle);
  * the GUI, offscreen (QT_QPA_PLATFORM=offscreen), on a portfolio and on `--sample`: it must
    still be running after a few seconds, then it is terminated; a GUI that exits early, or
    writes a Traceback to stderr or to the log file, fails the test;
  * the size of dist/fusiondesk and its number of files are printed (over the hard limit fails).

Nothing outside the temporary directory is touched: FUSIONDESK_HOME, MPLCONFIGDIR and XDG
folders point into it, and FUSIONDESK_DB / FUSIONDESK_RESOURCES are removed so the bundle's own
files are the ones used. Exit status 0 means every check passed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DIST = ROOT / "dist" / "fusiondesk"
BINARY = DIST / ("fusiondesk.exe" if sys.platform == "win32" else "fusiondesk")
BUNDLE = DIST / "_internal"  # PyInstaller 6 one-folder layout (sys._MEIPASS)
MIGRATION_VERSIONS = ROOT / "fusiondesk" / "db" / "migrations" / "versions"
SOURCES = [ROOT / "fusiondesk", ROOT / "resources", ROOT / "sample_data" / "sample_portfolio.fdesk",
           ROOT / "fusiondesk.spec"]

GUI_SECONDS = 5.0        # the GUI must stay up this long
COMMAND_TIMEOUT = 180    # seconds for any one CLI command
SIZE_GOAL_MB = 200       # reported when exceeded
SIZE_LIMIT_MB = 250      # fails: something big (QtWebEngine, a second toolkit...) slipped in


class SmokeFailure(Exception):
    """One check failed; the message says which and shows the evidence."""


# --- what the build should contain -------------------------------------------------------

def package_version() -> str:
    text = (ROOT / "fusiondesk" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__\s*=\s*["\']([^"\']+)["\']', text, re.M).group(1)


def newest_migration() -> str:
    """The head revision: the one no other migration names as its down_revision."""
    revisions, parents = set(), set()
    for path in MIGRATION_VERSIONS.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found = re.search(r'^revision(?:\s*:[^=]+)?\s*=\s*["\']([^"\']+)["\']', text, re.M)
        if not found:
            continue
        revisions.add(found.group(1))
        down = re.search(r"^down_revision(?:\s*:[^=]+)?\s*=\s*(.+)$", text, re.M)  # None, "0003" or a tuple
        if down:
            parents.update(re.findall(r'["\']([^"\']+)["\']', down.group(1)))
    heads = revisions - parents
    if len(heads) != 1:
        raise SmokeFailure(f"expected one head migration, found {sorted(heads)}")
    return heads.pop()


# --- building ------------------------------------------------------------------------------

def newest_source_mtime() -> float:
    newest = 0.0
    for source in SOURCES:
        files = [source] if source.is_file() else source.rglob("*")
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                newest = max(newest, path.stat().st_mtime)
    return newest


def build_if_needed(force: bool) -> None:
    if not force and BINARY.is_file() and BINARY.stat().st_mtime >= newest_source_mtime():
        print(f"build: {BINARY.relative_to(ROOT)} is up to date")
        return
    why = "forced" if force else ("missing" if not BINARY.is_file() else "older than the sources")
    print(f"build: {why}; running `make package` ...", flush=True)
    started = time.monotonic()
    subprocess.run(["make", "-C", str(ROOT), "package"], check=True)
    print(f"build: done in {time.monotonic() - started:.0f} s")
    if not BINARY.is_file():
        raise SmokeFailure(f"the build finished but {BINARY} does not exist")


# --- running the binary ----------------------------------------------------------------------

def hermetic_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("FUSIONDESK_DB", "FUSIONDESK_RESOURCES", "PYTHONPATH", "PYTHONHOME")}
    env.update(
        FUSIONDESK_HOME=str(tmp / "home"),
        MPLCONFIGDIR=str(tmp / "mpl"),
        XDG_CONFIG_HOME=str(tmp / "xdg-config"),
        XDG_CACHE_HOME=str(tmp / "xdg-cache"),
        XDG_DATA_HOME=str(tmp / "xdg-data"),
        QT_QPA_PLATFORM="offscreen",
        **extra,
    )
    return env


def run(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the built binary; any non-zero exit or Traceback fails the test."""
    started = time.monotonic()
    done = subprocess.run([str(BINARY), *args], cwd=tmp, env=hermetic_env(tmp),
                          capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
    took = time.monotonic() - started
    shown = " ".join(a if len(a) < 40 else "…" + a[-30:] for a in args)
    if done.returncode != 0 or "Traceback" in done.stderr:
        raise SmokeFailure(f"`fusiondesk {shown}` exited with {done.returncode}\n"
                           f"--- stdout ---\n{done.stdout[-3000:]}\n--- stderr ---\n{done.stderr[-5000:]}")
    print(f"  ok  fusiondesk {shown}  ({took:.1f} s)")
    return done


def run_json(tmp: Path, *args: str):
    done = run(tmp, *args)
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise SmokeFailure(f"`fusiondesk {' '.join(args)}` did not print JSON ({exc}):\n"
                           f"{done.stdout[:2000]}") from exc


def gui_stays_up(tmp: Path, label: str, *args: str) -> None:
    """Start the GUI offscreen; it must still run after GUI_SECONDS, then it is terminated."""
    log_dir = tmp / "gui-logs"
    log_dir.mkdir(exist_ok=True)
    out_path, err_path = log_dir / f"{label}.out", log_dir / f"{label}.err"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        process = subprocess.Popen([str(BINARY), *args], cwd=tmp, env=hermetic_env(tmp),
                                   stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + GUI_SECONDS
            while time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.2)
            exited = process.poll()
        finally:
            if process.poll() is None:  # only the process started here, by its handle
                process.terminate()  # SIGTERM
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
    stderr = err_path.read_text(errors="replace")
    log_file = tmp / "home" / "fusiondesk.log"
    logged = log_file.read_text(errors="replace") if log_file.is_file() else ""
    if exited is not None:
        raise SmokeFailure(f"GUI ({label}) exited after less than {GUI_SECONDS:.0f} s with "
                           f"status {exited}\n--- stderr ---\n{stderr[-5000:]}")
    if "Traceback" in stderr:
        raise SmokeFailure(f"GUI ({label}) printed a Traceback\n--- stderr ---\n{stderr[-5000:]}")
    if "Traceback" in logged:
        raise SmokeFailure(f"GUI ({label}) logged a Traceback in {log_file.name}\n{logged[-5000:]}")
    noise = [line for line in stderr.splitlines() if line.strip()]
    print(f"  ok  GUI {label}: running after {GUI_SECONDS:.0f} s, terminated"
          + (f" ({len(noise)} stderr lines, e.g. {noise[0][:100]!r})" if noise else ""))


# --- the checks ------------------------------------------------------------------------------

def check_bundle_layout() -> None:
    expected = [
        BUNDLE / "resources" / "policy.toml",
        BUNDLE / "resources" / "fusiondesk.svg",
        BUNDLE / "fusiondesk" / "db" / "migrations" / "env.py",
        BUNDLE / "fusiondesk" / "db" / "migrations" / "script.py.mako",
        BUNDLE / "sample_data" / "sample_portfolio.fdesk",
        *(BUNDLE / "fusiondesk" / "db" / "migrations" / "versions" / p.name
          for p in MIGRATION_VERSIONS.glob("*.py")),
    ]
    missing = [str(p.relative_to(DIST)) for p in expected if not p.is_file()]
    if missing:
        raise SmokeFailure("missing from the bundle: " + ", ".join(missing))
    print(f"  ok  bundle holds resources, {len(expected) - 5} migration files and the sample")


def check_cli(tmp: Path) -> None:
    version = run(tmp, "--version").stdout.strip()
    if version != f"FusionDesk {package_version()}":
        raise SmokeFailure(f"--version printed {version!r}, expected FusionDesk {package_version()}")

    head = newest_migration()
    info = run_json(tmp, "--db", str(tmp / "new.fdesk"), "info", "--json")
    if info.get("schema_revision") != head:
        raise SmokeFailure(f"info --json: schema_revision {info.get('schema_revision')!r}, "
                           f"expected the newest migration {head!r}\n{json.dumps(info, indent=2)}")
    print(f"      schema_revision {head} (newest migration), counts {info.get('counts')}")

    sample = str(tmp / "s.fdesk")
    run(tmp, "--db", sample, "sample", "--apps", "50")
    apps = run_json(tmp, "--db", sample, "classify", "--json")
    if not isinstance(apps, list) or len(apps) != 50:
        raise SmokeFailure(f"classify --json: expected 50 apps, got "
                           f"{len(apps) if isinstance(apps, list) else type(apps).__name__}")

    workbook = tmp / "audit.xlsx"
    run(tmp, "--db", sample, "export-audit", str(workbook))
    if not workbook.is_file() or not zipfile.is_zipfile(workbook):
        raise SmokeFailure(f"export-audit did not write an xlsx at {workbook}")
    with zipfile.ZipFile(workbook) as book:
        if "xl/workbook.xml" not in book.namelist():
            raise SmokeFailure("export-audit wrote a zip without xl/workbook.xml")
    print(f"      audit workbook {workbook.stat().st_size // 1024} KB")

    inventory = ROOT / "sample_data" / "sample_inventory.xlsx"
    if inventory.is_file():
        # A dry run reads the workbook through python-calamine and writes nothing.
        summary = run_json(tmp, "--db", sample, "import", str(inventory), "--dry-run", "--json")
        if not isinstance(summary, dict):
            raise SmokeFailure(f"import --dry-run --json printed {type(summary).__name__}")


def check_gui(tmp: Path) -> None:
    gui_stays_up(tmp, "portfolio", "--db", str(tmp / "s.fdesk"))
    gui_stays_up(tmp, "sample", "--sample")
    copied = tmp / "home" / "sample_portfolio.fdesk"
    if not copied.is_file():
        raise SmokeFailure("--sample did not create the user's copy of the sample portfolio")


def report_size() -> None:
    files = [p for p in DIST.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(p.stat().st_size for p in files)
    du = shutil.which("du")
    shown = (subprocess.run([du, "-sh", str(DIST)], capture_output=True, text=True).stdout.split()[0]
             if du else f"{total / 2**20:.0f}M")
    print(f"size: {DIST.relative_to(ROOT)} is {shown} (du -sh), {total / 2**20:.1f} MiB in "
          f"{len(files)} files")
    if total / 2**20 > SIZE_LIMIT_MB:
        raise SmokeFailure(f"the build is {total / 2**20:.0f} MiB, over the {SIZE_LIMIT_MB} MiB limit")
    if total / 2**20 > SIZE_GOAL_MB:
        print(f"WARNING: over the {SIZE_GOAL_MB} MiB goal")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rebuild", action="store_true", help="build even if up to date")
    parser.add_argument("--no-build", action="store_true", help="test the existing build as is")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        if not args.no_build:
            build_if_needed(args.rebuild)
        elif not BINARY.is_file():
            raise SmokeFailure(f"{BINARY} does not exist (run `make package`)")
        tmp = Path(tempfile.mkdtemp(prefix="fusiondesk-smoke-"))
        try:
            print(f"smoke test of {BINARY.relative_to(ROOT)} in {tmp}")
            check_bundle_layout()
            check_cli(tmp)
            check_gui(tmp)
        finally:
            if args.keep:
                print(f"kept {tmp}")
            else:
                shutil.rmtree(tmp, ignore_errors=True)
        report_size()
    except SmokeFailure as failure:
        print(f"\nSMOKE TEST FAILED: {failure}", file=sys.stderr)
        return 1
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        print(f"\nSMOKE TEST FAILED: {error}", file=sys.stderr)
        return 1
    print(f"smoke test passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
