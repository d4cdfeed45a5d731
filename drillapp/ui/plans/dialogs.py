"""Small dialogs of the plan editor: which action card to print, and the dates of an approval."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from drillapp.i18n import _
from drillapp.labels import label, level_label
from drillapp.models.enums import Agency
from drillapp.services.plan_document import PlanDoc
from drillapp.ui.date_field import DateField
from drillapp.ui.formatting import port_today


class CardDialog(QDialog):
    """Which action card: an agency and a response level the plan defines."""

    def __init__(self, doc: PlanDoc, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Action card"))
        self.agency = QComboBox(self)
        self.agency.setObjectName("cardAgency")
        for agency in Agency:
            self.agency.addItem(label(agency), agency)
        self.level = QComboBox(self)
        self.level.setObjectName("cardLevel")
        for lv in doc.levels:
            self.level.addItem(f"{level_label(lv.level)} · {lv.name}", lv.level)
        form = QFormLayout(self)
        form.addRow(_("Agency:"), self.agency)
        form.addRow(_("Response level:"), self.level)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class ApproveDialog(QDialog):
    """The committee's approval: from when the version is in force, and when it is due for review. The dates
    are typed as written (2027-01-01) or picked from the calendar (ui/date_field.py)."""

    def __init__(self, parent: QWidget | None = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Approve version"))
        today = today or port_today()
        self.effective = DateField(today, self)
        self.effective.setObjectName("effective")
        self.review = DateField(today + timedelta(days=365), self)
        self.review.setObjectName("review")
        form = QFormLayout(self)
        form.addRow(QLabel(_("Approved by the joint committee. The version then cannot be changed."), self))
        form.addRow(_("Effective from:"), self.effective)
        form.addRow(_("Review due:"), self.review)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def dates(self) -> tuple[date, date]:
        return self.effective.value(), self.review.value()
