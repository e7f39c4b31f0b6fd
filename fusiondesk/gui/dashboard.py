"""The Dashboard page: the portfolio's charts, each clickable through to the apps behind a bar.

The numbers are counted on the worker thread (`services.dashboard.data`) and each
chart is drawn as soon as its numbers arrive, so drawing one overlaps counting the
next. A hidden dashboard only notes that the portfolio changed and recounts when
it is shown again: edits elsewhere never wait for charts.
"""

from __future__ import annotations

from collections.abc import Callable

from matplotlib.backend_bases import MouseEvent
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core import clock
from fusiondesk.core.terms import Entity
from fusiondesk.gui.chart_canvas import ChartCanvas
from fusiondesk.gui.errors import show_error
from fusiondesk.gui.portfolio_view import HIGH_TIERS, HIGH_TIERS_CHOICE
from fusiondesk.gui.tasks import run_in_background
from fusiondesk.services import affected
from fusiondesk.services.dashboard.data import (
    CHART_NAMES,
    NO_APPS,
    TITLES,
    Chart,
    DashboardData,
    dashboard_figures,
    empty_dashboard,
)

COLUMNS = 2
PORTFOLIO_FILTERS = ("platform", "kind", "department", "lifecycle", "owner", "tier", "flag",
                     "drift", "tiers", "leavers")


class ChartCard(QFrame):
    """A chart with its title, its one-line note and a Save PNG button."""

    def __init__(self, name: str, on_filter: Callable[[dict], None],
                 on_save: Callable[[str], None]):
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(f"<b>{TITLES[name]}</b>")
        self.note = QLabel("")
        # A palette role, not a fixed grey: the note stays readable in light and dark.
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        # Two lines kept free: a note arriving must not resize the chart (a second drawing).
        self.note.setMinimumHeight(self.note.fontMetrics().lineSpacing() * 2)
        self.canvas = ChartCanvas(on_filter, self)
        self.canvas.setAccessibleName(TITLES[name])
        self.save_button = QPushButton("Save PNG…")
        self.save_button.setToolTip(f"Save “{TITLES[name]}” as a PNG image")
        self.save_button.clicked.connect(lambda _checked=False: on_save(name))
        self.save_button.setEnabled(False)  # until there is a chart to save
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.note)
        layout.addWidget(self.canvas, 1)

    def show_chart(self, chart: Chart) -> None:
        """Show `chart`'s numbers."""
        self.note.setText("" if chart.is_empty else chart.note)
        self.canvas.show_chart(chart)
        self.save_button.setEnabled(True)


