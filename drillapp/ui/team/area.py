"""The Team & Roster area's own parts and windows: the member editor (from the members list, the squad board
and "New member…"), the skills list, members to and from a sheet, the call-out tests and roster tabs; and the
call-out panel a drill console opens for its run (Shift+M)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from drillapp.i18n import _
from drillapp.services import Services
from drillapp.services.audit_view import AuditViewService
from drillapp.ui.operations import QueryOp

# ui/pages/ imports ui/team/ (the dashboard's on-call panel): the area page is named for the type checker only,
# so no import runs back up; the others are imported where they are used, when the area is first built.
if TYPE_CHECKING:
    from drillapp.services.member_import import MemberImportService
    from drillapp.ui.pages.areas import AreaPage
    from drillapp.ui.roster.roster_page import RosterPage


class TeamArea(QObject):
    """Builds the Team & Roster area's views on a page and opens its windows (dialogs of the main window).
    Holds `Services`, not the team services themselves, so they are made when first used, not with the
    window; the modules of the views are imported when the area is first built."""

    def __init__(self, services: Services, window: QMainWindow, history: Callable[[], AuditViewService]) -> None:
        super().__init__(window)
        self.services, self.window, self.history = services, window, history
        #: the on-call roster tab, once the area is built (a solve in progress stops when the window closes)
        self.roster_page: RosterPage | None = None

    def add_views(self, page: AreaPage) -> None:
        """The member editor (from the members list and "New member…"), the squad board tab, the skills list,
        members to and from a sheet, the call-out tests and the roster. The three tabs beside the members list
        are built when first shown (LazyTab): building them all with the area was a GUI-thread stall of
        100–150 ms at the area's first showing (issue 15), for tabs most visits never open."""
        from drillapp.ui.pages.lazy_tab import LazyTab

        page.lists[0].activated.connect(self.open_member)
        page.add_button(_("New member…"), "newMember", lambda: self.open_member(None))
        page.add_tab(LazyTab(self._squad_board, page), _("Squads"))
        page.add_button(_("Skills…"), "editSkills", self.edit_skills)
        page.add_button(_("Import members…"), "importMembers", self.import_members)
        page.add_button(_("Export members…"), "exportMembers", self.export_members)
        page.add_tab(LazyTab(self._callout_page, page), _("Call-out tests"))
        page.add_tab(LazyTab(self._roster_tab, page), _("Roster"))

    def _squad_board(self, parent: QWidget) -> QWidget:
        """The squads side by side, members dragged between them."""
        from drillapp.ui.team.squad_board import SquadBoard

        board = SquadBoard(self.services.team, parent)
        board.open_member.connect(self.open_member)
        return board

    def _callout_page(self, parent: QWidget) -> QWidget:
        """Call-out (muster) tests: start, record arrivals by key, history and trend."""
        from drillapp.ui.team.callout_page import CalloutPage

        return CalloutPage(self.services.callouts, self.services.oncall, parent)

    def _roster_tab(self, parent: QWidget) -> QWidget:
        """The on-call roster: periods, solving, the editable grid, publishing and swaps."""
        from drillapp.ui.roster.roster_page import RosterPage

        self.roster_page = RosterPage(self.services.roster, self.services.oncall, self.services.scope, parent)
        return self.roster_page

    def muster_for_run(self, run_id: int, console: QWidget, port_id: int) -> QWidget:
        """The call-out test panel in a window of its own, linked to a running drill (the console's Shift+M), on
        the drill's port whatever the desk's (under "All ports" the desk has none)."""
        from drillapp.ui.team.callout_page import CalloutPage

        page = CalloutPage(self.services.callouts, self.services.oncall, console, port_id=port_id)
        page.setWindowFlag(Qt.WindowType.Window, True)
        page.setWindowTitle(_("Call-out test — drill"))
        page.resize(1100, 700)
        page.refresh()
        page.run_choice.setCurrentIndex(max(0, page.run_choice.findData(run_id)))
        return page

    # -- members ------------------------------------------------------------------------------------
    def edit_skills(self) -> None:
        """The editable list of skills and certificates."""
        from drillapp.ui.team.skills_dialog import SkillsDialog

        dialog = SkillsDialog(self.services.team, self.history(), self.window)
        dialog.exec()
        dialog.deleteLater()

    def member_editor(self, member: int | object | None) -> QWidget:
        """The member editor on a member (as read, or its id; None: a new member), not yet shown."""
        from drillapp.ui.team.member_editor import MemberEditor

        branches = self.services.org.branches(self.services.scope.id)
        return MemberEditor(self.services.team, branches, member, self.history(), self.window)  # type: ignore[arg-type]  # member is the id or the detail read off the GUI thread

    def open_member(self, member_id: int | None) -> None:
        """The member editor on one member (None: a new member), once the member is read off the GUI thread."""
        team = self.services.team

        def show(detail: object) -> None:
            editor = self.member_editor(detail if member_id else None)
            editor.exec()  # type: ignore[attr-defined]  # the member editor is a QDialog
            editor.deleteLater()

        QueryOp(self.window, lambda: team.member_detail(member_id) if member_id else None).success(show).run()

    # -- member sheets ------------------------------------------------------------------------------
    def _member_sheets(self) -> MemberImportService:
        from drillapp.services.member_import import MemberImportService

        return MemberImportService(self.services.db, self.services.actor, self.services.clock, self.services.scope)

    def _port_for_sheets(self, title: str) -> int | None:
        port_id = self.services.scope.id
        if port_id is None:
            QMessageBox.information(self.window, title, _("Choose the port the members belong to first (the port "
                                                          "selector in the status bar)."))
        return port_id

    def import_members(self) -> None:
        from drillapp.ui.team.member_import import MemberImportDialog

        port_id = self._port_for_sheets(_("Import members"))
        if port_id is None:
            return
        dialog = MemberImportDialog(self._member_sheets(), port_id, self.window)
        if dialog.exec() and dialog.imported is not None:
            self.window.statusBar().showMessage(dialog.imported.message(), 10000)

    def export_members(self) -> None:
        from drillapp.ui.team.member_import import export_members

        port_id = self._port_for_sheets(_("Export members"))
        if port_id is None:
            return
        export_members(self._member_sheets(), port_id, self.window,
                       lambda out: self.window.statusBar().showMessage(
                           _("Members exported to {path}").format(path=out), 10000))
