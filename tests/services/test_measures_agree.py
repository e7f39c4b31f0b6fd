"""Each ownership measure has one definition: the Dashboard, the Ownership page, the
command line and the audit workbook give the same figures for the shipped sample."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from fusiondesk.cli import main
from fusiondesk.core import clock
from fusiondesk.core.measures import LEAVER_HORIZON_DAYS, is_upcoming_leaver
from fusiondesk.core.terms import PersonStatus
from fusiondesk.db.engine import open_portfolio
from fusiondesk.services.audit.workbook import export_audit
from fusiondesk.services.dashboard.data import dashboard_figures
from fusiondesk.services.dashboard.delivery import review_backlog
from fusiondesk.services.handover.planning import portfolio_ownership, upcoming_leavers
from fusiondesk.services.people.edits import list_people
from fusiondesk.services.reviews.actions import request_review
from fusiondesk.services.reviews.queues import overdue
from fusiondesk.shipped_sample import shipped_sample

pytestmark = pytest.mark.sqlite_only  # the shipped sample is a file


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    """Every place's figures on a copy of the shipped sample."""
    folder = tmp_path_factory.mktemp("measures")
    path = folder / "sample.fdesk"
    shutil.copyfile(shipped_sample(), path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FUSIONDESK_TODAY", "2026-11-01")
        patch.setenv("FUSIONDESK_HOME", str(folder))
        today = clock.today()
        portfolio = open_portfolio(str(path), daily_backup=False)
        try:
            with portfolio.reading() as session:
                page = portfolio_ownership(session)
                leavers = upcoming_leavers(session, today)
                dashboard = dashboard_figures(session, today)
                people = list_people(session)
                export_audit(session, folder / "audit.xlsx", datetime(2026, 11, 1, 9), "auditor", "sample")
        finally:
            portfolio.close()
        cli = _cli_ownership(str(path))
    home = _home_note(str(path))
    departed = _departed_apps(str(path))
    summary = {row[0]: row[1] for row in load_workbook(folder / "audit.xlsx")["Summary"].iter_rows(
        values_only=True) if row and row[0]}
    return {"today": today, "page": page, "leavers": leavers, "dashboard": dashboard,
            "people": people, "cli": cli, "summary": summary, "home": home,
            "departed": departed}


def _home_note(path: str) -> str:
    from fusiondesk.services.dashboard.home import home_figures

    portfolio = open_portfolio(path, daily_backup=False)
    try:
        with portfolio.reading() as session:
            found = home_figures(session, clock.today())
    finally:
        portfolio.close()
    return next(f.note for f in found.watch if f.name == "no_active_owner")


def _departed_apps(path: str) -> dict[str, list[str]]:
    """app id → flags, of the apps in service a builder who left built or owned."""
    from fusiondesk.db.store.teams import listed_teams

    portfolio = open_portfolio(path, daily_backup=False)
    try:
        with portfolio.reading() as session:
            teams = {t.name: [m.key for m in t.members] for t in listed_teams(session)}
    finally:
        portfolio.close()
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["--db", path, "apps", "--json"])
    apps = json.loads(out.getvalue())
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["--db", path, "people", "--json"])
    gone = {p["email"] for p in json.loads(out.getvalue()) if p["status"] == "left"}
    departed = {}
    for app in apps:
        if app["lifecycle"] == "retired":
            continue
        builders = {*(app["primary_owner"] or ()), *(app["co_owners"] or ()),
                    *(app["prodev_partner"] or ())}
        builders |= {m for team in app["owner_team"] or () for m in teams.get(team, ())}
        if builders & gone:
            departed[app["app_id"]] = app["flags"]
    return departed


def _cli_ownership(path: str) -> dict:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--db", path, "ownership", "--json"]) == 0
    return json.loads(out.getvalue())


def _spread(figures) -> dict[str, int]:
    _top, spread = figures["dashboard"].charts["ownership"].panels
    return {bar.category: bar.value for bar in spread.bars}


