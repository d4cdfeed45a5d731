"""Which call-out list to print: a date and one of the published shifts of that day, the shift on call now
by default. The list then names that shift and the one after it (reports/roster_pdf.write_callout_list)."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from drillapp.clock import local_day_bounds, to_local
from drillapp.i18n import _
from drillapp.services.oncall import OnCallService, ShiftOnCall
from drillapp.ui.operations import QueryOp


class CalloutPrintDialog(QDialog):
    def __init__(self, service: OnCallService, port_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Print call-out list"))
        self.setMinimumWidth(420)
        self.service, self.port_id = service, port_id
        self.now = service.clock()
        self.current_id: int | None = None
        self.shifts: list[ShiftOnCall] = []
        #: the port's time zone, once read ("" until then, and for the desk's own port: the process's clock)
        self.zone = ""
        self._zone_read = False
        today = to_local(self.now).date()  # the desk's today: set to the port's once its zone is read
        intro = QLabel(_("Print who is on call on the chosen shift, and on the shift after it."), self)
        intro.setWordWrap(True)
        self.day = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.day.setObjectName("calloutDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.shift = QComboBox(self)
        self.shift.setObjectName("calloutShift")
        self.empty = QLabel(self)
        self.empty.setObjectName("calloutNoShift")
        self.empty.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Date"), self.day)
        form.addRow(_("Shift"), self.shift)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.empty)
        layout.addWidget(self.buttons)
        self.day.dateChanged.connect(lambda _d: self.load())
        self.load()

    def chosen_day(self) -> date:
        return cast(date, self.day.date().toPython())

    def load(self) -> None:
        """Read the published shifts of the chosen day (and which one is on call now) off the GUI thread."""
        service, port_id, now, day = self.service, self.port_id, self.now, self.chosen_day()

        def read() -> tuple[str, list[ShiftOnCall], int | None]:
            zone = service.port_zone(port_id) if port_id is not None else ""
            shifts = service.shifts_between(*local_day_bounds(day, day, zone or None), port_id)
            current = service.current_shift(now, port_id)
            return zone, shifts, current.shift_id if current is not None else None

        QueryOp(self, read).success(self._show).run()

    def _show(self, found: tuple[str, list[ShiftOnCall], int | None]) -> None:
        from drillapp.ui.team.oncall_panel import shift_line

        zone, self.shifts, self.current_id = found
        if not self._zone_read:  # the first read: the date is the port's today (another port's, under "All ports")
            self.zone, self._zone_read = zone, True
            today = to_local(self.now, zone or None).date()
            if today != self.chosen_day():
                self.day.setDate(QDate(today.year, today.month, today.day))  # read again for that day
                return
        day = self.chosen_day()
        self.shift.clear()
        for s in self.shifts:
            text = shift_line(s)
            if s.shift_id == self.current_id:
                text = _("{shift} (on call now)").format(shift=text)
            self.shift.addItem(text, s.shift_id)
        ids = [s.shift_id for s in self.shifts]
        starting = [s.shift_id for s in self.shifts if s.local_start.date() == day]
        candidates: list[int | None] = [*(starting or ids)] or [None]
        default = self.current_id if self.current_id in ids else candidates[0]
        if default is not None:
            self.shift.setCurrentIndex(ids.index(default))
        self.empty.setText("" if self.shifts else _("No published shift on this day."))
        self.shift.setEnabled(bool(self.shifts))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.shifts))

    def chosen_shift(self) -> ShiftOnCall | None:
        shift_id = self.shift.currentData()
        return next((s for s in self.shifts if s.shift_id == shift_id), None)

    def chosen_at(self) -> datetime | None:
        """None for the shift on call now (the list says "now"), else the chosen shift's start."""
        shift = self.chosen_shift()
        if shift is None or shift.shift_id == self.current_id:
            return None
        return shift.starts_at
