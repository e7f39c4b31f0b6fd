"""Drawing one dashboard chart onto a matplotlib figure, in given colours (no Qt here).

Drawing is tuned for opening a dashboard fast: category labels are plain texts
rather than tick objects, bars carry their totals instead of a value axis, and
margins are measured from the texts (`chart_layout.fit`) instead of asking a
layout engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import ScaledTranslation

from fusiondesk.gui.badges import TIER_COLOURS, UNKNOWN_COLOUR
from fusiondesk.gui.chart_layout import GAP_PT, PanelArt
from fusiondesk.services.dashboard.data import UNAPPROVED_PLATFORM, UNCLASSIFIED, Chart, Panel

SERIES_COLOURS = {
    **{f"Tier {tier}": colour for tier, colour in TIER_COLOURS.items()},
    UNCLASSIFIED: UNKNOWN_COLOUR, "Not recorded": UNKNOWN_COLOUR, "Other": "#90a4ae",
    "Tier 1–2": TIER_COLOURS[2], "Tier 3–4": TIER_COLOURS[3],
    "Overdue": "#c62828", "Upcoming": "#1565c0",
    "Within 30 days": "#c62828", "31–90 days": "#ef6c00",
    "Approved": "#1565c0", UNAPPROVED_PLATFORM: "#ef6c00",
    "Shared": "#2e7d32", "Single owner": "#ef6c00", "No active owner": "#c62828",
    # review throughput: SLA met or missed, and a reviewer's open reviews (overdue above)
    "On time": "#2e7d32", "Late": "#c62828", "Open": "#1565c0",
}
TARGET_COLOUR = "#2e7d32"
LABEL_SIZE = 8
BAR_WIDTH = 0.7  # of a category's slot


@dataclass(frozen=True)
class ChartStyle:
    """The colours a chart is drawn in: the window's palette on screen, paper for a PNG."""

    background: str
    text: str
    muted: str  # totals, the empty message, axis lines
    plain_bar: str  # bars of a chart with a single series
    band_alpha: float = 0.12  # the target band: a dark base needs it stronger to show

    def rc(self) -> dict:
        """matplotlib settings that give every artist drawn meanwhile these colours."""
        return {"figure.facecolor": self.background, "axes.facecolor": self.background,
                "savefig.facecolor": self.background, "text.color": self.text,
                "axes.labelcolor": self.text, "axes.titlecolor": self.text,
                "axes.edgecolor": self.muted, "xtick.color": self.muted,
                "ytick.color": self.muted, "grid.color": self.muted,
                "legend.labelcolor": self.text}


PAPER = ChartStyle(background="#ffffff", text="#212121", muted="#616161", plain_bar="#455a64")


@dataclass
class Drawn:
    """What was drawn: each panel's art, and one bar patch per bar of `chart.bars`."""

    arts: list[PanelArt]
    patches: list


def draw_chart(figure: Figure, chart: Chart, style: ChartStyle) -> Drawn:
    """Draw `chart` (or its empty message) on a cleared `figure`, in `style`'s colours."""
    figure.clear()
    with matplotlib.rc_context(style.rc()):
        figure.set_facecolor(style.background)
        if chart.is_empty:
            _draw_empty(figure, chart.empty_text, style)
            return Drawn([], [])
        arts, patches = [], []
        for panel in chart.panels:
            art, drawn = _draw_panel(figure.add_subplot(), panel, style)
            arts.append(art)
            patches.extend(drawn)
        return Drawn(arts, patches)


def draw_titles(figure: Figure, chart: Chart, style: ChartStyle) -> None:
    """Title and note above the figure (the page shows them as labels instead)."""
    figure.text(0.015, 1.1, chart.title, fontsize=12, fontweight="bold", va="bottom",
                color=style.text, parse_math=False)
    if chart.note and not chart.is_empty:
        figure.text(0.015, 1.02, chart.note, fontsize=9, color=style.muted, va="bottom",
                    parse_math=False)


def _draw_empty(figure: Figure, text: str, style: ChartStyle) -> None:
    axes = figure.add_subplot()
    axes.set_axis_off()
    axes.text(0.5, 0.5, text, ha="center", va="center", fontsize=12, color=style.muted,
              transform=axes.transAxes, parse_math=False)


def _draw_panel(axes, panel: Panel, style: ChartStyle) -> tuple[PanelArt, list]:
    """Stacked bars of one panel; its art, and the patch of each bar in `panel.bars` order."""
    positions = {category: i for i, category in enumerate(panel.categories)}
    base = [0] * len(positions)
    patches = [None] * len(panel.bars)
    keys = {}  # series -> its first bar: the legend's key for it
    for series in panel.series:  # stacked series by series, in the legend's order
        colour = SERIES_COLOURS.get(series, style.plain_bar)
        for i, bar in enumerate(panel.bars):
            if bar.series == series:
                where = positions[bar.category]
                patches[i] = _add_bar(axes, panel.horizontal, where, base[where], bar.value,
                                      colour)
                keys.setdefault(series, patches[i])
                base[where] += bar.value
    art = PanelArt(axes, panel, max_total=max(base, default=0))
    _style_axes(art, base, style, keys)
    return art, patches


