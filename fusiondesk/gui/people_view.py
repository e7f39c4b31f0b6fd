"""The People page: everyone in the portfolio, who is leaving, and how many apps each owns.

People number in the hundreds to a few thousand, so every row is loaded into a plain
list (one query, ~30 ms for 3,000 people) and searched and sorted in Python; a
a sort-filter proxy would be slower and hide the sort from the model.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core.errors import PortfolioError
from fusiondesk.core.fields import PERSON_FIELD_BY_NAME
from fusiondesk.core.labels import choices, display_value, vocabulary_of
from fusiondesk.core.terms import Entity, PersonStatus
from fusiondesk.core.values import format_value
from fusiondesk.gui.errors import show_error
from fusiondesk.gui.handover_dialog import plan_handover_for
from fusiondesk.gui.lazy import RefreshWhenSeen
from fusiondesk.gui.list_model import sorted_unknown_last
from fusiondesk.gui.person_editor import PersonEditor
from fusiondesk.services import affected
from fusiondesk.services.changes import ChangeSet
from fusiondesk.services.people.edits import delete_person, list_people, person_key, revert_person

APPS_OWNED = "apps_owned"
COLUMNS = ("email", "name", "department", "role", "certification", "status", "leave_date",
           "manager_email", "capacity", APPS_OWNED)
HEADERS = {**{name: PERSON_FIELD_BY_NAME[name].label for name in COLUMNS[:-1]},
           "manager_email": "Manager", APPS_OWNED: "Apps owned"}
NUMERIC = {"capacity", APPS_OWNED}
WIDTHS = {"email": 240, "name": 160, "department": 130, "role": 140, "certification": 100,
          "status": 80, "leave_date": 95, "manager_email": 220, "capacity": 75, APPS_OWNED: 90}
STATUS_COLOURS = {PersonStatus.LEAVING: QColor("#b26a00"),  # amber
                  PersonStatus.LEFT: QColor("#808080")}  # grey
NO_EMAIL, NO_EMAIL_COLOUR = "needs an e-mail", QColor("#b00020")  # flagged for completion
ALL_STATUSES = "All"


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask a yes/no question (tests replace this to answer it)."""
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes
                                  | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def matches(person: dict, words: list[str], status: str | None) -> bool:
    """True when the person has `status` (if given) and every word is in e-mail, name or department."""
    if status and person["status"] != status:
        return False
    haystack = " ".join(person[k] or "" for k in ("email", "name", "department")).casefold()
    return all(word in haystack for word in words)


def sort_people(rows: list[dict], column: str, descending: bool) -> list[dict]:
    """Rows ordered by one column; unknown values always last."""
    if vocabulary_of(column) is not None:  # in the order of the words shown, not the stored ones
        return sorted_unknown_last(rows, lambda r: r[column] and display_value(column, r[column]),
                                   descending)
    return sorted_unknown_last(rows, lambda r: r[column], descending, as_text=column not in NUMERIC)


class PeopleModel(QAbstractTableModel):
    """The people shown, one dict per row, sorted in Python."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[dict] = []
        self._sort: tuple[str, bool] | None = None  # column, descending

    def set_rows(self, rows: list[dict]) -> None:
        """Show these people (in the current sort order)."""
        self.beginResetModel()
        self._rows = sort_people(rows, *self._sort) if self._sort else list(rows)
        self.endResetModel()

    def person(self, row: int) -> dict:
        """The values of the person on one row."""
        return self._rows[row]

    def row_of(self, email: str) -> int | None:
        """The row showing a person, if shown."""
        return next((i for i, r in enumerate(self._rows) if person_key(r) == email), None)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[COLUMNS[section]]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        person, column = self._rows[index.row()], COLUMNS[index.column()]
        needs_email = column == "email" and person["email"] is None
        if role == Qt.ItemDataRole.DisplayRole:
            return NO_EMAIL if needs_email else display_value(column, person[column])
        if role == Qt.ItemDataRole.ForegroundRole:
            return NO_EMAIL_COLOUR if needs_email else STATUS_COLOURS.get(person["status"])
        if role == Qt.ItemDataRole.ToolTipRole and needs_email:
            return ("Named by an import without an e-mail: open the person to add it, or "
                    "import the directory (e.g. Entra ID users) to fill it in.")
        if role == Qt.ItemDataRole.ToolTipRole and person["status"] in STATUS_COLOURS:
            return _status_note(person)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return person_key(person)
        return None

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort on a header click, keeping the selection on the same people."""
        self._sort = (COLUMNS[column], order == Qt.SortOrder.DescendingOrder)
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        emails = [person_key(self._rows[i.row()]) for i in before]
        self._rows = sort_people(self._rows, *self._sort)
        rows = {person_key(r): i for i, r in enumerate(self._rows)}
        after = [self.index(rows[email], index.column()) for email, index in zip(emails, before)]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()


