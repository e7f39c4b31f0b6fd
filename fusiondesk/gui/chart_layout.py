"""Placing a chart's axes so every label fits the canvas, at any size and any screen scale.

Margins are measured in pixels from the texts themselves (matplotlib's renderer knows
each string's extent) rather than guessed from character counts or left to a layout
engine: a label that would not fit is shortened with "…" (the canvas shows the full
name on hover), and the axes take whatever room the labels leave.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import ScaledTranslation

from fusiondesk.services.dashboard.data import Panel

ELLIPSIS = "…"
GAP_PT = 3  # between a label and its bar
TITLE_PAD_PT = 6  # matplotlib's pad under an axes title
PAD_PT = 5  # around the figure's edge and between panels
LABEL_SHARE = 0.4  # a horizontal panel gives at most this much of its width to its labels
MAX_LINES = 3  # an upright bar's label wraps onto at most this many lines


_WIDTHS: dict[tuple, float] = {}  # (string, font, dpi) -> pixels


@dataclass
class PanelArt:
    """One panel as drawn: its axes, and each shown text with the full text it stands for."""

    axes: Axes
    panel: Panel
    labels: list[tuple[Text, str]] = field(default_factory=list)  # the title's too
    title: Text | None = None
    totals: list[Text] = field(default_factory=list)
    max_total: int = 0


class Measure:
    """Pixel sizes of strings as the figure's renderer will draw them."""

    def __init__(self, figure: Figure, renderer):
        self.renderer = renderer
        self.px_per_pt = figure.dpi / 72

    def width(self, text: Text, string: str) -> float:
        """How wide `string` is in `text`'s font."""
        if not string:
            return 0.0
        font = text.get_fontproperties()
        key = (string, font, self.renderer.dpi)
        if key not in _WIDTHS:
            # Each measurement lays the string out (~1 ms): a resize measures the same
            # labels again, so they are remembered.
            if len(_WIDTHS) > 20_000:
                _WIDTHS.clear()
            _WIDTHS[key] = self.renderer.get_text_width_height_descent(
                string, font, ismath=False)[0]
        return _WIDTHS[key]

    def height(self, text: Text) -> float:
        """How tall `text` is drawn, every line of it."""
        if not text.get_text():
            return 0.0
        return text.get_window_extent(self.renderer).height

    def pt(self, points: float) -> float:
        """Points to pixels at the figure's resolution (200% screens double it)."""
        return points * self.px_per_pt


def elide(measure: Measure, text: Text, string: str, room: float) -> str:
    """`string`, or its longest start that fits `room` pixels followed by "…"."""
    if measure.width(text, string) <= room:
        return string
    low, high = 0, len(string)  # the longest prefix that fits lies in [low, high)
    while low < high:
        middle = (low + high + 1) // 2
        if measure.width(text, string[:middle].rstrip() + ELLIPSIS) <= room:
            low = middle
        else:
            high = middle - 1
    return string[:low].rstrip() + ELLIPSIS


def wrap(measure: Measure, text: Text, string: str, room: float) -> str:
    """`string` broken at spaces into lines of at most `room` pixels; the last line elided."""
    lines: list[str] = []
    words = string.split()
    while words and len(lines) < MAX_LINES:
        line = words.pop(0)
        while words and measure.width(text, f"{line} {words[0]}") <= room:
            line = f"{line} {words.pop(0)}"
        lines.append(line)
    if words:  # more than MAX_LINES: what is left joins the last line, elided
        lines[-1] = " ".join([lines[-1], *words])
    return "\n".join(elide(measure, text, line, room) for line in lines)


def fit(figure: Figure, arts: list[PanelArt], renderer) -> None:
    """Place the axes of `arts` side by side so that every text stays inside the figure."""
    if not arts:
        return
    measure = Measure(figure, renderer)
    width, height = figure.bbox.width, figure.bbox.height
    pad = measure.pt(PAD_PT)
    ratios = [1.0 if art.panel.horizontal else 0.55 for art in arts]
    gutters = [_fit_side_labels(measure, art, width * share * LABEL_SHARE)
               for art, share in zip(arts, _shares(ratios))]
    room = width - pad * (len(arts) + 1) - sum(gutters)
    widths = _widths(measure, arts, ratios, room)
    top = pad + max(_room_above(measure, art, renderer, w) for art, w in zip(arts, widths))
    x = pad
    bottom = pad
    for art, gutter, axes_width in zip(arts, gutters, widths):
        x += gutter
        bottom = max(bottom, pad + _fit_under_labels(measure, art, axes_width))
        art.axes.set_position([x / width, 0, axes_width / width, 1])  # heights follow below
        x += axes_width + pad
    axes_height = max(1.0, height - top - bottom)
    for art in arts:
        left, _y, w, _h = art.axes.get_position().bounds
        art.axes.set_position([left, bottom / height, w, axes_height / height])
        _make_room_for_totals(measure, art, w * width, axes_height)
        _fit_title(measure, art, width - left * width - pad)