class DashboardView(QWidget):
    """A scrollable grid of the portfolio's charts, recounted when the portfolio changes."""

    refreshed = Signal(object)  # DashboardData, once every chart is redrawn
    _chart_counted = Signal(object)  # Chart, emitted from the worker thread

    def __init__(self, workspace, on_filter: Callable[[dict], None], parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.on_filter = on_filter
        self.cards = {name: ChartCard(name, self._clicked, self.choose_png) for name in CHART_NAMES}
        self.charts: dict[str, ChartCanvas] = {n: card.canvas for n, card in self.cards.items()}
        self.last_data: DashboardData | None = None
        self._stale = True  # nothing counted yet: the first showEvent counts
        self._counting = self._again = False
        self._build()
        # Queued: the worker thread emits, the GUI thread draws.
        self._chart_counted.connect(self._draw_chart, Qt.ConnectionType.QueuedConnection)
        workspace.opened.connect(self._portfolio_changed)
        workspace.changed.connect(self._changed)

    def _build(self) -> None:
        self.status = QLabel("")
        refresh = QPushButton("Refresh")
        refresh.clicked.connect(self.refresh)
        header = QHBoxLayout()
        header.addWidget(self.status, 1)
        header.addWidget(refresh)
        grid_holder = QWidget()
        grid = QGridLayout(grid_holder)
        for n, name in enumerate(CHART_NAMES):
            grid.addWidget(self.cards[name], n // COLUMNS, n % COLUMNS)
        self.scroll = QScrollArea()  # charts pass the mouse wheel on to it
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(grid_holder)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.scroll)

    # -- counting and drawing ---------------------------------------------------------
    def _changed(self, done) -> None:
        # The charts count apps, people, reviews and plans: all but an audit's mark.
        if not affected.touches_only(done, Entity.AUDIT):
            self._portfolio_changed()

    def _portfolio_changed(self, *_signal_args) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Count the dashboard on the worker thread, drawing each chart as it is counted."""
        self._stale = False
        if self._counting:  # one count at a time; the latest change is counted next
            self._again = True
            return
        portfolio = self.workspace.portfolio
        if portfolio is None:
            self.show_data(empty_dashboard(clock.today()))
            return
        self._counting = True
        today = clock.today()

        def count(_progress):
            with portfolio.reading() as session:
                return dashboard_figures(session, today, on_chart=self._chart_counted.emit,
                                         reading=portfolio.reading)

        self.status.setText("Counting…")
        run_in_background(count, on_success=self._counted, on_failure=self._failed,
                          parent=self, label="Counting the dashboard…")

    def _draw_chart(self, chart: Chart) -> None:
        if not self._again:  # numbers already out of date are not worth drawing
            self.cards[chart.name].show_chart(chart)

    def _counted(self, data: DashboardData) -> None:
        self._counting = False
        if self._again:  # the portfolio changed while counting: count again
            self._again = False
            self.refresh()
            return
        self._finish(data)

    def _failed(self, exc: BaseException, trace: str) -> None:
        self._counting = False
        if self._again:  # e.g. the portfolio was switched under the count: count the new one
            self._again = False
            self.refresh()
            return
        self.status.setText("The dashboard could not be counted.")
        show_error(self, exc, trace)

    def show_data(self, data: DashboardData) -> None:
        """Redraw every chart from `data`."""
        for name, chart in data.charts.items():
            self.cards[name].show_chart(chart)
        self._finish(data)

    def _finish(self, data: DashboardData) -> None:
        self.last_data = data
        self.status.setText(
            NO_APPS if not data.apps else
            f"{data.apps:,} apps as of {data.today:%d %b %Y}. Click a bar to list its apps.")
        self.refreshed.emit(data)

    # -- clicking and saving ----------------------------------------------------------
    def _clicked(self, wanted: dict) -> None:
        self.on_filter(wanted)

    def click_bar(self, chart_name: str, index: int) -> None:
        """Click the middle of bar `index` of a chart, as a person would (for tests)."""
        canvas = self.charts[chart_name]
        x, y = canvas.bar_centre(index)
        press = MouseEvent("button_press_event", canvas, x, y, button=1)
        canvas.callbacks.process(press.name, press)  # the figure picks from it, as on a click

    def choose_png(self, name: str) -> None:
        """Ask where to save a chart, then save it."""
        path, _ = QFileDialog.getSaveFileName(self, f"Save {TITLES[name]}", f"{name}.png",
                                              "PNG image (*.png)")
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        try:
            self.save_png(name, path)
        except OSError as exc:
            reason = exc.strerror or exc
            show_error(self, OSError(f"The chart could not be saved to {path}: {reason}. "
                                     "Choose another folder or name."))

    def save_png(self, name: str, path: str) -> None:
        """Write one chart as a PNG image."""
        # On the GUI thread: a figure must not be drawn by two threads, and one PNG
        # takes a fraction of a second.
        self.charts[name].save_png(path)


def apply_filter_to_portfolio(portfolio_view, wanted: dict) -> None:
    """Set the Portfolio page's filters to exactly `wanted` (others to All); run them once."""
    unknown = set(wanted) - set(PORTFOLIO_FILTERS)
    if unknown:
        raise ValueError(f"Not a portfolio filter: {', '.join(sorted(unknown))}")
    view = portfolio_view
    widgets = [view.search_box, *view.filters.values(), view.tier_filter, view.flag_filter,
               view.drift_filter]
    for widget in widgets:  # one query for the whole filter, not one per widget
        widget.blockSignals(True)
    try:
        view.search_box.clear()  # a leftover search would hide some of the bar's apps
        for name, combo in view.filters.items():
            _choose_text(combo, wanted.get(name))
        tier = HIGH_TIERS_CHOICE if tuple(wanted.get("tiers", ())) == HIGH_TIERS else wanted.get("tier")
        for combo, value in ((view.tier_filter, tier), (view.flag_filter, wanted.get("flag"))):
            combo.setCurrentIndex(max(0, combo.findData(value)) if value is not None else 0)
        view.drift_filter.setChecked(bool(wanted.get("drift")))
        view.set_leavers(wanted.get("leavers"), run=False)
    finally:
        for widget in widgets:
            widget.blockSignals(False)
    view.apply_filters()


def _choose_text(combo, value: str | None) -> None:
    if value is None:
        combo.setCurrentIndex(0)  # "All"
        return
    if combo.findText(value) < 0:  # added to the portfolio since the lists were filled
        combo.addItem(value)
    combo.setCurrentIndex(combo.findText(value))
