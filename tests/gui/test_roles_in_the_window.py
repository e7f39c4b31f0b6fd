"""On a shared portfolio the window offers only what the account's role allows."""

from __future__ import annotations

import pytest

from fusiondesk.core.permissions import EDIT, POLICY, may


@pytest.mark.parametrize("role, can_edit, can_change_policy", [
    (None, True, True), ("admin", True, True), ("editor", True, False),
    ("reader", False, False), ("none", False, False),
])
def test_what_each_role_may_do(role, can_edit, can_change_policy):
    assert (may(role, EDIT), may(role, POLICY)) == (can_edit, can_change_policy)


def test_a_readers_window_greys_out_changes_and_says_why(window):
    portfolio = window.workspace.portfolio
    portfolio.database_user, portfolio.role = "ann", "reader"  # as a server would report
    window._portfolio_opened(portfolio)

    actions = window.portfolio_view.actions_by_name
    assert not any(actions[name].isEnabled() for name in ("new", "bulk", "retire", "delete"))
    assert actions["find"].isEnabled() and actions["edit"].isEnabled()  # reading stays
    assert not window.import_action.isEnabled() and not window.policy_action.isEnabled()
    assert "Read-only" in window.statusBar().currentMessage()
    assert "ann" in window.statusBar().currentMessage()


def test_an_editor_edits_but_leaves_the_policy_to_an_admin(window):
    portfolio = window.workspace.portfolio
    portfolio.database_user, portfolio.role = "bob", "editor"
    window._portfolio_opened(portfolio)
    assert window.portfolio_view.actions_by_name["new"].isEnabled()
    assert window.import_action.isEnabled() and not window.policy_action.isEnabled()
