"""Running database and file work off the GUI thread.

One worker thread does all background work, in order (as Anki's taskman), so two
long jobs never race on the portfolio. Results come back to the GUI thread by
signal. A progress dialog appears only when the job takes longer than ~600 ms.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget
from shiboken6 import isValid

PROGRESS_DELAY_MS = 600


class Cancelled(Exception):
    """Raised inside a job when the user pressed Cancel; the job's transaction rolls back."""


class Progress:
    """Passed to a job: report progress, and learn whether the user cancelled."""

    def __init__(self, signals: "_Signals"):
        self._signals = signals
        self.cancelled = False
        # For work that waits on something else (a parser child reading a file): it
        # watches this event and stops at once, rather than at its next progress report.
        self.event = threading.Event()

    def cancel(self) -> None:
        """The user pressed Cancel."""
        self.cancelled = True
        self.event.set()

    def __call__(self, done: int, total: int, label: str = "") -> None:
        if self.cancelled:
            raise Cancelled()
        self._signals.progress.emit(done, total, label)


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object, str)
    progress = Signal(int, int, str)


class _Job(QRunnable):
    def __init__(self, work: Callable[[Progress], Any]):
        super().__init__()
        self.signals = _Signals()
        self.progress = Progress(self.signals)
        self._work = work

    @Slot()
    def run(self) -> None:
        try:
            result = self._work(self.progress)
        except BaseException as exc:  # reported to the GUI thread, never lost
            self._tell(self.signals.failed, exc, traceback.format_exc())
        else:
            self._tell(self.signals.finished, result)

    def _tell(self, signal, *args) -> None:
        # A job still queued when the application quits may run while Python tears Qt down:
        # its signals are gone with the window that would have heard them, and there is
        # nobody left to tell (a change is never queued then: closing waits for it).
        if isValid(self.signals):
            try:
                signal.emit(*args)
            except RuntimeError:
                pass


_pool: QThreadPool | None = None
_running: set[_Job] = set()


def _worker_pool() -> QThreadPool:
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
    return _pool


def while_alive(widget: QObject, callback):
    """`callback`, or nothing once `widget` is gone: a read can outlive the page that asked
    (only for reads: a change's callback must run, to record its undo step)."""
    def call(*args) -> None:
        if isValid(widget):
            callback(*args)
    return call


def run_in_background(work: Callable[[Progress], Any], *, on_success: Callable[[Any], None],
                      on_failure: Callable[[BaseException, str], None] | None = None,
                      parent: QWidget | None = None, label: str = "Working…",
                      cancellable: bool = False) -> _Job:
    """Run `work(progress)` on the worker thread, then call back on the GUI thread."""
    job = _Job(work)
    dialog = _DelayedProgress(parent, label, job, cancellable)
    _running.add(job)

    def done(result):
        dialog.finish()
        _running.discard(job)
        on_success(result)

    def failed(exc, trace):
        dialog.finish()
        _running.discard(job)
        if on_failure is not None:
            on_failure(exc, trace)
        elif not isinstance(exc, Cancelled):
            from fusiondesk.gui.errors import show_error

            show_error(parent, exc, trace)

    job.signals.finished.connect(done)
    job.signals.failed.connect(failed)
    job.signals.progress.connect(dialog.update)
    _worker_pool().start(job)
    return job


def wait_for_background(timeout_ms: int = 30000) -> bool:
    """Block until the worker is idle (for tests and for closing the window)."""
    return _worker_pool().waitForDone(timeout_ms)


def is_busy() -> bool:
    """True while a background job is running or queued."""
    return bool(_running)


class _DelayedProgress:
    """A progress dialog that shows itself only if the job is still running after a moment."""

    def __init__(self, parent, label: str, job: _Job, cancellable: bool):
        self._dialog: QProgressDialog | None = None
        self._parent, self._label, self._job, self._cancellable = parent, label, job, cancellable
        self._last = (0, 0, label)
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show)
        self._timer.start(PROGRESS_DELAY_MS)

    def _show(self) -> None:
        dialog = QProgressDialog(self._label, "Cancel" if self._cancellable else None,
                                 0, 0, self._parent)
        dialog.setWindowTitle("FusionDesk")
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if self._cancellable:
            dialog.canceled.connect(self._cancel)
        self._dialog = dialog
        self.update(*self._last)
        dialog.show()

    def _cancel(self) -> None:
        self._job.progress.cancel()
        if self._dialog:
            self._dialog.setLabelText("Cancelling… nothing will be changed.")

    def update(self, done: int, total: int, label: str = "") -> None:
        self._last = (done, total, label)
        if self._dialog is None:
            return
        self._dialog.setMaximum(total)
        self._dialog.setValue(done)
        if label and not self._job.progress.cancelled:
            self._dialog.setLabelText(label)

    def finish(self) -> None:
        self._timer.stop()
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