def _widths(measure: Measure, arts: list[PanelArt], ratios: list[float],
            room: float) -> list[float]:
    """Each panel's axes width: shared by ratio, but an upright panel gets at least the room
    its labels need one word per line (taken from the others)."""
    least = [_least_width(measure, art) for art in arts]
    widths = [room * share for share in _shares(ratios)]
    short = sum(max(0.0, lo - w) for lo, w in zip(least, widths))
    if short:
        spare = sum(w for lo, w in zip(least, widths) if w >= lo)
        widths = [lo if w < lo else w - short * w / spare for lo, w in zip(least, widths)]
    return [max(1.0, w) for w in widths]


def _least_width(measure: Measure, art: PanelArt) -> float:
    if art.panel.horizontal:
        return 0.0
    words = [word for _text, full in _category_labels(art) for word in full.split()]
    widest = max((measure.width(art.labels[0][0], word) for word in words), default=0.0)
    return len(_category_labels(art)) * (widest + measure.pt(2 * GAP_PT))


def _shares(ratios: list[float]) -> list[float]:
    return [ratio / sum(ratios) for ratio in ratios]


def _fit_side_labels(measure: Measure, art: PanelArt, most: float) -> float:
    """Elide a horizontal panel's category labels to `most` pixels; the gutter they need."""
    if not art.panel.horizontal:
        return 0.0
    widest = 0.0
    for text, full in _category_labels(art):
        text.set_text(elide(measure, text, full, most))
        widest = max(widest, measure.width(text, text.get_text()))
    return widest + measure.pt(GAP_PT)


def _fit_under_labels(measure: Measure, art: PanelArt, axes_width: float) -> float:
    """Wrap an upright panel's labels to their bar's slot; the height under the axes."""
    if art.panel.horizontal:
        return 0.0
    labels = _category_labels(art)
    slot = axes_width / max(1, len(labels)) - measure.pt(1)
    for text, full in labels:
        text.set_text(wrap(measure, text, full, slot))
    below = measure.pt(GAP_PT) + max((measure.height(t) for t, _ in labels), default=0.0)
    axis_label = art.axes.xaxis.label
    if axis_label.get_text():
        below += measure.pt(GAP_PT)
        art.axes.xaxis.labelpad = below / measure.px_per_pt
        below += measure.height(axis_label)
    return below


def _category_labels(art: PanelArt) -> list[tuple[Text, str]]:
    return [(text, full) for text, full in art.labels if text is not art.title]


def _room_above(measure: Measure, art: PanelArt, renderer, axes_width: float) -> float:
    """Height above the axes for the panel's title and its legend: side by side when both
    fit the axes' width, else the legend over the title (they overlapped in a narrow panel)."""
    title = 0.0
    if art.title is not None:
        title = measure.height(art.title) + measure.pt(TITLE_PAD_PT)
    legend = art.axes.get_legend()
    if legend is None:
        return title
    key = legend.get_window_extent(renderer)
    beside = not title or (measure.width(art.title, art.panel.title) + measure.pt(2 * GAP_PT)
                           + key.width <= axes_width)
    _raise_legend(art, legend, 0.0 if beside else title)
    return max(title, key.height) if beside else title + key.height


def _raise_legend(art: PanelArt, legend, pixels: float) -> None:
    """Anchor the legend's lower right corner `pixels` above the axes' top right corner."""
    if not pixels:  # where `chart_drawing` anchors it (and again after a resize made room)
        legend.set_bbox_to_anchor((1.0, 1.0))
        return
    figure = art.axes.figure
    lift = ScaledTranslation(0, pixels / figure.dpi, figure.dpi_scale_trans)
    legend.set_bbox_to_anchor((1.0, 1.0), transform=art.axes.transAxes + lift)


def _make_room_for_totals(measure: Measure, art: PanelArt, axes_width: float,
                          axes_height: float) -> None:
    """Stretch the value axis so the total printed past each bar stays inside the axes."""
    if not art.totals or not art.max_total:
        return
    if art.panel.horizontal:
        # Figures are equally wide in the chart's font: the longest total is the widest.
        longest = max(art.totals, key=lambda t: len(t.get_text()))
        need = measure.width(longest, longest.get_text()) + measure.pt(GAP_PT)
        share = min(0.6, need / axes_width)
        art.axes.set_xlim(0, art.max_total / (1 - share))
    else:
        need = measure.height(art.totals[0]) + measure.pt(GAP_PT)
        share = min(0.6, need / axes_height)
        art.axes.set_ylim(0, art.max_total / (1 - share))


def _fit_title(measure: Measure, art: PanelArt, room: float) -> None:
    if art.title is not None:
        art.title.set_text(elide(measure, art.title, art.panel.title, room))
