"""The Home page: its numbers are the portfolio's measures, and each card lists exactly its apps."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from fusiondesk.core import clock
from fusiondesk.core.measures import is_overdue_review, is_upcoming_leaver
from fusiondesk.core.terms import PersonStatus
from fusiondesk.db.models import App, Ownership, Person, Review
from fusiondesk.db.store import change_log as log_store
from fusiondesk.gui.main_window import MainWindow
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.dashboard.data import dashboard_figures
from fusiondesk.services.dashboard.home import LEAVERS_DAYS, home_figures, leaving_days
from fusiondesk.services.handover.planning import portfolio_ownership
from fusiondesk.services.reviews.actions import request_review


@pytest.fixture
def home(qtbot, window):
    """The window on the sample, shown on Home with its figures counted."""
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.home_page.loaded, timeout=20000):
        window.home_page.refresh()
    return window


def _rows(window) -> set[str]:
    model = window.portfolio_view.model
    return {model.app_id(r) for r in range(model.rowCount())}


def test_home_is_the_first_page_and_ctrl_1(home):
    assert home.navigation.item(0).text() == "Home"
    assert home.pages.currentWidget() is home.home_page


def test_the_numbers_are_the_measures_the_other_pages_count(home, qtbot, sample_portfolio):
    today = clock.today()
    with sample_portfolio.transaction() as session:  # the sample has no review past due
        apps = session.scalars(select(App.app_id).order_by(App.app_id).limit(3)).all()
        for app_id, due in zip(apps, (date(2026, 10, 1), date(2026, 10, 31), today)):
            request_review(session, app_id, "architecture", "tester", due=due)  # due today: not late
    with qtbot.waitSignal(home.home_page.loaded, timeout=20000):
        home.home_page.refresh()
    figures = home.home_page.figures
    with sample_portfolio.reading() as session:
        tiers = dict(session.execute(select(App.tier, func.count()).group_by(App.tier)).all())
        drifted = session.scalar(select(func.count()).where(App.drift.is_(True)))
        ownership = portfolio_ownership(session)  # the Ownership page's and the CLI's
        dashboard = dashboard_figures(session, today)
        open_reviews = session.execute(select(Review.app_id, Review.due, Review.completed)).all()
        people = session.execute(select(Person.email, Person.status, Person.leave_date)).all()
    by_name = {f.name: f.count for f in (*figures.tiers, *figures.watch)}
    assert figures.apps == 60 == sum(tiers.values())
    assert [by_name[f"tier_{t}"] for t in (4, 3, 2, 1)] == [tiers.get(t, 0) for t in (4, 3, 2, 1)]
    assert figures.high_tier_share == pytest.approx((tiers.get(3, 0) + tiers.get(4, 0)) / 60)
    assert by_name["drift"] == drifted > 0
    assert by_name["no_active_owner"] == len(ownership.no_active_owner) > 0
    assert by_name["single_owner"] == len(ownership.single_person_dependency) > 0
    spread = {bar.category: bar.value for bar in dashboard.charts["ownership"].bars}
    assert (spread["Single owner"], spread["No active owner"]) == (
        by_name["single_owner"], by_name["no_active_owner"])
    overdue = {app for app, due, done in open_reviews if is_overdue_review(due, done, today)}
    assert by_name["overdue_reviews"] == len(overdue) > 0  # the sample's history, and 2 more
    soon = [e for e, status, when in people
            if is_upcoming_leaver(status, when, today) and (when - today).days <= LEAVERS_DAYS]
    assert figures.leavers == len(soon) == 1


def test_clicking_each_card_lists_exactly_that_many_apps(home, qtbot):
    page = home.home_page
    clicked = 0
    for figure in (*page.figures.tiers, *page.figures.watch):
        card = page.cards[figure.name]
        if not figure.count:
            assert card.property("clickable") is False  # nothing to list: no dead click
            continue
        home.show_page(page)
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
        assert home.pages.currentWidget() is home.portfolio_view, figure.name
        assert home.portfolio_view.model.rowCount() == figure.count, figure.name
        clicked += 1
    assert clicked >= 5


def test_a_card_opens_by_keyboard_too(home, qtbot, sample_portfolio):
    card = home.home_page.cards["drift"]
    card.setFocus()
    qtbot.keyClick(card, Qt.Key.Key_Return)
    with sample_portfolio.reading() as session:
        drifted = set(session.scalars(select(App.app_id).where(App.drift.is_(True))))
    assert _rows(home) == drifted


def test_the_leavers_card_lists_exactly_the_apps_they_own_and_clears(home, qtbot,
                                                                     sample_portfolio):
    figures = home.home_page.figures
    assert figures.leaver_apps, "the sample has people leaving within 30 days"
    qtbot.mouseClick(home.home_page.cards["leavers"], Qt.MouseButton.LeftButton)
    assert home.pages.currentWidget() is home.portfolio_view
    first, last = leaving_days(date(2026, 11, 1))
    with sample_portfolio.reading() as session:
        owned = set(session.scalars(
            select(App.app_id).join(Ownership, Ownership.app_id == App.id)
            .join(Person, Ownership.person_id == Person.id)
            .where(Person.status == PersonStatus.LEAVING, Person.leave_date >= first,
                   Person.leave_date <= last)))
    assert _rows(home) == owned and len(owned) == figures.leaver_apps
    assert home.portfolio_view.leavers_label.isVisible()
    home.portfolio_view.leavers_clear.click()
    assert home.portfolio_view.model.rowCount() > len(owned)
    assert not home.portfolio_view.leavers_label.isVisible()


def test_the_tier_3_4_share_lists_those_apps(home, sample_portfolio):
    home.home_page.tier_summary.linkActivated.emit("tiers")
    assert home.pages.currentWidget() is home.portfolio_view
    with sample_portfolio.reading() as session:
        high = set(session.scalars(select(App.app_id).where(App.tier.in_((3, 4)))))
    assert _rows(home) == high
    assert home.portfolio_view.tier_filter.currentText() == "Tier 3–4"


def test_the_import_card_opens_the_change_log(home):
    assert home.home_page.cards["last_import"].property("clickable") is False  # never imported


def test_the_last_import_says_when_and_from_which_file(home, qtbot, sample_portfolio):
    with sample_portfolio.transaction() as session:
        log_store.append_entries(session, [dict(
            at=datetime(2026, 10, 30, 9, 15), who="ann", entity="app", entity_key="A-1",
            field="users", old_value="1", new_value="2", source="import",
            source_detail="admin-centre-export.xlsx")])
    with qtbot.waitSignal(home.home_page.loaded, timeout=20000):
        home.home_page.refresh()
    card = home.home_page.cards["last_import"]
    assert card.count.text() == "2 days ago"  # the tests' today is 1 November 2026
    assert "admin-centre-export.xlsx" in card.note.text() and "ann" in card.note.text()
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert home.pages.currentWidget() is home.log_view


def test_an_edit_moves_the_figures_while_home_is_shown(home, qtbot, run_change):
    before = {f.name: f.count for f in home.home_page.figures.watch}["drift"]
    with home.workspace.read() as session:
        app_id = session.scalar(select(App.app_id).where(App.drift.is_(False), App.tier > 1)
                                .order_by(App.app_id).limit(1))
    stored = None

    def lower_the_approved_tier(session, who):
        nonlocal stored
        stored = app_edits.load_app(session, app_id)
        return app_edits.save_app(session, app_id, {"approved_tier": 1}, stored.version, who)

    with qtbot.waitSignal(home.home_page.loaded, timeout=20000):
        run_change(home.workspace, "Approve as Tier 1", lower_the_approved_tier, app_edits.revert)
    assert {f.name: f.count for f in home.home_page.figures.watch}["drift"] == before + 1
    assert home.home_page.cards["drift"].count.text() == f"{before + 1:,}"


def test_an_empty_portfolio_shows_what_to_do_and_the_buttons_work(qtbot, empty_portfolio, monkeypatch):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    asked = []
    monkeypatch.setattr(window, "import_inventory", lambda path=None: asked.append("import"))
    monkeypatch.setattr(window, "open_location", lambda location, **_kw: asked.append(location))
    monkeypatch.setattr(window.portfolio_view, "new_app", lambda: asked.append("new"))
    with qtbot.waitSignal(window.home_page.loaded, timeout=20000):
        window.workspace.set_portfolio(empty_portfolio)
    page = window.home_page
    assert page.figures.is_empty and page.states.currentIndex() == 1
    buttons = page.empty_buttons
    assert "Ctrl+I" in buttons["import"].text() and "Ctrl+N" in buttons["new"].text()
    for key in ("import", "sample", "new"):
        qtbot.mouseClick(buttons[key], Qt.MouseButton.LeftButton)
    assert asked[0] == "import" and asked[1].endswith(".fdesk") and asked[2] == "new"
    assert window.pages.currentWidget() is window.portfolio_view  # where the new app will show


def test_the_service_counts_nothing_on_an_empty_portfolio(empty_portfolio):
    with empty_portfolio.reading() as session:
        figures = home_figures(session, date(2026, 11, 1))
    assert figures.is_empty and figures.tiers == () and figures.last_import is None


def test_the_programme_headline_counted_after_home_closed_draws_nothing(qtbot, sample_portfolio):
    """The headline is counted on the worker thread; a page closed meanwhile (the window
    closed, a test ended) must not be drawn on: its labels are gone."""
    from fusiondesk.gui.home_page import HomePage
    from fusiondesk.gui.tasks import wait_for_background
    from fusiondesk.gui.workspace import Workspace

    workspace = Workspace()
    workspace.set_portfolio(sample_portfolio)
    page = HomePage(workspace)
    page._count_programme()
    page.deleteLater()
    qtbot.waitUntil(lambda: not _alive(page), timeout=5000)
    assert wait_for_background(15000)
    qtbot.wait(50)  # the answer arrives, finds no page, and nothing raises in the event loop


def _alive(widget) -> bool:
    from shiboken6 import isValid

    return isValid(widget)
