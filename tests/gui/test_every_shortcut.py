"""Every shortcut in the window reaches the one action it is written next to.

The bugs this guards against were all of this kind: two actions bound to one key (Qt
then calls neither and warns "Ambiguous shortcut overload"), a key that reached the
wrong page, a documented key bound to nothing. Each action's own effect is tested where
the action is; here the keys are sent to the real window and counted per action.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QToolBar, QWidget


@pytest.fixture
def shown(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _bound(window) -> list[tuple[QAction, QKeySequence]]:
    """Every action of the window with each of its shortcuts."""
    found = []
    for action in window.findChildren(QAction):
        for keys in action.shortcuts():
            if not keys.isEmpty():
                found.append((action, keys))
    return found


_SCOPED = (Qt.ShortcutContext.WidgetShortcut, Qt.ShortcutContext.WidgetWithChildrenShortcut)


def _home(action: QAction) -> QWidget | None:
    """The widget a page-scoped action answers in (None: it answers anywhere in the window)."""
    if action.shortcutContext() not in _SCOPED:
        return None
    return next(w for w in action.associatedObjects()
                if isinstance(w, QWidget) and not isinstance(w, (QMenu, QToolBar)))


def _page_of(window, widget: QWidget) -> int:
    return next(i for i in range(window.pages.count()) if window.pages.widget(i).isAncestorOf(widget))


def _text(keys: QKeySequence) -> str:
    return keys.toString(QKeySequence.SequenceFormat.PortableText)


def test_no_two_actions_share_a_key_where_both_answer(shown):
    anywhere: dict[str, str] = {}
    scoped: dict[tuple[str, int], str] = {}
    bound = _bound(shown)
    for action, keys in bound:
        home = _home(action)
        if home is None:
            assert anywhere.get(_text(keys), action.text()) == action.text(), \
                f"{_text(keys)} is bound to both {anywhere[_text(keys)]!r} and {action.text()!r}"
            anywhere[_text(keys)] = action.text()
        else:  # the same key may mean "new app" on one page and "new person" on another
            place = (_text(keys), _page_of(shown, home))
            assert scoped.get(place, action.text()) == action.text(), \
                f"{place[0]} is bound twice on one page: {scoped[place]!r}, {action.text()!r}"
            scoped[place] = action.text()
    clashes = {key for key, _page in scoped} & set(anywhere)
    assert not clashes, f"keys bound on a page and in the whole window: {clashes}"
    assert len(anywhere) >= 15  # the window's documented keys are all there


def test_each_key_sent_to_the_window_triggers_its_own_action_once(shown, qtbot):
    bound = [(a, k) for a, k in _bound(shown) if a.isEnabled()]
    fired: dict[int, int] = {}
    for action, _keys in bound:
        # What the action does is tested beside it; here it only counts, so that no
        # dialog opens and no page changes under the next key.
        try:
            action.triggered.disconnect()
        except (RuntimeError, TypeError):
            pass
        action.triggered.connect(lambda _checked=False, a=id(action): fired.__setitem__(
            a, fired.get(a, 0) + 1))
    for action, keys in bound:
        fired.clear()
        target = _home(action)
        if target is None:
            target = shown.navigation
        else:
            shown.navigation.setCurrentRow(_page_of(shown, target))
            target.setFocus()
            qtbot.waitUntil(target.hasFocus)
        combination = keys[0]
        qtbot.keyClick(target, combination.key(), combination.keyboardModifiers())
        QApplication.processEvents()
        assert fired == {id(action): 1}, \
            f"{_text(keys)} should trigger {action.text()!r} once, triggered {fired}"
