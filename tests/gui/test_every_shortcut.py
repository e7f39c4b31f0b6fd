"""Every shortcut in the window reaches the one action it is written next to.

The bugs this guards against were all of this kind: two actions bound to one key (Qt
then calls neither and warns "Ambiguous shortcut overload"), a key that reached the
wrong page, a documented key bound to nothing. Each action's own effect is tested where
the action is; here the keys are sent to the real window and counted per action.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QToolBar, QWidget


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


def _answering(window, page: int) -> list[tuple[QAction, QKeySequence]]:
    """The enabled actions whose keys answer while `page` is shown."""
    window.navigation.setCurrentRow(page)
    QApplication.processEvents()
    return [(action, keys) for action, keys in _bound(window) if action.isEnabled()
            and (_home(action) is None or _page_of(window, _home(action)) == page)]


def test_no_two_actions_share_a_key_where_both_answer(shown):
    every = set()
    for page in range(shown.pages.count()):
        seen: dict[str, str] = {}
        for action, keys in _answering(shown, page):
            text = _text(keys)
            assert seen.get(text, action.text()) == action.text(), \
                f"page {page}: {text} answers both {seen[text]!r} and {action.text()!r}"
            seen[text] = action.text()
        every |= set(seen)
    assert len(every) >= 15  # the window's documented keys are all there


def test_each_key_sent_to_the_window_triggers_its_own_action_once(shown, qtbot):
    fired: dict[int, int] = {}
    for action, _keys in _bound(shown):
        # What the action does is tested beside it; here it only counts, so that no
        # dialog opens and no page changes under the next key.
        try:
            action.triggered.disconnect()
        except (RuntimeError, TypeError):
            pass
        action.triggered.connect(lambda _checked=False, a=id(action): fired.__setitem__(
            a, fired.get(a, 0) + 1))
    for page in range(shown.pages.count()):
        for action, keys in _answering(shown, page):
            fired.clear()
            target = _home(action) or shown.pages.widget(page)
            target.setFocus()
            combination = keys[0]
            qtbot.keyClick(target, combination.key(), combination.keyboardModifiers())
            QApplication.processEvents()
            assert fired == {id(action): 1}, \
                f"page {page}: {_text(keys)} should trigger {action.text()!r} once, got {fired}"
            shown.navigation.setCurrentRow(page)  # the key may not move the page: it is counted only