def _status_note(person: dict) -> str:
    if person["status"] == PersonStatus.LEAVING:
        when = format_value("leave_date", person["leave_date"]) or "no date set"
        return f"Leaving ({when}): their apps need a handover"
    return "Left: not counted as an active owner of any app"


class PeopleView(RefreshWhenSeen, QWidget):
    """A page listing people, with search, a status filter, and add / edit / delete."""

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._people: list[dict] = []
        self.editor: PersonEditor | None = None  # the editor last opened (tests look at it)
        self.model = PeopleModel(self)
        self._build()
        self._wire_actions()
        self._stale = False
        workspace.opened.connect(self._refresh_when_seen)
        workspace.changed.connect(self._changed)
        self.refresh()

    def _build(self) -> None:
        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Search e-mail, name or department")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(self._filter)
        self.status_filter = QComboBox()
        self.status_filter.addItem(ALL_STATUSES, None)
        for text, status in choices(PersonStatus):
            self.status_filter.addItem(text, status)
        self.status_filter.currentIndexChanged.connect(self._filter)
        self.count_label = QLabel()
        self.table = self._make_table()
        bar = QHBoxLayout()
        bar.addWidget(self.search_box, 1)
        bar.addWidget(QLabel("Status:"))
        bar.addWidget(self.status_filter)
        self.new_button, self.edit_button, self.delete_button = (
            QPushButton("New person…"), QPushButton("Edit…"), QPushButton("Delete…"))
        for button in (self.new_button, self.edit_button, self.delete_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

    def _make_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSortingEnabled(True)
        # Qt would start on the first column, descending; people are looked up by name.
        table.sortByColumn(COLUMNS.index("name"), Qt.SortOrder.AscendingOrder)
        table.horizontalHeader().setSortIndicatorShown(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for index, name in enumerate(COLUMNS):
            table.setColumnWidth(index, WIDTHS[name])
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
        table.doubleClicked.connect(lambda _index: self.edit_selected())
        table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        return table

    def _wire_actions(self) -> None:
        # Enter and Delete belong to the table only, so typing in the search box never
        # deletes a person; Ctrl+N works anywhere on the page.
        self.new_action = self._action("New person…", QKeySequence.StandardKey.New, self.new_person, self)
        enter = [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        self.edit_action = self._action("Edit…", enter, self.edit_selected, self.table)
        self.delete_action = self._action("Delete…", QKeySequence.StandardKey.Delete,
                                          self.delete_selected, self.table)
        self.handover_action = self._action("Plan handover…", [], self.plan_handover_selected,
                                            self.table)
        self.new_button.clicked.connect(self.new_action.trigger)
        self.edit_button.clicked.connect(self.edit_action.trigger)
        self.delete_button.clicked.connect(self.delete_action.trigger)
        self.table.insertAction(self.edit_action, self.new_action)  # right-click: new, edit, delete
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._update_buttons()

    def _action(self, text: str, keys, slot, owner: QWidget) -> QAction:
        action = QAction(text, owner)
        action.setShortcuts(keys)  # a standard key or a list of sequences
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        owner.addAction(action)
        return action

    # ---- loading and filtering ----------------------------------------------------------

    def _changed(self, done) -> None:
        # People, and how many apps each owns: apps coming, going or changing owners count.
        if (affected.touches(done, Entity.PERSON, Entity.HANDOVER_PLAN)
                or affected.apps_came_or_went(done) or affected.app_fields(done) & affected.OWNER_FIELDS):
            self._refresh_when_seen()

    def refresh(self) -> None:
        """Reload everyone from the open portfolio, keeping search, sort and selection."""
        if self._workspace.portfolio is None:
            self._people = []
        else:
            with self._workspace.read() as session:
                self._people = list_people(session)
        self._stale = False
        self._filter()

    def _filter(self) -> None:
        keep = self.selected_emails()
        words = self.search_box.text().casefold().split()
        status = self.status_filter.currentData()
        self.model.set_rows([p for p in self._people if matches(p, words, status)])
        self._select(keep)
        self._update_count()
        self._update_buttons()

    def _update_count(self) -> None:
        total, shown = len(self._people), self.model.rowCount()
        leaving = sum(p["status"] == PersonStatus.LEAVING for p in self._people)
        left = sum(p["status"] == PersonStatus.LEFT for p in self._people)
        text = f"{total} people · {leaving} leaving · {left} left"
        nameless = sum(p["email"] is None for p in self._people)
        if nameless:
            text += f" · {nameless} {NO_EMAIL if nameless == 1 else 'need an e-mail'}"
        if shown != total:
            text += f" — showing {shown}"
        self.count_label.setText(text)

    def _update_buttons(self) -> None:
        has_portfolio = self._workspace.portfolio is not None
        selected = bool(self.selected_emails())
        self.new_action.setEnabled(has_portfolio)
        self.new_button.setEnabled(has_portfolio)
        for control in (self.edit_action, self.edit_button, self.delete_action, self.delete_button,
                        self.handover_action):
            control.setEnabled(selected)

    # ---- selection ----------------------------------------------------------------------

    def selected_emails(self) -> list[str]:
        """E-mails of the selected people, in table order."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [person_key(self.model.person(r)) for r in rows]

    def _select(self, emails: list[str]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for email in emails:
            row = self.model.row_of(email)
            if row is not None:
                index = self.model.index(row, 0)
                selection.select(index, flags)
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)

    def select_person(self, email: str) -> None:
        """Select one person and scroll to them."""
        self._select([email])
        row = self.model.row_of(email)
        if row is not None:
            self.table.scrollTo(self.model.index(row, 0))

    # ---- actions ------------------------------------------------------------------------

    def new_person(self) -> None:
        """Open the editor for a new person."""
        if self._workspace.portfolio is None:
            return
        self._open_editor(None)

    def edit_selected(self) -> None:
        """Open the editor for the current person."""
        current = self.table.currentIndex()
        emails = self.selected_emails()
        if current.isValid() and person_key(self.model.person(current.row())) in emails:
            self._open_editor(person_key(self.model.person(current.row())))
        elif emails:
            self._open_editor(emails[0])

    def _open_editor(self, email: str | None) -> None:
        if self.editor is not None:
            self.editor.deleteLater()  # only one editor is kept alive per page
        try:
            self.editor = editor = PersonEditor(self._workspace, email, parent=self)
        except PortfolioError as exc:  # e.g. deleted in another window meanwhile
            self.editor = None
            show_error(self, exc)
            self.refresh()
            return
        editor.accepted.connect(
            lambda: self.select_person(editor.email_edit.text().strip().lower() or editor.email))
        editor.open()  # window-modal without blocking the event loop

    def plan_handover_selected(self) -> None:
        """Ask when the selected person leaves, mark them, and show their handover plan."""
        emails = self.selected_emails()
        if emails and "@" not in emails[0]:
            QMessageBox.information(
                self, "Add an e-mail first",
                f"{emails[0]} has no e-mail yet. A handover plan is addressed to the leaver's "
                "e-mail: open the person and add it (or import the directory), then plan the "
                "handover.")
        elif emails:
            plan_handover_for(self._workspace, emails[0], self)

    def delete_selected(self) -> None:
        """Delete the selected people after confirming; one undo step brings them back."""
        people = [self.model.person(self.model.row_of(e)) for e in self.selected_emails()]
        if not people or not confirm(self, "Delete people", deletion_question(people)):
            return
        emails = [person_key(p) for p in people]
        text = f"Delete {emails[0]}" if len(emails) == 1 else f"Delete {len(emails)} people"
        self._workspace.run(text, lambda session, who: _delete_all(session, emails, who),
                            revert_person, parent=self)


def deletion_question(people: list[dict]) -> str:
    """What the user is asked before people are deleted."""
    apps = sum(p[APPS_OWNED] for p in people)
    plural = "app" if apps == 1 else "apps"
    if len(people) == 1:
        who = (f"{people[0]['name'] or people[0]['email']} ({people[0]['email']})"
               if people[0]["email"] else people[0]["name"])
        subject, owns = f"Delete {who}?", f"They own {apps} {plural}"
    else:  # two of them may own the same app, so these are ownerships, not apps
        subject, owns = f"Delete {len(people)} people?", f"Between them they hold {apps} app ownerships"
    if apps:
        detail = f"{owns}; their ownerships will be removed, which can leave apps without an active owner."
    else:
        detail = "They own no apps."
    return f"{subject}\n\n{detail}\n\nYou can undo this (Ctrl+Z)."


def _delete_all(session, emails: list[str], who: str) -> ChangeSet:
    done = ChangeSet()
    for email in emails:
        done.extend(delete_person(session, email, who))
    return done
