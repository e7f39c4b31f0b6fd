"""Painting the tier as a coloured badge and warning signs as icons, each named on hover.

The icons are SVGs in resources/icons/flags/ (one per sign, in its family's colour: data,
integration, operations, change, ownership, the production gate), drawn once per size and
screen density and kept. `show_warning_sign_legend` is the Help menu's key to them.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QToolTip

from fusiondesk.core.flags import FLAG_DESCRIPTIONS, FLAG_LABELS, FLAG_NAMES
from fusiondesk.core.governance import TIER_COLOURS
from fusiondesk.core.resources import resource_path

UNKNOWN_COLOUR = "#757575"
ICON = 18  # a sign's icon, in device-independent pixels
GAP = 3
LEFT = 3  # the first icon's distance from the cell's edge


def flag_names(cell_value) -> list[str]:
    """The flag names stored in a cell (';'-joined), in the canonical order."""
    present = set((cell_value or "").split(";")) - {""}
    return [name for name in FLAG_NAMES if name in present]


def flags_tooltip(names: list[str]) -> str:
    """Each flag's full name and what it means, one per line."""
    if not names:
        return "No warning signs"
    return "\n".join(f"{FLAG_LABELS[n]}: {FLAG_DESCRIPTIONS[n]}" for n in names)


def legend_tooltip() -> str:
    """Every warning sign with its icon and meaning, for the Flags column's header."""
    rows = "".join(
        f"<tr><td><img src='{flag_icon_path(name)}' width='16' height='16'></td>"
        f"<td><b>{FLAG_LABELS[name]}</b></td><td>{FLAG_DESCRIPTIONS[name]}</td></tr>"
        for name in FLAG_NAMES)
    return (f"<p><b>Warning signs</b></p><table cellspacing='3'>{rows}</table>"
            "<p>Help ▸ Warning signs… keeps this list open.</p>")


def flag_icon_path(name: str) -> str:
    """The shipped SVG of one warning sign."""
    return str(resource_path(f"icons/flags/{name}.svg"))


@lru_cache(maxsize=None)
def _renderer(name: str) -> QSvgRenderer:
    return QSvgRenderer(flag_icon_path(name))


@lru_cache(maxsize=256)
def flag_pixmap(name: str, size: int, ratio: float) -> QPixmap:
    """One sign's icon drawn at `size` pixels for a screen of this density (cached)."""
    pixmap = QPixmap(QSize(round(size * ratio), round(size * ratio)))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _renderer(name).render(painter, QRectF(0, 0, pixmap.width(), pixmap.height()))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def flag_icon(name: str) -> QIcon:
    """One sign's icon for a widget (lists, menus, buttons)."""
    return QIcon(flag_icon_path(name))


def icon_at(x: int, cell_left: int, count: int, size: int = ICON) -> int | None:
    """Which of `count` icons drawn from `cell_left` lies under the x coordinate, if any."""
    offset = x - cell_left - LEFT
    if offset < 0:
        return None
    index, within = divmod(offset, size + GAP)
    return index if index < count and within < size else None


class TierDelegate(QStyledItemDelegate):
    """A rounded badge, 'T1'…'T4', in the tier's colour."""

    def paint(self, painter: QPainter, option, index) -> None:
        self._background(painter, option)
        tier = index.data(Qt.ItemDataRole.UserRole)
        text = f"Tier {tier}" if tier else "?"
        colour = QColor(TIER_COLOURS.get(tier, UNKNOWN_COLOUR))
        rect = QRect(option.rect.x() + 4, option.rect.y() + 3, 56, option.rect.height() - 6)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(rect, 8, 8)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def _background(self, painter, option) -> None:
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())


class FlagsDelegate(TierDelegate):
    """One icon per warning sign; hovering an icon names it, hovering the cell lists them all."""

    def paint(self, painter: QPainter, option, index) -> None:
        self._background(painter, option)
        size = min(ICON, option.rect.height() - 4)
        ratio = painter.device().devicePixelRatioF() if painter.device() else 1.0
        top = option.rect.y() + (option.rect.height() - size) // 2
        x = option.rect.x() + LEFT
        for name in flag_names(index.data(Qt.ItemDataRole.UserRole)):
            if x + size > option.rect.right():
                break  # the rest are in the tooltip
            painter.drawPixmap(x, top, flag_pixmap(name, size, ratio))
            x += size + GAP

    def helpEvent(self, event, view, option, index) -> bool:
        names = flag_names(index.data(Qt.ItemDataRole.UserRole))
        size = min(ICON, option.rect.height() - 4)
        under = icon_at(event.pos().x(), option.rect.x(), len(names), size)
        text = flags_tooltip([names[under]] if under is not None else names)
        QToolTip.showText(event.globalPos(), text, view)
        return True
