"""What the window tests share."""

import pytest

from fusiondesk.gui.main_window import MainWindow


@pytest.fixture
def window(qtbot, sample_portfolio):
    """The main window on the small generated sample portfolio."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.workspace.set_portfolio(sample_portfolio)
    return window
