"""The History tab of an app or a person: their rows of the change log, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from fusiondesk.core.terms import Entity
from fusiondesk.gui.change_log_view import LogModel, log_table
from fusiondesk.services.change_log import history

HISTORY_COLUMNS = ("at", "who", "entity_key", "field", "old_value", "new_value", "source",
                   "source_detail")
HISTORY_LIMIT = 2000  # an app edited daily for years still fits; older rows are in the Log page


class HistoryPanel(QWidget):
    """What happened to one app (its reviews included) or one person, and who did it."""

    def __init__(self, workspace, entity: str = Entity.APP, key: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self.entity, self.key = entity, key
        self.model = LogModel(HISTORY_COLUMNS, self)
        self.table = log_table(self.model)
        self.summary = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        workspace.changed.connect(self._changed)
        self.refresh()

    def show_history(self, entity: str, key: str | None) -> None:
        """Show another app's or person's history."""
        self.entity, self.key = entity, key
        self.refresh()

    def refresh(self) -> None:
        """Reload the rows from the log."""
        if self.key is None or self._workspace.portfolio is None:
            self.model.set_rows([])
            self.summary.setText("Not saved yet: no history." if self.key is None else "")
            return
        with self._workspace.read() as session:
            rows = history(session, self.entity, self.key, limit=HISTORY_LIMIT + 1)
        self.model.set_rows(rows[:HISTORY_LIMIT])
        self.summary.setText(_summary(rows))

    def _changed(self, done) -> None:
        # Only a change to this app, its reviews or this person adds rows here.
        if self.key is None:
            return
        keys = {c.key for c in done.changes}
        prefix = f"{self.key}#"
        if self.key in keys or any(k.startswith(prefix) for k in keys):
            self.refresh()


def _summary(rows: list) -> str:
    if not rows:
        return "No changes recorded."
    if len(rows) > HISTORY_LIMIT:
        return f"Newest {HISTORY_LIMIT:,} changes shown; see the Log page for older ones."
    first = min(r.at for r in rows)
    return f"{len(rows):,} changes since {first:%Y-%m-%d}."
