"""Painting the tier as a coloured badge and warning signs as compact icons with tooltips."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QToolTip

from fusiondesk.core.flags import FLAG_DESCRIPTIONS, FLAG_LABELS, FLAG_NAMES
from fusiondesk.core.governance import TIER_COLOURS

UNKNOWN_COLOUR = "#757575"
# Flag icons: two letters on a colour by kind of risk (data, operations, ownership, governance).
FLAG_GLYPHS = {
    "sensitive_data": ("SD", "#ad1457"), "compliance": ("CO", "#ad1457"),
    "multi_write_back": ("WB", "#6a1b9a"), "complex_integration": ("CI", "#6a1b9a"),
    "unapproved_connector": ("UC", "#6a1b9a"), "unapproved_platform": ("UP", "#6a1b9a"),
    "critical_without_support": ("CS", "#c62828"), "complex_calculations": ("CC", "#c62828"),
    "user_growth": ("UG", "#ef6c00"), "tier_drift": ("TD", "#ef6c00"),
    "review_overdue": ("RO", "#ef6c00"), "undocumented": ("UD", "#5d4037"),
    "builder_gone": ("BG", "#b71c1c"), "single_owner": ("SO", "#5d4037"),
    "inactive": ("IN", "#616161"),
}
ICON = 22
GAP = 3


def flag_names(cell_value) -> list[str]:
    """The flag names stored in a cell (';'-joined), in the canonical order."""
    present = set((cell_value or "").split(";")) - {""}
    return [name for name in FLAG_NAMES if name in present]


def flags_tooltip(names: list[str]) -> str:
    """Each flag's label and what it means, one per line."""
    if not names:
        return "No warning signs"
    return "\n".join(f"{FLAG_LABELS[n]}: {FLAG_DESCRIPTIONS[n]}" for n in names)


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
    """One small icon per warning sign; hovering lists them with their meaning."""

    def paint(self, painter: QPainter, option, index) -> None:
        self._background(painter, option)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        x = option.rect.x() + 3
        for name in flag_names(index.data(Qt.ItemDataRole.UserRole)):
            if x + ICON > option.rect.right():
                break
            glyph, colour = FLAG_GLYPHS[name]
            rect = QRect(x, option.rect.y() + 2, ICON, option.rect.height() - 4)
            painter.setBrush(QColor(colour))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(QColor("white"))
            font = painter.font()
            font.setPointSizeF(max(6.0, font.pointSizeF() * 0.75))
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, glyph)
            x += ICON + GAP
        painter.restore()

    def helpEvent(self, event, view, option, index) -> bool:
        QToolTip.showText(event.globalPos(), flags_tooltip(flag_names(index.data(Qt.ItemDataRole.UserRole))), view)
        return True
