"""Can Qt open a window on this X display? Asked before QApplication, answered in one line.

Without this, a fresh Debian machine missing `libxcb-cursor0` (or a DISPLAY that no X
server answers) aborts the window with Qt's multi-line plugin error and a core dump.
Both checks are cheap on a working machine: the xcb plugin is loaded the way Qt is
about to load it anyway (a few milliseconds), and one connection to the X server is
opened and closed. Only when loading fails is `ldd` asked for every missing library.
No Qt is imported here.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

XCB_PLUGIN = Path("Qt", "plugins", "platforms", "libqxcb.so")
CONNECT_SECONDS = 2.0  # a display that takes longer is left for Qt to judge
# The libraries PySide6's xcb plugin needs (`ldd libqxcb.so`, Qt's "Qt for X11
# Requirements") and the Debian/Ubuntu package of each; others follow Debian's naming rule.
DEBIAN_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1", "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0", "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0", "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1", "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-render.so.0": "libxcb-render0", "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1", "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1", "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1", "libEGL.so.1": "libegl1", "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6", "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}
HEADLESS = ("use the command line (fusiondesk --help), or set QT_QPA_PLATFORM=offscreen "
            "to run the window headless")


def display_problem(environ=os.environ) -> str | None:
    """One line saying why no window can open on this X display, or None when one can."""
    if not uses_xcb(environ):
        return None
    plugin = xcb_plugin()
    if plugin is None:
        return None  # an unusual install: let Qt speak for itself
    missing = missing_libraries(plugin)
    if missing:
        return missing_libraries_line(missing)
    display = environ.get("DISPLAY", "")
    if x_server_answers(display) is False:
        return (f"fusiondesk: no X server answers on DISPLAY={display!r}; start one or fix "
                f"DISPLAY, or {HEADLESS}.")
    return None


def uses_xcb(environ=os.environ) -> bool:
    """Whether Qt would open its windows through X11 (xcb) here."""
    if not sys.platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"  # "xcb", "xcb:option=...", "xcb;wayland"
    wayland = environ.get("WAYLAND_DISPLAY") and environ.get("XDG_SESSION_TYPE") == "wayland"
    return bool(environ.get("DISPLAY")) and not wayland


def xcb_plugin() -> Path | None:
    """PySide6's xcb platform plugin, from a virtual environment or a PyInstaller bundle."""
    spec = importlib.util.find_spec("PySide6")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if (Path(folder) / XCB_PLUGIN).is_file():
            return Path(folder) / XCB_PLUGIN
    return None


def missing_libraries(plugin: Path) -> list[str]:
    """The system libraries the plugin cannot find (none, on a machine where it loads)."""
    try:
        ctypes.CDLL(str(plugin))  # what Qt is about to do; loaded once, kept for it
        return []
    except OSError as exc:
        first = re.match(r"([^:\s]+\.so[.\d]*)", str(exc))
    listed = not_found_by_ldd(plugin)
    return listed or ([first.group(1)] if first else ["(unknown library)"])


def not_found_by_ldd(library: Path) -> list[str]:
    """Every library `ldd` reports as "not found" for `library`, once each, in its order."""
    try:
        output = subprocess.run(["ldd", str(library)], capture_output=True, text=True,
                                timeout=10, env={**os.environ, "LC_ALL": "C"}).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return list(dict.fromkeys(re.findall(r"^\s*(\S+) => not found", output, re.MULTILINE)))


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that ships `soname` ('libxcb-icccm.so.4' -> 'libxcb-icccm4')."""
    if soname in DEBIAN_PACKAGES:
        return DEBIAN_PACKAGES[soname]
    found = re.fullmatch(r"(.+)\.so\.(\d+)(?:\..*)?", soname)
    if not found:
        return soname
    name, version = found.group(1).lower(), found.group(2)
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def missing_libraries_line(missing: list[str]) -> str:
    """The one line naming the packages to install."""
    packages = " ".join(dict.fromkeys(debian_package(soname) for soname in missing))
    return (f"fusiondesk: the window needs system libraries that are missing "
            f"({', '.join(missing)}). On Debian or Ubuntu: sudo apt install {packages}; "
            f"or {HEADLESS}.")


def x_server_answers(display: str) -> bool | None:
    """Whether an X server accepts a connection on `display`; None when it cannot be told."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    answer: list[bool] = []

    def connect() -> None:
        connection = xcb.xcb_connect(display.encode() or None, None)
        answer.append(xcb.xcb_connection_has_error(connection) == 0)
        xcb.xcb_disconnect(connection)

    # A remote display over TCP may not answer for a long time: wait a little, not forever.
    worker = threading.Thread(target=connect, daemon=True)
    worker.start()
    worker.join(CONNECT_SECONDS)
    return answer[0] if answer else None
