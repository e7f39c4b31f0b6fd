"""The Home page: the numbers a CoE lead checks on Monday, each a card that opens its apps.

The figures are counted on the worker thread (`services.dashboard.home`) whenever a
change that can move them lands while Home is shown (a hidden Home recounts when it
is next shown). An empty portfolio shows how to begin instead of a wall of zeros.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core import clock
from fusiondesk.core.terms import Entity
from fusiondesk.gui.lazy import OneCountAtATime, RefreshWhenSeen
from fusiondesk.services import affected
from fusiondesk.services.dashboard.home import (
    HIGH_TIER_FILTER,
    LEAVERS_DAYS,
    Figure,
    HomeFigures,
    home_figures,
    leaving_days,
)

CARD_COLUMNS = 3
# Styled through palette() so the cards follow the light and the dark palette alike.
CARD_STYLE = """
QFrame#home-card { border: 1px solid palette(mid); border-radius: 8px; background: palette(base); }
QFrame#home-card[clickable="true"]:hover { border: 1px solid palette(highlight); }
QFrame#home-card:focus { border: 2px solid palette(highlight); }
QLabel#card-count { font-size: 22pt; font-weight: 600; }
"""
# A change naming only these moves none of Home's figures (plans propose, they don't own).
UNCOUNTED = (Entity.HANDOVER_PLAN, Entity.HANDOVER_ITEM, Entity.AUDIT)


class Card(QFrame):
    """A number with its title and a note; clicking (or Enter on) a clickable card opens its apps."""

    clicked = Signal()

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setObjectName("home-card")
        self.title = QLabel(title)
        self.count = QLabel("–")
        self.count.setObjectName("card-count")
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, light or dark
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(2)
        for label in (self.title, self.count, self.note):
            layout.addWidget(label)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.set_clickable(False, "")

    def show_number(self, count: int | str, note: str) -> None:
        """Show the number and its one-line explanation."""
        self.count.setText(f"{count:,}" if isinstance(count, int) else count)
        self.note.setText(note)

    def set_clickable(self, clickable: bool, hint: str) -> None:
        """Offer the click (hand cursor, focus, tooltip) only when it leads somewhere."""
        self.setProperty("clickable", clickable)
        self.setCursor(Qt.CursorShape.PointingHandCursor if clickable else Qt.CursorShape.ArrowCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if clickable else Qt.FocusPolicy.NoFocus)
        self.setToolTip(hint)
        self.setAccessibleName(f"{self.title.text()}: {hint}" if hint else self.title.text())
        self.style().unpolish(self)
        self.style().polish(self)

    def mouseReleaseEvent(self, event) -> None:
        if self.property("clickable") and event.button() == Qt.MouseButton.LeftButton \
                and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:
        if self.property("clickable") and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter,
                                                          Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


class HomePage(RefreshWhenSeen, QWidget):
    """Apps by tier, what needs attention, who leaves soon, and when the last import was."""

    loaded = Signal(object)  # HomeFigures, once on screen (tests wait for it)
    filter_requested = Signal(dict)  # a card's Portfolio filter
    page_requested = Signal(str)  # "ownership" or "change_log": a card about people or imports
    import_requested = Signal()
    sample_requested = Signal()
    new_app_requested = Signal()

    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.figures: HomeFigures | None = None
        self._stale = True
        self._count = OneCountAtATime(self, workspace, "Counting…", self._read, self.show_figures)
        self.cards: dict[str, Card] = {}
        self.setStyleSheet(CARD_STYLE)
        self.states = QStackedWidget()
        self.states.addWidget(self._figures_page())
        self.states.addWidget(self._empty_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.states)
        workspace.opened.connect(self._refresh_when_seen)
        workspace.changed.connect(self._changed)

    # ---- layout ---------------------------------------------------------------------------

    def _figures_page(self) -> QWidget:
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.tier_summary = QLabel()
        self.tier_summary.setTextFormat(Qt.TextFormat.RichText)
        self.tier_summary.linkActivated.connect(
            lambda _link: self.filter_requested.emit(dict(HIGH_TIER_FILTER)))
        column = QVBoxLayout()
        column.setSpacing(10)
        column.addWidget(self.heading)
        column.addWidget(self._section("Apps by computed tier"))
        column.addWidget(self.tier_summary)
        self.tier_row = QHBoxLayout()
        self.tier_row.setSpacing(10)
        column.addLayout(self.tier_row)
        column.addWidget(self._section("Needs attention"))
        self.watch_grid = QGridLayout()
        self.watch_grid.setSpacing(10)
        column.addLayout(self.watch_grid)
        for n, name in enumerate(("drift", "no_active_owner", "single_owner", "overdue_reviews",
                                  "leavers", "last_import")):
            self.watch_grid.addWidget(self._card(name), n // CARD_COLUMNS, n % CARD_COLUMNS)
        for n in range(CARD_COLUMNS):
            self.watch_grid.setColumnStretch(n, 1)
        self.cards["leavers"].clicked.connect(self._open_leavers_apps)
        column.addWidget(self._section("Programme value"))  # issue 18: the sponsor's headline
        column.addLayout(self._programme_row())
        self.cards["last_import"].clicked.connect(lambda: self.page_requested.emit("change_log"))
        column.addStretch(1)
        holder = QWidget()
        holder.setLayout(column)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(holder)
        return scroll

    def _programme_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        for name, title in (("net_value", "Net value (first year)"),
                            ("delivered_this_quarter", "Solutions delivered this quarter")):
            card = self.cards[name] = Card(title)
            card.set_clickable(True, "Open the Programme page: every figure, explained")
            card.clicked.connect(lambda: self.page_requested.emit("programme"))
            row.addWidget(card, 1)
        row.addStretch(1)
        return row

    def _count_programme(self) -> None:
        """The programme's headline, counted after Home's own figures (it is not on their budget)."""
        from fusiondesk.gui.programme_view import count_headline, show_headline

        count_headline(self.workspace, self, lambda found: show_headline(
            found, self.cards["net_value"], self.cards["delivered_this_quarter"]))

    def _section(self, text: str) -> QLabel:
        label = QLabel(f"<b>{text}</b>")
        label.setContentsMargins(0, 8, 0, 0)
        return label

    def _card(self, name: str, title: str = "") -> Card:
        card = Card(title or _TITLES.get(name, name))
        card.clicked.connect(lambda: self._open(name))
        self.cards[name] = card
        return card

    def _empty_page(self) -> QWidget:
        text = QLabel("<h2>This portfolio has no apps yet</h2>"
                      "<p>Bring in the apps you know about, look around the sample first, "
                      "or add the first app by hand. Every figure here fills in as soon as "
                      "there are apps to count.</p>")
        text.setWordWrap(True)
        self.empty_buttons = {
            "import": QPushButton("Import an inventory…  (Ctrl+I)"),
            "sample": QPushButton("Open the sample portfolio"),
            "new": QPushButton("Add an app…  (Ctrl+N)"),
        }
        tips = {"import": "An Excel or CSV export from an admin centre, or a register kept by hand",
                "sample": "400 realistic apps across 10 platforms, to look around safely",
                "new": "Type in one app; its tier and warning signs follow at once"}
        signals = {"import": self.import_requested, "sample": self.sample_requested,
                   "new": self.new_app_requested}
        column = QVBoxLayout()
        column.addWidget(text)
        for key, button in self.empty_buttons.items():
            button.setMinimumHeight(40)
            button.setToolTip(tips[key])
            button.clicked.connect(signals[key].emit)
            column.addWidget(button)
        column.addStretch(1)
        holder = QWidget()
        holder.setLayout(column)
        holder.setMinimumWidth(460)
        holder.setMaximumWidth(560)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 32, 24, 24)
        layout.addWidget(holder, alignment=Qt.AlignmentFlag.AlignHCenter)
        return page

    def status_hint(self) -> str:
        """The status bar's line while Home is shown."""
        if self.figures is None or self.figures.is_empty:
            return ""
        return "Click a figure to list its apps in the Portfolio."

    # ---- counting ---------------------------------------------------------------------------

    def _changed(self, done) -> None:
        if not affected.touches_only(done, *UNCOUNTED):
            self._refresh_when_seen()

    def refresh(self) -> None:
        """Count the figures again on the worker thread, then show them."""
        self._stale = False
        self._count.request()

    @staticmethod
    def _read():
        today = clock.today()
        return lambda session: home_figures(session, today)

    # ---- showing ----------------------------------------------------------------------------

    def show_figures(self, figures: HomeFigures) -> None:
        """Put the figures on the cards (or the first steps, for an empty portfolio)."""
        self.figures = figures
        self.states.setCurrentIndex(1 if figures.is_empty else 0)
        if not figures.is_empty:
            self._show_heading(figures)
            self._show_tiers(figures)
            for figure in figures.watch:
                self._show_figure(self.cards[figure.name], figure)
            self._show_leavers(figures)
            self._count_programme()
        self._show_last_import(figures)
        self.loaded.emit(figures)

    def _show_heading(self, figures: HomeFigures) -> None:
        self.heading.setText(f"<h2>{figures.apps:,} apps</h2>"
                             f"<span>As of {figures.today:%A %d %B %Y}</span>")
        self.tier_summary.setText(f"<a href='tiers'><b>{figures.high_tier_share:.0%}</b> of apps are "
                                  "at Tier 3–4</a> (a pro-dev partner and a design review each)")

    def _show_tiers(self, figures: HomeFigures) -> None:
        while self.tier_row.count():
            widget = self.tier_row.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        for figure in figures.tiers:
            card = self._card(figure.name, figure.title)
            self._show_figure(card, figure)
            self.tier_row.addWidget(card, 1)

    def _show_figure(self, card: Card, figure: Figure) -> None:
        card.show_number(figure.count, figure.note)
        clickable = figure.filter is not None and figure.count > 0
        card.set_clickable(clickable, f"Show these {figure.count:,} apps in the Portfolio"
                           if clickable else "")

    def _show_leavers(self, figures: HomeFigures) -> None:
        card = self.cards["leavers"]
        card.show_number(figures.leavers, f"own {figures.leaver_apps:,} apps between them"
                         if figures.leavers else "nobody is due to leave")
        card.set_clickable(figures.leaver_apps > 0, f"Show the {figures.leaver_apps:,} apps they own "
                           "in the Portfolio (their plans are on the Ownership page)")

    def _open_leavers_apps(self) -> None:
        self.filter_requested.emit({"leavers": leaving_days(clock.today())})

    def _show_last_import(self, figures: HomeFigures) -> None:
        card, last = self.cards["last_import"], figures.last_import
        if last is None:
            card.show_number("Never", "no inventory imported into this portfolio yet")
            card.set_clickable(False, "")
            return
        days = (figures.today - last.at.date()).days
        card.show_number(_days_ago(days), f"{last.source or 'an inventory'} · {last.at:%d %b %Y %H:%M}"
                         f" · by {last.who}")
        card.set_clickable(True, "Show what the imports changed, in the change log")

    def _open(self, name: str) -> None:
        figure = self._figure(name)
        if figure is not None and figure.filter is not None:
            self.filter_requested.emit(figure.filter)

    def _figure(self, name: str) -> Figure | None:
        if self.figures is None:
            return None
        return next((f for f in (*self.figures.tiers, *self.figures.watch) if f.name == name), None)


_TITLES = {"drift": "Tier drift", "no_active_owner": "No active owner", "single_owner": "Single owner",
           "overdue_reviews": "Overdue reviews", "leavers": f"Leaving in the next {LEAVERS_DAYS} days",
           "last_import": "Last import"}


def _days_ago(days: int) -> str:
    """'Today', 'Yesterday' or 'N days ago' (a clock set back gives 'Today', never a negative)."""
    if days <= 0:
        return "Today"
    return "Yesterday" if days == 1 else f"{days:,} days ago"
