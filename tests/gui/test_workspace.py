"""The workspace: every change, undo and redo runs on the worker, one step at a time."""

import pytest

from fusiondesk.core.errors import StaleEdit
from fusiondesk.core.facts import AppFacts
from fusiondesk.gui.workspace import Workspace
from fusiondesk.services.apps import edits as app_edits


@pytest.fixture
def workspace(qtbot, empty_portfolio):
    with empty_portfolio.transaction() as session:
        app_edits.create_app(session, AppFacts(app_id="W-1", name="Expenses", users=10), "alice")
    workspace = Workspace()
    workspace.set_portfolio(empty_portfolio)
    return workspace


def _users(workspace) -> int:
    with workspace.read() as session:
        return app_edits.load_app(session, "W-1").facts.users


def _edit(users: int):
    def action(session, who):
        stored = app_edits.load_app(session, "W-1")
        return app_edits.save_app(session, "W-1", {"users": users}, stored.version, who)
    return action


def test_a_change_runs_off_the_gui_thread_then_is_one_undo_step_and_announced(qtbot, workspace, settle):
    heard = []
    workspace.changed.connect(heard.append)
    workspace.run("Set users", _edit(20), app_edits.revert)
    assert workspace.busy and workspace.undo_stack.count() == 0  # not yet: the worker has it
    settle(workspace)
    assert _users(workspace) == 20 and workspace.undo_stack.undoText() == "Set users"
    assert [c.field for c in heard[0].changes] == ["users"]


def test_undo_and_redo_wait_for_the_running_change_and_the_actions_say_so(qtbot, workspace, settle):
    undo = workspace.undo_action(None)
    workspace.run("Set users to 15", _edit(15), app_edits.revert)
    settle(workspace)
    workspace.run("Set users to 20", _edit(20), app_edits.revert)
    workspace.undo()  # pressed while the change still runs: ignored, not interleaved
    assert not undo.isEnabled()
    settle(workspace)
    assert _users(workspace) == 20 and workspace.undo_stack.index() == 2
    assert undo.isEnabled() and undo.text() == "&Undo Set users to 20"
    workspace.undo()
    settle(workspace)
    assert _users(workspace) == 15 and workspace.undo_stack.index() == 1
    workspace.redo()
    settle(workspace)
    assert _users(workspace) == 20 and workspace.undo_stack.index() == 2


def test_an_undo_the_portfolio_moved_past_is_dropped_and_reported(qtbot, workspace, settle):
    failures = []
    workspace.failed.connect(failures.append)
    workspace.run("Set users", _edit(20), app_edits.revert)
    settle(workspace)
    with workspace.portfolio.transaction() as session:  # another window edits the same app
        _edit(30)(session, "someone else")
    workspace.undo()
    settle(workspace)
    assert isinstance(failures[0], StaleEdit)
    assert _users(workspace) == 30 and workspace.undo_stack.count() == 0


def test_a_refused_change_goes_to_its_caller_and_leaves_no_step(qtbot, workspace, settle):
    refused = []
    workspace.run("Add a twin", lambda s, who: app_edits.create_app(s, AppFacts(app_id="W-1", name="Twin"), who),
                  app_edits.revert, on_failure=lambda exc, _trace: refused.append(exc))
    settle(workspace)
    assert "already exists" in str(refused[0]) and workspace.undo_stack.count() == 0
