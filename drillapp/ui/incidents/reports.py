"""The reports dialog of a real incident (初报 / 续报 / 终报), opened from its console (Ctrl+R), not modal.

The list shows the incident's reports and those owed (due and issued times in the port's time zone, overdue in
red); Ctrl+N drafts the next report owed (its words drafted by the service from the log and the state now);
a draft's eight headings are edited in place and saved with Ctrl+S (versioned: a report someone else saved
meanwhile offers to reload); Ctrl+I issues it after asking (numbered, logged with its content hash, frozen);
Ctrl+P saves it as PDF; F5 reads it all again; Esc closes, asking first about unsaved words.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import ReportKind
from drillapp.services.audit_view import AuditViewService
from drillapp.services.errors import ConflictError
from drillapp.services.incident_view import IncidentSnapshot
from drillapp.ui.conflict import ask_reload
from drillapp.ui.errors import show_error
from drillapp.ui.incidents.reports_form import ReportForm, ReportsTable, list_lines, when
from drillapp.ui.operations import QueryOp, Watch, WriteOp


def _file_name(title: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_ （）" else "_" for c in title).strip() or "report"
    return f"{safe[:80]}.pdf"


class ReportsDialog(QDialog):
    def __init__(self, services: Any, incident_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentReports")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setModal(False)
        self.services, self.incidents, self.incident_id = services, services.incidents, incident_id
        self.snapshot: IncidentSnapshot | None = None
        self.last_pdf: Path | None = None
        self._selected: int | None = None  # the report id the form shows
        self.setWindowTitle(_("Reports"))
        self.resize(1100, 720)
        self.watch = Watch(self, self.reload, skip_own=True)

        self.title = QLabel(self)
        self.title.setObjectName("reportsTitle")
        self.title.setWordWrap(True)
        self.table = ReportsTable(self)
        self.table.itemSelectionChanged.connect(self._row_chosen)
        self.empty = QLabel(_("No reports yet: Ctrl+N drafts the first one from the log."), self)
        self.empty.setObjectName("reportsEmpty")
        self.empty.setWordWrap(True)
        self.form = ReportForm(self)
        self.state = QLabel(self)
        self.state.setObjectName("reportState")
        self.state.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("reportsMessage")
        self.message.setWordWrap(True)

        self.draft_action = self._action("draftNext", _("Draft next report"), "Ctrl+N", self.draft_next)
        self.save_action = self._action("saveReport", _("Save"), "Ctrl+S", self.save)
        self.issue_action = self._action("issueReport", _("Issue…"), "Ctrl+I", self.issue)
        self.pdf_action = self._action("reportPdf", _("Save PDF…"), "Ctrl+P", self.save_pdf)
        self.refresh_action = self._action("refreshReports", _("Refresh"), "F5", self.reload)
        buttons = QHBoxLayout()
        for action in (self.draft_action, self.save_action, self.issue_action, self.pdf_action,
                       self.refresh_action):
            buttons.addWidget(self._button(action))
        buttons.addStretch(1)
        close = QPushButton(_("Close (Esc)"), self)
        close.setObjectName("closeReports")
        close.clicked.connect(self.reject)
        buttons.addWidget(close)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.empty)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.state)
        right_layout.addWidget(self.form, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([420, 680])
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._enable()

    # -- building ---------------------------------------------------------------------------------------
    def _action(self, name: str, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(f"{text} ({QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)})")
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _button(self, action: QAction) -> QPushButton:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button = QPushButton(f"{action.text()} ({keys})", self)
        button.setObjectName(action.objectName() + "Button")
        button.setToolTip(action.toolTip())
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        return button

    def _say(self, text: str) -> None:
        self.message.setText(text)

    # -- reading ----------------------------------------------------------------------------------------
    def reload(self, then: Callable[[], None] | None = None, select: int | None = None) -> None:
        incidents, incident_id = self.incidents, self.incident_id

        def shown(snap: IncidentSnapshot) -> None:
            self.show_snapshot(snap, select)
            if then is not None:
                then()

        QueryOp(self, lambda: incidents.snapshot(incident_id, log_limit=1), watch=self.watch).success(shown).run()

    def show_snapshot(self, snap: IncidentSnapshot, select: int | None = None) -> None:
        first, self.snapshot = self.snapshot is None, snap
        state = _("active") if snap.active else _("stood down")
        self.title.setText(_("{number} {title} · {state}").format(number=snap.number, title=snap.title, state=state))
        self.setWindowTitle(_("Reports · {number}").format(number=snap.number))
        keep = select if select is not None else self._selected
        if keep is None and first and snap.reports:  # opened: the newest report
            keep = snap.reports[-1].id
        self.table.blockSignals(True)
        self.table.show_lines(list_lines(snap), snap.port_zone, self.services.clock())
        found = self.table.select_report(keep) if keep is not None else False
        if not found:
            self.table.clearSelection()
            self.table.setCurrentCell(-1, -1)
        self.table.blockSignals(False)
        self.empty.setVisible(not snap.reports)
        line = self.table.current_line()
        report = line.report if line is not None and found else None
        self.form.show_report(report, keep_edits=True)
        self._selected = report.id if report is not None else None
        self._show_state()
        self._enable()

    def _show_state(self) -> None:
        r, zone = self.form.report, self.snapshot.port_zone if self.snapshot else ""
        if r is None:
            self.state.setText(_("Choose a report in the list, or draft the next one (Ctrl+N)."))
        elif r.number is None:
            self.state.setText(_("{kind} · draft: edit its words, save (Ctrl+S), then issue (Ctrl+I).").format(
                kind=label(r.kind)))
        else:
            self.state.setText(_("{kind} no. {number} · issued {time} by {who}: frozen, it cannot be changed.")
                               .format(kind=label(r.kind), number=r.number, time=when(r.issued_at, zone),
                                       who=r.issued_by or "—"))

    def _enable(self) -> None:
        snap = self.snapshot
        self.draft_action.setEnabled(snap is not None and self.next_kind() is not None)
        self.save_action.setEnabled(self.form.editable)
        self.issue_action.setEnabled(self.form.editable)
        self.pdf_action.setEnabled(self.form.report is not None)

    def _row_chosen(self) -> None:
        line = self.table.current_line()
        report = line.report if line is not None else None
        if report is not None and self._selected == report.id:
            return
        if self.form.dirty() and not self._leave_edits():
            self.table.blockSignals(True)
            self.table.select_report(self._selected)
            self.table.blockSignals(False)
            return
        self._selected = report.id if report is not None else None
        self.form.show_report(report)
        self._show_state()
        self._enable()

    # -- drafting, saving, issuing ----------------------------------------------------------------------
    def next_kind(self) -> ReportKind | None:
        """The kind the next draft is: the report owed next; once stood down only the final report."""
        snap = self.snapshot
        if snap is None:
            return None
        if not snap.active:
            final_issued = any(d.kind is ReportKind.FINAL and d.issued for d in snap.dues)
            return None if final_issued else ReportKind.FINAL
        due = snap.next_report
        if due is not None and due.kind is not ReportKind.FINAL:
            return due.kind
        initial = any(r.kind is ReportKind.INITIAL for r in snap.reports)
        return ReportKind.FOLLOW_UP if initial else ReportKind.INITIAL

    def draft_next(self) -> None:
        kind = self.next_kind()
        if kind is None or self.snapshot is None:
            return
        waiting = next((r for r in self.snapshot.reports if r.kind is kind and r.number is None), None)
        if waiting is not None:  # a draft of it is open already: that one, not a second
            self.table.select_report(waiting.id)
            self._say(_("A draft of the {kind} is open already: it is shown.").format(kind=label(kind)))
            return
        if self.form.dirty() and not self._leave_edits():
            return
        incidents, incident_id = self.incidents, self.incident_id

        def drafted(report_id: int) -> None:
            self._say(_("{kind} drafted from the log: check its words, save, then issue.").format(kind=label(kind)))
            self._selected = None
            self.reload(select=report_id, then=lambda: self.form.editors["nature"].setFocus())

        WriteOp(self, lambda: incidents.draft_report(incident_id, kind)).success(drafted).run(initiator=self)

    def _history(self) -> AuditViewService:
        s = self.services
        return AuditViewService(s.db, s.actor, s.clock, s.scope)

    def _failed(self, report_id: int) -> Callable[[BaseException], None]:
        def failed(exc: BaseException) -> None:
            if isinstance(exc, ConflictError):
                if ask_reload(exc, self._history(), "incident_report", report_id, self):
                    self.form.report = None  # take theirs: the edits here go
                    self.reload(select=report_id)
                return
            show_error(self, exc)
        return failed

    def save(self, then: Callable[[], None] | None = None) -> None:
        report = self.form.report
        if report is None or not self.form.editable:
            return
        values, incidents = self.form.values(), self.incidents

        def saved(_version: int) -> None:
            self._say(_("Saved."))
            self.form.report = None  # the stored words are shown again
            self.reload(select=report.id, then=then)

        WriteOp(self, lambda: incidents.update_report(report.id, expected_version=report.row_version, **values)) \
            .success(saved).failure(self._failed(report.id)).run(initiator=self)

    def issue(self) -> None:
        report = self.form.report
        if report is None or not self.form.editable:
            return
        answer = QMessageBox.question(
            self, _("Issue the report"),
            _("Issue this {kind}? It takes the next number, goes into the incident's log and can no longer be "
              "changed.").format(kind=label(report.kind)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        values, dirty, incidents = self.form.values(), self.form.dirty(), self.incidents

        def run() -> int:
            version = report.row_version
            if dirty:  # the words as shown are what is issued
                version = incidents.update_report(report.id, expected_version=version, **values)
            return incidents.issue_report(report.id, expected_version=version)

        def issued(number: int) -> None:
            self._say(_("{kind} issued as no. {number}.").format(kind=label(report.kind), number=number))
            self.form.report = None
            self.reload(select=report.id)

        WriteOp(self, run).success(issued).failure(self._failed(report.id)).run(initiator=self)

    # -- printing ---------------------------------------------------------------------------------------
    def save_pdf(self) -> None:
        report, snap = self.form.report, self.snapshot
        if report is None or snap is None:
            return
        if self.form.dirty():
            self._say(_("The PDF prints the report as saved: save your edits first (Ctrl+S)."))
        name = f"{snap.number} {label(report.kind)}" + (f" {report.number}" if report.number else "")
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the report as PDF"),
                                                    str(Path.home() / _file_name(name)), "PDF (*.pdf)")
        if path:
            self.write_pdf(Path(path))

    def write_pdf(self, path: Path) -> None:
        from drillapp.reports.incident_pdf import write_report

        report = self.form.report
        if report is None:
            return
        incidents, report_id = self.incidents, report.id

        def done(out: Path) -> None:
            self.last_pdf = out
            self._say(_("PDF written to {path}").format(path=out))

        QueryOp(self, lambda: write_report(incidents.report_document(report_id), path),
                label=_("Writing the report…")).success(done).run()

    # -- leaving ----------------------------------------------------------------------------------------
    def _leave_edits(self) -> bool:
        """Unsaved words: save them, drop them, or stay. True when it may go on (dropped; a save runs on)."""
        answer = QMessageBox.question(
            self, _("Unsaved changes"), _("The report has unsaved changes. Save them?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            self.save()
            return False
        if answer == QMessageBox.StandardButton.Discard:
            self.form.show_report(self.form.report)
            return True
        return False

    def reject(self) -> None:
        if self.form.dirty():
            answer = QMessageBox.question(
                self, _("Unsaved changes"), _("The report has unsaved changes. Save them before closing?"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save:
                self.save(then=self._close_now)
                return
        self._close_now()

    def _close_now(self) -> None:
        self.form.show_report(None)
        super().reject()


def open_reports(parent: QWidget | None, services: Any, incident_id: int) -> ReportsDialog:
    """The incident's reports dialog: the one open for it already (brought forward), or a new one."""
    if parent is not None:
        for dialog in parent.findChildren(ReportsDialog):
            if dialog.incident_id == incident_id:
                dialog.show()
                dialog.raise_()
                dialog.activateWindow()
                return dialog
    dialog = ReportsDialog(services, incident_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    dialog.show()
    dialog.reload(select=None)
    return dialog
