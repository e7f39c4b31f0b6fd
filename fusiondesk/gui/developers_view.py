"""The Citizen developers page: who is certified for what (and until when), what each has
delivered, which apps they build beyond their qualification, and the recognition list.

Read on the worker thread when the page is seen; the recognition list for the chosen
quarter is shown as it will be pasted, and "Copy recognition list" puts it on the
clipboard as Markdown text (it reads as plain text too).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fusiondesk.core import clock
from fusiondesk.core.certification import recent_quarters
from fusiondesk.core.labels import label
from fusiondesk.core.terms import Certification, Entity
from fusiondesk.gui.lazy import RefreshWhenSeen
from fusiondesk.gui.ownership_view import WARNING, RowsModel
from fusiondesk.gui.tasks import run_in_background
from fusiondesk.services import affected
from fusiondesk.services.developers.page import DevelopersPage, developers_page

QUARTERS_OFFERED = 8
CERTIFICATIONS_COLUMN = 3
HEADERS = ("Developer", "Department", "Level now", "Certifications (expiry)", "Delivered",
           "In quarter", "Hours / year", "Unqualified")
UNQUALIFIED_COLUMN = HEADERS.index("Unqualified")
# Fixed widths (characters); the certifications take the room left over.
WIDTHS = {0: 17, 1: 13, 2: 10, 4: 8, 5: 8, 6: 10, 7: 10}
# App fields the page reads: who built them, when deployed, the hours, the flags.
DEVELOPER_FIELDS = affected.OWNER_FIELDS | {"name", "deployed_on", "hours_saved_per_month",
                                            "platform", "lifecycle"}


class DevelopersView(RefreshWhenSeen, QWidget):
    """The Citizen developers page."""

    loaded = Signal()  # the page shows current figures (tests wait for it)

    def __init__(self, workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self._workspace = workspace
        self._stale = True
        self.page: DevelopersPage | None = None
        self._build()
        workspace.opened.connect(self._refresh_when_seen)
        workspace.changed.connect(self._changed)

    def _build(self) -> None:
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.quarter_box = QComboBox()
        self.quarter_box.addItem("All time", None)
        for quarter in recent_quarters(clock.today(), QUARTERS_OFFERED):
            self.quarter_box.addItem(quarter, quarter)
        # The quarter just closed: what a quarterly newsletter is about.
        self.quarter_box.setCurrentIndex(2)
        self.quarter_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.copy_button = QPushButton("Copy recognition list")
        self.copy_button.setToolTip("Put the list below on the clipboard, to paste into a "
                                    "newsletter (Markdown, reads as plain text too)")
        self.copy_button.clicked.connect(self.copy_recognition)
        self.model = DeveloperRows(HEADERS)
        self.table = _table(self.model)
        self.recognition = QPlainTextEdit()
        self.recognition.setReadOnly(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Quarter:"))
        bar.addWidget(self.quarter_box)
        bar.addStretch(1)
        bar.addWidget(self.copy_button)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.recognition)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

    # ---- loading ---------------------------------------------------------------------------

    def _changed(self, done) -> None:
        if (affected.touches(done, Entity.PERSON) or affected.apps_came_or_went(done)
                or affected.app_fields(done) & DEVELOPER_FIELDS):
            self._refresh_when_seen()

    def quarter(self) -> str | None:
        """The quarter chosen (None: all time)."""
        return self.quarter_box.currentData()

    def refresh(self) -> None:
        """Read the records again on the worker thread, then show them."""
        portfolio = self._workspace.portfolio
        self._stale = False
        if portfolio is None:
            return
        quarter, today = self.quarter(), clock.today()

        def work(_progress):
            with portfolio.reading() as session:
                return developers_page(session, quarter, today)

        run_in_background(work, on_success=self.show_page, parent=self,
                          label="Reading the citizen developers…")

    def show_page(self, page: DevelopersPage) -> None:
        """Put the records and the recognition list on the page."""
        self.page = page
        records = page.records
        self.model.set_rows([_row(r, page.quarter) for r in records],
                            keys=[r["email"] or r["name"] for r in records])
        self.model.tips = [_tip(r) for r in records]
        self.recognition.setPlainText(page.recognition)
        self.summary.setText(_summary(records))
        self.loaded.emit()

    def copy_recognition(self) -> None:
        """Put the recognition list on the clipboard."""
        QGuiApplication.clipboard().setText(self.recognition.toPlainText())
        self.copy_button.setText("Copied")
        self.copy_button.setToolTip("The recognition list is on the clipboard")


def _table(model: RowsModel) -> QTableView:
    """Sortable rows whose certifications column takes the room left over (as on Ownership)."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSortingEnabled(True)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(CERTIFICATIONS_COLUMN, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)
    unit = table.fontMetrics().horizontalAdvance("0")
    for column, width in WIDTHS.items():
        header.resizeSection(column, width * unit)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setWordWrap(False)
    return table


