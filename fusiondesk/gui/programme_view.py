"""The Programme page: what the programme is worth and how fast it delivers, for a sponsor.

Headline cards (net value, hours saved, pro-dev cost avoided, licences, payback, unknown
inputs, solutions delivered, IT backlog absorbed), tables per department, platform and
quarter, and the delivery charts. Every figure explains itself on hover (core.value_reasons),
as the Why-Tier panel explains a tier. Counted on the worker thread (services.programme)
when the page is shown and after a change that can move a figure; a quarter narrows the
page to the solutions delivered in it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core import clock
from fusiondesk.core.delivery import lead_time_reason, quarter_of
from fusiondesk.core.terms import Entity
from fusiondesk.core.value_reasons import totals_reasons
from fusiondesk.gui.chart_canvas import ChartCanvas
from fusiondesk.gui.home_page import CARD_STYLE, Card
from fusiondesk.gui.lazy import OneCountAtATime, RefreshWhenSeen
from fusiondesk.gui.programme_tables import ValueTableModel, payback_text
from fusiondesk.gui.tasks import run_in_background, while_alive
from fusiondesk.services import affected
from fusiondesk.services.classification.reclassify import policy_in_force
from fusiondesk.services.programme import Programme, programme_figures
from fusiondesk.services.programme.charts import delivered_chart, lead_time_chart

ALL_QUARTERS = "All quarters"
CARD_COLUMNS = 4
# The app fields a programme figure reads: a change to any other leaves the page as it is.
VALUE_FIELDS = frozenset({"hours_saved_per_month", "minutes_saved_per_run", "runs_per_month",
                          "prodev_estimate_hours", "licence", "licence_cost_per_month",
                          "it_backlog_item", "lifecycle", "deployed_on", "requested_on",
                          "department", "platform"})
CARDS = (("net_value", "Net value (first year)"), ("hours_saved_per_year", "Hours saved a year"),
         ("cost_avoided", "Pro-dev cost avoided"), ("licence_cost", "Licence cost a year"),
         ("payback_months", "Payback"), ("unknown_inputs", "Unknown inputs"),
         ("delivered", "Solutions delivered"), ("backlog", "IT backlog items absorbed"))


class ProgrammeView(RefreshWhenSeen, QWidget):
    """The programme's value and delivery, per department, platform and quarter."""

    loaded = Signal(object)  # Programme, once on screen (tests wait for it)

    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.found: Programme | None = None
        self._stale = True
        self._count = OneCountAtATime(self, workspace, "Counting the programme's value…",
                                      self._read, self.show_figures)
        # Money runs to more digits than Home's counts: a smaller figure keeps it whole.
        self.setStyleSheet(CARD_STYLE + "QLabel#card-count { font-size: 17pt; }")
        self._build()
        workspace.opened.connect(self._reset_quarters)
        workspace.changed.connect(self._changed)

    # ---- layout ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.heading = QLabel("<h2>Programme value</h2>")
        self.quarter = QComboBox()
        self.quarter.addItem(ALL_QUARTERS)
        self.quarter.setToolTip("Narrow every figure to the solutions delivered in one quarter")
        self.quarter.currentIndexChanged.connect(lambda _index: self.refresh())
        self.assumptions = QLabel()
        self.assumptions.setWordWrap(True)
        self.assumptions.setTextFormat(Qt.TextFormat.PlainText)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel("Delivered in:"))
        top.addWidget(self.quarter)
        self.cards = {name: Card(title) for name, title in CARDS}
        grid = QGridLayout()
        grid.setSpacing(10)
        for n, card in enumerate(self.cards.values()):
            grid.addWidget(card, n // CARD_COLUMNS, n % CARD_COLUMNS)
            grid.setColumnStretch(n % CARD_COLUMNS, 1)
        self.tables = {key: ValueTableModel(title) for key, title in
                       (("by_department", "Department"), ("by_platform", "Platform"),
                        ("by_quarter", "Delivered in"))}
        self.tabs = QTabWidget()
        for (key, model), title in zip(self.tables.items(), ("By department", "By platform",
                                                             "By quarter")):
            self.tabs.addTab(self._table(model), title)
        self.charts = {"delivered": ChartCanvas(lambda _filter: None, self),
                       "lead_time": ChartCanvas(lambda _filter: None, self)}
        self.chart_titles = {name: QLabel() for name in self.charts}
        self.chart_notes = {name: QLabel() for name in self.charts}
        charts = QHBoxLayout()
        for name, canvas in self.charts.items():
            canvas.setMinimumHeight(260)
            box = QVBoxLayout()
            self.chart_notes[name].setWordWrap(True)
            self.chart_notes[name].setForegroundRole(QPalette.ColorRole.PlaceholderText)
            for widget in (self.chart_titles[name], canvas, self.chart_notes[name]):
                box.addWidget(widget)
            charts.addLayout(box, 1)
        column = QVBoxLayout()
        column.addLayout(top)
        column.addWidget(self.assumptions)
        column.addLayout(grid)
        column.addWidget(self.tabs, 1)
        column.addLayout(charts)
        holder = QWidget()
        holder.setLayout(column)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _table(self, model: ValueTableModel) -> QTableView:
        table = QTableView()
        table.setModel(model)
        table.setSortingEnabled(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.setMinimumHeight(200)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return table

    # ---- counting ---------------------------------------------------------------------------
    def _changed(self, done) -> None:
        if (affected.is_portfolio_wide(done) or affected.apps_came_or_went(done)
                or affected.app_fields(done) & VALUE_FIELDS
                or affected.touches(done, Entity.POLICY)):
            self._refresh_when_seen()

    def _reset_quarters(self, *_signal_args) -> None:
        self.quarter.blockSignals(True)
        self.quarter.clear()
        self.quarter.addItem(ALL_QUARTERS)
        self.quarter.blockSignals(False)
        self._refresh_when_seen()

    def selected_quarter(self) -> str | None:
        """The quarter chosen, or None for every quarter."""
        text = self.quarter.currentText()
        return None if text in ("", ALL_QUARTERS) else text

    def refresh(self) -> None:
        """Count the figures again on the worker thread, then show them."""
        self._stale = False
        self._count.request()

    def _read(self):
        quarter = self.selected_quarter()
        return lambda session: programme_figures(session, policy_in_force(session), quarter)

    # ---- showing ----------------------------------------------------------------------------
    def show_figures(self, found: Programme) -> None:
        """Put the figures on the cards, tables and charts."""
        self.found = found
        assumptions, total = found.assumptions, found.value.total
        self._offer_quarters(found)
        self.assumptions.setText(
            f"Counted at {assumptions.money(assumptions.hourly_rate)} a saved hour and "
            f"{assumptions.money(assumptions.prodev_day_rate)} a pro-dev day of "
            f"{assumptions.prodev_day_hours} hours; licences at each app's own cost, else its "
            "plan's price (Settings › Governance policy › Programme value). Unknown inputs are "
            "left out and counted, never taken as zero.")
        reasons = totals_reasons(total, assumptions)
        money = _compact(assumptions.currency)
        for name, text in (("net_value", money(total.net_value)),
                           ("hours_saved_per_year", _number(total.hours_saved_per_year)),
                           ("cost_avoided", money(total.cost_avoided)),
                           ("licence_cost", money(total.licence_cost)),
                           ("payback_months", payback_text(total.net_value, total.payback_months)),
                           ("unknown_inputs", f"{total.unknown_inputs:,}")):
            self._card(name, text, reasons[name], _note(name, total))
        self._show_delivery(found)
        for key, model in self.tables.items():
            model.set_groups(getattr(found.value, key), assumptions)
        for name, chart in (("delivered", delivered_chart(found.delivery)),
                            ("lead_time", lead_time_chart(found.delivery))):
            self.charts[name].show_chart(chart)
            self.chart_titles[name].setText(f"<b>{chart.title}</b>")
            self.chart_notes[name].setText(chart.note)
        self.loaded.emit(found)

    def _card(self, name: str, text: str, reason: str, note: str) -> None:
        card = self.cards[name]
        card.show_number(text, note)
        card.setToolTip(reason)

    def _show_delivery(self, found: Programme) -> None:
        delivery = found.delivery
        this_quarter = quarter_of(clock.today())
        now = delivery.delivered_by_quarter.get(this_quarter, 0)
        lead = "; ".join(lead_time_reason(tier, delivery.lead_days_by_tier[tier])
                         for tier in delivery.median_lead_days())
        self._card("delivered", f"{delivery.solutions_delivered:,}",
                   "Apps with a deployment date" + (f" in {found.quarter}" if found.quarter else "")
                   + ". Lead time: " + (lead or "no app has both dates."),
                   f"{now:,} this quarter ({this_quarter})" if not found.quarter else found.quarter)
        self._card("backlog", f"{delivery.backlog_items:,}",
                   "Delivered solutions whose record names the IT backlog item they took off "
                   "IT's queue.", "taken off IT's queue")

    def _offer_quarters(self, found: Programme) -> None:
        if found.quarter is not None:
            return  # the list is of every quarter: kept while one is chosen
        chosen = self.selected_quarter()
        quarters = sorted((q for q in found.delivery.delivered_by_quarter if q), reverse=True)
        self.quarter.blockSignals(True)
        self.quarter.clear()
        self.quarter.addItems([ALL_QUARTERS, *quarters])
        if chosen in quarters:
            self.quarter.setCurrentText(chosen)
        self.quarter.blockSignals(False)

    def status_hint(self) -> str:
        """The status bar's line while the page is shown."""
        return "Hover over a figure to see its inputs and formula."


def _compact(currency: str):
    """Money as a card shows it: 9.50 M USD (the tooltip has every digit)."""
    def shown(amount: float | None) -> str:
        if amount is None:
            return "unknown"
        for size, unit in ((1e9, "bn"), (1e6, "M"), (1e4, "k")):
            if abs(amount) >= size:
                return f"{amount / size:,.{1 if unit == 'k' else 2}f} {unit} {currency}"
        return f"{amount:,.0f} {currency}"
    return shown


def _number(value: float | None) -> str:
    return "unknown" if value is None else f"{value:,.0f}"


def _note(name: str, total) -> str:
    apps = total.apps
    known = {"hours_saved_per_year": apps - total.unknown_hours,
             "cost_avoided": apps - total.unknown_estimate,
             "licence_cost": apps - total.unknown_licence}
    if name in known:
        return f"from {known[name]:,} of {apps:,} apps"
    if name == "unknown_inputs":
        return "left out, never counted as zero"
    return f"{apps:,} apps in service"


# ---- the headline on Home ---------------------------------------------------------------------

def count_headline(workspace, parent, then) -> None:
    """Count the programme's figures for this quarter and for all time on the worker thread."""
    portfolio = workspace.portfolio
    if portfolio is None:
        return
    quarter = quarter_of(clock.today())

    def work(_progress):
        with portfolio.reading() as session:
            policy = policy_in_force(session)
            return programme_figures(session, policy), programme_figures(session, policy, quarter)

    run_in_background(work, parent=parent, label="Counting the programme's value…",
                      on_success=while_alive(parent, then), on_failure=lambda _exc, _trace: None)


def show_headline(found: tuple[Programme, Programme], net_card: Card, delivered_card: Card) -> None:
    """Net value (all apps in service) and the solutions delivered this quarter, on two cards."""
    everything, this_quarter = found
    total = everything.value.total
    net_card.show_number(_compact(everything.assumptions.currency)(total.net_value),
                         f"{total.unknown_inputs:,} inputs unknown, left out")
    net_card.setToolTip(totals_reasons(total, everything.assumptions)["net_value"])
    delivered = this_quarter.delivery
    delivered_card.show_number(delivered.solutions_delivered,
                               f"{this_quarter.quarter}; {everything.delivery.solutions_delivered:,} "
                               "in all")
    delivered_card.setToolTip(f"Apps with a deployment date in {this_quarter.quarter}; "
                              f"{delivered.backlog_items:,} of them absorbed an IT backlog item.")
