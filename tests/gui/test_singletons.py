"""PySide6 6.12.0 on Python 3.11 releases None and True it never took, and the interpreter aborts
("none_dealloc") after a few thousand calls; pyproject.toml keeps it out. This fails (or aborts)
if a PySide6 with that bug is installed again."""

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction


class _Talker(QObject):
    said = Signal()


def test_a_long_session_of_void_calls_and_emits_does_not_use_up_none_or_true(qtbot):
    action, talker = QAction("x"), _Talker()
    for _ in range(20_000):  # thousands of times what a refcount of None or True can lose
        action.setEnabled(True)
        talker.said.emit()
    assert sys.getrefcount(None) > 20_000 and sys.getrefcount(True) > 20_000
