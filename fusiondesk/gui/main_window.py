"""The main window: navigation between pages, menus, toolbar, status bar and portfolio files."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from fusiondesk import APP_NAME, paths
from fusiondesk.core.permissions import EDIT, POLICY, may, read_only_note
from fusiondesk.core.resources import resource_path
from fusiondesk.gui import settings
from fusiondesk.gui.about import open_user_guide, show_about
from fusiondesk.gui.audit_view import AuditView
from fusiondesk.gui.change_log_view import ChangeLogView
from fusiondesk.gui.developers_view import DevelopersView
from fusiondesk.gui.errors import show_error
from fusiondesk.gui.escalations_view import EscalationsPage
from fusiondesk.gui.home_page import HomePage
from fusiondesk.gui.identity_dialog import IdentityDialog
from fusiondesk.gui.lazy import DeferredPage
from fusiondesk.gui.ownership_view import OwnershipView
from fusiondesk.gui.people_view import PeopleView
from fusiondesk.gui.policy_editor import PolicyEditor
from fusiondesk.gui.portfolio_files import PortfolioFiles
from fusiondesk.gui.portfolio_view import PortfolioView
from fusiondesk.gui.reviews_view import ReviewsView
from fusiondesk.gui.tasks import is_busy, wait_for_background
from fusiondesk.gui.teams_view import TeamsView
from fusiondesk.gui.warning_signs import show_warning_sign_legend
from fusiondesk.gui.welcome import WelcomePage
from fusiondesk.gui.window_exports import Exports
from fusiondesk.gui.workspace import Workspace
from fusiondesk.shipped_sample import user_sample


def window_icon() -> QIcon | None:
    """The app icon from resources/, when it is there."""
    try:
        return QIcon(str(resource_path("fusiondesk.svg")))
    except FileNotFoundError:
        return None


def icon(name: str) -> QIcon:
    """One of the line icons under resources/icons/ (an empty icon if it is missing)."""
    try:
        return QIcon(str(resource_path(f"icons/{name}.svg")))
    except FileNotFoundError:
        return QIcon()


def redo_keys() -> list[QKeySequence]:
    """The platform's Redo keys plus Ctrl+Shift+Z and Ctrl+Y, each once (a key bound twice is
    an ambiguous shortcut and does nothing)."""
    keys = [*QKeySequence.keyBindings(QKeySequence.StandardKey.Redo),
            QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
    return list({key.toString(): key for key in keys if not key.isEmpty()}.values())


def _page_keys(row: int) -> QKeySequence | None:
    """Ctrl+1 … Ctrl+9 then Ctrl+0 for the first ten pages, in the navigation's order; later
    pages are reached from the View menu and the navigation (Ctrl+10 is not a key)."""
    if row < 9:
        return QKeySequence(f"Ctrl+{row + 1}")
    return QKeySequence("Ctrl+0") if row == 9 else None


# The selected page reads as a tinted row with an accent bar, so its icon stays visible
# (a solid highlight would swallow the blue icons); palette() follows light and dark.
NAVIGATION_STYLE = """
QListWidget#navigation { border: none; background: palette(window); outline: none; }
QListWidget#navigation::item { padding: 7px 10px; margin: 1px 6px; border-radius: 6px;
                               color: palette(window-text); }
QListWidget#navigation::item:hover { background: palette(alternate-base); }
QListWidget#navigation::item:selected { background: palette(alternate-base); font-weight: 600;
                                        border-left: 3px solid palette(highlight); }
"""


def _history_button(action: QAction, short: str, picture: QIcon) -> QToolButton:
    """A toolbar button for Undo or Redo that keeps its short label (the step it names is in
    the tooltip): a label growing with the step's name pushed other buttons into overflow."""
    button = QToolButton()
    button.setText(short)
    button.setIcon(picture)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setAutoRaise(True)
    button.clicked.connect(action.trigger)

    def follow() -> None:
        button.setEnabled(action.isEnabled())
        button.setToolTip(f"{action.text().replace('&', '')} ({action.shortcut().toString()})")

    action.changed.connect(follow)
    follow()
    return button


