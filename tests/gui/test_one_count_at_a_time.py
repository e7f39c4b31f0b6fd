"""Pages count their figures one count at a time: requests made during a count are counted
once after it, and an answer for a portfolio since closed is counted again for the new one."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from types import SimpleNamespace

from PySide6.QtWidgets import QWidget

from fusiondesk.gui.lazy import OneCountAtATime


class FakePortfolio:
    def __init__(self, name):
        self.name = name

    @contextmanager
    def reading(self):
        yield self.name  # the "session" the count receives


def test_requests_during_a_count_are_counted_once_after_it(qtbot):
    page = QWidget()
    qtbot.addWidget(page)
    workspace = SimpleNamespace(portfolio=FakePortfolio("a"))
    gate, counted, shown = threading.Event(), [], []

    def read():
        def count(session):
            gate.wait(5)
            counted.append(session)
            return len(counted)
        return count

    counter = OneCountAtATime(page, workspace, "Counting…", read, shown.append)
    counter.request()
    counter.request()  # three requests while the first count runs…
    counter.request()
    counter.request()
    gate.set()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert counted == ["a", "a"] and shown == [2]  # …make one more count, and one answer shown


def test_an_answer_for_a_closed_portfolio_is_counted_again_for_the_open_one(qtbot):
    page = QWidget()
    qtbot.addWidget(page)
    workspace = SimpleNamespace(portfolio=FakePortfolio("old"))
    gate, shown = threading.Event(), []

    def read():
        def count(session):
            gate.wait(5)
            return session
        return count

    counter = OneCountAtATime(page, workspace, "Counting…", read, shown.append)
    counter.request()
    workspace.portfolio = FakePortfolio("new")  # the user opened another portfolio meanwhile
    gate.set()
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert shown == ["new"]
