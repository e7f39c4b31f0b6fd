"""The Dashboard as it looks: palette-following charts, labels inside the canvas, wheel scrolling."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib.backend_bases import MouseEvent
from matplotlib.colors import to_hex
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication

from fusiondesk.gui.chart_canvas import ChartCanvas
from fusiondesk.gui.chart_layout import ELLIPSIS
from fusiondesk.gui.dashboard import DashboardView
from fusiondesk.gui.theme import dark_palette
from fusiondesk.gui.workspace import Workspace
from fusiondesk.services.dashboard.data import Bar, Chart, Panel

LONG_NAME = "Customer Service and Field Operations Excellence (EMEA North)"


def _shown_dashboard(qtbot, portfolio, size=(1024, 640)):
    workspace = Workspace()
    view = DashboardView(workspace, lambda _wanted: None)
    qtbot.addWidget(view)
    view.resize(*size)
    workspace.set_portfolio(portfolio)
    with qtbot.waitSignal(view.refreshed, timeout=20000):
        view.show()
    return view


def _all_texts(figure):
    """Every visible text of the figure: labels, totals, titles, legends, axis labels."""
    found = [t for t in figure.findobj(lambda a: hasattr(a, "get_text") and a.get_visible())
             if t.get_text()]
    assert found
    return found


def _texts_outside(canvas):
    renderer = canvas.get_renderer()
    box = canvas.figure.bbox
    outside = []
    for text in _all_texts(canvas.figure):
        extent = text.get_window_extent(renderer)
        if (extent.x0 < box.x0 - 0.5 or extent.x1 > box.x1 + 0.5
                or extent.y0 < box.y0 - 0.5 or extent.y1 > box.y1 + 0.5):
            outside.append(text.get_text())
    return outside


def test_charts_follow_a_dark_palette_and_back(qtbot, sample_portfolio):
    view = _shown_dashboard(qtbot, sample_portfolio)
    canvas = view.charts["tiers_by_department"]
    light_background = to_hex(canvas.figure.get_facecolor())
    view.setPalette(dark_palette())
    dark = dark_palette()
    base = dark.color(QPalette.ColorRole.Base).name()
    text = dark.color(QPalette.ColorRole.Text).name()
    qtbot.waitUntil(lambda: to_hex(canvas.figure.get_facecolor()) == base, timeout=5000)
    axes = canvas.figure.axes[0]
    assert to_hex(axes.get_facecolor()) == base
    labels = [t for t, _full in canvas.arts[0].labels]
    assert {to_hex(t.get_color()) for t in labels} == {text}
    legend_texts = axes.get_legend().get_texts()
    assert {to_hex(t.get_color()) for t in legend_texts} == {text}
    # the note under each title takes a palette role, not a fixed grey
    card = view.cards["tiers_by_department"]
    assert card.note.foregroundRole() == QPalette.ColorRole.PlaceholderText
    view.setPalette(QPalette())  # back to the application's light palette
    qtbot.waitUntil(lambda: to_hex(canvas.figure.get_facecolor()) == light_background,
                    timeout=5000)


def test_a_saved_png_is_on_white_even_in_dark_mode(qtbot, sample_portfolio, tmp_path):
    from PIL import Image

    view = _shown_dashboard(qtbot, sample_portfolio)
    view.setPalette(dark_palette())
    canvas = view.charts["platforms"]
    qtbot.waitUntil(lambda: canvas.style.background == "#17181a", timeout=5000)
    view.save_png("platforms", str(tmp_path / "p.png"))
    with Image.open(tmp_path / "p.png") as image:
        assert image.convert("RGB").getpixel((2, 2)) == (255, 255, 255)
    assert to_hex(canvas.figure.get_facecolor()) == "#17181a"  # the screen kept its colours


def test_the_wheel_over_a_chart_scrolls_the_page(qtbot, sample_portfolio):
    view = _shown_dashboard(qtbot, sample_portfolio)
    bar = view.scroll.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    canvas = view.charts["tiers_by_department"]
    inside = QPointF(canvas.width() / 2, canvas.height() / 2)
    wheel = QWheelEvent(inside, QPointF(canvas.mapToGlobal(inside.toPoint())), QPoint(0, 0),
                        QPoint(0, -120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas, wheel)
    assert bar.value() > 0


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_no_text_falls_outside_its_chart_in_a_1024_by_640_window(qtbot, window, theme):
    if theme == "dark":
        window.setPalette(dark_palette())
    window.resize(1024, 640)
    window.show()
    _go_to_dashboard(window)
    view = window.dashboard_view
    qtbot.waitUntil(lambda: view.last_data is not None, timeout=20000)
    qtbot.wait(50)  # the resize to the page's final width is fitted too
    for name, canvas in view.charts.items():
        assert canvas.width() < 480  # two charts side by side in a small window
        assert _texts_outside(canvas) == [], name
        assert _titles_under_legends(canvas) == [], name


def _titles_under_legends(canvas):
    """Panel titles that a legend over the same axes covers (narrow panels stack them)."""
    renderer = canvas.get_renderer()
    covered = []
    for art in canvas.arts:
        legend, title = art.axes.get_legend(), art.title
        if legend is not None and title is not None and title.get_window_extent(
                renderer).overlaps(legend.get_window_extent(renderer)):
            covered.append(title.get_text())
    return covered


def _go_to_dashboard(window):
    navigation = window.navigation
    row = next(r for r in range(navigation.count()) if "Dashboard" in navigation.item(r).text())
    navigation.setCurrentRow(row)


def _long_chart():
    bars = (Bar(LONG_NAME, 40, filter={"department": LONG_NAME}),
            Bar("Finance", 12, filter={"department": "Finance"}))
    upright = (Bar("Shared", 30), Bar("Single owner", 20), Bar("No active owner", 5))
    return Chart("ownership", "Test", (Panel(bars, horizontal=True, title="Top owners"),
                                       Panel(upright, title="Maintainers per app")))


def test_a_long_name_is_shortened_and_shown_whole_on_hover(qtbot):
    canvas = ChartCanvas(lambda _wanted: None)
    qtbot.addWidget(canvas)
    canvas.resize(420, 330)
    canvas.show()
    canvas.show_chart(_long_chart())
    shown, full = canvas.arts[0].labels[0]
    assert full == LONG_NAME
    assert shown.get_text().endswith(ELLIPSIS) and len(shown.get_text()) < len(LONG_NAME)
    assert _texts_outside(canvas) == []
    renderer = canvas.get_renderer()
    x, y = shown.get_window_extent(renderer).get_points().mean(axis=0)
    assert canvas.shortened_label_at(MouseEvent("motion_notify_event", canvas, x, y)) == LONG_NAME
    # wider, the name fits whole again: labels are fitted on every resize
    canvas.resize(1600, 330)
    qtbot.waitUntil(lambda: shown.get_text() == LONG_NAME, timeout=5000)
    assert _texts_outside(canvas) == []


def test_charts_follow_the_application_palette_when_the_system_turns_dark(qtbot, sample_portfolio):
    view = _shown_dashboard(qtbot, sample_portfolio)
    canvas = view.charts["warning_signs"]
    app = QApplication.instance()
    light = app.palette()
    dark_base = dark_palette().color(QPalette.ColorRole.Base).name()
    try:
        app.setPalette(dark_palette())  # what theme.apply_theme does on a scheme change
        qtbot.waitUntil(lambda: to_hex(canvas.figure.get_facecolor()) == dark_base, timeout=5000)
    finally:
        app.setPalette(light)
    qtbot.waitUntil(lambda: to_hex(canvas.figure.get_facecolor()) != dark_base, timeout=5000)


SCALED = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from fusiondesk.gui.chart_canvas import ChartCanvas
sys.path.insert(0, {tests!r})
from test_dashboard_look import _long_chart, _texts_outside
canvas = ChartCanvas(lambda _wanted: None)
canvas.resize(420, 330)
canvas.show()
app.processEvents()
canvas.show_chart(_long_chart())
print(canvas.device_pixel_ratio, int(canvas.figure.bbox.width), _texts_outside(canvas))
"""


