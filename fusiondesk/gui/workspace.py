"""The open portfolio as the GUI sees it: one place to run changes, undo them, and hear of them.

Views never open transactions themselves: they hand a use case to `apply`, which
runs it in one transaction, pushes an undo command and announces what changed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from sqlalchemy.orm import Session

from fusiondesk.db.engine import Portfolio
from fusiondesk.gui.tasks import run_in_background
from fusiondesk.services.changes import ChangeSet

Action = Callable[[Session, str], ChangeSet]
Revert = Callable[[Session, ChangeSet, str], ChangeSet]


class Workspace(QObject):
    """Holds the open portfolio and its undo stack; signals every change."""

    opened = Signal(object)  # Portfolio
    changed = Signal(object)  # ChangeSet
    failed = Signal(object)  # an exception from undo/redo, for the window to show

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.portfolio: Portfolio | None = None
        self.undo_stack = QUndoStack(self)

    def set_portfolio(self, portfolio: Portfolio | None) -> None:
        """Switch to another portfolio (undo history belongs to the old one)."""
        if self.portfolio is not None and self.portfolio is not portfolio:
            self.portfolio.close()
        self.portfolio = portfolio
        self.undo_stack.clear()
        self.opened.emit(portfolio)

    def read(self):
        """A read-only session on the open portfolio."""
        return self.portfolio.reading()

    def apply(self, text: str, action: Action, revert: Revert) -> ChangeSet:
        """Run a change now, in one transaction; it becomes one undo step."""
        with self.portfolio.transaction() as session:
            done = action(session, self.portfolio.user)
        if done:
            self.undo_stack.push(_Applied(self, text, done, revert))
            self.changed.emit(done)
        return done

    def apply_in_background(self, text: str, action: Action, revert: Revert, parent=None,
                            on_done: Callable[[ChangeSet], None] | None = None) -> None:
        """Like `apply`, for changes that may take a while: the window stays responsive."""
        portfolio = self.portfolio

        def work(_progress):
            with portfolio.transaction() as session:
                return action(session, portfolio.user)

        def finished(done: ChangeSet):
            self.record(text, done, revert)
            if on_done is not None:
                on_done(done)

        run_in_background(work, on_success=finished, parent=parent, label=f"{text}…")

    def record(self, text: str, done: ChangeSet, revert: Revert) -> None:
        """Register a change that already ran (e.g. in the background) as an undo step."""
        if done:
            self.undo_stack.push(_Applied(self, text, done, revert))
            self.changed.emit(done)

    def _run_revert(self, revert: Revert, done: ChangeSet) -> ChangeSet:
        with self.portfolio.transaction() as session:
            again = revert(session, done, self.portfolio.user)
        self.changed.emit(again)
        return again


class _Applied(QUndoCommand):
    """A change already made; undo and redo each revert the latest change set."""

    def __init__(self, workspace: Workspace, text: str, done: ChangeSet, revert: Revert):
        super().__init__(text)
        self._workspace, self._done, self._revert = workspace, done, revert
        self._pushed = False

    def redo(self) -> None:
        if not self._pushed:  # QUndoStack.push calls redo; the change is already made
            self._pushed = True
            return
        self._flip()

    def undo(self) -> None:
        self._flip()

    def _flip(self) -> None:
        try:
            self._done = self._workspace._run_revert(self._revert, self._done)
        except Exception as exc:
            # The portfolio moved on (another window edited the same app): this step can no
            # longer be undone safely, so it is dropped rather than forcing old values back.
            self.setObsolete(True)
            self._workspace.failed.emit(exc)
