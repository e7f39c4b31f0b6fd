"""One dashboard chart on screen: drawn in the window's palette, clickable through to its apps.

Figures are embedded as `FigureCanvasQTAgg(Figure())`, never through pyplot (pyplot
keeps global figures and wants its own event loop). The chart follows the light or
dark palette and redraws when it changes; its labels are fitted to the canvas on
every resize; the mouse wheel scrolls the page around it rather than the chart.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QEvent, QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QCursor, QPalette, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QToolTip

from fusiondesk.gui.chart_drawing import PAPER, ChartStyle, draw_chart, draw_titles
from fusiondesk.gui.chart_layout import fit
from fusiondesk.services.dashboard.data import Chart

CHART_SIZE = (6.0, 3.3)  # inches at 100 dpi: a 600 × 330 pixel chart
CHART_DPI = 100
PNG_DPI = 150  # saved charts go into slides and reports: sharper than the screen
# Unhinted glyphs render about a third faster, and at these sizes look the same.
SCREEN_TEXT = {"text.hinting": "none"}
PALETTE_EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)


def style_of(palette: QPalette) -> ChartStyle:
    """Chart colours that sit on `palette`'s base colour, light or dark."""
    background = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    dark = background.lightness() < 128
    return ChartStyle(background=background.name(), text=text.name(),
                      muted=_mix(text, background, 0.65),
                      # the blue-grey of single-series bars fades into a dark base: lighten it
                      plain_bar="#90a4ae" if dark else PAPER.plain_bar,
                      band_alpha=0.3 if dark else PAPER.band_alpha)


def _mix(front: QColor, back: QColor, share: float) -> str:
    """`share` of `front` over `back`: a secondary text colour with enough contrast on both."""
    channels = (round(f * share + b * (1 - share)) for f, b in
                zip(front.getRgb()[:3], back.getRgb()[:3]))
    return QColor(*channels).name()


class ChartCanvas(FigureCanvasQTAgg):
    """One chart; a click on a bar calls `on_filter` with that bar's portfolio filter."""

    _restyle_queued = False  # at class level: matplotlib's __init__ already changes the palette

    def __init__(self, on_filter: Callable[[dict], None], parent=None):
        super().__init__(Figure(figsize=CHART_SIZE, dpi=CHART_DPI))
        self.setParent(parent)
        # matplotlib fixes the canvas's palette to white; an empty one inherits the window's.
        self.setPalette(QPalette())
        self.setMinimumHeight(int(CHART_SIZE[1] * CHART_DPI))
        self.chart: Chart | None = None
        self.style = style_of(self.palette())
        self.patches: list = []  # one matplotlib Rectangle per bar of `chart.bars`
        self.arts: list = []  # each panel's axes and labels (chart_layout.PanelArt)
        self._clickable: dict = {}  # patch -> its index in `chart.bars`, for bars with a filter
        self._on_filter = on_filter
        self._last_click = None
        self.mpl_connect("pick_event", self._picked)
        self.mpl_connect("motion_notify_event", self._hovered)
        self.mpl_connect("resize_event", lambda _event: self._fit())

    def show_chart(self, chart: Chart) -> None:
        """Draw `chart` (or its empty message) in place of whatever was shown."""
        self.chart = chart
        drawn = draw_chart(self.figure, chart, self.style)
        self.arts, self.patches = drawn.arts, drawn.patches
        self._clickable = {patch: index for index, (bar, patch) in
                           enumerate(zip(chart.bars, self.patches))
                           if bar.filter is not None and bar.value}
        for patch in self._clickable:
            patch.set_picker(True)
        self._fit()
        self.draw()

    def draw(self) -> None:
        """Render the figure for the screen."""
        with matplotlib.rc_context(SCREEN_TEXT):
            super().draw()

    def _fit(self) -> None:
        fit(self.figure, self.arts, self.get_renderer())

    # -- following the palette, and letting the page scroll ---------------------------------
    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        # One palette switch sends both events to every widget: redraw once, after both.
        if event.type() in PALETTE_EVENTS and not self._restyle_queued:
            self._restyle_queued = True
            QTimer.singleShot(0, self._restyle)

    def _restyle(self) -> None:
        self._restyle_queued = False
        style = style_of(self.palette())
        if style != self.style:
            self.style = style
            if self.chart is not None:
                self.show_chart(self.chart)

    def wheelEvent(self, event) -> None:
        # The chart has nothing to zoom or scroll: the wheel scrolls the page around it, as
        # over any other part of the page. Handed to the scroll area directly, since Qt passes
        # an ignored wheel event on to the parents only when it came from the window system.
        area = self._scroll_area()
        if area is None:
            event.ignore()
            return
        viewport = area.viewport()
        at = QPointF(self.mapTo(viewport, event.position().toPoint()))
        QApplication.sendEvent(viewport, QWheelEvent(
            at, event.globalPosition(), event.pixelDelta(), event.angleDelta(), event.buttons(),
            event.modifiers(), event.phase(), event.inverted(), event.source()))
        event.accept()

    def _scroll_area(self) -> QAbstractScrollArea | None:
        widget = self.parentWidget()
        while widget is not None and not isinstance(widget, QAbstractScrollArea):
            widget = widget.parentWidget()
        return widget

    # -- clicking, hovering, saving ---------------------------------------------------------
    def bar_centre(self, index: int) -> tuple[float, float]:
        """Where bar `index` is on the canvas, in matplotlib's event coordinates."""
        patch = self.patches[index]
        x, y = patch.get_x() + patch.get_width() / 2, patch.get_y() + patch.get_height() / 2
        return tuple(patch.axes.transData.transform((x, y)))

    def save_png(self, path: str) -> None:
        """Write the chart as a PNG on white, with its title and note drawn in."""
        # A figure of its own, in paper colours: a report gets the same chart in dark mode,
        # and the screen's figure is never touched.
        figure = Figure(figsize=CHART_SIZE, dpi=CHART_DPI)
        renderer = FigureCanvasAgg(figure).get_renderer()
        fit(figure, draw_chart(figure, self.chart, PAPER).arts, renderer)
        draw_titles(figure, self.chart, PAPER)
        figure.savefig(path, format="png", dpi=PNG_DPI, bbox_inches="tight", pad_inches=0.2)

    def _picked(self, event) -> None:
        # Segments of a stacked bar share an edge: one click may pick two of them.
        if event.mouseevent is self._last_click or event.artist not in self._clickable:
            return
        self._last_click = event.mouseevent
        self._on_filter(dict(self.chart.bars[self._clickable[event.artist]].filter))

    def _hovered(self, event) -> None:
        index = self._bar_at(event)
        if index is not None:
            bar = self.chart.bars[index]
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            what = escape(f"{bar.category} · {bar.series}" if bar.series else bar.category)
            # Rich text with escaped names: a name like "<b>" is shown as typed.
            QToolTip.showText(QCursor.pos(), f"<p>{what}: {bar.value:,} apps<br>"
                                             "Click to list them</p>", self)
            return
        self.unsetCursor()
        shortened = self.shortened_label_at(event)
        if shortened is not None:
            QToolTip.showText(QCursor.pos(), f"<p>{escape(shortened)}</p>", self)

    def shortened_label_at(self, event) -> str | None:
        """The full text of a label shown shortened ("…") under the mouse, if any."""
        for art in self.arts:
            for text, full in art.labels:
                if text.get_text().replace("\n", " ") != full and text.contains(event)[0]:
                    return full
        return None

    def _bar_at(self, event) -> int | None:
        for patch, index in self._clickable.items():
            if patch.contains(event)[0]:
                return index
        return None
