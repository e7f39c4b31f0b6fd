"""The packaging files, checked without building (the build itself is `make package-test`).

fusiondesk.spec is executed with stand-ins for PyInstaller's Analysis/PYZ/EXE/COLLECT, so what
it would hand to PyInstaller (data files, hidden imports, excludes, name) is checked exactly.
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import fusiondesk

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "fusiondesk.spec"
DESKTOP = ROOT / "packaging" / "fusiondesk.desktop"
ICON = ROOT / "resources" / "fusiondesk.svg"
SMOKE = ROOT / "packaging" / "smoke_test.py"
MIGRATIONS = ROOT / "fusiondesk" / "db" / "migrations"


class _Recorder:
    """Stands in for one PyInstaller build step and remembers how it was called."""

    calls: dict[str, "_Recorder"] = {}

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        self.pure, self.scripts, self.binaries, self.datas = [], [], [], []
        _Recorder.calls[type(self).__name__] = self


def _stand_in(name: str) -> type:
    return type(name, (_Recorder,), {})


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    """The spec, executed: its namespace plus the recorded Analysis/EXE/COLLECT calls."""
    _Recorder.calls = {}
    namespace = {name: _stand_in(name) for name in ("Analysis", "PYZ", "EXE", "COLLECT")}
    namespace.update(SPECPATH=str(ROOT), workpath=str(tmp_path_factory.mktemp("work")),
                     __file__=str(SPEC), __name__="__main__")
    saved_path = list(sys.path)
    try:
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    finally:
        sys.path[:] = saved_path
    namespace["calls"] = dict(_Recorder.calls)
    return namespace


def _datas(spec) -> list[tuple[str, str]]:
    analysis = spec["calls"]["Analysis"]
    return [(Path(src).resolve().relative_to(ROOT).as_posix(), dest.replace("\\", "/"))
            for src, dest in analysis.kwargs["datas"]]


def test_spec_is_python_and_reads_the_version_from_the_package(spec):
    tree = ast.parse(SPEC.read_text(encoding="utf-8"))
    assert tree.body
    assert spec["VERSION"] == fusiondesk.__version__
    # No second copy of the version (or of the name) to forget when releasing.
    assert fusiondesk.__version__ not in SPEC.read_text(encoding="utf-8")
    assert spec["NAME"] == "fusiondesk"


def test_spec_builds_one_folder_named_fusiondesk(spec):
    calls = spec["calls"]
    assert calls["EXE"].kwargs["exclude_binaries"] is True  # one-folder, not one-file
    assert calls["EXE"].kwargs["name"] == "fusiondesk"
    assert calls["COLLECT"].kwargs["name"] == "fusiondesk"
    script = Path(calls["Analysis"].args[0][0])
    assert script == ROOT / "fusiondesk" / "__main__.py"


def test_spec_bundles_resources_migrations_and_the_sample(spec):
    datas = _datas(spec)
    assert ("resources/policy.toml", "resources") in datas
    assert ("resources/fusiondesk.svg", "resources") in datas
    assert ("sample_data/sample_portfolio.fdesk", "sample_data") in datas
    assert ("README.md", ".") in datas  # the user guide behind Help > User guide
    # Alembic reads env.py and versions/*.py from disk: every one must be there as a file,
    # where db/migrate.py looks (next to fusiondesk/db in the bundle).
    assert ("fusiondesk/db/migrations/env.py", "fusiondesk/db/migrations") in datas
    assert ("fusiondesk/db/migrations/script.py.mako", "fusiondesk/db/migrations") in datas
    versions = sorted(MIGRATIONS.glob("versions/*.py"))
    assert len(versions) >= 4
    for version in versions:
        assert (version.relative_to(ROOT).as_posix(), "fusiondesk/db/migrations/versions") in datas
    assert not [src for src, _ in datas if "__pycache__" in src or src.endswith(".pyc")]


def test_spec_hidden_imports_cover_what_analysis_cannot_see(spec):
    hidden = set(spec["calls"]["Analysis"].kwargs["hiddenimports"])
    assert {"alembic.op", "alembic.context", "sqlalchemy", "fusiondesk.db.models",
            "sqlalchemy.dialects.sqlite", "python_calamine",
            "matplotlib.backends.backend_qtagg"} <= hidden
    # Whatever a migration imports is added automatically.
    for path in MIGRATIONS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                assert {alias.name for alias in node.names} <= hidden, path.name
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                assert node.module in hidden, path.name
    # Only real module names (no `fusiondesk.db.models.Base`).
    assert not [name for name in hidden if name.split(".")[-1][:1].isupper()]


def test_spec_excludes_what_fusiondesk_does_not_use(spec):
    excludes = set(spec["calls"]["Analysis"].kwargs["excludes"])
    assert {"tkinter", "IPython", "PySide6.QtWebEngineCore", "PySide6.Qt3DCore",
            "PySide6.QtMultimedia", "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtNetwork",
            "PySide6.QtPdf", "PySide6.QtCharts", "PySide6.QtSql",
            "matplotlib.backends.backend_tkagg"} <= excludes
    used = {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg",
            "matplotlib.backends.backend_qtagg", "sqlite3", "numpy", "PIL", "alembic"}
    assert not used & excludes
    assert spec["calls"]["Analysis"].kwargs["hooksconfig"]["matplotlib"]["backends"] == ["QtAgg"]


def test_spec_drops_translations_and_embedded_qt_plugins_but_keeps_desktop_ones(spec):
    dropped = spec["_dropped"]
    assert dropped("PySide6/Qt/translations/qtbase_de.qm")
    assert dropped("PySide6/Qt/plugins/platforms/libqeglfs.so")
    assert dropped("PySide6/Qt/plugins/platforms/libqvnc.so")
    for kept in ("PySide6/Qt/plugins/platforms/libqxcb.so",
                 "PySide6/Qt/plugins/platforms/libqwayland.so",
                 "PySide6/Qt/plugins/platforms/libqoffscreen.so",
                 "PySide6/Qt/plugins/imageformats/libqsvg.so",
                 "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
                 "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
                 "matplotlib/mpl-data/fonts/ttf/DejaVuSans.ttf",
                 "resources/policy.toml"):
        assert not dropped(kept), kept


def test_desktop_entry_has_the_required_keys():
    entry = configparser.ConfigParser(interpolation=None, strict=True)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == "FusionDesk"
    assert section["Comment"].strip()
    assert section["Exec"].split()[0] == "fusiondesk"
    assert re.fullmatch(r"fusiondesk( %[fFuU])?", section["Exec"])
    assert section["Icon"] == "fusiondesk" == ICON.stem
    categories = section["Categories"]
    assert categories.endswith(";")
    assert {"Office", "ProjectManagement"} <= set(filter(None, categories.split(";")))
    if "MimeType" in section:
        assert section["MimeType"].endswith(";")


def test_icon_is_well_formed_svg_with_a_viewbox():
    root = ET.parse(ICON).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"


def test_icon_is_found_as_a_resource_and_qt_can_render_it():
    from fusiondesk.core.resources import resource_path

    assert resource_path("fusiondesk.svg") == ICON
    qtsvg = pytest.importorskip("PySide6.QtSvg")
    renderer = qtsvg.QSvgRenderer(str(ICON))
    assert renderer.isValid()
    assert renderer.viewBox().width() == 256


def test_smoke_test_knows_the_newest_migration():
    module_spec = importlib.util.spec_from_file_location("fusiondesk_smoke_test", SMOKE)
    smoke = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(smoke)
    from fusiondesk.db.migrate import head_revision

    assert smoke.newest_migration() == head_revision()
    assert smoke.package_version() == fusiondesk.__version__


def test_the_build_stays_out_of_make_test():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipes = dict(re.findall(r"^([\w-]+):[^\n]*\n((?:\t[^\n]*\n)*)", makefile, re.M))
    assert "package" in recipes and "package-test" in recipes
    assert "packaging/smoke_test.py" in recipes["package-test"]
    assert "fusiondesk.spec" in recipes["package"]
    assert "smoke_test" not in recipes["test"] and "PyInstaller" not in recipes["test"]
