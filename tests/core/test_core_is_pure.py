"""The core is pure domain: it imports no Qt, no SQL, no migrations, and runs without them."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import fusiondesk.core

CORE = Path(fusiondesk.core.__file__).parent
FORBIDDEN = ("PySide6", "shiboken6", "sqlalchemy", "alembic")


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_core_module_imports_qt_or_sql():
    modules = sorted(CORE.rglob("*.py"))
    assert len(modules) >= 5
    offenders = {p.name: sorted(_imported_roots(p) & set(FORBIDDEN)) for p in modules}
    assert {name: bad for name, bad in offenders.items() if bad} == {}


def test_core_modules_never_reach_outside_the_core_package():
    # fusiondesk.db, .gui, .services and .sheets may import the core, never the reverse.
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                if module.startswith("fusiondesk."):
                    assert module.startswith("fusiondesk.core"), f"{path.name} imports {module}"


BLOCKED_RUN = textwrap.dedent(f"""
    import importlib.abc, sys
    from datetime import date

    class Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {FORBIDDEN!r}:
                raise ImportError("blocked in the pure-core test: " + name)
            return None

    sys.meta_path.insert(0, Blocker())
    import fusiondesk.core.tiers, fusiondesk.core.flags, fusiondesk.core.policy
    import fusiondesk.core.governance, fusiondesk.core.resources, fusiondesk.core.facts
    from fusiondesk.core.facts import AppFacts, Integration
    from fusiondesk.core.policy import default_policy
    from fusiondesk.core.tiers import classify, summary_text

    app = AppFacts("A-1", "Payroll sync", users=120, scope="cross_department",
                   integrations=(Integration("SAP", "write"),))
    result = classify(app, default_policy(), date(2026, 11, 21))
    loaded = sorted(m for m in sys.modules if m.split(".")[0] in {FORBIDDEN!r})
    print(result.tier, loaded, summary_text(result))
""")


def test_the_core_classifies_with_qt_and_sql_unimportable():
    done = subprocess.run([sys.executable, "-c", BLOCKED_RUN], capture_output=True, text=True,
                          timeout=60, cwd=CORE.parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("4 [] Tier 4: writes to SAP (enterprise system)")
