"""Warning signs read by people: an icon per sign, its full name on hover, a legend in Help."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QStyleOptionViewItem

from fusiondesk.core.flags import FLAG_DESCRIPTIONS, FLAG_LABELS, FLAG_NAMES
from fusiondesk.gui import badges
from fusiondesk.gui.badges import GAP, ICON, LEFT, FlagsDelegate, flag_icon_path, icon_at
from fusiondesk.gui.warning_signs import WarningSignLegend


@pytest.mark.parametrize("name", FLAG_NAMES)
def test_every_sign_has_an_icon_that_renders(name):
    renderer = QSvgRenderer(flag_icon_path(name))
    assert renderer.isValid() and renderer.defaultSize().width() == 16


def test_no_two_signs_share_an_icon():
    drawings = {open(flag_icon_path(name), encoding="utf-8").read() for name in FLAG_NAMES}
    assert len(drawings) == len(FLAG_NAMES)


class _Cell:
    """A model index stand-in holding one cell's flags."""

    def __init__(self, flags: str):
        self.flags = flags

    def data(self, role):
        return self.flags if role == Qt.ItemDataRole.UserRole else None


def _paint(flags: str, width: int = 200, height: int = 24) -> QImage:
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, width, height)
    FlagsDelegate().paint(painter, option, _Cell(flags))
    painter.end()
    return image


def test_the_delegate_draws_one_icon_per_sign_in_its_colour(qapp):
    image = _paint("single_owner;sensitive_data")
    first, second = (LEFT + 2, 12), (LEFT + ICON + GAP + 2, 12)  # inside each icon's corner
    # canonical order: sensitive data (crimson) before single owner (brown)
    assert image.pixelColor(*first).name() == "#ad1457"
    assert image.pixelColor(*second).name() == "#5d4037"
    assert image.pixelColor(LEFT + 2 * (ICON + GAP) + 4, 12).name() == "#ffffff"  # no third


def test_a_narrow_cell_draws_the_signs_that_fit():
    image = _paint(";".join(FLAG_NAMES), width=2 * (ICON + GAP) + LEFT + 2)
    assert image.pixelColor(LEFT + 2, 12).name() != "#ffffff"


def test_hovering_an_icon_names_that_sign():
    assert icon_at(LEFT + 1, 0, 3) == 0
    assert icon_at(LEFT + ICON + GAP + 1, 0, 3) == 1
    assert icon_at(LEFT + ICON + 1, 0, 3) is None  # the gap between two icons
    assert icon_at(LEFT + 3 * (ICON + GAP) + 1, 0, 3) is None  # past the last
    assert badges.flags_tooltip(["tier_drift"]) == f"Tier drift: {FLAG_DESCRIPTIONS['tier_drift']}"


def test_the_flags_header_explains_every_sign(window):
    model = window.portfolio_view.model
    keys = model.keys
    if "flags" not in keys:
        model.set_columns([*keys, "flags"])
    tip = model.headerData(model.keys.index("flags"), Qt.Orientation.Horizontal,
                           Qt.ItemDataRole.ToolTipRole)
    assert all(FLAG_LABELS[n] in tip and f"{n}.svg" in tip for n in FLAG_NAMES)
    other = model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert other is None or "Warning signs" not in other


def test_help_menu_opens_the_legend_with_each_icon_name_and_meaning(window, qtbot):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    action = next(a for a in help_menu.actions() if a.text() == "&Warning signs…")
    action.trigger()
    legend = next(w for w in window.findChildren(WarningSignLegend))
    qtbot.waitExposed(legend)
    table = legend.table
    assert table.rowCount() == len(FLAG_NAMES)
    for row, name in enumerate(FLAG_NAMES):
        assert table.item(row, 0).text() == FLAG_LABELS[name]
        assert not table.item(row, 0).icon().isNull()
        assert table.item(row, 1).text() == FLAG_DESCRIPTIONS[name]
    legend.close()


