"""The Dashboard page as a CoE lead uses it: charts drawn, saved as PNG, clicked through to apps."""

import pytest
from matplotlib.patches import Rectangle
from PySide6.QtCore import Qt
from sqlalchemy import select

from fusiondesk.db.models import App
from fusiondesk.gui import dashboard
from fusiondesk.gui.dashboard import DashboardView, apply_filter_to_portfolio
from fusiondesk.gui.portfolio_view import PortfolioView
from fusiondesk.gui.workspace import Workspace
from fusiondesk.services.apps import edits as app_edits
from fusiondesk.services.dashboard.data import CHART_NAMES, NO_APPS, TITLES

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _open(qtbot, portfolio):
    """A shown dashboard on `portfolio`, its clicks recorded, once its first count is drawn."""
    workspace = Workspace()
    clicks = []
    view = DashboardView(workspace, clicks.append)
    qtbot.addWidget(view)
    view.resize(1300, 900)
    workspace.set_portfolio(portfolio)  # hidden: only marks the charts stale
    assert view.last_data is None
    assert not any(card.save_button.isEnabled() for card in view.cards.values())
    with qtbot.waitSignal(view.refreshed, timeout=20000):
        view.show()
    assert all(card.save_button.isEnabled() for card in view.cards.values())
    return view, clicks


@pytest.fixture
def opened(qtbot, sample_portfolio):
    return _open(qtbot, sample_portfolio)


def _bar_patches(canvas):
    """The bars drawn (not the shaded target band)."""
    return [p for axes in canvas.figure.axes for p in axes.patches
            if isinstance(p, Rectangle) and p.get_width() > 0 and p.get_height() > 0
            and p.get_label() != "Target"]


def _texts(canvas):
    """Every text drawn on the chart's axes (long labels are wrapped onto two lines)."""
    return [t.get_text().replace("\n", " ") for axes in canvas.figure.axes for t in axes.texts]


def test_each_chart_draws_its_bars_with_title_and_note(opened):
    view, _clicks = opened
    assert list(view.charts) == list(CHART_NAMES)
    for name, canvas in view.charts.items():
        chart = view.last_data.charts[name]
        card = view.cards[name]
        assert TITLES[name] in card.title.text()
        if chart.is_empty:  # the sample has no reviews yet
            assert (name, chart.empty_text) in {("review_backlog", "No open reviews"),
                                                ("review_throughput", "No reviews yet")}
            assert chart.empty_text in _texts(canvas)
            continue
        assert card.note.text() == chart.note
        assert len(_bar_patches(canvas)) == len([b for b in chart.bars if b.value]), name
        # each bar is labelled with its category, each stack with its total
        texts = _texts(canvas)
        for category in {bar.category for bar in chart.bars}:  # long ones are elided with "…"
            assert any(t == category or (t.endswith("…") and category.startswith(t[:-1]))
                       for t in texts), (name, category)
    band = [p for p in view.charts["lead_time"].figure.axes[0].patches if p.get_label() == "Target"]
    assert len(band) == 1  # the 2–4 week target is shaded
    assert "60 apps" in view.status.text()


def test_empty_portfolio_shows_no_apps_yet_in_every_chart(qtbot, empty_portfolio):
    view, _clicks = _open(qtbot, empty_portfolio)
    for canvas in view.charts.values():
        assert _bar_patches(canvas) == []
        assert NO_APPS in _texts(canvas)
        canvas.grab()  # paints without failing
    assert view.status.text() == NO_APPS