def _row(record: dict, quarter: str | None) -> tuple:
    certs = ", ".join(_certificate(c) for c in record["certifications"])
    if not certs and record["certification"] in (Certification.TRAINED, Certification.CERTIFIED):
        certs = f"{record['certification']}, undated (as imported; counts on every platform)"
    in_quarter = record["delivered_per_quarter"].get(quarter, 0) if quarter else None
    hours = record["hours_saved_per_year"] if record["hours_unknown"] < record["solutions_delivered"] \
        else None  # none of their apps has the figure: unknown, not 0
    level = record["current_level"]
    return (record["name"] or record["email"], record["department"],
            label(Certification, level) if level else "unknown", certs or None,
            record["solutions_delivered"], in_quarter, hours,
            len(record["unqualified_apps"]) or None)


class DeveloperRows(RowsModel):
    """The developers' rows: an unqualified count in red, naming its apps on hover."""

    def __init__(self, headers, parent=None):
        super().__init__(headers, parent)
        self.tips: list[str | None] = []
        self._order: dict = {}

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and index.column() == UNQUALIFIED_COLUMN:
            if role == Qt.ItemDataRole.ForegroundRole:
                return WARNING
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tips[self._row_of(index)]
        if index.isValid() and index.column() == CERTIFICATIONS_COLUMN \
                and role == Qt.ItemDataRole.ToolTipRole:
            return super().data(index) or None
        return super().data(index, role)

    def _row_of(self, index) -> int:
        key = self.key(index.row())  # tips follow their row through a sort
        return self._order.get(key, index.row())

    def set_rows(self, rows, colours=None, keys=None) -> None:
        """Show these rows; the tips are set after, in the same order."""
        super().set_rows(rows, colours, keys)
        self._order = {key: n for n, key in enumerate(keys or [])}


def _tip(record: dict) -> str | None:
    apps = record["unqualified_apps"]
    if not apps:
        return None
    return "\n".join(f"{a['name']} (Tier {a['tier']}, {a['platform']}): {a['why']}" for a in apps)


def _certificate(cert: dict) -> str:
    until = f" until {cert['expires']}" if cert["expires"] else ""
    if cert["expired"]:
        until = f" expired {cert['expires']}"
    return f"{cert['platform']} {cert['level']}{until}"


def _summary(records: list[dict]) -> str:
    certified = sum(r["current_level"] == Certification.CERTIFIED for r in records)
    expired = sum(any(c["expired"] for c in r["certifications"]) for r in records)
    unqualified = sum(len(r["unqualified_apps"]) for r in records)
    return (f"<b>{len(records):,}</b> citizen developers, <b>{certified:,}</b> certified now; "
            f"<b>{expired:,}</b> hold an expired certification; <b "
            f"style='color:{WARNING.name()}'>{unqualified:,}</b> apps are built by someone not "
            "qualified for their tier (Tier 2: trained on the platform; Tier 3+: certified, "
            "with a pro-dev partner)")
