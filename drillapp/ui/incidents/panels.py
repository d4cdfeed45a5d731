"""The incident console's side panels: the reports owed (due, overdue, issued with their number), the tasks
beyond the plan (branch, person, status, due; overdue in red) and who was called out and is on scene."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from drillapp.i18n import N_, _
from drillapp.labels import label
from drillapp.models.enums import ActionStatus
from drillapp.services.incident_console import IncidentView, TaskView
from drillapp.services.incident_view import OnScene, TaskRow
from drillapp.ui.console.formatting import countdown, local_hm

OVERDUE = "#c62828"
#: A task's status in the desk's words (the corrective actions' "to be rectified" does not fit a task).
TASK_STATUS = {ActionStatus.OPEN: N_("Not started"), ActionStatus.IN_PROGRESS: N_("In progress"),
               ActionStatus.DONE: N_("Done"), ActionStatus.CANCELLED: N_("Cancelled")}


class DuesPanel(QListWidget):
    """The reports the plan asks for: each due in / overdue by, or issued as number N at HH:MM."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentDues")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)
        self.setMaximumHeight(120)

    def set_view(self, view: IncidentView) -> None:
        snap, now = view.snapshot, view.now
        lines: list[tuple[str, bool]] = []
        for due in snap.dues:
            if due.issued:
                text = _("{kind}: issued as number {n} at {time}").format(
                    kind=label(due.kind), n=due.issued_number, time=local_hm(due.issued_at, snap.port_zone))
                lines.append((text, False))
            elif due.due_at is None:
                lines.append((_("{kind}: when the situation changes").format(kind=label(due.kind)), False))
            else:
                left = (due.due_at - now).total_seconds()
                when = (_("due in {time}") if left >= 0 else _("overdue by {time}")).format(time=countdown(abs(left)))
                lines.append((_("{kind}: {when} ({time})").format(kind=label(due.kind), when=when,
                                                                  time=local_hm(due.due_at, snap.port_zone)), left < 0))
        if not lines:
            lines.append((_("No report is due under this plan."), False))
        if [self.item(n).text() for n in range(self.count())] == [t for t, _late in lines]:
            return
        self.clear()
        for text, late in lines:
            item = QListWidgetItem(text)
            if late:
                item.setForeground(QBrush(QColor(OVERDUE)))
            self.addItem(item)


class TasksPanel(QTableWidget):
    """The incident's tasks; `chosen` is the current task. Keys on the table: P in progress, D done,
    C cancelled, O open again (`status_key(task id, status)`)."""

    status_key = Signal(int, object)
    KEYS = {Qt.Key.Key_P: ActionStatus.IN_PROGRESS, Qt.Key.Key_D: ActionStatus.DONE,
            Qt.Key.Key_C: ActionStatus.CANCELLED, Qt.Key.Key_O: ActionStatus.OPEN}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.setObjectName("incidentTasks")
        self.setHorizontalHeaderLabels([_("Branch"), _("Person"), _("Task"), _("Status"), _("Due")])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(True)
        self.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.setToolTip(_("P in progress · D done · C cancelled · O open again"))
        self.tasks: tuple[TaskRow, ...] = ()
        self._shown: list[tuple[str, ...]] = []

    def set_tasks(self, tasks: tuple[TaskView, ...], zone: str) -> None:
        rows: list[tuple[str, ...]] = [(label(t.task.agency), t.task.assignee, t.task.text, _(TASK_STATUS[t.task.status]),
                 local_hm(t.task.due_at, zone) + (" " + _("overdue") if t.overdue else "")) for t in tasks]
        self.tasks = tuple(t.task for t in tasks)
        if rows == self._shown:
            return
        current = self.currentRow()
        self.setRowCount(len(rows))
        for n, (values, view) in enumerate(zip(rows, tasks, strict=True)):
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                if view.overdue:
                    item.setForeground(QBrush(QColor(OVERDUE)))
                elif not view.task.open:
                    item.setForeground(QBrush(QColor("#777777")))
                self.setItem(n, col, item)
        self.resizeColumnsToContents()
        self.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._shown = rows
        if rows:
            self.selectRow(min(max(current, 0), len(rows) - 1))

    def chosen(self) -> TaskRow | None:
        row = self.currentRow()
        return self.tasks[row] if 0 <= row < len(self.tasks) else None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        status = self.KEYS.get(Qt.Key(event.key())) if not event.modifiers() else None
        task = self.chosen()
        if status is not None and task is not None:
            self.status_key.emit(task.id, status)
            return
        super().keyPressEvent(event)


def called_line(c: OnScene, zone: str, now: datetime) -> str:
    if c.arrived_at is not None:
        state = _("on scene since {time}").format(time=local_hm(c.arrived_at, zone))
    elif c.acknowledged_at is not None:
        state = _("acknowledged {time}, on the way").format(time=local_hm(c.acknowledged_at, zone))
    else:
        state = _("no answer yet")
    return f"{c.name} · {label(c.agency)} · {c.mobile or '—'}\n{state}"


class CalledPanel(QListWidget):
    """Who was called out for the incident (the call-out engine) and whether they are on scene."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentCalled")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)

    def set_view(self, view: IncidentView) -> None:
        snap = view.snapshot
        texts = [called_line(c, snap.port_zone, view.now) for c in snap.called] or [
            _("Nobody has been called out for this incident yet.")]
        if [self.item(n).text() for n in range(self.count())] != texts:
            self.clear()
            self.addItems(texts)
