"""A first import plans its rows at once (`AppMatcher._all_created`) exactly as row by row."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from fusiondesk.services.importing.app_matcher import AppMatcher
from fusiondesk.services.importing.match import plan_import

HEADERS = ["App ID", "App name", "Platform", "Environment", "Users", "Primary owner",
           "Co-owners", "Integrations", "Last modified"]


def _write(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Apps"
    for row in [HEADERS, *rows]:
        sheet.append(row)
    workbook.save(path)
    return path


def _app(n: int) -> list[object]:
    return [f"APP-{n:04d}", f"App {n % 40}", ("Power Apps", "Power Automate")[n % 2],
            ("Production", "Dev")[n % 2], n * 3 if n % 9 else "lots",
            f"owner{n % 25}@contoso.example", f"co{n % 7}@contoso.example" if n % 3 else None,
            "SharePoint:read" if n % 4 else None, f"2025-0{1 + n % 9}-1{n % 10}"]


def _planned(portfolio, path: Path, monkeypatch, at_once: bool) -> tuple[tuple, list[bool]]:
    taken: list[bool] = []
    original = AppMatcher._all_created

    def all_created(self, table):
        taken.append(original(self, table) if at_once else False)
        return taken[-1]

    with monkeypatch.context() as patch:
        patch.setattr(AppMatcher, "_all_created", all_created)
        with portfolio.reading() as session:
            plan = plan_import(session, path)
    apps = [(a.action, a.sheet, a.row, a.app_id, a.name, a.values) for a in plan.apps]
    return (apps, plan.totals.as_dict(), [p.to_dict() for p in plan.problems]), taken


def test_rows_planned_at_once_are_planned_as_row_by_row(empty_portfolio, tmp_path, monkeypatch):
    path = _write(tmp_path / "apps.xlsx", [_app(n) for n in range(1, 301)])
    at_once, taken = _planned(empty_portfolio, path, monkeypatch, at_once=True)
    by_row, _ = _planned(empty_portfolio, path, monkeypatch, at_once=False)
    assert taken == [True]
    assert at_once == by_row
    assert at_once[1]["created"] == len(at_once[0]) == 300
    # its owners are new to the portfolio: one warning each, at its first row
    assert sum("will be added" in p["message"] for p in at_once[2]) == 25 + 7


def test_a_repeated_app_id_is_planned_row_by_row_and_reported(empty_portfolio, tmp_path,
                                                               monkeypatch):
    rows = [_app(1), _app(2), _app(1)]
    rows[2][1] = "Expenses copy"
    path = _write(tmp_path / "repeated.xlsx", rows)
    (apps, counts, problems), taken = _planned(empty_portfolio, path, monkeypatch, at_once=True)
    assert taken == [False]
    assert [app[3] for app in apps] == ["APP-0001", "APP-0002"] and counts["created"] == 2
    repeated = [p for p in problems if p["row"] == 4]
    assert len(repeated) == 1 and "row 2" in repeated[0]["message"], repeated
