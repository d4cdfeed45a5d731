"""The dashboard's on-call panel: who is on call now and on the next shift (name, branch, squad, phones),
with "Print call-out list…" for the shift on call now or any chosen date and shift; says so plainly when no
published roster covers now."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from drillapp.clock import to_local
from drillapp.i18n import _, join_list
from drillapp.labels import label
from drillapp.services.errors import NotFoundError
from drillapp.services.oncall import OnCallMember, OnCallService, ShiftOnCall, shift_kind_label
from drillapp.ui.operations import QueryOp, Watch


def member_line(m: OnCallMember) -> str:
    """Two short lines (the panel is a third of the dashboard wide): who and squad; branch and phones."""
    name = f"{m.name} ★" if m.leader else m.name
    phones = " / ".join(p for p in (m.mobile, m.phone) if p) or "—"
    return f"{name}  ·  {m.squad or '—'}\n{label(m.agency)}  ·  {phones}"


def shift_line(shift: ShiftOnCall) -> str:
    """The shift's kind and times on its own port's clock (the incident's port under "All ports" too)."""
    return _("{kind}, {start} – {end}").format(kind=shift_kind_label(shift.kind),
                                              start=shift.local_start.strftime("%m-%d %H:%M"),
                                              end=shift.local_end.strftime("%m-%d %H:%M"))


class OnCallPanel(QGroupBox):
    loaded = Signal()
    printed = Signal(object)  # the PDF's path

    def __init__(self, service: OnCallService, parent: QWidget | None = None) -> None:
        super().__init__(_("On call"), parent)
        self.setObjectName("card_on_call")
        self.service = service
        self.watch = Watch(self, self.refresh)
        self.current: ShiftOnCall | None = None
        self.upcoming: ShiftOnCall | None = None
        self.port_id: int | None = None  # the port shown
        #: the port to show whatever the desk's port (an incident's console: the incident's); None: the desk's
        self.fixed_port_id: int | None = None
        self.now_title = QLabel(_("On call now"), self)
        self.now_title.setObjectName("nowTitle")
        self.list = QListWidget(self)  # who is on call now
        self.list.setObjectName("items")
        self.list.setAlternatingRowColors(True)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty = QLabel(_("Nobody is on call right now: no published roster covers this time. "
                              "Publish a roster under Team & Roster."), self)
        self.empty.setObjectName("empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setProperty("muted", True)
        self.next_title = QLabel(self)
        self.next_title.setObjectName("nextTitle")
        self.next_title.setWordWrap(True)
        self.next_list = QListWidget(self)
        self.next_list.setObjectName("nextItems")
        self.next_list.setAlternatingRowColors(True)
        self.next_list.setWordWrap(True)
        self.next_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.print_button = QPushButton(_("Print call-out list…"), self)
        self.print_button.setObjectName("printCallout")
        self.print_button.clicked.connect(lambda _checked=False: self.ask_and_print())
        footer = QHBoxLayout()
        footer.addWidget(QLabel(_("★ squad leader"), self))
        footer.addStretch(1)
        footer.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.now_title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.next_title)
        layout.addWidget(self.next_list, 1)
        layout.addLayout(footer)
        self._show((None, None, None))

    # -- loading --------------------------------------------------------------------------------------
    def show_port(self, port_id: int) -> None:
        """Show this port's shifts from now on, whatever port the desk is on ("All ports" too), and read them."""
        self.fixed_port_id = port_id
        self.refresh()

    def refresh(self) -> None:
        fixed = self.fixed_port_id
        QueryOp(self, lambda: self._load(fixed), watch=self.watch).success(self._show).run()

    def _load(self, fixed: int | None = None) -> tuple[int | None, ShiftOnCall | None, ShiftOnCall | None]:
        try:
            port_id = fixed or self.service.port_id or self.service.default_port_id()
        except NotFoundError:
            return None, None, None
        at = self.service.clock()
        return port_id, self.service.current_shift(at, port_id), self.service.next_shift(at, port_id)

    def _show(self, shifts: tuple[int | None, ShiftOnCall | None, ShiftOnCall | None]) -> None:
        self.port_id, self.current, self.upcoming = shifts
        self.list.clear()
        current = self.current
        if current is not None:
            self.now_title.setText(_("On call now: {shift}").format(shift=shift_line(current)))
            for m in current.members:
                item = QListWidgetItem(member_line(m))
                item.setData(Qt.ItemDataRole.UserRole, m.member_id)
                item.setToolTip(_("Skills: {skills}").format(skills=join_list(m.skills) or "—"))
                self.list.addItem(item)
        else:
            self.now_title.setText(_("On call now"))
        self.list.setVisible(current is not None)
        self.empty.setVisible(current is None)
        self.next_list.clear()
        if self.upcoming is not None:
            self.next_title.setText(_("Next: {shift}").format(shift=shift_line(self.upcoming)))
            for m in self.upcoming.members:
                self.next_list.addItem(member_line(m))
        else:
            self.next_title.setText(_("No later shift is published."))
        self.next_list.setVisible(self.upcoming is not None)
        self.print_button.setEnabled(self.port_id is not None)  # any date and shift can be chosen
        self.loaded.emit()

    def texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    # -- printing -------------------------------------------------------------------------------------
    def ask_and_print(self) -> None:
        """Ask which shift (the one on call now by default), then where, then print."""
        from drillapp.ui.team.callout_print_dialog import CalloutPrintDialog

        dialog = CalloutPrintDialog(self.service, self.port_id, self)
        if not dialog.exec():
            return
        at = dialog.chosen_at()
        stamp = to_local(at or self.service.clock(), dialog.zone or None).strftime("%Y%m%d-%H%M")  # the port's clock
        path, _filter = QFileDialog.getSaveFileName(self, _("Print call-out list"), f"call-out-{stamp}.pdf",
                                                    _("PDF files (*.pdf)"))
        if path:
            self.print_to(Path(path if path.lower().endswith(".pdf") else path + ".pdf"), at)

    def print_to(self, path: Path, at: datetime | None = None) -> None:
        """Write the call-out list of the shift covering `at` (default: now) and the next one to `path`, off
        the GUI thread."""
        from drillapp.reports.roster_pdf import write_callout_list

        self.print_button.setEnabled(False)
        service, port_id = self.service, self.port_id

        def done(out: Path) -> None:
            self.print_button.setEnabled(True)
            self.printed.emit(out)

        def failed(exc: BaseException) -> None:
            from drillapp.ui.errors import show_error

            self.print_button.setEnabled(True)
            show_error(self, exc)

        QueryOp(self, lambda: write_callout_list(service.callout_list(at, port_id), path), label=_("Printing…")) \
            .success(done).failure(failed).run()
