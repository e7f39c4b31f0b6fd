"""Drawing one dashboard chart with matplotlib, and turning a click on a bar into its filter.

Figures are embedded as `FigureCanvasQTAgg(Figure())`, never through pyplot (pyplot
keeps global figures and wants its own event loop). Drawing is tuned for opening a
dashboard fast: category labels are plain texts rather than tick objects, bars carry
their totals instead of a value axis, margins are computed instead of asking a layout
engine, and glyphs are drawn unhinted on screen.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from html import escape

import matplotlib
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory
from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QToolTip

from fusiondesk.gui.badges import TIER_COLOURS, UNKNOWN_COLOUR
from fusiondesk.services.dashboard.data import UNAPPROVED_PLATFORM, UNCLASSIFIED, Chart, Panel

CHART_SIZE = (6.0, 3.3)  # inches at 100 dpi: a 600 × 330 pixel chart
CHART_DPI = 100
PNG_DPI = 150  # saved charts go into slides and reports: sharper than the screen
SERIES_COLOURS = {
    **{f"Tier {tier}": colour for tier, colour in TIER_COLOURS.items()},
    UNCLASSIFIED: UNKNOWN_COLOUR, "Not recorded": UNKNOWN_COLOUR, "Other": "#90a4ae",
    "Tier 1–2": TIER_COLOURS[2], "Tier 3–4": TIER_COLOURS[3],
    "Overdue": "#c62828", "Upcoming": "#1565c0",
    "Within 30 days": "#c62828", "31–90 days": "#ef6c00",
    "Approved": "#1565c0", UNAPPROVED_PLATFORM: "#ef6c00",
    "Shared": "#2e7d32", "Single owner": "#ef6c00", "No active owner": "#c62828",
}
DEFAULT_COLOUR = "#455a64"
TARGET_COLOUR = "#2e7d32"
LABEL_SIZE = 8
# Unhinted glyphs render about a third faster, and at these sizes look the same.
SCREEN_TEXT = {"text.hinting": "none"}


class ChartCanvas(FigureCanvasQTAgg):
    """One chart; a click on a bar calls `on_filter` with that bar's portfolio filter."""

    def __init__(self, on_filter: Callable[[dict], None], parent=None):
        super().__init__(Figure(figsize=CHART_SIZE, dpi=CHART_DPI))
        self.setParent(parent)
        self.setMinimumHeight(int(CHART_SIZE[1] * CHART_DPI))
        self.chart: Chart | None = None
        self.patches: list = []  # one matplotlib Rectangle per bar of `chart.bars`
        self._clickable: dict = {}  # patch -> its index in `chart.bars`, for bars with a filter
        self._on_filter = on_filter
        self._last_click = None
        self.mpl_connect("pick_event", self._picked)
        self.mpl_connect("motion_notify_event", self._hovered)

    def show_chart(self, chart: Chart) -> None:
        """Draw `chart` (or its empty message) in place of whatever was shown."""
        self.chart = chart
        self.figure.clear()
        self.patches, self._clickable = [], {}
        if chart.is_empty:
            _draw_empty(self.figure, chart.empty_text)
        else:
            self._draw_panels(chart.panels)
        self.draw()

    def draw(self) -> None:
        """Render the figure for the screen."""
        with matplotlib.rc_context(SCREEN_TEXT):
            super().draw()

    def _draw_panels(self, panels: tuple[Panel, ...]) -> None:
        widths = [1.0 if panel.horizontal else 0.55 for panel in panels]
        first = panels[0]
        grid = self.figure.add_gridspec(
            1, len(panels), width_ratios=widths, top=0.9, bottom=_bottom_margin(panels),
            left=_left_margin(first), right=0.97, wspace=0.3)
        for cell, panel in zip(grid, panels):
            axes = self.figure.add_subplot(cell)
            for bar, patch in zip(panel.bars, _draw_panel(axes, panel)):
                self.patches.append(patch)
                if bar.filter is not None and bar.value:
                    patch.set_picker(True)
                    self._clickable[patch] = len(self.patches) - 1

    def bar_centre(self, index: int) -> tuple[float, float]:
        """Where bar `index` is on the canvas, in matplotlib's event coordinates."""
        patch = self.patches[index]
        x, y = patch.get_x() + patch.get_width() / 2, patch.get_y() + patch.get_height() / 2
        return tuple(patch.axes.transData.transform((x, y)))

    def save_png(self, path: str) -> None:
        """Write the chart as a PNG, with its title and note drawn in so it explains itself."""
        texts = _draw_titles(self.figure, self.chart)
        try:
            self.figure.savefig(path, format="png", dpi=PNG_DPI, facecolor="white",
                                bbox_inches="tight", pad_inches=0.2)
        finally:
            for text in texts:
                text.remove()
            self.draw_idle()  # saving rendered at another resolution: redraw for the screen

    def _picked(self, event) -> None:
        # Segments of a stacked bar share an edge: one click may pick two of them.
        if event.mouseevent is self._last_click or event.artist not in self._clickable:
            return
        self._last_click = event.mouseevent
        self._on_filter(dict(self.chart.bars[self._clickable[event.artist]].filter))

    def _hovered(self, event) -> None:
        index = self._bar_at(event)
        if index is None:
            self.unsetCursor()
            return
        bar = self.chart.bars[index]
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        what = escape(f"{bar.category} · {bar.series}" if bar.series else bar.category)
        # Rich text with escaped names: a name like "<b>" is shown as typed.
        QToolTip.showText(QCursor.pos(), f"<p>{what}: {bar.value:,} apps<br>"
                                         "Click to list them</p>", self)

    def _bar_at(self, event) -> int | None:
        for patch, index in self._clickable.items():
            if patch.contains(event)[0]:
                return index
        return None


