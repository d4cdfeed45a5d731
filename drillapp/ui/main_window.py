"""The main window: a navigation sidebar, one page per area, menus built from the action registry.

What an area adds to its page, and the windows it opens, live with the area (ui/plans/opener.py and area.py,
ui/team/area.py, ui/drills/area.py, ui/incidents/, ui/reviews/); backing up and restoring the database,
ui/backup_restore.py. The window holds the services and hands them out."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QStyle,
    QWidget,
)

from drillapp import __version__
from drillapp.i18n import N_, _
from drillapp.labels import label
from drillapp.paths import log_dir
from drillapp.services import Services
from drillapp.services.audit_view import AuditViewService
from drillapp.services.context import PortScope
from drillapp.services.org import PortRow
from drillapp.services.permissions import allowed
from drillapp.services.reminders import ReminderRow
from drillapp.ui import settings
from drillapp.ui.actions import AREA_SHORTCUTS, MENUS, build_actions
from drillapp.ui.backup_restore import back_up, restore
from drillapp.ui.lazy_imports import warm_up_charts
from drillapp.ui.pages.areas import AreaPage
from drillapp.ui.pages.dashboard import DashboardPage
from drillapp.ui.pages.settings_page import SettingsPage
from drillapp.ui.plans.opener import PlanOpener
from drillapp.ui.reminders_qt import Tray
from drillapp.ui.team.area import TeamArea

SP = QStyle.StandardPixmap
AREAS = (
    ("dashboard", N_("Dashboard"), SP.SP_ComputerIcon),
    ("plans", N_("Plans"), SP.SP_FileDialogDetailedView),
    ("drills", N_("Drills"), SP.SP_MediaPlay),
    ("team", N_("Team & Roster"), SP.SP_DirHomeIcon),
    ("incidents", N_("Incidents"), SP.SP_MessageBoxWarning),
    ("reviews", N_("Reviews"), SP.SP_DialogApplyButton),
    ("settings", N_("Settings"), SP.SP_FileDialogInfoView),
)


class MainWindow(QMainWindow):
    """The composition root of the screens: it holds the services of the current port and hands each page the
    one service it needs."""

    language_changed = Signal(str)
    port_changed = Signal(object)  # PortScope chosen in the status bar
    backup_schedule_changed = Signal()
    #: the account was deactivated, or the database restored under it: the app asks who logs in
    session_over = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None,
                 ports: list[PortRow] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.services = services
        self.setWindowTitle(_("drillapp — joint emergency preparedness"))
        self.setMinimumSize(QSize(900, 600))

        self.sidebar = QListWidget(self)
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget(self)
        self.stack.setObjectName("pages")
        self.dashboard = DashboardPage(services.dashboard, services.reminders, self, oncall=services.oncall)
        self.settings_page: SettingsPage | None = None
        # Pages other than the dashboard are built the first time they are shown: start-up stays fast.
        self.pages: dict[str, QWidget | None] = {}
        for key, title, icon in AREAS:
            self.pages[key] = self.dashboard if key == "dashboard" else None
            self.stack.addWidget(self.dashboard if key == "dashboard" else QWidget(self))
            item = QListWidgetItem(self.style().standardIcon(icon), _(title))
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.sidebar.addItem(item)
        self.sidebar.setFixedWidth(max(180, self.sidebar.sizeHintForColumn(0) + 40))
        self.sidebar.currentRowChanged.connect(self._area_changed)

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.actions_by_id = build_actions(self)
        self._build_menus()
        actor = services.actor
        self.port_box = self._port_selector(ports if ports is not None else services.org.ports())
        self.statusBar().addPermanentWidget(self.port_box)
        for key, operation in (("backup", "data.backup"), ("restore", "data.restore"),
                               ("launch_drill", "runs.start_run"), ("unplanned_drill", "runs.start_unplanned"),
                               ("activate_incident", "incidents.open_incident")):
            self.actions_by_id[key].setEnabled(allowed(actor.role, operation))
        self.statusBar().addPermanentWidget(
            QLabel(f"{actor.display_name or actor.username} · {label(actor.role)}", self)
        )
        self.statusBar().addPermanentWidget(QLabel(services.db.display_url, self))
        self.tray = Tray(self)
        #: the plan editors, one window per plan (from the Plans area, a review naming a plan)
        self.plan_opener = PlanOpener(services, self._audit_view, self)
        self.editors = self.plan_opener.editors
        #: the Team & Roster area's views and windows (the member editor, the skills, member sheets, call-outs)
        self.team_area = TeamArea(services, self, self._audit_view)
        from drillapp.ui.console.launch import ConsoleOpener
        from drillapp.ui.reviews.opener import ReviewOpener

        #: the review editors, one window per review (from the Reviews area, the tracker, a finished run)
        self.review_opener = ReviewOpener(services.reviews, services.review_docs, self._audit_view(), services.org,
                                          self, open_plan=self.open_plan)
        #: the drill consoles, one window per run
        self.consoles = ConsoleOpener(services.runs, services.console, services.reviews, self,
                                      muster=self.team_area.muster_for_run, review=self.review_opener.open_for_run)
        self.dashboard.launch_drill.connect(self.consoles.launch)
        from drillapp.ui.incidents.opener import IncidentDesk

        #: real incidents: the activation and one console per incident
        self.incident_desk = IncidentDesk(services, self, review_opener=self.review_opener)
        from drillapp.ui.drills.area import link_dashboard

        link_dashboard(self)  # "Open drill" and the overdue coverage cells lead into the Drills area
        self._restore_state()

    # -- building ---------------------------------------------------------------------------------
    def _port_selector(self, ports: list[PortRow]) -> QComboBox:
        """The current port, switchable: every list, panel and new record belongs to it. "All ports" (for the
        lists and the dashboard) is offered to a user not limited to one port."""
        box = QComboBox(self)
        box.setObjectName("portSelector")
        box.setToolTip(_("The port you are working on: lists, the dashboard and new records belong to it"))
        for port in ports:
            box.addItem(f"{port.code} · {port.name_zh}", port.scope())
        if self.services.actor.port_id is None and len(ports) > 1:
            box.addItem(_("All ports"), PortScope(None, "", "", ports[0].time_zone))
        current = self.services.scope
        for i in range(box.count()):
            if box.itemData(i).id == current.id:
                box.setCurrentIndex(i)
        box.setEnabled(box.count() > 1)
        box.activated.connect(lambda i: self._port_chosen(box.itemData(i)))
        return box

    def _port_chosen(self, scope: PortScope) -> None:
        if scope.id != self.services.scope.id:
            self.port_changed.emit(scope)

    def _build_menus(self) -> None:
        menus = {key: self.menuBar().addMenu(_(title)) for key, title in MENUS}
        for spec_id, action in self.actions_by_id.items():
            from drillapp.ui.actions import ACTIONS

            menu = next(s.menu for s in ACTIONS if s.id == spec_id)
            menus[menu].addAction(action)
        menus["view"].addSeparator()
        for row, (key, title, _icon) in enumerate(AREAS):
            action = QAction(_(title), self)
            action.setObjectName(f"action_area_{key}")
            action.setShortcut(QKeySequence(AREA_SHORTCUTS[row]))
            action.triggered.connect(lambda _checked=False, r=row: self.sidebar.setCurrentRow(r))
            menus["view"].addAction(action)
            self.actions_by_id[f"area_{key}"] = action

    def _restore_state(self) -> None:
        geometry = settings.UiState.load("main_geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        state = settings.UiState.load("main_state")
        if state is not None:
            self.restoreState(state)
        row = settings.get(settings.LAST_AREA)
        self.sidebar.setCurrentRow(row if 0 <= row < len(AREAS) else 0)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        designers = getattr(self, "designers", None)
        if designers is not None and not designers.close_all():  # a drill design left unsaved: kept open
            event.ignore()
            return
        settings.UiState.save("main_geometry", self.saveGeometry())
        settings.UiState.save("main_state", self.saveState())
        settings.put(settings.LAST_AREA, self.sidebar.currentRow())
        for console in list(self.consoles.consoles.values()):  # the runs go on; their consoles reopen at start
            console.close()
        self.incident_desk.close_all()
        roster = self.team_area.roster_page
        if roster is not None:
            roster.runner.wait()  # a solve in progress stops; its thread must not outlive the window
        super().closeEvent(event)

    # -- navigation -------------------------------------------------------------------------------
    def area(self) -> str:
        return AREAS[self.sidebar.currentRow()][0]

    def show_area(self, key: str) -> None:
        self.sidebar.setCurrentRow([a[0] for a in AREAS].index(key))

    def page(self, key: str) -> QWidget:
        """The page of an area, built on first use."""
        page = self.pages[key]
        if page is None:
            if key == "settings":
                from drillapp.services.data_info import DataInfoService

                data = DataInfoService(self.services.db, self.services.actor, self.services.clock, self.services.scope)
                self.settings_page = page = SettingsPage(data, self._audit_view(), self.services.users,
                                                         self.services.org, self)
                self.settings_page.language_changed.connect(self.language_changed)
                self.settings_page.backup_requested.connect(self.backup_database)
                self.settings_page.backup_schedule_changed.connect(self.backup_schedule_changed)
                self.settings_page.restore_requested.connect(self.restore_database)
            else:
                page = AreaPage(key, self.services.lists, self)
                if key == "plans":
                    from drillapp.ui.plans.area import add_plan_views

                    add_plan_views(page, self.plan_opener, self.services.org, self.services.scope)
                if key == "drills":
                    page.add_button(_("Launch drill (Ctrl+Shift+L)"), "launchDrill", self.launch_selected_drill)
                    page.add_button(_("Unplanned drill…"), "unplannedDrill", self.launch_unplanned_drill)
                    self._add_drill_calendar(page)
                if key == "incidents":
                    from drillapp.ui.incidents.area import add_incident_views

                    self.incident_filters = add_incident_views(page, self.incident_desk, self.activate_incident)
                if key == "reviews":
                    from drillapp.ui.reviews.area import add_review_views

                    self.action_tracker = add_review_views(page, self.services.tracker, self.services.reviews,
                                                           self.review_opener, self.services.trends)
                if key == "team":
                    self.team_area.add_views(page)
            row = [a[0] for a in AREAS].index(key)
            placeholder = self.stack.widget(row)
            self.stack.insertWidget(row, page)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            self.pages[key] = page
        return page

    def _audit_view(self) -> AuditViewService:
        return AuditViewService(self.services.db, self.services.actor, self.services.clock, self.services.scope)

    def _area_changed(self, row: int) -> None:
        if row < 0:
            return
        if row:  # leaving the dashboard: the charts' library is loaded in a worker before an area needs it
            warm_up_charts()
        page = self.page(AREAS[row][0])
        self.stack.setCurrentIndex(row)
        if page is self.dashboard:
            if self.dashboard.data is None:
                self.dashboard.refresh()
        elif hasattr(page, "activate"):
            page.activate()

    def refresh_current(self) -> None:
        page: Any = self.stack.currentWidget()
        if hasattr(page, "refresh"):
            page.refresh()

    def focus_search(self) -> None:
        page = self.stack.currentWidget()
        if isinstance(page, AreaPage):
            # a tab that is not a list but has a search field (the corrective-action tracker) searches there
            search = getattr(page.tabs.currentWidget(), "search", None) or page.current_list().search
            search.setFocus()
            search.selectAll()

    # -- plans ------------------------------------------------------------------------------------
    def open_plan(self, plan_id: int, version_id: int | None = None) -> QWidget | None:
        """The plan editor on a plan's version (ui/plans/opener.py); returns it when it is already there."""
        return self.plan_opener.open_plan(plan_id, version_id)

    # -- drills -----------------------------------------------------------------------------------
    def launch_selected_drill(self) -> None:
        """Launch the drill selected in the Drills list (or the dashboard's next drills); its console opens."""
        drill_id: int | None = None
        if self.area() == "dashboard":
            drill_id = self.dashboard.selected_drill()
        else:
            page = self.page("drills")
            assert isinstance(page, AreaPage)
            rows = page.lists[0].table.selectionModel().selectedRows() if self.area() == "drills" else []
            if rows:
                drill_id = page.lists[0].model.row_id(rows[0].row())
        if drill_id is None:
            self.show_area("drills")
            self.statusBar().showMessage(_("Choose the drill to launch in the list, then press Ctrl+Shift+L."), 10000)
            return
        self.consoles.launch(drill_id)

    def launch_unplanned_drill(self) -> None:
        self.consoles.launch_unplanned(self.services.lists)

    def activate_incident(self) -> None:
        """A real incident (Ctrl+Shift+I): a plan at a level, or the generic checklist; its console opens."""
        self.incident_desk.activate()

    def _add_drill_calendar(self, page: AreaPage) -> None:
        """The drill programme's calendar and coverage matrix, tabs of the Drills area, and the drill designers
        they open (one window per drill; "Launch drill" there starts the console)."""
        from drillapp.ui.drills.area import add_drill_tabs

        tabs = add_drill_tabs(page, self.services, self, self._audit_view(), self.consoles.launch)
        self.drill_calendar, self.coverage_page, self.designers = tabs.calendar, tabs.coverage, tabs.designers

    # -- team -------------------------------------------------------------------------------------
    def member_editor(self, member: int | object | None) -> QWidget:
        """The member editor on a member (as read, or its id; None: a new member), not yet shown."""
        return self.team_area.member_editor(member)

    # -- reminders --------------------------------------------------------------------------------
    def show_reminder(self, row: ReminderRow) -> None:
        if not (settings.get(settings.TRAY_NOTIFICATIONS) and self.tray.notify(row)):
            self.statusBar().showMessage(_("Reminder: {title}").format(title=row.heading), 15000)

    # -- data -------------------------------------------------------------------------------------
    def backup_database(self) -> None:
        back_up(self, self.services.db, self.services.actor)

    def restore_database(self) -> None:
        restore(self, self.services.db, self.services.actor, self.session_over.emit)

    # -- account ----------------------------------------------------------------------------------
    def change_password(self) -> None:
        """File → Change password: the logged-in user's own password (the dialog's write goes through the
        operation runner, like every form)."""
        from drillapp.ui.login import ChangePasswordDialog

        ChangePasswordDialog(self.services.users, self).exec()

    # -- help -------------------------------------------------------------------------------------
    def show_about(self) -> None:
        from PySide6 import __version__ as pyside_version

        QMessageBox.about(
            self, _("About drillapp"),
            "<h3>drillapp {v}</h3><p>{what}</p><p>{db}: {url}</p><p>PySide6 {qt} · {font}</p>".format(
                v=__version__,
                what=_("Joint contingency plans, drills, the rapid-response team and after-action reviews "
                       "for the four agencies of a land border port. Works offline."),
                db=_("Database"), url=self.services.db.display_url.replace("<", "&lt;"),
                qt=pyside_version,
                font=_("Chinese font: WenQuanYi Micro Hei (Apache License 2.0)"),
            ),
        )

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))
