"""The policy as a form: inputs per kind, every problem at once, a preview that matches, admins save."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtWidgets import QCheckBox, QDoubleSpinBox, QLabel, QSpinBox

from fusiondesk.core.policy import (
    PolicyTopic,
    PortfolioNames,
    get_policy_value,
    policy_key,
    policy_keys,
)
from fusiondesk.core.terms import Entity
from fusiondesk.gui.policy_editor import PolicyEditor, preview_summary
from fusiondesk.gui.policy_form_connectors import GroupList
from fusiondesk.gui.policy_form_inputs import ChoiceInput, NameListInput, plain_words
from fusiondesk.gui.tasks import wait_for_background
from fusiondesk.services.change_log import query_log
from fusiondesk.services.classification.governance import classified_apps
from fusiondesk.services.classification.policy_preview import portfolio_names
from fusiondesk.services.classification.reclassify import policy_in_force


@pytest.fixture
def editor(window, qtbot):
    """The policy editor over the sample portfolio, its portfolio names read."""
    dialog = PolicyEditor(window.workspace, window)
    qtbot.addWidget(dialog)
    wait_for_background()
    qtbot.wait(10)  # the names arrive by signal
    return dialog


def _in_force(window):
    with window.workspace.read() as session:
        return policy_in_force(session)


def _tiers(window) -> dict[str, int]:
    with window.workspace.read() as session:
        return {c.facts.app_id: c.result.tier for c in classified_apps(session)}


def _input(editor, key):
    return editor.form.fields[key].setting


def test_the_default_policy_goes_through_the_form_unchanged(editor, window):
    policy = _in_force(window)
    assert editor.form.values() == {k: _as_shown(get_policy_value(policy, k)) for k in policy_keys()}
    assert editor.candidate() == policy
    assert editor.form.problem_keys() == [] and editor.save_button.isEnabled()
    assert editor.status.text() == "No change from the policy in force."


def _as_shown(value):
    return list(value) if isinstance(value, tuple) else value


def test_each_kind_of_setting_has_its_own_input_on_its_topics_page(editor):
    kinds = {"tier4.users": QSpinBox, "flags.user_growth_factor": QDoubleSpinBox,
             "flags.critical_needs_it_support": QCheckBox}
    for key, widget_type in kinds.items():
        assert editor.form.fields[key].setting.widget.findChild(widget_type) is not None \
            or isinstance(editor.form.fields[key].setting.widget, widget_type)
    assert isinstance(_input(editor, "platforms.approved"), NameListInput)
    assert isinstance(_input(editor, "connectors.approved"), GroupList)
    assert isinstance(_input(editor, "connectors.unlisted"), ChoiceInput)
    for key in policy_keys():  # every key is on the form, on its topic's page, with its tooltip
        field = editor.form.fields[key]
        page = editor.form.pages.widget(list(PolicyTopic).index(policy_key(key).shown.topic))
        assert page.isAncestorOf(field.setting.widget)
        assert field.setting.widget.toolTip() == policy_key(key).shown.tip


def test_numbers_keep_the_policys_range_unit_and_meaning_of_zero(editor):
    users = _input(editor, "tier4.users").spin
    assert (users.minimum(), users.maximum()) == (1, 10_000_000) and users.suffix() == " users"
    cadence = _input(editor, "tier1.review_cadence_days").spin
    assert cadence.value() == 0 and cadence.text() == "On change only"
    sla = _input(editor, "tier2.review_sla_hours")
    assert sla.spin.text() == "48 hours" and sla.note.text() == "= 2 days"
    assert plain_words("days", 91) == "quarterly" and plain_words("days", 180) == "≈ 6 months"
    factor = _input(editor, "flags.user_growth_factor").spin
    assert factor.minimum() > 1  # "greater than 1": 1 itself cannot be chosen


def test_each_input_gives_back_what_it_is_set_to(editor):
    changes = {"tier4.users": 1200, "tier2.review_cadence_days": 182,
               "flags.user_growth_factor": 1.5, "flags.critical_needs_it_support": False}
    _input(editor, "tier4.users").spin.setValue(1200)
    _input(editor, "tier2.review_cadence_days").spin.setValue(182)
    _input(editor, "flags.user_growth_factor").spin.setValue(1.5)
    _input(editor, "flags.critical_needs_it_support").box.setChecked(False)
    candidate = editor.candidate()
    assert {key: get_policy_value(candidate, key) for key in changes} == changes
    assert editor.status.text().startswith("Changed: Tier 4 from, Tier 2 reviewed every")


def test_a_factor_stored_finer_than_shown_comes_back_as_stored(editor):
    factor = _input(editor, "flags.user_growth_factor")
    factor.set_value(1.005)
    assert factor.spin.decimals() == 2 and factor.spin.value() != 1.005
    assert factor.value() == 1.005  # untouched: not rounded into a change
    factor.spin.setValue(1.5)
    assert factor.value() == 1.5


def test_a_list_adds_with_paste_refuses_a_duplicate_and_removes(editor):
    names = _input(editor, "platforms.approved")
    before = names.value()
    names.entry.setText("Retool;  Bubble ")
    names.add_entry()
    assert names.value() == [*before, "Retool", "Bubble"]
    names.entry.setText("power apps")  # already listed as "Power Apps"
    names.add_entry()
    assert names.value() == [*before, "Retool", "Bubble"]
    assert "already listed" in names.status.text()
    assert names.names.currentItem().text() == "Power Apps"
    names.names.clearSelection()
    names.names.item(0).setSelected(True)
    names.remove_selected()
    assert names.value() == [*before[1:], "Retool", "Bubble"]
    assert get_policy_value(editor.candidate(), "platforms.approved") == (*before[1:], "Retool", "Bubble")


def test_lists_complete_from_the_portfolios_own_names(editor, window):
    with window.workspace.read() as session:
        names = portfolio_names(session)
    assert names[PortfolioNames.SYSTEMS] and names[PortfolioNames.PLATFORMS]
    connectors = editor.form.connector_groups  # one entry line adds to any of the three groups
    assert connectors.suggestions.stringList() == names[PortfolioNames.SYSTEMS]
    assert _input(editor, "platforms.approved").suggestions.stringList() == names[PortfolioNames.PLATFORMS]
    assert connectors.entry.completer().model() is connectors.suggestions


def test_every_problem_is_marked_at_once_and_save_waits(editor, window):
    _input(editor, "tier3.users").spin.setValue(800)
    connectors = _input(editor, "connectors.approved")
    connectors.names.item(0).setText("SharePoint; Teams")
    fields = editor.form.fields
    marked = {key for key, field in fields.items() if not field.message.isHidden()}
    assert marked == {"tier3.users", "tier4.users", "connectors.approved"}
    assert fields["tier3.users"].message.text() == "Must be below the Tier 4 threshold (500 users)."
    assert fields["tier4.users"].message.text() == "Must be above the Tier 3 threshold (800 users)."
    assert "SharePoint; Teams" in fields["connectors.approved"].message.text()
    joined = connectors.names.item(0).foreground().color()
    assert joined != connectors.names.item(1).foreground().color()  # the refused entry stands out
    assert not editor.save_button.isEnabled() and not editor.preview_button.isEnabled()
    assert "3 settings to correct" in editor.status.text()
    flagged = {editor.form.topics.item(row).text() for row in range(editor.form.topics.count())
               if editor.form.topics.item(row).toolTip()}
    assert flagged == {PolicyTopic.TIERS.value, PolicyTopic.CONNECTORS.value}
    editor.save()
    assert window.workspace.undo_stack.count() == 0 and _in_force(window).version == 1
    _input(editor, "tier4.users").spin.setValue(900)
    connectors.names.item(0).setText("SharePoint")
    assert not any(not field.message.isHidden() for field in fields.values())
    assert editor.save_button.isEnabled()


def test_go_to_the_first_problem_turns_to_its_page(editor):
    _input(editor, "connectors.approved").names.item(0).setText("A; B")
    editor.form.topics.setCurrentRow(0)
    editor.status.linkActivated.emit("connectors.approved")
    assert editor.form.topics.currentItem().text() == PolicyTopic.CONNECTORS.value


def test_the_preview_lists_exactly_the_apps_saving_moves(editor, window, qtbot, settle):
    before = _tiers(window)
    _input(editor, "tier3.users").spin.setValue(5)
    editor.preview()
    wait_for_background()
    qtbot.waitUntil(lambda: editor.preview_panel.table.isEnabled()
                    and "would change tier (" in editor.preview_panel.summary.text())
    table = editor.preview_panel.table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]
    # the apps whose tier moves; the others are listed for the warning signs they gain or lose
    shown = {row[6]: (row[1], row[2]) for row in rows if row[1] != row[2]}
    assert all(row[3] for row in rows if row[1] == row[2])
    assert _tiers(window) == before  # a preview saves nothing
    editor.save()
    settle(window.workspace)
    after = _tiers(window)
    moved = {a: (f"Tier {before[a]}", f"Tier {after[a]}") for a in after if after[a] != before[a]}
    assert moved and shown == moved
    counts = Counter(moved.values())
    for (old, new), n in counts.items():
        assert f"{old} → {new}: {n}" in editor.preview_panel.summary.text()


def test_an_edit_after_the_preview_marks_it_stale(editor, qtbot):
    _input(editor, "tier3.users").spin.setValue(40)
    editor.preview()
    wait_for_background()
    qtbot.waitUntil(lambda: "would change tier" in editor.preview_panel.summary.text()
                    or "No app" in editor.preview_panel.summary.text())
    _input(editor, "tier3.users").spin.setValue(45)
    assert editor.preview_panel.summary.text().startswith("Changed since the preview")
    assert not editor.preview_panel.table.isEnabled()


def test_saving_is_one_logged_undoable_step(editor, window, settle):
    _input(editor, "flags.inactivity_days").spin.setValue(90)
    editor.save()
    settle(window.workspace)
    assert window.workspace.undo_stack.count() == 1
    assert _in_force(window).inactivity_days == 90 and _in_force(window).version == 2
    with window.workspace.read() as session:
        logged = query_log(session, entity=Entity.POLICY)
    assert [(e.field, e.old_value, e.new_value) for e in logged] == [("flags.inactivity_days", "180", "90")]
    window.workspace.undo()
    settle(window.workspace)
    restored = _in_force(window)
    assert restored.inactivity_days == 180 and restored.version == 3  # the old settings, as a new version


def test_an_unchanged_form_saves_no_new_version(editor, window, settle):
    editor.save()
    settle(window.workspace)
    assert _in_force(window).version == 1 and window.workspace.undo_stack.count() == 0


def test_restore_defaults_shows_the_shipped_policy(editor, window):
    _input(editor, "tier4.users").spin.setValue(700)
    defaults = next(b for b in editor.buttons.buttons() if b.text() == "Restore defaults")
    defaults.click()
    assert editor.candidate() == _in_force(window)  # the sample runs on the defaults


@pytest.mark.parametrize("role", ["editor", "reader"])
def test_only_an_admin_may_save_the_policy_of_a_shared_portfolio(window, qtbot, settle, role):
    window.workspace.portfolio.role = role
    dialog = PolicyEditor(window.workspace, window)
    qtbot.addWidget(dialog)
    wait_for_background()
    _input(dialog, "tier3.users").spin.setValue(40)
    assert not dialog.save_button.isEnabled()
    assert "Only a FusionDesk admin" in dialog.save_button.toolTip()
    note = dialog.findChild(QLabel, "readOnlyNote")
    assert note is not None and f"your account is {'an' if role == 'editor' else 'a'} {role}" in note.text()
    assert dialog.preview_button.isEnabled()  # trying and previewing stay open to everyone
    dialog.save()
    settle(window.workspace)
    assert _in_force(window).version == 1 and window.workspace.undo_stack.count() == 0


def test_an_admin_may_save(window, qtbot, settle):
    window.workspace.portfolio.role = "admin"
    dialog = PolicyEditor(window.workspace, window)
    qtbot.addWidget(dialog)
    wait_for_background()
    _input(dialog, "tier3.users").spin.setValue(40)
    assert dialog.save_button.isEnabled()
    dialog.save()
    settle(window.workspace)
    assert _in_force(window).tier3_users == 40


def _moved(app_id, before, after, added=(), removed=()):
    from fusiondesk.services.classification.what_if import Moved

    return Moved(app_id, app_id.lower(), "Finance", ("ann@contoso.example",), before, after,
                 tuple(added), tuple(removed))


def _preview(moved):
    from fusiondesk.core.policy import default_policy
    from fusiondesk.services.classification.what_if import WhatIf

    return WhatIf(default_policy(), default_policy(), 100, tuple(moved))


def test_the_preview_summary_counts_by_tier_from_and_to():
    moves = [_moved("A", 1, 3), _moved("B", 2, 3), _moved("C", 2, 3), _moved("D", 3, 4),
             _moved("E", 2, 2, added=("single_owner",))]
    assert preview_summary(_preview(moves)) == (
        "4 apps would change tier (Tier 3 → Tier 4: 1; Tier 2 → Tier 3: 2; "
        "Tier 1 → Tier 3: 1). 1 more would gain or lose a warning sign.")
    assert preview_summary(_preview([])) == "No app would change tier or warning signs."


def test_the_preview_lists_signs_gained_and_lost_with_the_department(qtbot):
    from fusiondesk.gui.policy_editor import PreviewPanel

    panel = PreviewPanel()
    qtbot.addWidget(panel)
    panel.show_preview(_preview([_moved("A", 2, 3, added=("single_owner",),
                                        removed=("inactive",))]))
    cells = [panel.table.item(0, col).text() for col in range(panel.table.columnCount())]
    assert cells == ["a", "Tier 2", "Tier 3", "+ Single owner, − Inactive", "Finance",
                     "ann@contoso.example", "A"]
    assert "ann@contoso.example" in panel.table.item(0, 0).toolTip()


def test_enter_in_a_lists_entry_adds_the_name_and_does_not_save(editor, window, qtbot):
    from PySide6.QtCore import Qt

    editor.show()
    editor.form.show_setting("platforms.approved")
    names = _input(editor, "platforms.approved")
    qtbot.keyClicks(names.entry, "Retool")
    qtbot.keyClick(names.entry, Qt.Key.Key_Return)
    assert names.value()[-1] == "Retool"
    assert editor.isVisible() and editor.result() == 0
    assert window.workspace.undo_stack.count() == 0


def test_a_huge_preview_lists_only_its_first_apps(qtbot):
    from fusiondesk.gui.policy_editor import PreviewPanel

    panel = PreviewPanel()
    qtbot.addWidget(panel)
    panel.show_preview(_preview([_moved(f"A{n}", 1, 2) for n in range(PreviewPanel.LISTED + 5)]))
    assert panel.table.rowCount() == PreviewPanel.LISTED
    assert panel.summary.text().endswith(f"The first {PreviewPanel.LISTED:,} are listed.")
