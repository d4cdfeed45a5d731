"""Moving one proposed drill before it is accepted: the coordinator picks another day and time (the port's wall
clock); the service checks the new start against the blocked periods when the proposal is accepted."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QDateTimeEdit, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from drillapp.i18n import _
from drillapp.ui.date_field import qt_datetime


class MoveProposalDialog(QDialog):
    """Asks for a proposed drill's new start (port time); `start()` gives it as a naive wall-clock datetime."""

    def __init__(self, title: str, start: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("moveProposalDialog")
        self.setWindowTitle(_("Move a proposed drill"))
        self.when = QDateTimeEdit(qt_datetime(start), self)
        self.when.setObjectName("proposalNewStart")
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        caption = QLabel(title, self)
        caption.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(caption)
        form.addRow(_("New &start (port time):"), self.when)
        form.addRow(buttons)
        self.when.setFocus()

    def start(self) -> datetime:
        value = self.when.dateTime()
        d, t = value.date(), value.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
