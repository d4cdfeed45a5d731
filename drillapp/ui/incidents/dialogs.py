"""The incident console's questions, each one operation through the runner (FormDialog): a new response
level with the reason, a task for a branch and a person, the hand-over naming both officers, the stand-down
with its summary. Each asks before Esc (or the window's close button) throws away what was typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any, cast

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QPlainTextEdit, QTimeEdit, QWidget

from drillapp.clock import from_local, to_local
from drillapp.i18n import _
from drillapp.labels import label, level_label
from drillapp.models.enums import Agency
from drillapp.services.errors import ValidationError
from drillapp.services.incident_view import IncidentSnapshot
from drillapp.services.incidents import IncidentService
from drillapp.ui.form_dialog import FormDialog


def ahead(at: time, now: datetime, zone: str | None) -> datetime:
    """A wall-clock time typed at the desk for something due ("by 04:30") as naive UTC: today in the port, or
    tomorrow when that time has passed already."""
    local_now = to_local(now, zone or None)
    candidate = datetime.combine(local_now.date(), at)
    if candidate < local_now - timedelta(minutes=1):
        candidate += timedelta(days=1)
    return from_local(candidate, zone or None)


def _required(text: str, field: str, message: str) -> str:
    if not text.strip():
        raise ValidationError(message, field)
    return text.strip()


class LevelDialog(FormDialog):
    """Escalate or de-escalate: the new level and why (both go into the log with who)."""

    def __init__(self, incidents: IncidentService, snap: IncidentSnapshot, parent: QWidget | None = None) -> None:
        now = level_label(snap.level) if snap.level is not None else _("No level")
        super().__init__(_("Change the response level"),
                         _("{number} is at {level}. A more severe level adds its actions to the checklist; a less "
                           "severe one keeps the open items, marked not required.").format(number=snap.number,
                                                                                           level=now), parent)
        self.setObjectName("incidentLevelDialog")
        self.incidents, self.snap = incidents, snap
        self.level = QComboBox(self)
        self.level.setObjectName("newLevel")
        for number in (1, 2, 3, 4):
            if number != snap.level:
                more = snap.level is None or number < snap.level
                self.level.addItem(f"{level_label(number)} · " + (_("escalate") if more else _("de-escalate")),
                                   number)
        default = self.level.findData(snap.level - 1) if snap.level and snap.level > 1 else 0
        self.level.setCurrentIndex(max(default, 0))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("levelReason")
        self.reason.setPlaceholderText(_("Why (goes into the log)"))
        self.form.addRow(_("New level"), self.level)
        self.form.addRow(_("Reason"), self.reason)
        self.ask_before_closing(_("Close without changing the level? What you typed is lost."))
        self.reason.setFocus()

    def typed(self) -> bool:
        return bool(self.reason.text().strip())

    def operation(self) -> Callable[[], Any]:
        reason = _required(self.reason.text(), "reason", _("Say why the level changes: it goes into the log."))
        incidents, incident_id, level = self.incidents, self.snap.id, self.level.currentData()
        version = self.snap.row_version
        return lambda: incidents.set_level(incident_id, level, reason, expected_version=version)


class TaskDialog(FormDialog):
    """A task beyond the plan for a branch and a person, with an optional due time (today, or tomorrow once
    the time has passed)."""

    def __init__(self, incidents: IncidentService, snap: IncidentSnapshot, parent: QWidget | None = None,
                 agency: Agency | None = None) -> None:
        super().__init__(_("New task"), _("A task beyond the plan, for a branch and a person; it goes into the "
                                          "log."), parent)
        self.setObjectName("incidentTaskDialog")
        self.incidents, self.snap = incidents, snap
        self.branch = QComboBox(self)
        self.branch.setObjectName("taskBranch")
        for a in Agency:
            self.branch.addItem(label(a), a)
        if agency is not None:
            self.branch.setCurrentIndex(max(self.branch.findData(agency), 0))
        self.person = QLineEdit(self)
        self.person.setObjectName("taskPerson")
        self.text = QLineEdit(self)
        self.text.setObjectName("taskText")
        self.has_due = QCheckBox(_("Due by"), self)
        self.has_due.setObjectName("taskHasDue")
        self.due = QTimeEdit(self)
        self.due.setObjectName("taskDue")
        self.due.setDisplayFormat("HH:mm")
        local = to_local(incidents.clock(), snap.port_zone or None) + timedelta(minutes=30)
        self.due.setTime(QTime(local.hour, local.minute))
        self.due.setEnabled(False)
        self.has_due.toggled.connect(self.due.setEnabled)
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due)
        due_row.addStretch(1)
        self.form.addRow(_("Branch"), self.branch)
        self.form.addRow(_("Task"), self.text)
        self.form.addRow(_("Person"), self.person)
        self.form.addRow(_("Due"), due_row)
        self.ask_before_closing(_("Close without adding the task? What you typed is lost."))
        self.text.setFocus()

    def typed(self) -> bool:
        return bool(self.text.text().strip() or self.person.text().strip())

    def operation(self) -> Callable[[], Any]:
        text = _required(self.text.text(), "text", _("Say what the task is."))
        due = ahead(cast(time, self.due.time().toPython()), self.incidents.clock(), self.snap.port_zone) \
            if self.has_due.isChecked() else None
        incidents, incident_id, agency, person = self.incidents, self.snap.id, self.branch.currentData(), \
            self.person.text().strip()
        return lambda: incidents.add_task(incident_id, agency, text, assignee=person, due_at=due)


class HandoverDialog(FormDialog):
    """The hand-over entry naming both duty officers (the sheet is printed after)."""

    def __init__(self, incidents: IncidentService, snap: IncidentSnapshot, me: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Hand over"), _("The hand-over goes into the log naming both officers; then the "
                                           "hand-over sheet (PDF) is saved for the next duty officer."), parent)
        self.setObjectName("incidentHandoverDialog")
        self.incidents, self.snap, self.me = incidents, snap, me
        self.from_officer = QLineEdit(me, self)
        self.from_officer.setObjectName("handoverFrom")
        self.to_officer = QLineEdit(self)
        self.to_officer.setObjectName("handoverTo")
        self.note = QLineEdit(self)
        self.note.setObjectName("handoverNote")
        self.form.addRow(_("Handed over by"), self.from_officer)
        self.form.addRow(_("To (next duty officer)"), self.to_officer)
        self.form.addRow(_("Note"), self.note)
        self.ask_before_closing(_("Close without recording the hand-over? What you typed is lost."))
        self.to_officer.setFocus()

    def typed(self) -> bool:
        """The next officer or a note, or another name for the one handing over (it starts as the user's)."""
        return bool(self.to_officer.text().strip() or self.note.text().strip()
                    or self.from_officer.text().strip() != self.me.strip())

    def officers(self) -> tuple[str, str]:
        return self.from_officer.text().strip(), self.to_officer.text().strip()

    def operation(self) -> Callable[[], Any]:
        new = _required(self.to_officer.text(), "to_officer", _("Name the next duty officer."))
        old, note = self.from_officer.text().strip(), self.note.text().strip()
        incidents, incident_id = self.incidents, self.snap.id
        return lambda: incidents.hand_over(incident_id, new, from_officer=old, note=note)


class StandDownDialog(FormDialog):
    """The stand-down, with its summary: the checklist and the operational log close."""

    def __init__(self, incidents: IncidentService, snap: IncidentSnapshot, open_items: int,
                 parent: QWidget | None = None) -> None:
        warning = _("{n} required items are still open.").format(n=open_items) if open_items else ""
        super().__init__(_("Stand down"), " ".join(filter(None, (
            _("Stand {number} down? Its checklist and log close; the final report and the review still "
              "follow.").format(number=snap.number), warning))), parent)
        self.setObjectName("incidentStandDownDialog")
        self.incidents, self.snap = incidents, snap
        self.summary = QPlainTextEdit(self)
        self.summary.setObjectName("standDownSummary")
        self.summary.setTabChangesFocus(True)
        self.summary.setPlaceholderText(_("What happened and how it ended"))
        self.form.addRow(_("Summary"), self.summary)
        self.buttons.button(self.buttons.StandardButton.Ok).setText(_("Stand down"))
        self.ask_before_closing(_("Close without standing down? What you typed is lost."))
        self.summary.setFocus()

    def typed(self) -> bool:
        return bool(self.summary.toPlainText().strip())

    def operation(self) -> Callable[[], Any]:
        summary = _required(self.summary.toPlainText(), "summary", _("Write the summary of the incident."))
        incidents, incident_id = self.incidents, self.snap.id
        return lambda: incidents.stand_down(incident_id, summary)
