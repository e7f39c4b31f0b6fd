"""A guard against PySide6 6.12's reference counting of None, True and False on Python 3.11.

That PySide6 returns None from every void method, and True from `Signal.emit()`,
without taking a reference: on Python 3.12 those objects are immortal and nothing
happens, but on 3.11 each call takes one reference away, and after a few thousand
calls the interpreter aborts ("none_dealloc" / "bool_dealloc"), often on quitting.
When the installed PySide6 is found to do that, these three objects get a reference
count no session can use up, which is what 3.12 gives them.
"""

from __future__ import annotations

import ctypes
import sys

_PLENTY = 1 << 40


def _loses_references() -> bool:
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(10):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before - 5


def protect() -> None:
    """Make None, True and False outlive any number of unbalanced releases (3.11 and older)."""
    if sys.version_info >= (3, 12) or not _loses_references():
        return
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += _PLENTY
