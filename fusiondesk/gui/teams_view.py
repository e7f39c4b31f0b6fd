"""The Teams page: the teams that own apps, who is in each, and which are orphaned.

A team is only as active as its members (DOMAIN.md, "Teams own apps"): the page lists
every team with its active members, the apps it owns and its standing (orphaned, one
active member, every active member leaving, covered), and the selected team's members.
Adding, removing or promoting a member runs through Workspace.run, one undo step each,
and reclassifies the team's apps, so their warning signs follow at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core.labels import choices, label
from fusiondesk.core.ownership import AT_RISK, ORPHANED, SINGLE_MEMBER
from fusiondesk.core.terms import Entity, PersonStatus, TeamRole, is_active_status
from fusiondesk.gui.lazy import RefreshWhenSeen
from fusiondesk.gui.ownership_view import WARNING, RowsModel, _fit_columns, rows_table
from fusiondesk.gui.tasks import run_in_background
from fusiondesk.services import affected
from fusiondesk.services.people.edits import list_people, person_key
from fusiondesk.services.people.team_import import import_team_members, read_members_file
from fusiondesk.services.people.teams import (
    add_member,
    list_teams,
    remove_member,
    revert_team_change,
    set_member_role,
)

AMBER = QColor("#b26a00")  # a warning short of red: one member left, or all of them leaving
_COLOURS = {ORPHANED: WARNING, SINGLE_MEMBER: AMBER, AT_RISK: AMBER}
TEAM_HEADERS = ("Team", "Department", "Members", "Active", "Apps owned", "Standing")
MEMBER_HEADERS = ("Member", "Name", "Role in team", "Status", "Leave date")


class TeamsView(RefreshWhenSeen, QWidget):
    """The Teams page."""

    loaded = Signal()  # the teams on screen are current (tests wait for it)

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._stale = True
        self._teams: list = []
        self._people: list[dict] = []
        self._build()
        workspace.opened.connect(self._refresh_when_seen)
        workspace.changed.connect(self._changed)

    # ---- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.teams_model, self.members_model = RowsModel(TEAM_HEADERS), RowsModel(MEMBER_HEADERS)
        self.teams_table = rows_table(self.teams_model, 0)
        self.members_table = rows_table(self.members_model, 1)
        self.members_table.setSortingEnabled(False)  # a handful of people, the lead first
        # the fewest active members first: an orphaned team heads the list
        self.teams_table.sortByColumn(TEAM_HEADERS.index("Active"), Qt.SortOrder.AscendingOrder)
        self.teams_table.selectionModel().selectionChanged.connect(lambda *_: self._show_members())
        self.members_table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.members_title = QLabel()
        self.add_button = QPushButton("Add member…")
        self.remove_button = QPushButton("Remove member")
        self.role_button = QPushButton("Make lead")
        self.import_button = QPushButton("Import members…")
        self.import_button.setToolTip("Add the memberships of a list (Team, Member, Role) or of "
                                      "one directory group's member download")
        self.import_button.clicked.connect(lambda _checked=False: self.import_members())
        self.add_button.clicked.connect(self.add_member)
        self.remove_button.clicked.connect(self.remove_selected)
        self.role_button.clicked.connect(self.toggle_role)
        # Delete belongs to the members' table only (as on People): typing elsewhere never removes
        remove = QAction("Remove member", self.members_table)
        remove.setShortcut(QKeySequence.StandardKey.Delete)
        remove.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        remove.triggered.connect(lambda _checked=False: self.remove_selected())
        self.members_table.addAction(remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.members_title, 1)
        for button in (self.add_button, self.role_button, self.remove_button):
            buttons.addWidget(button)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(buttons)
        column.addWidget(self.members_table, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.teams_table)
        split.addWidget(right)
        split.setSizes([300, 260])
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.import_button)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self._update_buttons()

    # ---- loading ---------------------------------------------------------------------------

    def _changed(self, done) -> None:
        # Teams' members, people's statuses, and the apps' owners (a team's apps owned).
        if (affected.touches(done, Entity.TEAM, Entity.PERSON) or affected.apps_came_or_went(done)
                or affected.app_fields(done) & affected.OWNER_FIELDS):
            self._refresh_when_seen()

    def refresh(self) -> None:
        """Read the teams and people again on the worker thread, then show them."""
        portfolio = self._workspace.portfolio
        self._stale = False
        if portfolio is None:
            return

        def work(_progress):
            with portfolio.reading() as session:
                return list_teams(session), list_people(session)

        run_in_background(work, on_success=lambda found: self.show_teams(*found), parent=self,
                          label="Reading teams…")

    def show_teams(self, teams: list, people: list[dict]) -> None:
        """Put the teams on the page, keeping the selected one selected."""
        keep = self.selected_team()
        self._teams, self._people = teams, people
        self.teams_model.set_rows(
            [(t.name, t.department, len(t.members), t.active_members, t.apps_owned,
              t.standing_words) for t in teams],
            [_COLOURS.get(t.standing) for t in teams], [t.name for t in teams])
        header = self.teams_table.horizontalHeader()  # the rows come by name: sort as shown
        self.teams_model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        orphaned = [t for t in teams if t.standing == ORPHANED]
        single = [t for t in teams if t.standing == SINGLE_MEMBER]
        leaving = [t for t in teams if t.standing == AT_RISK]
        apps = sum(t.apps_owned for t in orphaned)
        self.summary.setText(
            f"<b>{len(teams):,}</b> teams · <b style='color:{WARNING.name()}'>{len(orphaned):,}"
            f"</b> orphaned (no active member; {apps:,} apps) · <b>{len(single):,}</b> down to "
            f"one active member · <b>{len(leaving):,}</b> whose active members are all leaving")
        self._select_team(keep or (self.teams_model.key(0) if teams else None))  # the top one
        _fit_columns(self.teams_table)
        self._show_members()
        self.loaded.emit()

    def _show_members(self) -> None:
        team = self._team()
        members = team.members if team else ()
        self.members_model.set_rows(
            [(m.key, m.name, label(TeamRole, m.role), label(PersonStatus, m.status), m.leave_date)
             for m in members],
            [None if m.status == PersonStatus.ACTIVE else WARNING if not is_active_status(m.status)
             else AMBER for m in members], [m.key for m in members])
        self.members_title.setText(f"<b>{team.name}</b> · {team.standing_words}" if team else
                                   "Select a team to see its members")
        _fit_columns(self.members_table)
        self._update_buttons()

    # ---- selection -------------------------------------------------------------------------

    def selected_team(self) -> str | None:
        """The name of the selected team, if any."""
        rows = self.teams_table.selectionModel().selectedRows()
        return self.teams_model.key(rows[0].row()) if rows else None

    def selected_member(self) -> str | None:
        """The e-mail (or name) of the selected member, if any."""
        rows = self.members_table.selectionModel().selectedRows()
        return self.members_model.key(rows[0].row()) if rows else None

    def _team(self):
        name = self.selected_team()
        return next((t for t in self._teams if t.name == name), None)

    def _select_team(self, name: str | None) -> None:
        for row in range(self.teams_model.rowCount()):
            if self.teams_model.key(row) == name:
                self.teams_table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        member = self.selected_member()
        self.add_button.setEnabled(self._team() is not None)
        self.remove_button.setEnabled(member is not None)
        self.role_button.setEnabled(member is not None)
        self.role_button.setText("Make member" if self._member_role() == TeamRole.LEAD
                                 else "Make lead")

    def _member_role(self) -> str | None:
        team, key = self._team(), self.selected_member()
        return next((m.role for m in team.members if m.key == key), None) if team else None

    # ---- changes ---------------------------------------------------------------------------

    def add_member(self) -> None:
        """Ask who joins the selected team, and in which role; then add them (undoable)."""
        team = self._team()
        if team is None:
            return
        inside = {m.key for m in team.members}
        # only people who can keep the team going: someone leaving or gone never covers
        candidates = [p for p in self._people
                      if p["status"] == PersonStatus.ACTIVE and person_key(p) not in inside]
        dialog = AddMemberDialog(team.name, candidates, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.person() is None:
            return
        person, role = dialog.person(), dialog.role()
        self._workspace.run(f"Add {person} to {team.name}",
                            lambda session, who: add_member(session, team.name, person, role, who),
                            revert_team_change, parent=self)

    def remove_selected(self) -> None:
        """Take the selected member out of the team (undoable)."""
        team, person = self.selected_team(), self.selected_member()
        if team and person:
            self._workspace.run(f"Remove {person} from {team}",
                                lambda session, who: remove_member(session, team, person, who),
                                revert_team_change, parent=self)

    def toggle_role(self) -> None:
        """Make the selected member the team's lead, or a plain member again (undoable)."""
        team, person = self.selected_team(), self.selected_member()
        if not (team and person):
            return
        role = TeamRole.MEMBER if self._member_role() == TeamRole.LEAD else TeamRole.LEAD
        self._workspace.run(f"Make {person} {label(TeamRole, role).lower()} of {team}",
                            lambda session, who: set_member_role(session, team, person, role, who),
                            revert_team_change, parent=self)


    FROM_FILE = "(the file's Team column)"

    def import_members(self, path: str | None = None, team: str | None = None) -> None:
        """Add the memberships of a file, one undo step; ask for the file and, for a one-group
        download without a Team column, the team (the dialogs are skipped when given)."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Import team members", "",
                                                  "Lists (*.xlsx *.xls *.csv);;All files (*)")
            if not path:
                return
            names = [self.FROM_FILE, *sorted(t.name for t in self._teams)]
            team, ok = QInputDialog.getItem(self, "Import team members",
                                            "Team of a one-group download (keep the first "
                                            "choice when the file has a Team column):",
                                            names, 0, True)
            if not ok:
                return
        team = None if not team or team == self.FROM_FILE else team
        found = {}

        def action(session, who):
            found["done"] = done = import_team_members(session, read_members_file(path, team), who)
            return done.changes

        self._workspace.run("Import team members", action, revert_team_change, parent=self,
                            on_done=lambda _changes: self._report_import(found.get("done")))

    def _report_import(self, done) -> None:
        if done is None:
            return
        lines = [f"{done.added} memberships added, {done.roles_changed} roles changed, "
                 f"{done.already_there} already there."]
        if done.teams_added:
            lines.append("New teams: " + ", ".join(done.teams_added) + ".")
        lines += [f"Row {row}: {who} is not in the portfolio (import the directory first)."
                  for row, who in done.unknown_people[:10]]
        lines += [f"Row {row}: {why}." for row, why in done.skipped[:10]]
        self.last_import_report = "\n".join(lines)
        if not getattr(self, "quiet_reports", False):  # tests read last_import_report
            QMessageBox.information(self, "Team members imported", self.last_import_report)


class AddMemberDialog(QDialog):
    """Who joins a team, picked by typing part of a name or e-mail, and their role in it."""

    def __init__(self, team: str, people: list[dict], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Add a member to {team}")
        self.people = QComboBox()
        self.people.setEditable(True)
        self.people.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for person in sorted(people, key=lambda p: ((p["name"] or "").casefold(), person_key(p))):
            key = person_key(person)
            shown = f"{person['name']} <{key}>" if person["name"] and person["email"] else key
            self.people.addItem(f"{shown} · {person['department'] or 'no department'}", key)
        completer = self.people.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(completer.CompletionMode.PopupCompletion)
        self.roles = QComboBox()
        for text, value in choices(TeamRole):
            self.roles.addItem(text, value)
        self.roles.setCurrentIndex(self.roles.findData(TeamRole.MEMBER))
        form = QFormLayout()
        form.addRow("Person", self.people)
        form.addRow("Role in team", self.roles)
        note = QLabel("Only people who are active (not leaving) are offered: a leaver never "
                      "keeps a team's apps covered.")
        note.setWordWrap(True)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, light or dark
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def person(self) -> str | None:
        """The key of the person chosen (None when the typed text matches nobody)."""
        index = self.people.findText(self.people.currentText())
        return self.people.itemData(index) if index >= 0 else None

    def role(self) -> str:
        """lead or member."""
        return self.roles.currentData()
