"""Pictures of the real window, made offscreen.

`python -m fusiondesk.gui.screenshot OUT.png [PORTFOLIO]`: the README's picture (the
Home page of the portfolio named, or of the sample).
`python -m fusiondesk.gui.screenshot --gallery DIR`: every page and the main dialogs,
in the light and the dark palette, as DIR/<name>-<palette>.png, with DIR/README.md
listing them (`make screenshots`).

The gallery drives the window only through what a user reaches (pages, dialogs
opened as their menus open them) and waits for background work to finish, so it
keeps working while the pages themselves change.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WINDOW_SIZE = (1280, 800)
PALETTES = ("light", "dark")
PAGES = ("Home", "Portfolio", "Dashboard", "Programme", "People", "Teams", "Ownership",
         "Citizen developers", "Reviews", "Escalations", "Audit", "Change log")
DIALOGS = {  # file name: what it shows (the gallery index says so)
    "app-editor": "Editing an app: why it is Tier 4",
    "policy-editor": "The governance policy",
    "handover": "A leaver's handover plan",
    "about": "About FusionDesk",
}
FIRST_STEPS = {  # pictures of a new, empty portfolio
    "home-empty": "Home of an empty portfolio: how to begin",
    "import-preview": "The import wizard's preview of the sample inventory",
}
SAMPLE_INVENTORY = Path(__file__).resolve().parents[2] / "sample_data" / "sample_inventory.xlsx"
SETTLE_SECONDS = 0.6  # quiet time after background work before a grab (charts draw late)


def main(argv: list[str]) -> int:
    """Save a screenshot of the main window, or the whole gallery with --gallery DIR."""
    option = argv[0] if argv and argv[0].startswith("-") else None
    if option in ("-h", "--help"):
        print(__doc__.split("\n\n")[1])  # the usage paragraph
        return 0
    if option not in (None, "--gallery"):  # not a file to write: a mistyped option
        print(f"screenshot: unknown option {option} (see --help)", file=sys.stderr)
        return 2
    # Settings of their own: the pictures' temporary portfolios never join the user's recent list.
    os.environ["FUSIONDESK_HOME"] = tempfile.mkdtemp(prefix="fusiondesk-screenshots-")
    os.environ.setdefault("FUSIONDESK_USER", "coe.lead")
    if argv[:1] == ["--gallery"]:
        return gallery(Path(argv[1] if len(argv) > 1 else "docs/screenshots"))
    out = argv[0] if argv else "resources/screenshot.png"
    app = _application()
    window = _window_on(_copy(argv[1]) if len(argv) > 1 else _sample_portfolio(), WINDOW_SIZE)
    _save(window.grab(), Path(out))
    window.close()
    app.processEvents()
    print(out)
    return 0


# ---- the gallery ----------------------------------------------------------------------

def gallery(folder: Path) -> int:
    """Every page and main dialog, light and dark; returns 1 if any picture could not be made."""
    from fusiondesk.core.atomic import write_bytes

    app = _application()
    folder.mkdir(parents=True, exist_ok=True)
    sample = _sample_portfolio(with_reviews=True)
    failed = []
    for palette in PALETTES:
        _use_palette(app, palette)
        window = _window_on(_copy(sample), WINDOW_SIZE)
        for page in PAGES:
            failed += _shoot(folder, f"{_file_name(page)}-{palette}", lambda p=page: _page(window, p))
        for name in DIALOGS:
            failed += _shoot(folder, f"{name}-{palette}", lambda n=name: _dialog(window, n))
        window.close()
        empty = _window_on(os.path.join(tempfile.mkdtemp(), "new.fdesk"), WINDOW_SIZE, create=True)
        failed += _shoot(folder, f"home-empty-{palette}", lambda: (empty, False))
        failed += _shoot(folder, f"import-preview-{palette}", lambda: (_import_preview(empty), True))
        empty.close()
        app.processEvents()
    write_bytes(folder / "README.md", _index().encode("utf-8"))
    for name, reason in failed:
        print(f"not made: {name}: {reason}", file=sys.stderr)
    return 1 if failed else 0


def _shoot(folder: Path, name: str, make: Callable) -> list[tuple[str, str]]:
    """Grab what `make` shows (a widget to grab, closed afterwards when it is a dialog)."""
    try:
        widget, close = make()
        _settle()
        _save(widget.grab(), folder / f"{name}.png")
        if close:
            widget.close()
            widget.deleteLater()
        print(folder / f"{name}.png")
        return []
    except Exception as exc:  # one picture failing must not lose the rest of the gallery
        return [(name, f"{type(exc).__name__}: {exc}")]


def _page(window, title: str):
    nav = window.navigation
    row = next(r for r in range(nav.count()) if nav.item(r).text() == title)
    nav.setCurrentRow(row)
    return window, False


def _dialog(window, name: str):
    dialog = {"app-editor": _app_editor, "policy-editor": _policy_editor, "handover": _handover,
              "about": _about}[name](window)
    dialog.show()
    return dialog, True


def _app_editor(window):
    from PySide6.QtWidgets import QTabWidget

    from fusiondesk.gui.app_editor import AppEditor

    window.show_page(window.portfolio_view)
    _settle()
    model = window.portfolio_view.model  # the first Tier 4 app: the Why-Tier panel has most to say
    app_id = next((model.app_id(r) for r in range(model.rowCount())
                   if model.cell_text(r, "tier").endswith("4")), model.app_id(0))
    editor = AppEditor(window.workspace, app_id, window)
    for tabs in editor.findChildren(QTabWidget):  # found by its title, whatever the tab order
        for index in range(tabs.count()):
            if tabs.tabText(index).replace("&", "").startswith("Why"):
                tabs.setCurrentIndex(index)
    return editor


def _import_preview(window):
    from fusiondesk.gui.import_wizard import ImportWizard

    wizard = ImportWizard(window.workspace, window, str(SAMPLE_INVENTORY))
    wizard.show()  # into an empty portfolio: the preview of a first import
    deadline = time.monotonic() + 60
    while wizard.currentPage() is not wizard.preview_page:
        if time.monotonic() > deadline:
            raise TimeoutError("the wizard did not reach its preview")
        if wizard.currentPage().isComplete():
            wizard.next()
        _settle(0.2)
    while not wizard.preview_page.isComplete() and time.monotonic() < deadline:
        _settle(0.2)
    return wizard


def _policy_editor(window):
    from fusiondesk.gui.policy_editor import PolicyEditor

    return PolicyEditor(window.workspace, window)


def _handover(window):
    from fusiondesk.gui.handover_dialog import HandoverDialog
    from fusiondesk.services.handover.planning import upcoming_leavers

    with window.workspace.read() as session:
        leavers = upcoming_leavers(session)
    if not leavers:
        raise LookupError("nobody in the sample is leaving")
    return HandoverDialog(window.workspace, leavers[0].email, window)


def _about(window):
    from PySide6.QtWidgets import QMessageBox

    from fusiondesk import APP_NAME
    from fusiondesk.gui.about import about_text

    location = window.workspace.portfolio.location.display
    box = QMessageBox(QMessageBox.Icon.Information, f"About {APP_NAME}", about_text(location),
                      QMessageBox.StandardButton.Ok, window)
    return box


def _index() -> str:
    """docs/screenshots/README.md: every picture, light beside dark."""
    lines = ["# FusionDesk screenshots", "",
             "Made by `make screenshots` (`python -m fusiondesk.gui.screenshot --gallery "
             "docs/screenshots`) on the generated 400-app sample, offscreen, at "
             f"{WINDOW_SIZE[0]}×{WINDOW_SIZE[1]}. Run it again after changing a page.", "",
             "| | Light | Dark |", "|---|---|---|"]
    shots = ([(page, _file_name(page)) for page in PAGES]
             + [(what, name) for name, what in (*FIRST_STEPS.items(), *DIALOGS.items())])
    for what, name in shots:
        lines.append(f"| {what} | ![{what}, light]({name}-light.png) | ![{what}, dark]({name}-dark.png) |")
    return "\n".join(lines) + "\n"


def _file_name(page: str) -> str:
    return page.lower().replace(" ", "-")


# ---- the window and the pictures ----------------------------------------------------------

def _application():
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    return app


def _use_palette(app, palette: str) -> None:
    from fusiondesk.gui.theme import dark_palette

    app.setPalette(dark_palette() if palette == "dark" else app.style().standardPalette())


def _window_on(location: str, size: tuple[int, int], create: bool = False):
    from fusiondesk.gui.main_window import MainWindow

    window = MainWindow()
    window.resize(*size)
    window.show()
    window.open_location(location, create=create)
    _settle()
    return window


def _settle(quiet: float = SETTLE_SECONDS) -> None:
    """Let background work finish and the GUI draw what it brought, until `quiet` passes idle."""
    from PySide6.QtWidgets import QApplication

    from fusiondesk.gui.tasks import is_busy, wait_for_background

    app = QApplication.instance()
    idle_since = time.monotonic()
    while time.monotonic() - idle_since < quiet:
        app.processEvents()
        if is_busy():
            wait_for_background(30000)
            idle_since = time.monotonic()
        time.sleep(0.02)


def _save(picture, path: Path) -> None:
    """Write a small PNG, whole or not at all (the gallery is committed to the repository)."""
    from fusiondesk.core.atomic import replacing

    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as partial:
        if not picture.save(str(partial), "PNG", 0):  # quality 0: Qt's smallest PNG
            raise OSError(f"Qt could not write {path}")
        _reduce_colours(partial)


def _reduce_colours(path: Path) -> None:
    """A window needs few colours: 256 without dithering keep text crisp at a third of the size."""
    # Pillow comes with matplotlib; without it the PNG stays as Qt wrote it.
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(256, Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    reduced.save(path, "PNG", optimize=True)


def _copy(path: str) -> str:
    """Work on a copy: opening a portfolio may back it up or migrate it, never the original here."""
    target = os.path.join(tempfile.mkdtemp(), os.path.basename(path))
    shutil.copyfile(path, target)
    return target


def _sample_portfolio(with_reviews: bool = False) -> str:
    """The generated 400-app sample; with the reviews its apps need requested, for the gallery."""
    from fusiondesk.services.opening import make_sample, open_for_work
    from fusiondesk.services.reviews.actions import ensure_required_reviews

    location = make_sample(os.path.join(tempfile.mkdtemp(), "sample.fdesk"), "coe.lead", apps=400)
    if with_reviews:
        portfolio = open_for_work(location)
        try:
            with portfolio.transaction() as session:
                ensure_required_reviews(session, None, "coe.lead")
        finally:
            portfolio.close()
    return location


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
