"""The incident console's window actions (a mixin of IncidentConsole): the level, a task, the hand-over and its
sheet, the call-out, the stand-down, and the reports and review (their screens live elsewhere and are looked up
when asked for)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QWidget

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.services import Services
from drillapp.services.incident_console import IncidentView
from drillapp.services.incident_view import IncidentSnapshot
from drillapp.services.incidents import IncidentService
from drillapp.ui.console.checklist import ChecklistView
from drillapp.ui.incidents.checklist import IncidentChecklistModel
from drillapp.ui.incidents.dialogs import HandoverDialog, LevelDialog, StandDownDialog, TaskDialog
from drillapp.ui.incidents.panels import TasksPanel
from drillapp.ui.operations import QueryOp, WriteOp
from drillapp.ui.team.oncall_panel import OnCallPanel


class IncidentActions:
    """What the console's window keys and buttons do; the console provides the attributes below."""

    services: Services
    incidents: IncidentService
    incident_id: int
    review_opener: Any
    snapshot: IncidentSnapshot | None
    view: IncidentView | None
    model: IncidentChecklistModel
    checklist: ChecklistView
    tasks: TasksPanel
    on_call: OnCallPanel
    notice: QLabel
    callout_window: QWidget | None
    stood_down: Any  # the console's signals
    handed_over: Any

    @property
    def active(self) -> bool:
        return self.snapshot is not None and self.snapshot.active

    def reload(self) -> None:  # pragma: no cover - the console's
        raise NotImplementedError

    def act(self, action: str) -> None:  # pragma: no cover - the console's
        raise NotImplementedError

    if TYPE_CHECKING:  # ItemKeys' (ui/console/item_keys.py), after this class in the console's bases
        def _failed(self, exc: BaseException, item_id: int | None = None) -> None: ...

    def _parent(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def _form(self, dialog: Any) -> bool:
        accepted = bool(dialog.exec())
        if accepted:
            self.reload()
        self.checklist.setFocus()
        return accepted

    def change_level(self) -> None:
        if self.snapshot is not None and self.active:
            self._form(LevelDialog(self.incidents, self.snapshot, self._parent()))

    def new_task(self) -> None:
        if self.snapshot is not None and self.active:
            item = self.model.item_at(self.checklist.current_row())
            self._form(TaskDialog(self.incidents, self.snapshot, self._parent(), item.row.agency if item else None))

    def start_log(self) -> None:
        self.act("log")

    def focus_tasks(self) -> None:
        self.tasks.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.tasks.currentRow() < 0 and self.tasks.rowCount():
            self.tasks.selectRow(0)

    def focus_checklist(self) -> None:
        self.checklist.setFocus()

    def hand_over(self) -> None:
        snap = self.snapshot
        if snap is None or not self.active:
            return
        actor = self.services.actor
        dialog = HandoverDialog(self.incidents, snap, actor.display_name or actor.username, self._parent())
        if not self._form(dialog):
            return
        old, new = dialog.officers()
        self.last_handover = (old or actor.display_name or actor.username, new)
        if not self.save_handover_sheet():
            self.notice.setText(_("Hand-over recorded; no sheet saved. Ctrl+Shift+H saves the sheet."))

    def save_handover_sheet(self) -> bool:
        """Asks where to save the hand-over sheet of the incident as it stands (naming the officers of the last
        hand-over made at this desk, if any) and prints it; logs nothing. False when the user cancels."""
        snap = self.snapshot
        if snap is None:
            return False
        actor = self.services.actor
        old, new = getattr(self, "last_handover", None) or (actor.display_name or actor.username, "")
        stamp = to_local(self.incidents.clock(), snap.port_zone or None).strftime("%Y%m%d-%H%M")
        path, _filter = QFileDialog.getSaveFileName(self._parent(), _("Save the hand-over sheet"),
                                                    f"{snap.number}-handover-{stamp}.pdf", _("PDF files (*.pdf)"))
        if not path:
            return False
        self.print_handover(Path(path if path.lower().endswith(".pdf") else path + ".pdf"), old, new)
        return True

    def print_handover(self, out: Path, from_officer: str, to_officer: str) -> None:
        from drillapp.reports import incident_pdf

        incidents, incident_id = self.incidents, self.incident_id

        def done(path: Path) -> None:
            self.notice.setText(_("Hand-over sheet saved to {path}").format(path=path))
            self.handed_over.emit(path)

        QueryOp(self._parent(), lambda: incident_pdf.write_handover(
            incidents.handover_sheet(incident_id), out, from_officer=from_officer, to_officer=to_officer,
            now=incidents.clock()), label=_("Printing…")).success(done).failure(self._failed).run()

    def call_out(self) -> None:
        """Call the on-call team out for the incident (the call-out engine), then its panel, where A / R / N
        record acknowledgements and arrivals (they go into the incident's log). Once called: the panel."""
        snap = self.snapshot
        if snap is None:
            return
        if snap.called or not self.active:
            self.open_callout_panel()
            return
        if self.on_call.port_id != snap.port_id:  # not read yet: whom to call is not known
            self.notice.setText(_("The on-call list is still loading: press Ctrl+Shift+M again in a moment."))
            return
        shift = self.on_call.current
        members = [m.member_id for m in shift.members] if shift is not None and shift.members else None
        whom = _("the {n} members on call now").format(n=len(members)) if members else _("the whole active team")
        answer = QMessageBox.question(
            self._parent(), _("Call out"),
            _("Call out {whom} for {number}? Their answers and arrivals go into the incident log.").format(
                whom=whom, number=snap.number),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        callouts, port_id, incident_id = self.services.callouts, snap.port_id, self.incident_id

        def started(_test_id: int) -> None:
            self.reload()
            self.open_callout_panel()

        WriteOp(self._parent(), lambda: callouts.start_test(port_id, members, incident_id=incident_id)) \
            .success(started).failure(self._failed).run(initiator=self._parent())

    def open_callout_panel(self) -> QWidget:
        """The call-out panel in a window of its own (its table keeps its A / R / N keys)."""
        from drillapp.ui.team.callout_page import CalloutPage

        if self.callout_window is None:
            page = CalloutPage(self.services.callouts, self.services.oncall, self._parent(),
                               port_id=self.snapshot.port_id if self.snapshot else None)
            page.setWindowFlag(Qt.WindowType.Window, True)
            page.setWindowTitle(_("Call-out — {number}").format(number=self.snapshot.number if self.snapshot
                                                                 else ""))
            page.start_box.hide()  # the incident's call-out was started from the console
            page.resize(1100, 700)
            page.refresh()
            self.callout_window = page
        self.callout_window.show()
        self.callout_window.raise_()
        self.callout_window.activateWindow()
        return self.callout_window

    def stand_down(self) -> None:
        snap = self.snapshot
        if snap is None or not self.active:
            return
        if self._form(StandDownDialog(self.incidents, snap, self.view.open if self.view else 0, self._parent())):
            self.stood_down.emit(self.incident_id)

    def open_reports(self) -> None:
        """The reports dialog (初报 / 续报 / 终报): drafted, issued and printed there."""
        from drillapp.ui.incidents.reports import open_reports

        open_reports(cast(QWidget, self), self.services, self.incident_id)

    def open_review(self) -> None:
        """The after-action review of the stood-down incident (the one it has, or a new one)."""
        if self.review_opener is not None:  # a console opened on its own (tests, tools) has no review window
            self.review_opener.open_for_incident(self.incident_id)