def _draw_titles(figure: Figure, chart: Chart) -> list:
    """Title and note above the figure (the page shows them as labels instead)."""
    texts = [figure.text(0.015, 1.1, chart.title, fontsize=12, fontweight="bold", va="bottom",
                         parse_math=False)]
    if chart.note and not chart.is_empty:
        texts.append(figure.text(0.015, 1.02, chart.note, fontsize=9, color="#555555",
                                 va="bottom", parse_math=False))
    return texts


def _draw_empty(figure: Figure, text: str) -> None:
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.text(0.5, 0.5, text, ha="center", va="center", fontsize=12, color="#757575",
              transform=axes.transAxes)


def _draw_panel(axes, panel: Panel) -> list:
    """Stacked bars of one panel; returns the patch of each bar in `panel.bars` order."""
    positions = {category: i for i, category in enumerate(panel.categories)}
    base = [0] * len(positions)
    patches = [None] * len(panel.bars)
    for series in panel.series:
        indexes = [i for i, bar in enumerate(panel.bars) if bar.series == series]
        where = [positions[panel.bars[i].category] for i in indexes]
        values = [panel.bars[i].value for i in indexes]
        start = [base[w] for w in where]
        colour = SERIES_COLOURS.get(series, DEFAULT_COLOUR)
        if panel.horizontal:
            drawn = axes.barh(where, values, left=start, color=colour, label=series, height=0.7)
        else:
            drawn = axes.bar(where, values, bottom=start, color=colour, label=series, width=0.7)
        for i, w, patch in zip(indexes, where, drawn.patches):
            base[w] += panel.bars[i].value
            patches[i] = patch
    _style_axes(axes, panel, base)
    return patches


def _style_axes(axes, panel: Panel, totals: list[int]) -> None:
    """Category labels, totals at the end of each bar, legend, target band."""
    # Every bar carries its total, so the value axis would only repeat it; leaving it out
    # also saves a fifth of the drawing time.
    hidden = ("top", "right", "bottom") if panel.horizontal else ("top", "right", "left")
    axes.spines[list(hidden)].set_visible(False)
    (axes.xaxis if panel.horizontal else axes.yaxis).set_visible(False)
    if panel.horizontal:
        axes.set_ylim(len(totals) - 0.5, -0.5)  # biggest first, at the top
        axes.set_xlim(0, max(totals) * 1.15)  # room for the totals
    else:
        axes.set_xlim(-0.5, len(totals) - 0.5)
        axes.set_ylim(0, max(totals) * 1.12)
        if panel.category_label:
            axes.set_xlabel(panel.category_label, fontsize=LABEL_SIZE, labelpad=16)
    _label_categories(axes, panel)
    _label_totals(axes, panel, totals)
    if panel.title:
        axes.set_title(panel.title, fontsize=9, loc="left")
    if panel.target:
        _shade_target(axes, panel)
    if (len(panel.series) > 1 and panel.series != panel.categories) or panel.target:
        _legend(axes, panel)


def _label_categories(axes, panel: Panel) -> None:
    """Plain texts beside the bars: tick objects cost about a millisecond each."""
    # Names come from people and imported sheets: "$" must stay a dollar, not start maths.
    (axes.yaxis if panel.horizontal else axes.xaxis).set_ticks([])
    if panel.horizontal:
        where = blended_transform_factory(axes.transAxes, axes.transData)
        for position, category in enumerate(panel.categories):
            axes.text(-0.015, position, category, transform=where, fontsize=LABEL_SIZE,
                      ha="right", va="center", parse_math=False)
    else:
        where = blended_transform_factory(axes.transData, axes.transAxes)
        for position, category in enumerate(panel.categories):
            axes.text(position, -0.03, textwrap.fill(category, 9), transform=where,
                      fontsize=LABEL_SIZE, ha="center", va="top", parse_math=False)


def _label_totals(axes, panel: Panel, totals: list[int]) -> None:
    pad = max(totals) * 0.01
    for position, total in enumerate(totals):
        if panel.horizontal:
            axes.text(total + pad, position, f"{total:,}", fontsize=7, color="#333333",
                      ha="left", va="center")
        else:
            axes.text(position, total + pad, f"{total:,}", fontsize=7, color="#333333",
                      ha="center", va="bottom")


def _legend(axes, panel: Panel) -> None:
    # Above the axes, right-aligned: never over a bar.
    axes.legend(fontsize=7, frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0),
                ncols=len(panel.series) + bool(panel.target), handlelength=1,
                borderaxespad=0.2, columnspacing=1)


def _shade_target(axes, panel: Panel) -> None:
    positions = [panel.categories.index(c) for c in panel.target if c in panel.categories]
    if positions:
        axes.axvspan(min(positions) - 0.5, max(positions) + 0.5, color=TARGET_COLOUR,
                     alpha=0.12, zorder=0, label="Target")


def _left_margin(panel: Panel) -> float:
    """Room left of the axes for the longest category label (cheaper than a layout engine)."""
    if not panel.horizontal:
        return 0.12
    longest = max(len(category) for category in panel.categories)
    return min(0.45, 0.03 + 0.0115 * longest)


def _bottom_margin(panels: tuple[Panel, ...]) -> float:
    """Room under the axes for wrapped category labels of upright bars and their axis title."""
    if all(panel.horizontal for panel in panels):
        return 0.04
    return 0.26 if any(panel.category_label for panel in panels) else 0.18
