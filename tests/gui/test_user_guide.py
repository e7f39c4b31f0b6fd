"""F1 opens the user guide: in the system's viewer when there is one, else in a window of ours."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fusiondesk.gui import about


@pytest.fixture(autouse=True)
def fresh_guide_window():
    yield
    if about._guide_window is not None:
        about._guide_window.close()
        about._guide_window.deleteLater()
        about._guide_window = None


@pytest.fixture
def no_viewer(monkeypatch):
    asked = []
    monkeypatch.setattr(about.QDesktopServices, "openUrl",
                        staticmethod(lambda url: asked.append(url) or False))
    return asked


def _readme_section(title: str) -> str:
    """The first paragraph of one README section, as written."""
    text = Path(about.user_guide_path()).read_text(encoding="utf-8")
    after = text.split(f"## {title}\n", 1)[1].strip().removeprefix("- ")
    return " ".join(after.split("\n\n", 1)[0].split())


def test_with_a_viewer_the_readme_opens_there(monkeypatch):
    opened = []
    monkeypatch.setattr(about.QDesktopServices, "openUrl",
                        staticmethod(lambda url: opened.append(url) or True))
    assert about.open_user_guide() is None
    assert [Path(url.toLocalFile()) for url in opened] == [about.user_guide_path()]
    assert about._guide_window is None


def test_without_a_viewer_the_guide_shows_in_the_window(qtbot, no_viewer):
    window = about.open_user_guide()
    qtbot.waitExposed(window)
    assert len(no_viewer) == 1  # the system's viewer was tried first
    shown = " ".join(window.browser.toPlainText().split())
    assert _readme_section("Using it")[:80] in shown  # rendered: no "**" or "- " left
    assert _readme_section("Where data lives").replace("`", "")[:60] in shown
    assert "The command line" not in shown  # the developer sections stay in the README
    assert about.open_user_guide() is window  # F1 again brings the same window forward


def test_with_no_guide_shipped_the_window_says_where_it_looked(qtbot, no_viewer, monkeypatch,
                                                                tmp_path):
    monkeypatch.setattr(about, "_guide_places", lambda: [tmp_path / "README.md"])
    window = about.open_user_guide()
    qtbot.waitExposed(window)
    shown = window.browser.toPlainText()
    assert "not installed" in shown and str(tmp_path / "README.md") in shown
    assert no_viewer == []  # nothing to hand to a viewer


def test_f1_in_the_main_window_shows_the_guide(qtbot, window, no_viewer):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts answer in the active window
    qtbot.keyClick(window.navigation, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: about._guide_window is not None and about._guide_window.isVisible())
    assert "user guide" in about._guide_window.windowTitle()


def test_guide_markdown_keeps_only_the_users_sections():
    readme = "# X\n\nintro\n\n## Set-up\n\nmake\n\n## Using it\n\n- **Portfolio**: apps\n\n" \
             "## The code\n\nlayers\n\n## Where data lives\n\nhome\n"
    guide = about.guide_markdown(readme)
    assert "## Using it" in guide and "**Portfolio**" in guide and "home" in guide
    assert "make" not in guide and "layers" not in guide and "intro" not in guide
