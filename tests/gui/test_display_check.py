"""No usable X display, or X11 libraries missing: one line naming the fix, exit 2, nothing opened."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fusiondesk.gui import display_check

DEAD_DISPLAY = ":99"
GUI_ENV = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE")}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_server_on_99():
    if Path("/tmp/.X11-unix/X99").exists():
        pytest.skip("an X server runs on :99 here")


def _open_window(tmp_path, *, missing=None, **env):
    """Start `fusiondesk PORTFOLIO` in a child process, optionally with libraries missing."""
    fake = ("from fusiondesk.gui import display_check as d; "
            f"d.missing_libraries = lambda plugin: {missing!r}; ") if missing is not None else ""
    code = (f"import sys; {fake}from fusiondesk.cli import main; "
            f"sys.exit(main([{str(tmp_path / 'p.fdesk')!r}]))")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={**GUI_ENV, **env})


def _one_line(result) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    return line


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is Linux's")
def test_a_display_nobody_answers_is_one_line_and_exit_2(tmp_path, no_server_on_99):
    # Whatever this machine lacks first (libraries, or a server on :99) is what it names.
    line = _one_line(_open_window(tmp_path, DISPLAY=DEAD_DISPLAY, QT_QPA_PLATFORM="xcb"))
    assert line.startswith("fusiondesk: ")
    assert "sudo apt install" in line or f"no X server answers on DISPLAY='{DEAD_DISPLAY}'" in line
    assert "QT_QPA_PLATFORM=offscreen" in line
    assert not (tmp_path / "p.fdesk").exists()  # nothing was opened or created


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is Linux's")
def test_missing_x11_libraries_name_their_debian_packages(tmp_path, no_server_on_99):
    result = _open_window(tmp_path, missing=["libxcb-cursor.so.0", "libxcb-icccm.so.4"],
                          DISPLAY=DEAD_DISPLAY)
    line = _one_line(result)
    assert "(libxcb-cursor.so.0, libxcb-icccm.so.4)" in line
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4;" in line
    assert not (tmp_path / "p.fdesk").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is Linux's")
def test_with_every_library_a_dead_display_is_named(no_server_on_99, monkeypatch):
    if display_check.x_server_answers(DEAD_DISPLAY) is None:
        pytest.skip("libxcb itself is not installed here")
    monkeypatch.setattr(display_check, "missing_libraries", lambda plugin: [])
    line = display_check.display_problem({"DISPLAY": DEAD_DISPLAY})
    assert line.startswith(f"fusiondesk: no X server answers on DISPLAY='{DEAD_DISPLAY}'")


def test_a_plugin_that_does_not_load_lists_every_missing_library(monkeypatch, tmp_path):
    def refuse(path, *args, **kwargs):
        raise OSError("libxcb-cursor.so.0: cannot open shared object file: No such file")

    monkeypatch.setattr(display_check.ctypes, "CDLL", refuse)
    monkeypatch.setattr(display_check, "not_found_by_ldd", lambda library: [])
    assert display_check.missing_libraries(tmp_path / "libqxcb.so") == ["libxcb-cursor.so.0"]
    monkeypatch.setattr(display_check, "not_found_by_ldd",
                        lambda library: ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"])
    assert display_check.missing_libraries(tmp_path / "libqxcb.so") == [
        "libxcb-icccm.so.4", "libxcb-keysyms.so.1"]  # ldd finds them all, not just the first


@pytest.mark.parametrize("soname, package", [
    ("libxcb-cursor.so.0", "libxcb-cursor0"), ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libX11-xcb.so.1", "libx11-xcb1"), ("libxcb-xinerama.so.0", "libxcb-xinerama0"),
    ("libfoo2.so.3", "libfoo2-3"), ("libGLX.so.0.0.0", "libglx0")])
def test_debian_package_names(soname, package):
    assert display_check.debian_package(soname) == package


@pytest.mark.parametrize("environ, xcb", [
    ({"DISPLAY": ":0"}, True),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, False),
    ({"QT_QPA_PLATFORM": "xcb:nograb"}, True),
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, False),
    ({"WAYLAND_DISPLAY": "wayland-0"}, False)])
def test_only_an_x11_start_is_checked(environ, xcb, monkeypatch):
    monkeypatch.setattr(display_check.sys, "platform", "linux")
    assert display_check.uses_xcb(environ) is xcb


def test_an_offscreen_start_checks_nothing(monkeypatch):
    monkeypatch.setattr(display_check, "xcb_plugin", lambda: pytest.fail("looked for xcb"))
    assert display_check.display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
