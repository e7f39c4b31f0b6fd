"""The History tab of an app or a person: their changes, newest first, each expandable."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from fusiondesk.core.terms import Entity
from fusiondesk.gui.change_tree import ChangeTree
from fusiondesk.services.change_history import ChangeFilter


class HistoryPanel(QWidget):
    """What happened to one app (its reviews included) or one person, and who did it."""

    def __init__(self, workspace, entity: str = Entity.APP, key: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self.entity, self.key = entity, key
        self.tree = ChangeTree(workspace)
        self.tree.loaded.connect(self._show_summary)
        self.summary = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        workspace.changed.connect(self._changed)
        self.refresh()

    def show_history(self, entity: str, key: str | None) -> None:
        """Show another app's or person's history."""
        self.entity, self.key = entity, key
        self.refresh()

    def refresh(self) -> None:
        """Read the changes from the log again."""
        if self.key is None or self._workspace.portfolio is None:
            self.tree.clear()
            self.summary.setText("Not saved yet: no history." if self.key is None else "")
            return
        self.tree.show_changes(self._filter())

    def _filter(self) -> ChangeFilter:
        if self.entity == Entity.APP:  # the app's own rows and its reviews'
            return ChangeFilter(app_id=self.key)
        return ChangeFilter(entity=self.entity, key=self.key)

    def _show_summary(self) -> None:
        total = self.tree.total or 0
        if not total:
            self.summary.setText("No changes recorded.")
            return
        shown = self.tree.changes.rowCount()
        # The count and the rows come from one read, but a change's field rows can arrive
        # after the list was emptied: only name the oldest day when every change is shown.
        since = ""
        if shown and shown == total:
            since = f" since {self.tree.changes.change(shown - 1).at:%Y-%m-%d}"
        self.summary.setText(f"{total:,} change{'s' if total != 1 else ''}{since}.")

    def _changed(self, done) -> None:
        # Only a change to this app, its reviews or this person adds rows here.
        if self.key is None:
            return
        keys = {c.key for c in done.changes}
        prefix = f"{self.key}#"
        if self.key in keys or any(k.startswith(prefix) for k in keys):
            self.refresh()
