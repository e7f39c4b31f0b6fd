"""Pages that read the portfolio only while someone looks at them.

At 100,000 apps a page that re-read on every edit made elsewhere would make every
edit slow; instead a hidden page remembers it is stale and reads when it is shown.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget


class RefreshWhenSeen:
    """Mix into a QWidget page that has `refresh()` and sets `self._stale`."""

    _stale = False

    def _refresh_when_seen(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        if self._stale:
            self.refresh()
        super().showEvent(event)


class DeferredPage(QWidget):
    """A page whose widget, and the imports it needs, are built the first time it is shown.

    The dashboard pulls in matplotlib (~0.5 s); many sessions never open it, so the
    window should not wait for it at start-up.
    """

    def __init__(self, build: Callable[[], QWidget], parent=None):
        super().__init__(parent)
        self._build = build
        self._widget: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def widget(self) -> QWidget:
        """The page's widget, built now if it was not yet."""
        if self._widget is None:
            self._widget = self._build()
            self._layout.addWidget(self._widget)
        return self._widget

    def showEvent(self, event) -> None:
        self.widget()
        super().showEvent(event)
