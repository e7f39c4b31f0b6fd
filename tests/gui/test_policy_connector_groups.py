"""The policy form's connector groups: one group per name, the default group, the portfolio's systems."""

from __future__ import annotations

import pytest

from fusiondesk.core.policy import get_policy_value
from fusiondesk.gui.policy_editor import PolicyEditor
from fusiondesk.gui.tasks import wait_for_background


@pytest.fixture
def editor(window, qtbot):
    dialog = PolicyEditor(window.workspace, window)
    qtbot.addWidget(dialog)
    wait_for_background()
    qtbot.waitUntil(lambda: dialog.form.connector_groups.systems.rowCount() > 0)
    return dialog


def _group_shown(groups, system: str) -> str:
    table = groups.systems
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == system)
    return table.item(row, 1).text()


def test_adding_a_name_to_a_group_takes_it_out_of_the_others(editor):
    groups = editor.form.connector_groups
    groups.entry.setText("outlook")  # listed as "Outlook" among the business connectors
    groups.add_entry("connectors.blocked")
    policy = editor.candidate()
    assert "Outlook" not in get_policy_value(policy, "connectors.approved")
    assert get_policy_value(policy, "connectors.blocked") == ("outlook",)
    assert groups.status.text() == "“Outlook” moved from Business to Blocked."
    assert _group_shown(groups, "Outlook") == "Blocked"
    assert editor.status.text() == "Changed: Business, Blocked."


def test_the_systems_table_counts_each_systems_apps_by_tier(editor, window):
    from fusiondesk.services.classification.connector_impact import connector_summary

    with window.workspace.read() as session:
        uses = connector_summary(session)
    table = editor.form.connector_groups.systems
    assert table.rowCount() == len(uses)
    first = [table.item(0, col).data(0) for col in range(table.columnCount())]
    assert first[0] == uses[0].system and first[2] == uses[0].apps
    assert first[3:] == [uses[0].by_tier.get(t, 0) for t in (4, 3, 2, 1)]


def test_the_default_group_is_chosen_in_words_and_regroups_unlisted_systems(editor):
    groups = editor.form.connector_groups
    unlisted = next(groups.systems.item(r, 0).text() for r in range(groups.systems.rowCount())
                    if "on no list" in groups.systems.item(r, 1).text())
    box = editor.form.fields["connectors.unlisted"].setting.box
    assert [box.itemText(i) for i in range(box.count())] == ["Business", "Non-business", "Blocked"]
    box.setCurrentIndex(2)
    assert editor.candidate().unlisted_connector_group == "blocked"
    assert _group_shown(groups, unlisted) == "Blocked (on no list)"


def test_blocking_a_core_microsoft_connector_is_marked_and_save_waits(editor):
    groups = editor.form.connector_groups
    groups.entry.setText("SharePoint")
    groups.add_entry("connectors.blocked")
    message = editor.form.fields["connectors.blocked"].message
    assert not message.isHidden() and "cannot block" in message.text()
    assert not editor.save_button.isEnabled()