def test_no_active_owner_single_owner_and_abandonment_agree_everywhere(figures):
    page, cli, summary, spread = figures["page"], figures["cli"], figures["summary"], _spread(figures)
    gone, single = len(page.no_active_owner), len(page.single_person_dependency)
    assert gone > 0 and single > 0  # the sample has both, so agreeing means something
    assert spread["No active owner"] == cli["no_active_owner"]["count"] == gone
    assert spread["Single owner"] == cli["single_person_dependency"]["count"] == single
    assert summary["Apps with no active owner"] == gone
    assert summary["Apps depending on a single owner"] == single
    left = page.abandonment
    assert 0 < left.numerator < left.denominator  # the sample's leavers left some apps orphaned
    rate, counts = f"{left.rate:.1%}", f"{left.numerator:,} of {left.denominator:,}"
    assert (cli["abandonment_rate"]["numerator"], cli["abandonment_rate"]["denominator"]) == (
        left.numerator, left.denominator)
    assert cli["abandonment_rate"]["rate"] == round(left.rate, 4)
    assert f"{summary['Abandonment rate']:.1%}" == rate  # stored as a number now
    assert f"abandonment {rate}: {counts} apps of builders who left" in \
        figures["dashboard"].charts["ownership"].note
    assert f"abandonment {rate}: {counts} apps of builders who left" in figures["home"]
    quarters = {q["quarter"]: (q["numerator"], q["denominator"])
                for q in cli["abandonment_rate"]["by_quarter"]}
    assert quarters == {q: (n, d) for q, n, d in left.by_quarter}
    assert sum(d for _n, d in quarters.values()) == left.denominator


def test_the_abandonment_rate_counts_exactly_the_departed_builders_apps(figures):
    """Counted again from the CLI's own listings, the long way round: the apps in service
    a person who left owns as a builder, or owns through a team they were in."""
    departed = figures["departed"]
    assert figures["cli"]["abandonment_rate"]["denominator"] == len(departed)
    orphaned = {a for a, flags in departed.items() if "builder_gone" in flags}
    assert figures["cli"]["abandonment_rate"]["numerator"] == len(orphaned)


def test_upcoming_leavers_are_people_leaving_within_the_window_never_people_gone(figures):
    today, people = figures["today"], figures["people"]
    expected = sorted(p["email"] for p in people
                      if is_upcoming_leaver(p["status"], p["leave_date"], today))
    assert expected  # the sample has some
    assert sorted(p.email for p in figures["leavers"]) == expected
    assert sorted(p["email"] for p in figures["cli"]["upcoming_leavers"]) == expected
    assert all(p.status == PersonStatus.LEAVING for p in figures["leavers"])
    chart = figures["dashboard"].charts["leavers"]
    assert chart.note.startswith(f"{len(expected):,} people leave by")
    gone = [p for p in people if p["status"] == PersonStatus.LEFT]
    assert gone and not {p["email"] for p in gone} & set(expected)
    assert LEAVER_HORIZON_DAYS == 90



def test_overdue_reviews_agree_between_the_reviews_page_the_audit_and_the_dashboard(tmp_path, monkeypatch):
    path = tmp_path / "sample.fdesk"
    shutil.copyfile(shipped_sample(), path)
    today = clock.today()
    portfolio = open_portfolio(str(path), daily_backup=False)
    try:
        with portfolio.reading() as session:  # the shipped sample's own history has some
            already = len(overdue(session, today))
        with portfolio.transaction() as session:
            keys = [a.app_id for a in portfolio_ownership(session).single_person_dependency[:6]]
            for days, key in zip((-40, -3, -1, 0, 5), keys):
                request_review(session, key, "security", "lead", due=today + timedelta(days=days))
            request_review(session, keys[0], "integration", "lead", due=today - timedelta(days=9))
        with portfolio.reading() as session:
            late = overdue(session, today)
            backlog = review_backlog(session, today)
            export_audit(session, tmp_path / "audit.xlsx", datetime(2026, 11, 1, 9), "auditor", "sample")
    finally:
        portfolio.close()
    summary = {row[0]: row[1] for row in load_workbook(tmp_path / "audit.xlsx")["Summary"].iter_rows(
        values_only=True) if row and row[0]}
    assert already > 0
    assert len(late) == already + 4 and all(r.due < today and r.completed is None for r in late)
    assert summary["Overdue reviews"] == len(late)
    apps = len({r.app_id for r in late})  # the dashboard counts apps with an overdue review
    assert backlog.note.startswith(f"{apps:,} apps have an overdue review")
