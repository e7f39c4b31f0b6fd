"""What the window tests share."""

import pytest

from fusiondesk.gui.main_window import MainWindow
from fusiondesk.gui.workspace import Workspace


@pytest.fixture
def window(qtbot, sample_portfolio):
    """The main window on the small generated sample portfolio."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.workspace.set_portfolio(sample_portfolio)
    return window


@pytest.fixture
def settle(qtbot):
    """Wait until the workspace's change, undo or redo has run on the worker and been announced."""
    def wait(workspace) -> None:
        qtbot.waitUntil(lambda: not workspace.busy, timeout=15000)

    return wait


@pytest.fixture
def run_change(settle):
    """Run a change through the workspace as the GUI does, wait for it, and give its change set."""
    def run(workspace, text, action, revert):
        done = []
        workspace.run(text, action, revert, on_done=done.append)
        settle(workspace)
        return done[0] if done else None

    return run


@pytest.fixture
def shown(window, qtbot):
    """The window on the sample, shown and active so its shortcuts answer."""
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


@pytest.fixture
def workspace(sample_portfolio):
    """A workspace (no window) on the small generated sample portfolio."""
    opened = Workspace()
    opened.set_portfolio(sample_portfolio)
    return opened
