"""The Backups dialog: listing, backing up now, restoring, and server portfolios."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt

from fusiondesk.db.backups import folder_for, list_backups, make_backup
from fusiondesk.db.engine import open_portfolio
from fusiondesk.gui import backups_dialog, tasks
from fusiondesk.gui.backups_dialog import SERVER_NOTE, BackupsDialog, human_size
from fusiondesk.gui.workspace import Workspace
from fusiondesk.services.people.edits import list_people, load_person, save_person


@pytest.fixture
def workspace(sample_portfolio):
    opened = Workspace()
    opened.set_portfolio(sample_portfolio)
    yield opened
    opened.portfolio.close()  # the portfolio reopened after a restore is the test's to close


def open_dialog(qtbot, workspace, on_restored=lambda: None) -> BackupsDialog:
    dialog = BackupsDialog(workspace, on_restored)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def shown_rows(dialog: BackupsDialog) -> list[list[str]]:
    return [[dialog.list.topLevelItem(i).text(c) for c in range(3)]
            for i in range(dialog.list.topLevelItemCount())]


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def backup_count(workspace) -> int:
    return len(list_backups(workspace.portfolio.location.path))


def test_lists_a_backup_newest_first_with_its_reason_and_size(qtbot, workspace):
    [daily] = list_backups(workspace.portfolio.location.path)  # made on opening
    newer = make_backup(workspace.portfolio, reason="manual")

    dialog = open_dialog(qtbot, workspace)

    rows = shown_rows(dialog)
    assert [r[0] for r in rows] == [f"{newer.created:%Y-%m-%d %H:%M:%S}", f"{daily.created:%Y-%m-%d %H:%M:%S}"]
    assert rows[0][1] == "Made by hand" and rows[1][1] == "Daily, on opening"
    assert rows[0][2] == human_size(newer.size) and rows[0][2].endswith(("KB", "MB"))
    assert dialog.selected_backup() == newer
    assert dialog.restore_button.isEnabled()


def test_back_up_now_adds_a_backup_without_blocking(qtbot, workspace):
    make_backup(workspace.portfolio, reason="manual")
    dialog = open_dialog(qtbot, workspace)
    before = backup_count(workspace)
    assert len(shown_rows(dialog)) == before

    click(qtbot, dialog.backup_button)
    tasks.wait_for_background()
    qtbot.waitUntil(lambda: len(shown_rows(dialog)) == before + 1)

    assert backup_count(workspace) == before + 1
    assert "Backed up at" in dialog.status.text()
    assert dialog.backup_button.isEnabled()


def test_restore_brings_back_the_old_content(qtbot, workspace, monkeypatch):
    path = workspace.portfolio.location.path
    with workspace.read() as session:
        person = list_people(session)[0]
    before = make_backup(workspace.portfolio, reason="manual")
    with workspace.portfolio.transaction() as session:
        save_person(session, person["email"], {"department": "Changed Later"}, person["_version"], "tester")
    asked = []
    monkeypatch.setattr(backups_dialog, "confirm", lambda parent, title, text: asked.append(text) or True)
    reopened = []
    dialog = open_dialog(qtbot, workspace, on_restored=lambda: reopened.append(True))
    dialog.list.setCurrentItem(dialog.list.topLevelItem(dialog.backups.index(before)))

    click(qtbot, dialog.restore_button)
    tasks.wait_for_background()
    qtbot.waitUntil(lambda: reopened == [True])

    assert asked == [f"The portfolio will be replaced by the backup of {before.created:%Y-%m-%d %H:%M:%S}. "
                     "The current state is backed up first, so this can be undone by restoring that."]
    workspace.set_portfolio(open_portfolio(path))
    with workspace.read() as session:
        assert load_person(session, person["email"])[0]["department"] == person["department"]
    reasons = [b.reason for b in list_backups(path)]
    assert "before-restore" in reasons  # the state that was replaced can be restored in turn
    assert [r[1] for r in shown_rows(dialog)].count("Before a restore") == 1


def test_declining_a_restore_changes_nothing(qtbot, workspace, monkeypatch):
    make_backup(workspace.portfolio, reason="manual")
    before = backup_count(workspace)
    monkeypatch.setattr(backups_dialog, "confirm", lambda parent, title, text: False)
    reopened = []
    dialog = open_dialog(qtbot, workspace, on_restored=lambda: reopened.append(True))

    click(qtbot, dialog.restore_button)
    tasks.wait_for_background()

    assert reopened == [] and backup_count(workspace) == before


def test_show_folder_opens_the_backup_folder(qtbot, workspace, monkeypatch):
    opened = []
    monkeypatch.setattr(backups_dialog, "QDesktopServices", SimpleNamespace(openUrl=opened.append))
    dialog = open_dialog(qtbot, workspace)

    click(qtbot, dialog.folder_button)

    assert [Path(url.toLocalFile()) for url in opened] == [folder_for(workspace.portfolio.location.path)]


def test_a_server_portfolio_says_who_backs_it_up_and_disables_the_buttons(qtbot):
    server = SimpleNamespace(portfolio=SimpleNamespace(is_sqlite=False, location=SimpleNamespace(path=None)))
    dialog = open_dialog(qtbot, server)

    assert dialog.note.text() == SERVER_NOTE
    assert dialog.list.topLevelItemCount() == 0
    assert not any(b.isEnabled() for b in (dialog.backup_button, dialog.restore_button, dialog.folder_button))


def test_sizes_read_as_kilobytes_or_megabytes():
    assert human_size(300) == "1 KB"
    assert human_size(50 * 1024) == "50 KB"
    assert human_size(3 * 1024 * 1024 + 200 * 1024) == "3.2 MB"