def test_save_png_button_writes_a_real_png(opened, qtbot, tmp_path, monkeypatch):
    view, _clicks = opened
    target = tmp_path / "tiers"  # the suffix is added when missing
    monkeypatch.setattr(dashboard.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PNG image (*.png)")))
    qtbot.mouseClick(view.cards["tiers_by_department"].save_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "tiers.png"
    data = written.read_bytes()
    assert data[:8] == PNG_MAGIC
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 800 and height > 450  # saved at print resolution, title included
    # the title is only drawn for the file: the screen figure is as it was
    assert "Apps by tier per department" not in [t.get_text() for t in view.charts[
        "tiers_by_department"].figure.texts]


def test_saving_where_it_cannot_be_written_says_so(opened, tmp_path, monkeypatch):
    view, _clicks = opened
    shown = []
    monkeypatch.setattr(dashboard, "show_error", lambda parent, exc, *rest: shown.append(str(exc)))
    target = tmp_path / "missing-folder" / "chart.png"
    monkeypatch.setattr(dashboard.QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    view.choose_png("platforms")
    assert len(shown) == 1 and "could not be saved" in shown[0] and "another folder" in shown[0]
    assert not target.exists()


def test_clicking_a_bar_asks_for_its_filter(opened):
    view, clicks = opened
    bars = view.last_data.charts["tiers_by_department"].bars
    index = next(i for i, b in enumerate(bars)
                 if b.filter and b.filter.get("department") == "Finance" and b.filter["tier"] == 3)
    view.click_bar("tiers_by_department", index)
    assert clicks == [{"department": "Finance", "tier": 3}]
    platforms = view.last_data.charts["platforms"].bars
    view.click_bar("platforms", 0)
    assert clicks[-1] == {"platform": platforms[0].category}
    view.click_bar("warning_signs", 0)
    assert clicks[-1] == view.last_data.charts["warning_signs"].bars[0].filter


def test_bars_without_a_filter_do_nothing_when_clicked(opened):
    view, clicks = opened
    view.click_bar("lead_time", 0)  # the table cannot filter on lead time
    shared = [b.category for b in view.last_data.charts["ownership"].bars].index("Shared")
    view.click_bar("ownership", shared)
    assert clicks == []


def test_a_change_redraws_a_visible_dashboard(opened, qtbot, sample_portfolio):
    view, _clicks = opened
    with sample_portfolio.reading() as session:
        app_id = session.scalar(select(App.app_id).where(App.platform != "Zapier").limit(1))
    with qtbot.waitSignal(view.refreshed, timeout=20000):
        view.workspace.run("Move to Zapier", lambda s, who: app_edits.bulk_edit(
            s, [app_id], {"platform": "Zapier"}, who), app_edits.revert)
    zapier = [b for b in view.last_data.charts["platforms"].bars if b.category == "Zapier"]
    with sample_portfolio.reading() as session:
        expected = len(session.scalars(select(App.id).where(App.platform == "Zapier")).all())
    assert zapier[0].value == expected


def test_a_hidden_dashboard_waits_until_shown(opened, qtbot, sample_portfolio, settle):
    view, _clicks = opened
    view.hide()
    before = view.last_data
    with qtbot.assertNotEmitted(view.refreshed, wait=300):
        view.workspace.run("Retire", lambda s, who: app_edits.bulk_edit(
            s, [_first_app_id(sample_portfolio)], {"lifecycle": "retired"}, who), app_edits.revert)
        settle(view.workspace)
    assert view.last_data is before
    with qtbot.waitSignal(view.refreshed, timeout=20000):
        view.show()
    assert view.last_data is not before


def _first_app_id(portfolio):
    with portfolio.reading() as session:
        return session.scalar(select(App.app_id).order_by(App.id).limit(1))


@pytest.fixture
def portfolio_view(qtbot, sample_portfolio):
    workspace = Workspace()
    view = PortfolioView(workspace)
    qtbot.addWidget(view)
    workspace.set_portfolio(sample_portfolio)
    return view


def _column(view, key):
    return [view.model.cell_text(r, key) for r in range(view.model.rowCount())]


def test_apply_filter_shows_tier_3_apps_in_finance(portfolio_view, sample_portfolio):
    with sample_portfolio.reading() as session:
        expected = set(session.scalars(select(App.name).where(App.department == "Finance",
                                                              App.tier == 3)))
    assert expected
    portfolio_view.search_box.setText("zzz")  # a leftover search must not hide the apps
    apply_filter_to_portfolio(portfolio_view, {"department": "Finance", "tier": 3})
    assert set(_column(portfolio_view, "name")) == expected
    assert set(_column(portfolio_view, "tier")) == {"Tier 3"}
    assert portfolio_view.filters["department"].currentText() == "Finance"
    assert portfolio_view.tier_filter.currentData() == 3
    apply_filter_to_portfolio(portfolio_view, {})  # everything again
    assert portfolio_view.model.rowCount() == 60


def test_apply_filter_sets_flag_drift_and_owner(portfolio_view, sample_portfolio):
    with sample_portfolio.reading() as session:
        drifted = len(session.scalars(select(App.id).where(App.drift.is_(True))).all())
    apply_filter_to_portfolio(portfolio_view, {"drift": True})
    assert portfolio_view.drift_filter.isChecked() and portfolio_view.model.rowCount() == drifted
    apply_filter_to_portfolio(portfolio_view, {"flag": "single_owner"})
    assert not portfolio_view.drift_filter.isChecked()
    assert portfolio_view.flag_filter.currentData() == "single_owner"
    assert all("single_owner" in f for f in _column(portfolio_view, "flags"))
    with pytest.raises(ValueError, match="search"):
        apply_filter_to_portfolio(portfolio_view, {"search": "x"})


def test_clicking_a_bar_lists_exactly_its_apps_in_the_table(qtbot, sample_portfolio,
                                                             portfolio_view):
    view, _clicks = _open(qtbot, sample_portfolio)
    view.on_filter = lambda wanted: apply_filter_to_portfolio(portfolio_view, wanted)
    for name in ("tiers_by_department", "tier_drift", "warning_signs", "ownership", "leavers",
                 "platforms"):
        bars = view.last_data.charts[name].bars
        index = next(i for i, b in enumerate(bars) if b.filter)
        view.click_bar(name, index)
        assert portfolio_view.model.rowCount() == bars[index].value, name


def test_switching_portfolio_while_counting_shows_the_new_one(opened, qtbot, empty_portfolio):
    view, _clicks = opened
    with qtbot.waitSignal(view.refreshed, timeout=20000,
                          check_params_cb=lambda data: data.apps == 0):
        view.refresh()  # still counting the sample when the other portfolio opens
        view.workspace.set_portfolio(empty_portfolio)
    assert view.last_data.apps == 0
    assert all(chart.is_empty for chart in view.last_data.charts.values())


def test_names_with_dollars_and_underscores_are_drawn_as_typed(qtbot, sample_portfolio):
    with sample_portfolio.transaction() as session:
        session.execute(App.__table__.update().where(App.id <= 30)
                        .values(department="Cash $\\bogus{$ & _Ops_"))
    view, _clicks = _open(qtbot, sample_portfolio)
    canvas = view.charts["tiers_by_department"]
    canvas.grab()  # maths parsing would fail here on "$in$ ... \alpha"
    assert "Cash $\\bogus{$ & _Ops_" in _texts(canvas)
