"""The main window's exports: the Portfolio table as shown, and the audit workbook."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from fusiondesk.gui.tasks import run_in_background


class Exports:
    """The File menu's exports, mixed into the main window (its workspace, Portfolio page
    and status bar). Both run on a worker with progress and Cancel; the files are written
    whole or not at all (core.atomic)."""

    def export_view(self) -> None:
        """Write the table as it is shown (columns, filter, sort) to xlsx or CSV."""
        if self.workspace.portfolio is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export view", str(Path.home() / "portfolio.xlsx"),
                                              "Excel workbook (*.xlsx);;CSV (*.csv)")
        if not path:
            return
        model, portfolio = self.portfolio_view.model, self.workspace.portfolio
        ids, keys = [model.db_id(r) for r in range(model.rowCount())], model.keys

        def work(progress):
            from fusiondesk.services.apps.table_export import export_table  # deferred: openpyxl

            with portfolio.reading() as session:
                return export_table(session, ids, keys, Path(path), progress)

        run_in_background(work, parent=self, label="Exporting…", cancellable=True,
                          on_success=lambda n: self.statusBar().showMessage(f"Exported {n:,} apps to {path}", 8000))

    def export_audit(self) -> None:
        """Write the audit workbook for auditors and IT leadership."""
        portfolio = self.workspace.portfolio
        if portfolio is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export audit workbook",
                                              str(Path.home() / f"audit-{datetime.now():%Y-%m-%d}.xlsx"),
                                              "Excel workbook (*.xlsx)")
        if not path:
            return

        def work(progress):
            from fusiondesk.services.audit.workbook import export_audit  # deferred: openpyxl

            with portfolio.reading() as session:
                return export_audit(session, Path(path), datetime.now().replace(microsecond=0),
                                    portfolio.user, portfolio.location.display, progress)

        run_in_background(work, parent=self, label="Writing the audit workbook…", cancellable=True,
                          on_success=lambda made: self.statusBar().showMessage(
                              f"Audit workbook written: {made.apps:,} apps, {made.findings:,} findings", 8000))