def test_at_200_percent_the_chart_is_drawn_twice_as_fine_and_still_fits(tmp_path):
    here = Path(__file__).resolve().parent
    result = subprocess.run(
        [sys.executable, "-c", SCALED.format(tests=str(here))], cwd=here.parents[1],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2.0", "840", "[]"]


def _throughput_chart():
    completed = (Bar("Tier 1", 50, "On time"), Bar("Tier 1", 20, "Late"),
                 Bar("Tier 2", 90, "On time"), Bar("Tier 2", 10, "Late"))
    who = "aaliyah.adeyemi6@contoso.example"  # a long name: a wide gutter, a narrow left panel
    load = (Bar(who, 40, "Open"), Bar(who, 20, "Overdue"))
    return Chart("review_throughput", "Test", (
        Panel(completed, title="Completed reviews by tier", category_label="Reviews"),
        Panel(load, horizontal=True, title="Open reviews per reviewer")))


def test_a_narrow_panel_puts_its_legend_over_its_title_and_a_wide_one_beside_it(qtbot):
    canvas = ChartCanvas(lambda _wanted: None)
    qtbot.addWidget(canvas)
    canvas.resize(460, 330)  # half of a 1024-pixel window
    canvas.show()
    canvas.show_chart(_throughput_chart())
    assert _titles_under_legends(canvas) == [] and _texts_outside(canvas) == []
    art = canvas.arts[0]

    def legend_beside_title() -> bool:
        renderer = canvas.get_renderer()
        return (art.axes.get_legend().get_window_extent(renderer).y0
                < art.title.get_window_extent(renderer).y1)

    assert not legend_beside_title()  # stacked: the legend over the title
    # wide, the legend sits beside the title again: fitted on every resize
    canvas.resize(1600, 330)
    qtbot.waitUntil(legend_beside_title, timeout=5000)
    assert _titles_under_legends(canvas) == [] and _texts_outside(canvas) == []