class MainWindow(PortfolioFiles, Exports, QMainWindow):
    """One window on one portfolio."""

    def __init__(self, workspace: Workspace | None = None):
        super().__init__()
        self.workspace = workspace or Workspace(self)
        self.setWindowTitle(APP_NAME)
        self.pages = QStackedWidget()
        self.navigation = QListWidget()
        self.home_page = HomePage(self.workspace)
        self.portfolio_view = PortfolioView(self.workspace)
        self.people_view = PeopleView(self.workspace)
        self.reviews_view = ReviewsView(self.workspace)
        self.log_view = ChangeLogView(self.workspace)
        self.audit_view = AuditView(self.workspace)
        self.ownership_view = OwnershipView(self.workspace)
        self.developers_view = DevelopersView(self.workspace)
        self.teams_view = TeamsView(self.workspace)
        self.dashboard_page = DeferredPage(self._make_dashboard)
        self.programme_page = DeferredPage(self._make_programme)  # issue 18: the sponsor's page
        self.escalations_page = EscalationsPage(self.workspace)
        # The lead's day first (Home, the portfolio, its figures and value), then people,
        # then governance's records; Ctrl+1 … Ctrl+0 follow this order (_page_keys).
        for title, name, page in (("Home", "home", self.home_page),
                                  ("Portfolio", "portfolio", self.portfolio_view),
                                  ("Dashboard", "dashboard", self.dashboard_page),
                                  ("Programme", "programme", self.programme_page),
                                  ("People", "people", self.people_view),
                                  ("Teams", "teams", self.teams_view),
                                  ("Ownership", "ownership", self.ownership_view),
                                  ("Citizen developers", "developers", self.developers_view),
                                  ("Reviews", "reviews", self.reviews_view),
                                  ("Escalations", "escalations", self.escalations_page),
                                  ("Audit", "audit", self.audit_view),
                                  ("Change log", "change_log", self.log_view)):
            self._add_page(title, name, page)
        self._style_navigation()
        self.navigation.currentRowChanged.connect(self._page_changed)
        frame = QWidget()
        row = QHBoxLayout(frame)
        row.setContentsMargins(0, 6, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.navigation)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.VLine)
        rule.setFrameShadow(QFrame.Shadow.Plain)
        rule.setForegroundRole(QPalette.ColorRole.Mid)  # a quiet line in light and dark alike
        row.addWidget(rule)
        row.addWidget(self.pages, 1)
        self._connect_home()
        self.welcome = WelcomePage()
        self.welcome.open_sample.connect(lambda: self.open_location(str(user_sample())))
        self.welcome.start_empty.connect(lambda: self.open_location(str(paths.default_portfolio()), create=True))
        self.welcome.import_inventory.connect(self._import_into_default)
        self.welcome.open_recent.connect(self.open_location)
        self.central = QStackedWidget()
        self.central.addWidget(self.welcome)
        self.central.addWidget(frame)
        self.setCentralWidget(self.central)
        icon = window_icon()
        if icon is not None:
            self.setWindowIcon(icon)
        self._build_status_bar()
        self._build_menus()
        self.workspace.opened.connect(self._portfolio_opened)
        for action in self.portfolio_view.actions_by_name.values():
            action.setEnabled(False)  # until a portfolio is open
        # Methods, not lambdas: Qt drops their connections with the window (a workspace
        # handed in can outlive it).
        self.workspace.failed.connect(self._change_failed)
        self.workspace.history_cleared.connect(self._history_cleared)
        self.workspace.others_changed.connect(self._others_changed)
        self.portfolio_view.counts_changed.connect(self._show_counts)
        self.navigation.setCurrentRow(0)
        self._page_changed(0)
        if not settings.restore_geometry("main", self):
            self.resize(1280, 780)
        self.setAcceptDrops(True)  # drop a spreadsheet anywhere to import it

    def _add_page(self, title: str, name: str, page) -> None:
        item = QListWidgetItem(icon(name), title)
        item.setData(Qt.ItemDataRole.UserRole, name)
        self.navigation.addItem(item)
        self.pages.addWidget(page)

    def _style_navigation(self) -> None:
        """A sidebar, not a bare list: icons, roomy rows, a width that fits the longest title."""
        nav = self.navigation
        nav.setObjectName("navigation")
        nav.setStyleSheet(NAVIGATION_STYLE)
        nav.setIconSize(QSize(20, 20))
        nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        nav.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        widest = max(nav.fontMetrics().horizontalAdvance(nav.item(r).text()) for r in range(nav.count()))
        nav.setFixedWidth(widest + 20 + 70)  # icon, its gap, padding, margins and the accent bar

    def _connect_home(self) -> None:
        home = self.home_page
        home.filter_requested.connect(self.show_filtered_portfolio)
        home.page_requested.connect(lambda name: self.show_page(self._named_page(name)))
        home.import_requested.connect(lambda: self.import_inventory())
        home.sample_requested.connect(lambda: self.open_location(str(user_sample())))
        home.new_app_requested.connect(self._add_first_app)
        home.loaded.connect(lambda _figures: self._show_page_hint())

    def _named_page(self, name: str):
        row = next(r for r in range(self.navigation.count())
                   if self.navigation.item(r).data(Qt.ItemDataRole.UserRole) == name)
        return self.pages.widget(row)

    def show_page(self, page) -> None:
        """Show one page, as clicking its name in the navigation does."""
        self.navigation.setCurrentRow(self.pages.indexOf(page))

    def _page_changed(self, row: int) -> None:
        """Show the page, with its own toolbar and status text (the app actions on Portfolio only)."""
        self.pages.setCurrentIndex(row)
        on_portfolio = self.pages.currentWidget() is self.portfolio_view
        self.app_toolbar.setVisible(on_portfolio)
        self.counts_label.setVisible(on_portfolio)
        self._show_page_hint()
        self._offer_new_app_here()

    def _offer_new_app_here(self) -> None:
        # Ctrl+N belongs to a page's own action where it has one (a new app on Portfolio, a
        # new person on People); elsewhere this one takes the user to Portfolio first. Both
        # live at once would be an ambiguous shortcut, and Qt would fire neither.
        keys = self.new_app_elsewhere.shortcut()
        page = self.pages.currentWidget()
        own = any(a.shortcut() == keys and a.shortcutContext() != Qt.ShortcutContext.WindowShortcut
                  for a in page.findChildren(QAction)) if page is not None else False
        self.new_app_elsewhere.setEnabled(
            not own and self.portfolio_view.actions_by_name["new"].isEnabled())

    def _show_page_hint(self) -> None:
        """The shown page's own line in the status bar (pages without one leave it empty)."""
        hint = getattr(self.pages.currentWidget(), "status_hint", None)
        self.page_hint.setText(hint() if hint else "")
        self.page_hint.setVisible(bool(self.page_hint.text()))

    def _add_first_app(self) -> None:
        self.show_page(self.portfolio_view)
        self.portfolio_view.new_app()

    def _build_status_bar(self) -> None:
        self.counts_label, self.page_hint, self.file_label = QLabel(), QLabel(), QLabel()
        self.statusBar().addWidget(self.counts_label)
        self.statusBar().addWidget(self.page_hint)
        self.statusBar().addPermanentWidget(self.file_label)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self._action(file_menu, "&New portfolio…", self.new_portfolio, QKeySequence("Ctrl+Shift+N"))
        self._action(file_menu, "&Open portfolio…", self.choose_portfolio, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(file_menu, "Save a &copy…", self.save_copy, QKeySequence("Ctrl+Shift+S"))
        self._action(file_menu, "&Backups…", self.show_backups)
        file_menu.addSeparator()
        self.import_action = self._action(file_menu, "&Import inventory…", self.import_inventory,
                                          QKeySequence("Ctrl+I"))
        self._action(file_menu, "&Export view…", self.export_view, QKeySequence("Ctrl+E"))
        self._action(file_menu, "Export &audit workbook…", self.export_audit, QKeySequence("Ctrl+Shift+E"))
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = undo = self.workspace.undo_action(self)
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = redo = self.workspace.redo_action(self)
        redo.setShortcuts(redo_keys())
        edit_menu.addActions([undo, redo])
        edit_menu.addSeparator()
        edit_menu.addActions(list(self.portfolio_view.actions_by_name.values()))
        settings_menu = self.menuBar().addMenu("&Settings")
        self.policy_action = self._action(settings_menu, "Governance &policy…", self.edit_policy,
                                          QKeySequence("Ctrl+,"))
        self._action(settings_menu, "Your &name and e-mail…", self.edit_identity)
        view_menu = self.menuBar().addMenu("&View")
        for row in range(self.navigation.count()):
            title = self.navigation.item(row).text()
            # `triggered` passes `checked`: a default argument would receive it and send
            # every shortcut to row 0, so the row is bound by a closure over its own scope.
            self._action(view_menu, title, self._go_to(row), _page_keys(row))
        help_menu = self.menuBar().addMenu("&Help")
        self._action(help_menu, "&User guide", open_user_guide, QKeySequence.StandardKey.HelpContents)
        self._action(help_menu, "&Warning signs…", lambda: show_warning_sign_legend(self))
        self._action(help_menu, "&About FusionDesk", lambda: show_about(
            self, self.workspace.portfolio.location.display if self.workspace.portfolio else None))
        self._build_toolbars(undo, redo)
        self.new_app_elsewhere = QAction("New app", self)
        self.new_app_elsewhere.setShortcut(QKeySequence.StandardKey.New)
        self.new_app_elsewhere.triggered.connect(self._add_first_app)
        self.addAction(self.new_app_elsewhere)
        self.portfolio_view.actions_by_name["new"].changed.connect(self._offer_new_app_here)

    def _build_toolbars(self, undo: QAction, redo: QAction) -> None:
        """Undo and Redo on every page; the app actions in a toolbar of their own, shown on Portfolio."""
        history = QToolBar("History")
        history.setObjectName("main-toolbar")
        history.setMovable(False)
        for action, short, name in ((undo, "Undo", "undo"), (redo, "Redo", "redo")):
            history.addWidget(_history_button(action, short, icon(name)))
        self.addToolBar(history)
        self.app_toolbar = QToolBar("Apps")
        self.app_toolbar.setObjectName("apps-toolbar")
        self.app_toolbar.setMovable(False)
        self.app_toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for name in ("new", "edit", "bulk", "delete"):
            action = self.portfolio_view.actions_by_name[name]
            action.setIcon(icon(name))
            self.app_toolbar.addAction(action)
        self.addToolBar(self.app_toolbar)
        for toolbar in (history, self.app_toolbar):
            toolbar.setIconSize(QSize(18, 18))
            toolbar.toggleViewAction().setVisible(False)  # shown by page, not by hand

    def _go_to(self, row: int):
        return lambda _checked=False: self.navigation.setCurrentRow(row)

    def _action(self, menu, text, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _portfolio_opened(self, portfolio) -> None:
        for action in self.portfolio_view.actions_by_name.values():
            action.setEnabled(portfolio is not None)  # nothing to edit on the welcome page
        if portfolio is None:
            self.welcome.refresh()
            self.central.setCurrentWidget(self.welcome)
            return
        self.central.setCurrentIndex(1)
        portfolio.user = settings.user_name() or portfolio.user  # the configured name, else the OS user
        settings.remember_portfolio(portfolio.location.without_password)
        self.file_label.setText(portfolio.location.display)
        self.setWindowTitle(f"{Path(portfolio.location.display).name} — {APP_NAME}")
        self._offer_what_the_role_allows(portfolio)

    def _offer_what_the_role_allows(self, portfolio) -> None:
        """Grey out what the account's role on a shared portfolio would be refused."""
        can_edit = may(portfolio.role, EDIT)
        for name in ("new", "bulk", "retire", "delete"):
            self.portfolio_view.actions_by_name[name].setEnabled(can_edit)
        self.import_action.setEnabled(can_edit)
        self.policy_action.setEnabled(may(portfolio.role, POLICY))  # admins only on a server
        if note := read_only_note(portfolio.database_user or portfolio.user, portfolio.role):
            self.statusBar().showMessage(note)

    def _change_failed(self, exc: BaseException) -> None:
        show_error(self, exc)

    def _history_cleared(self, why: str) -> None:
        self.statusBar().showMessage(why, 15000)

    def _others_changed(self, *_signal_args) -> None:
        self.statusBar().showMessage(
            "Updated with changes made in another window or by another lead.", 10000)

    def _show_counts(self, shown: int, total: int) -> None:
        self.counts_label.setText(f"{shown:,} of {total:,} apps")

    def import_inventory(self, path: str | None = None) -> None:
        """Bring an Excel or CSV inventory in, with a preview of every change first."""
        if self.workspace.portfolio is not None:
            from fusiondesk.gui.import_wizard import ImportWizard  # deferred: spreadsheet libraries

            ImportWizard(self.workspace, self, path).exec()

    @property
    def dashboard_view(self):
        """The dashboard page (built on first use: it loads matplotlib)."""
        return self.dashboard_page.widget()

    def _make_dashboard(self):
        from fusiondesk.gui.dashboard import DashboardView  # deferred: matplotlib is slow to import

        return DashboardView(self.workspace, self.show_filtered_portfolio)

    def _make_programme(self):
        from fusiondesk.gui.programme_view import ProgrammeView  # deferred: matplotlib

        return ProgrammeView(self.workspace)

    def show_filtered_portfolio(self, filters: dict) -> None:
        """A dashboard bar was clicked: show exactly its apps in the portfolio table."""
        from fusiondesk.gui.dashboard import apply_filter_to_portfolio  # loaded with the dashboard

        apply_filter_to_portfolio(self.portfolio_view, filters)
        self.show_page(self.portfolio_view)

    def edit_identity(self) -> None:
        """Set the name the change log records and the e-mail of 'my' review queue."""
        default = self.workspace.portfolio.user if self.workspace.portfolio else ""
        if IdentityDialog(default, self).exec() and self.workspace.portfolio is not None:
            self.workspace.portfolio.user = settings.user_name() or self.workspace.portfolio.user
            self.reviews_view.refresh()

    def edit_policy(self) -> None:
        """Edit the governance policy; saving reclassifies the portfolio."""
        if self.workspace.portfolio is not None:
            PolicyEditor(self.workspace, self).exec()

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            self.import_inventory(files[0])

    def closeEvent(self, event) -> None:
        if is_busy():
            wait_for_background(15000)  # let a save in progress finish: nothing half-written
        settings.save_geometry("main", self)
        if self.workspace.portfolio is not None:
            self.workspace.portfolio.close()
        super().closeEvent(event)

