"""The open portfolio as the GUI sees it: one way to run a change, undo it, and hear of it.

Views never open transactions themselves: they hand a use case to `run`, which runs
it on the worker thread in one transaction (as Anki's CollectionOp), then, back on
the GUI thread, pushes one undo step and announces what changed. Undo and redo run
the same way; the QUndoStack only keeps the history, and moves once the database
has.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack

from fusiondesk.core import clock
from fusiondesk.core.permissions import EDIT, may
from fusiondesk.gui.tasks import run_in_background
from fusiondesk.services.affected import everything
from fusiondesk.services.changes import ChangeSet
from fusiondesk.services.classification.reclassify import refresh_for_today
from fusiondesk.services.opening import ChangeWatcher, Portfolio

Action = Callable[[Any, str], ChangeSet]  # (session, who) -> what changed
Revert = Callable[[Any, ChangeSet, str], ChangeSet]
Failure = Callable[[BaseException, str], None]  # (exception, traceback)


class Workspace(QObject):
    """Holds the open portfolio and its undo history; signals every change."""

    opened = Signal(object)  # Portfolio
    changed = Signal(object)  # ChangeSet
    failed = Signal(object)  # an exception from undo/redo, for the window to show
    busy_changed = Signal(bool)  # a change is running (undo and redo wait for it)
    history_cleared = Signal(str)  # why the undo history was emptied, for the status bar
    others_changed = Signal()  # another window or program changed the portfolio (views reloaded)

    WATCH_MS = 2000  # how often to ask whether someone else changed the portfolio

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.portfolio: Portfolio | None = None
        self.undo_stack = QUndoStack(self)
        self._running = 0
        self._watcher: ChangeWatcher | None = None
        self._watch_timer = QTimer(self)
        self._watch_timer.setInterval(self.WATCH_MS)
        self._watch_timer.timeout.connect(self.look_for_others)
        self._day = clock.today()  # the day the stored warning signs are as of

    def set_portfolio(self, portfolio: Portfolio | None) -> None:
        """Switch to another portfolio (undo history belongs to the old one)."""
        if self._watcher is not None:
            self._watcher.close()
            self._watcher = None
        if self.portfolio is not None and self.portfolio is not portfolio:
            self.portfolio.close()
        self.portfolio = portfolio
        self.undo_stack.clear()
        self._day = clock.today()  # opening brought the signs to today
        if portfolio is not None:
            self._watcher = ChangeWatcher(portfolio)
            self._watch_timer.start()
        else:
            self._watch_timer.stop()
        self.opened.emit(portfolio)

    def look_for_others(self) -> None:
        """Reload the views if another window or program changed the portfolio meanwhile.

        Asked on the GUI thread: it is a non-blocking look at a notification queue (a
        server) or one PRAGMA on a connection of its own (a file), microseconds either way.
        What the user is typing in an editor stays; saving it over someone else's change is
        refused with both values, as any conflicting edit is.
        """
        if self._watcher is None or self.busy:
            return  # our own change is running: we look again once it is announced
        if clock.today() != self._day:
            self._bring_signs_to_today()
        elif self._watcher.others_changed():
            self.announce(everything())
            self.others_changed.emit()

    def _bring_signs_to_today(self) -> None:
        """A window left open past midnight: some warning signs move with the day (a review
        falls due, an app goes idle), so the stored ones are brought to it on the worker
        (the apps the day can move, in a second at 100,000) and the views reloaded. No undo
        step: the user did nothing. Should it fail (the file locked a while, say), the
        next open or policy change does it."""
        self._day, portfolio = clock.today(), self.portfolio
        if not may(portfolio.role, EDIT):
            return  # a reader stores nothing; an editor's window or next open will

        def reloaded(classified: int) -> None:
            if classified:
                self.announce(everything())

        self._in_background(portfolio, refresh_for_today, reloaded, lambda _exc, _trace: None,
                            None, "Bringing warning signs to today…")

    def read(self):
        """A read-only session on the open portfolio (the unit of work use cases take)."""
        return self.portfolio.reading()

    @property
    def busy(self) -> bool:
        """True while a change, undo or redo is running or queued."""
        return self._running > 0

    # -- running changes ------------------------------------------------------------
    def run(self, text: str, action: Action, revert: Revert, *, parent=None,
            on_done: Callable[[ChangeSet], None] | None = None,
            on_failure: Failure | None = None) -> None:
        """Run a change on the worker thread in one transaction; it becomes one undo step.

        `on_done` gets the change set once it is recorded and announced; a failure goes
        to `on_failure`, or is shown to the user. Either way nothing is half-done.
        """
        def finished(done: ChangeSet) -> None:
            if done and self.portfolio is portfolio:
                self.undo_stack.push(_Applied(text, done, revert))
            if done:
                self.announce(done)
            if on_done is not None:
                on_done(done)

        portfolio = self.portfolio
        self._in_background(portfolio, lambda session: action(session, portfolio.user),
                            finished, on_failure, parent, f"{text}…")

    def announce(self, done: ChangeSet) -> None:
        """Tell every view what changed (an empty change set: anything may have, as after an import)."""
        if self._watcher is not None:
            self._watcher.acknowledge()  # ours: not news from someone else
        self.changed.emit(done)

    def announce_outside_history(self, done: ChangeSet, why: str) -> None:
        """A change that is no undo step (an import) was made: announce it and clear the history.

        The steps before it would be refused as edits "changed by someone else" (the import
        moved the versions on) and lost, so the history is emptied openly instead.
        """
        if self.undo_stack.count():
            self.undo_stack.clear()
            self.history_cleared.emit(why)
        self.announce(done)

    def undo(self) -> None:
        """Revert the latest change on the worker thread, then step the history back."""
        self._step(self.undo_stack.index() - 1, forward=False)

    def redo(self) -> None:
        """Make the latest undone change again, then step the history forward."""
        self._step(self.undo_stack.index(), forward=True)

    def _step(self, index: int, forward: bool) -> None:
        if self.busy or not 0 <= index < self.undo_stack.count():
            return  # one step at a time: the history moves only once the database has
        command: _Applied = self.undo_stack.command(index)
        portfolio = self.portfolio

        def finished(again: ChangeSet) -> None:
            if self.portfolio is not portfolio:
                return  # another portfolio was opened meanwhile: this history is gone
            command.done = again  # a revert of a revert is a redo
            self._move(forward)
            self.announce(again)

        def failed(exc: BaseException, _trace: str) -> None:
            # The portfolio moved on (another window edited the same app): this step can no
            # longer be undone safely, so it is dropped rather than forcing old values back.
            self.failed.emit(exc)
            if self.portfolio is not portfolio:
                return
            command.setObsolete(True)
            self._move(forward)  # an obsolete command is removed instead of stepped over

        self._in_background(portfolio, lambda session: command.revert(session, command.done, portfolio.user),
                            finished, failed, None, f"{'Redo' if forward else 'Undo'} {command.text()}…")

    def _move(self, forward: bool) -> None:
        if forward:
            self.undo_stack.redo()
        else:
            self.undo_stack.undo()

    def _in_background(self, portfolio, work: Callable[[Any], ChangeSet],
                       on_success: Callable[[ChangeSet], None], on_failure: Failure | None,
                       parent, label: str) -> None:
        def job(_progress):
            with portfolio.transaction() as session:
                return work(session)

        def succeeded(result: ChangeSet) -> None:
            try:
                on_success(result)
            finally:
                self._set_running(-1)

        def failed(exc: BaseException, trace: str) -> None:
            try:
                if on_failure is not None:
                    on_failure(exc, trace)
                else:
                    from fusiondesk.gui.errors import show_error

                    show_error(parent, exc, trace)
            finally:
                self._set_running(-1)

        self._set_running(+1)
        run_in_background(job, on_success=succeeded, on_failure=failed, parent=parent, label=label)

    def _set_running(self, step: int) -> None:
        was = self.busy
        self._running += step
        if self.busy != was:
            self.busy_changed.emit(self.busy)

    # -- the Edit menu ------------------------------------------------------------------
    def undo_action(self, parent: QObject) -> QAction:
        """An Undo action that names the step it undoes and waits while a change runs."""
        stack = self.undo_stack
        return _HistoryAction("&Undo", self, self.undo, stack.canUndo(), stack.undoText(),
                              stack.canUndoChanged, stack.undoTextChanged, parent)

    def redo_action(self, parent: QObject) -> QAction:
        """A Redo action that names the step it redoes and waits while a change runs."""
        stack = self.undo_stack
        return _HistoryAction("&Redo", self, self.redo, stack.canRedo(), stack.redoText(),
                              stack.canRedoChanged, stack.redoTextChanged, parent)


class _HistoryAction(QAction):
    """Undo or Redo: enabled when the history allows it and no change is running."""

    def __init__(self, prefix: str, workspace: Workspace, slot, can: bool, text: str,
                 can_changed, text_changed, parent: QObject):
        super().__init__(prefix, parent)
        self._prefix, self._can, self._busy = prefix, can, workspace.busy
        self.triggered.connect(lambda _checked=False: slot())
        # The signals carry the state, so the stack is never asked (it may be going away).
        can_changed.connect(self._set_can)
        text_changed.connect(self._set_text)
        workspace.busy_changed.connect(self._set_busy)
        self._set_text(text)

    def _set_can(self, can: bool) -> None:
        self._can = can
        self.setEnabled(self._can and not self._busy)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.setEnabled(self._can and not self._busy)

    def _set_text(self, text: str) -> None:
        self.setText(f"{self._prefix} {text}".strip())
        self.setEnabled(self._can and not self._busy)


class _Applied(QUndoCommand):
    """A change already made: the history entry of it, with what reverts it.

    The database work of undo and redo is done by `Workspace._step` on the worker
    thread; the stack calls `undo`/`redo` only to move its index afterwards.
    """

    def __init__(self, text: str, done: ChangeSet, revert: Revert):
        super().__init__(text)
        self.done, self.revert = done, revert

    def redo(self) -> None:
        pass

    def undo(self) -> None:
        pass
