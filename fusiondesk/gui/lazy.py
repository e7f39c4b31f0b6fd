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

    def _refresh_when_seen(self, *_signal_args) -> None:
        # Connected to the workspace's signals as this bound method, never in a lambda: Qt
        # drops a method's connection with its page, where a lambda outlives the page (a
        # workspace can outlive its window) and reaches a deleted one.
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


class OneCountAtATime:
    """Counting a page's figures on the worker thread, one count at a time.

    A refresh asked for while a count runs is counted once after it (edits made during a
    long count are not lost, nor counted ten times), and an answer for a portfolio since
    closed is thrown away and counted again for the one now open.
    `read()` runs on the GUI thread and gives the work for the session (so it can take
    what the page shows now: a chosen quarter, today); `show(found)` puts the answer up.
    """

    def __init__(self, page: QWidget, workspace, label: str,
                 read: Callable[[], Callable], show: Callable[[object], None]):
        self._page, self._workspace, self._label = page, workspace, label
        self._read, self._show = read, show
        self._counting = self._again = False

    def request(self) -> None:
        """Count now, or after the count running."""
        from fusiondesk.gui.tasks import run_in_background, while_alive  # Qt's worker pool

        portfolio = self._workspace.portfolio
        if portfolio is None:
            return
        if self._counting:
            self._again = True
            return
        self._counting = True
        count = self._read()

        def work(_progress):
            with portfolio.reading() as session:
                return count(session)

        run_in_background(work, parent=self._page, label=self._label,
                          on_success=while_alive(self._page, lambda found: self._counted(
                              portfolio, found)),
                          on_failure=while_alive(self._page, self._failed))

    def _counted(self, portfolio, found) -> None:
        self._counting = False
        if self._again or portfolio is not self._workspace.portfolio:
            self._again = False
            self.request()  # counted for a portfolio since closed, or changed since: again
            return
        self._show(found)

    def _failed(self, exc, trace) -> None:
        self._counting = False
        from fusiondesk.gui.errors import show_error

        show_error(self._page, exc, trace)