def _add_bar(axes, horizontal: bool, slot: int, start: int, value: int, colour: str) -> Rectangle:
    """One bar (or stacked segment) centred on its category's slot, as `Axes.bar` places it."""
    if horizontal:
        patch = Rectangle((start, slot - BAR_WIDTH / 2), value, BAR_WIDTH, facecolor=colour)
    else:
        patch = Rectangle((slot - BAR_WIDTH / 2, start), BAR_WIDTH, value, facecolor=colour)
    # Added as a plain artist: `Axes.bar` would also widen the data limits bar by bar (a
    # third of the drawing time), but the limits are set once from the totals instead.
    axes.add_artist(patch)
    return patch


def _style_axes(art: PanelArt, totals: list[int], style: ChartStyle, keys: dict) -> None:
    """Category labels, totals at the end of each bar, legend, target band."""
    axes, panel = art.axes, art.panel
    # Every bar carries its total, so the value axis would only repeat it; leaving it out
    # also saves a fifth of the drawing time.
    hidden = ("top", "right", "bottom") if panel.horizontal else ("top", "right", "left")
    axes.spines[list(hidden)].set_visible(False)
    (axes.xaxis if panel.horizontal else axes.yaxis).set_visible(False)
    if panel.horizontal:
        axes.set_ylim(len(totals) - 0.5, -0.5)  # biggest first, at the top
        axes.set_xlim(0, max(totals) * 1.15)  # `fit` widens it to the totals' real width
    else:
        axes.set_xlim(-0.5, len(totals) - 0.5)
        axes.set_ylim(0, max(totals) * 1.12)
        if panel.category_label:
            axes.set_xlabel(panel.category_label, fontsize=LABEL_SIZE)
    _label_categories(art)
    _label_totals(art, totals, style)
    if panel.title:
        art.title = axes.set_title(panel.title, fontsize=9, loc="left")
        art.labels.append((art.title, panel.title))
    band = _shade_target(axes, panel, style) if panel.target else None
    if (len(panel.series) > 1 and panel.series != panel.categories) or panel.target:
        _legend(axes, panel, ({"Target": band} if band is not None else {}) | keys)


def _label_categories(art: PanelArt) -> None:
    """Plain texts beside the bars: tick objects cost about a millisecond each."""
    axes, panel = art.axes, art.panel
    (axes.yaxis if panel.horizontal else axes.xaxis).set_ticks([])
    if panel.horizontal:  # right-aligned, a few points left of the axis
        where, align = _nudged(axes, axes.get_yaxis_transform(), -GAP_PT, 0), {"ha": "right",
                                                                                "va": "center"}
    else:  # centred under the bar; `fit` wraps it to the bar's slot
        where, align = _nudged(axes, axes.get_xaxis_transform(), 0, -GAP_PT), {"ha": "center",
                                                                                "va": "top"}
    for position, category in enumerate(panel.categories):
        at = (0, position) if panel.horizontal else (position, 0)
        # Names come from people and imported sheets: "$" must stay a dollar, not start maths.
        text = axes.text(*at, category, transform=where, fontsize=LABEL_SIZE, parse_math=False,
                         **align)
        art.labels.append((text, category))


def _label_totals(art: PanelArt, totals: list[int], style: ChartStyle) -> None:
    axes, horizontal = art.axes, art.panel.horizontal
    if horizontal:
        where, align = _nudged(axes, axes.transData, GAP_PT, 0), {"ha": "left", "va": "center"}
    else:
        where, align = _nudged(axes, axes.transData, 0, GAP_PT), {"ha": "center", "va": "bottom"}
    for position, total in enumerate(totals):
        at = (total, position) if horizontal else (position, total)
        art.totals.append(axes.text(*at, f"{total:,}", transform=where, fontsize=7,
                                    color=style.muted, **align))


def _nudged(axes, transform, dx_pt: float, dy_pt: float):
    """`transform`, then moved by a few points (so the gap stays the same at any size)."""
    return transform + ScaledTranslation(dx_pt / 72, dy_pt / 72, axes.figure.dpi_scale_trans)


def _legend(axes, panel: Panel, keys: dict) -> None:
    """`keys`: label -> the artist shown beside it (a series' first bar, the target band)."""
    # A series without a name (a chart's single series) gets no key, as Axes.legend skips it.
    named = {label: artist for label, artist in keys.items() if label}
    # Above the axes, right-aligned: never over a bar.
    axes.legend(list(named.values()), list(named), fontsize=7, frameon=False,
                loc="lower right", bbox_to_anchor=(1.0, 1.0),
                ncols=len(panel.series) + bool(panel.target), handlelength=1,
                borderaxespad=0.2, columnspacing=1)


def _shade_target(axes, panel: Panel, style: ChartStyle):
    """The target band behind the bars (None when no target category is shown)."""
    positions = [panel.categories.index(c) for c in panel.target if c in panel.categories]
    if not positions:
        return None
    return axes.axvspan(min(positions) - 0.5, max(positions) + 0.5, color=TARGET_COLOUR,
                        alpha=style.band_alpha, zorder=0, label="Target")
