"""Starting a call-out test: the call-out page's form (whom to call, the required strength, optionally as part
of a live drill run, announced or not) and whom "the members on call now" are."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QPushButton, QSpinBox, QWidget

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.services.errors import NotFoundError
from drillapp.services.oncall import OnCallService

#: Whom a test calls: the members on call now, or the whole active team.
CALL_ON_CALL, CALL_TEAM = "on_call", "team"


class CalloutStartBox(QGroupBox):
    """The "Start a call-out test" form; the page reads its fields when "Start test" is pressed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Start a call-out test"), parent)
        self.call_choice = QComboBox(self)
        self.call_choice.setObjectName("callWhom")
        self.call_choice.addItem(_("The members on call now"), CALL_ON_CALL)
        self.call_choice.addItem(_("The whole active team"), CALL_TEAM)
        self.announced = QCheckBox(_("Announced in advance"), self)
        self.announced.setObjectName("announced")
        self.strength = QSpinBox(self)
        self.strength.setObjectName("requiredStrength")
        self.strength.setRange(0, 999)
        self.strength.setSpecialValueText(_("everyone called"))
        self.strength.setValue(0)
        self.run_choice = QComboBox(self)
        self.run_choice.setObjectName("drillRun")
        self.start_button = QPushButton(_("Start test"), self)
        self.start_button.setObjectName("startTest")
        form = QFormLayout(self)
        form.addRow(_("Call"), self.call_choice)
        form.addRow(_("Required strength"), self.strength)
        form.addRow(_("Part of a drill"), self.run_choice)
        form.addRow(self.announced)
        form.addRow(self.start_button)

    def set_runs(self, runs: list) -> None:
        """The live drill runs a test may be part of (or none: a test on its own)."""
        self.run_choice.clear()
        self.run_choice.addItem(_("No, a test on its own"), None)
        for run in runs:
            self.run_choice.addItem(_("{title} (running since {time})").format(
                title=run.title, time=to_local(run.started_at).strftime("%m-%d %H:%M")), run.run_id)


def members_on_call(oncall: OnCallService, port_id: int) -> list[int]:
    """The members of the shift on call now (the whole team is called with None instead)."""
    shift = oncall.current_shift(None, port_id)
    if shift is None or not shift.members:
        raise NotFoundError(_("Nobody is on call now (no published roster covers this time). "
                              "Call the whole active team instead."))
    return [m.member_id for m in shift.members]
