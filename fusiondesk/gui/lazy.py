"""Pages that read the portfolio only while someone looks at them.

At 100,000 apps a page that re-read on every edit made elsewhere would make every
edit slow; instead a hidden page remembers it is stale and reads when it is shown.
"""

from __future__ import annotations


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
