"""Kind, licence and environment type survive every way out of the portfolio and back in."""

from datetime import datetime

import openpyxl
import pytest

from fusiondesk.core.facts import AppFacts, Owner
from fusiondesk.db.store.apps import load_facts
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.apps import table as app_table
from fusiondesk.services.apps.table import AppQuery
from fusiondesk.services.apps.table_export import export_table
from fusiondesk.services.audit.workbook import export_audit
from fusiondesk.services.importing.importer import apply_import, plan_import

TYPED = {
    "AG-1": dict(name="HR Helpdesk Agent", kind="agent", licence="Pay-as-you-go",
                 environment="HR Team", environment_type="teams"),
    "SITE-1": dict(name="Supplier Portal", kind="site", licence="Per site",
                   environment="Production", environment_type="production"),
    "FL-1": dict(name="Invoice Sync", platform="Power Automate", kind="cloud_flow",
                 licence="Standard", environment="Default", environment_type="default"),
    "PLAIN-1": dict(name="Room Booking"),  # nothing known: stays unknown
}
FIELDS = ("kind", "licence", "environment_type")


@pytest.fixture
def typed(empty_portfolio):
    with empty_portfolio.transaction() as session:
        for app_id, values in TYPED.items():
            app_edits.create_app(session, AppFacts(
                app_id=app_id, owners=(Owner("primary", email="ann@contoso.example"),), **values),
                "tester")
    return empty_portfolio


def _typed_facts(portfolio) -> dict[str, tuple]:
    with portfolio.reading() as session:
        return {f.app_id: tuple(getattr(f, n) for n in FIELDS) for f in load_facts(session).values()}


EXPECTED = {app_id: tuple(v.get(n) for n in FIELDS) for app_id, v in TYPED.items()}


def test_stored_apps_keep_their_kind_licence_and_environment_type(typed):
    assert _typed_facts(typed) == EXPECTED


def test_audit_apps_sheet_carries_them_and_reimports_into_an_empty_portfolio(
        typed, tmp_path, tmp_path_factory):
    from fusiondesk.db.engine import open_portfolio

    with typed.reading() as session:
        path = export_audit(session, tmp_path / "audit.xlsx", datetime(2026, 12, 1), "t", "p").path
    rows = list(openpyxl.load_workbook(path)["Apps"].iter_rows(values_only=True))
    cells = {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert cells["AG-1"]["kind"] == "agent" and cells["AG-1"]["licence"] == "Pay-as-you-go"
    assert cells["AG-1"]["environment_type"] == "teams" and cells["PLAIN-1"]["kind"] is None
    with typed.reading() as session:
        assert plan_import(session, path).counts["apps"].as_dict()["unchanged"] == len(TYPED)

    fresh = open_portfolio(tmp_path_factory.mktemp("fresh") / "fresh.fdesk")
    with fresh.reading() as session:
        plan = plan_import(session, path)
    assert not plan.errors
    apply_import(fresh, plan)
    assert _typed_facts(fresh) == EXPECTED
    fresh.close()


def test_a_changed_kind_in_the_workbook_updates_the_app(typed, tmp_path):
    with typed.reading() as session:
        path = export_audit(session, tmp_path / "audit.xlsx", datetime(2026, 12, 1), "t", "p").path
    book = openpyxl.load_workbook(path)
    sheet = book["Apps"]
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "FL-1":
            row[headers.index("kind")].value = "Desktop flow"  # as an export spells it
            row[headers.index("licence")].value = " Premium "
    book.save(path)

    with typed.reading() as session:
        plan = plan_import(session, path)
    assert plan.counts["apps"].updated == 1 and not plan.errors
    apply_import(typed, plan)
    assert _typed_facts(typed)["FL-1"] == ("desktop_flow", "Premium", "default")


def test_export_view_with_the_three_columns_reimports_filling_only_unknown_platforms(
        typed, tmp_path):
    keys = ["name", "kind", "licence", "environment_type", "app_id"]
    with typed.reading() as session:
        ids = app_table.matching_ids(session, AppQuery(sort="app_id"))
        export_table(session, ids, keys, tmp_path / "view.xlsx")
    rows = list(openpyxl.load_workbook(tmp_path / "view.xlsx").active.iter_rows(values_only=True))
    assert rows[0] == ("Name", "Kind", "Licence", "Environment type", "App ID")
    assert rows[1] == ("HR Helpdesk Agent", "agent", "Pay-as-you-go", "teams", "AG-1")
    with typed.reading() as session:
        plan = plan_import(session, tmp_path / "view.xlsx")
    # The view has no platform column: the kind says where an agent and a site run, which
    # the portfolio did not know; a platform it knows (FL-1's) is never overwritten.
    filled = {app.app_id: [(d.field, d.old, d.new) for d in app.diffs] for app in plan.apps}
    assert filled == {"AG-1": [("platform", None, "Copilot Studio")],
                      "SITE-1": [("platform", None, "Power Pages")]}
    assert plan.counts["apps"].as_dict()["unchanged"] == len(TYPED) - 2 and not plan.errors


def test_the_table_filters_and_sorts_by_kind(typed):
    with typed.reading() as session:
        agents = app_table.matching_ids(session, AppQuery(kind="agent"))
        by_kind = app_table.matching_ids(session, AppQuery(sort="kind"))
        cells = app_table.fetch_cells(session, agents, ["name", "kind", "licence"])
    assert [c["name"] for c in cells.values()] == ["HR Helpdesk Agent"]
    assert [app_table.display("kind", c["kind"]) for c in cells.values()] == ["agent"]
    kinds = [_typed_facts(typed)[app_id][0] for app_id in _app_ids(typed, by_kind)]
    assert kinds == ["agent", "cloud_flow", "site", None]  # unknown sorts last


def _app_ids(portfolio, ids):
    with portfolio.reading() as session:
        return [f.app_id for _, f in sorted(load_facts(session, ids).items(),
                                            key=lambda item: ids.index(item[0]))]
