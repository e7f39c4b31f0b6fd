"""The quarterly audit page: what changed since the last audit, what needs attention, and
"Mark audit done".

An audit classifies the whole portfolio afresh, which takes seconds at 100,000
apps, so it runs on the worker thread and the page fills in when it is ready.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from fusiondesk.gui.lazy import RefreshWhenSeen
from fusiondesk.gui.tasks import run_in_background
from fusiondesk.services.audit.quarterly import (
    SECTIONS,
    AuditReport,
    audit_since_last,
    mark_audit_done,
    revert_audit,
)

ITEM_LIMIT = 200  # per section on the page; the CLI and the audit workbook have them all


class AuditView(RefreshWhenSeen, QWidget):
    """The audit report and the button that records the audit as done."""

    report_ready = Signal(object)  # AuditReport, once computed

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._stale = True
        self.report: AuditReport | None = None
        self.heading = QLabel()
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.done_button = QPushButton("Mark audit done")
        self.done_button.setToolTip("Record that the portfolio was audited today; the next "
                                    "audit shows what changed after this one")
        self.done_button.clicked.connect(self.mark_done)
        bar = QHBoxLayout()
        bar.addWidget(self.heading, 1)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.browser, 1)
        workspace.opened.connect(self._refresh_when_seen)
        # Every change counts towards the next audit, so every change makes this page stale.
        workspace.changed.connect(self._refresh_when_seen)
        self._update_buttons()

    def refresh(self) -> None:
        """Compute the report in the background, then show it."""
        self._stale = False
        portfolio = self._workspace.portfolio
        if portfolio is None:
            self._show(None)
            return
        self.done_button.setEnabled(False)
        self.heading.setText("Auditing the portfolio…")

        def work(_progress):
            with portfolio.reading() as session:
                return audit_since_last(session)

        run_in_background(work, on_success=self._show, parent=self, label="Auditing…")

    def _show(self, report: AuditReport | None) -> None:
        self.report = report
        self.heading.setText(heading_text(report) if report else "No portfolio open")
        self.browser.setHtml(report_html(report) if report else "")
        self._update_buttons()
        if report is not None:
            self.report_ready.emit(report)

    def _update_buttons(self) -> None:
        has_portfolio = self._workspace.portfolio is not None
        self.refresh_button.setEnabled(has_portfolio)
        self.done_button.setEnabled(has_portfolio and self.report is not None)

    def mark_done(self) -> None:
        """Record the audit as done today, as one undo step."""
        if self._workspace.portfolio is None:
            return
        # The workspace announces the change when it is done, which refreshes this page.
        self._workspace.run("Mark audit done", mark_audit_done, revert_audit, parent=self)


def heading_text(report: AuditReport) -> str:
    """'Audit of 2026-11-01 — changes since 2026-08-01 10:15'."""
    since = (f"changes since the last audit, {report.since:%Y-%m-%d %H:%M}" if report.since
             else "first audit: everything counts as new")
    return f"Audit of {report.today.isoformat()} — {since}"


def report_html(report: AuditReport) -> str:
    """The report as simple HTML: one heading and list per section."""
    parts = [_section(heading, getattr(report, name), name, report.first_audit)
             for name, heading in SECTIONS.items()]
    if report.changes_by_source:
        counts = ", ".join(f"{n} by {escape(source)}"
                           for source, n in report.changes_by_source.items())
        parts.append(f"<h3>Changes logged since</h3><p>{counts}</p>")
    return "".join(parts)


def _section(heading: str, items: list, name: str, first_audit: bool) -> str:
    html = f"<h3>{escape(heading)} ({len(items)})</h3>"
    if not items:
        return html + "<p style='color:#757575'>None.</p>"
    if first_audit and name == "new_apps":  # the whole portfolio: a list would bury the rest
        return html + "<p>Every app is new to a first audit.</p>"
    rows = [_leaver_line(i) if name == "owners_left" else _item_line(i)
            for i in items[:ITEM_LIMIT]]
    more = f"<li>… and {len(items) - ITEM_LIMIT} more</li>" if len(items) > ITEM_LIMIT else ""
    return html + "<ul>" + "".join(f"<li>{row}</li>" for row in rows) + more + "</ul>"


def _item_line(item) -> str:
    return f"<b>{escape(item.name)}</b> ({escape(item.app_id)}): {escape(item.detail)}"


def _leaver_line(leaver) -> str:
    who = escape(leaver.name or leaver.email)
    apps = ", ".join(escape(a) for a in leaver.apps) or "no apps"
    return f"<b>{who}</b> ({escape(leaver.email)}): owns {apps}"
