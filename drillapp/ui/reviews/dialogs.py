"""The review editor's forms: a new finding, a corrective action (new or edited), the part of a plan a finding
points at. They collect values; the editor writes them through the runner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import Agency, Capability, FindingKind, PlanPart
from drillapp.services.org import BranchRow
from drillapp.services.review_read import ActionDoc, PlanParts
from drillapp.ui.date_field import DateField


def _buttons(dialog: QDialog, ok: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class NewFindingDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("newFinding")
        self.setWindowTitle(_("New finding"))
        self.setMinimumSize(520, 360)
        self.kind = QComboBox(self)
        self.kind.setObjectName("newFindingKind")
        for kind in (FindingKind.IMPROVEMENT, FindingKind.STRENGTH):
            self.kind.addItem(label(kind), kind)
        self.agency = QComboBox(self)
        self.agency.setObjectName("newFindingAgency")
        self.agency.addItem(_("(all branches)"), None)
        for agency in Agency:
            self.agency.addItem(label(agency), agency)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("newFindingText")
        self.text.setTabChangesFocus(True)
        self.root_cause = QPlainTextEdit(self)
        self.root_cause.setObjectName("newFindingRootCause")
        self.root_cause.setTabChangesFocus(True)
        self.box = _buttons(self, _("Add finding"))
        ok = self.box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.text.textChanged.connect(lambda: ok.setEnabled(bool(self.text.toPlainText().strip())))
        form = QFormLayout(self)
        form.addRow(_("Kind"), self.kind)
        form.addRow(_("Branch"), self.agency)
        form.addRow(_("Finding"), self.text)
        form.addRow(_("Root cause"), self.root_cause)
        form.addRow(self.box)
        self.text.setFocus()

    def values(self) -> tuple[FindingKind, Agency | None, str, str]:
        return self.kind.currentData(), self.agency.currentData(), self.text.toPlainText(), \
            self.root_cause.toPlainText()


@dataclass(frozen=True)
class ActionValues:
    text: str
    capability: Capability | None
    owner_branch_id: int | None
    owner_name: str
    start_on: date | None
    due_on: date | None
    closes_with_revision: bool


class ActionDialog(QDialog):
    """A corrective action; the dates are days of the port's calendar (`today` is the port's today)."""

    def __init__(self, branches: list[BranchRow], today: date, action: ActionDoc | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("actionDialog")
        self.setWindowTitle(_("Corrective action") if action is None else _("Edit corrective action"))
        self.setMinimumSize(540, 420)
        self.text = QPlainTextEdit(action.text if action else "", self)
        self.text.setObjectName("actionText")
        self.text.setTabChangesFocus(True)
        self.capability = QComboBox(self)
        self.capability.setObjectName("actionCapability")
        self.capability.addItem("—", None)
        for cap in Capability:
            self.capability.addItem(label(cap), cap)
        self.branch = QComboBox(self)
        self.branch.setObjectName("actionBranch")
        self.branch.addItem("—", None)
        for b in branches:
            self.branch.addItem(f"{label(b.agency)} · {b.name_zh}", b.id)
        self.owner = QLineEdit(action.owner_name if action else "", self)
        self.owner.setObjectName("actionOwner")
        self.owner.setMaxLength(100)
        self.has_start = QCheckBox(_("Start on"), self)
        self.has_start.setObjectName("actionHasStart")
        self.start = DateField((action.start_on if action else None) or today, self)
        self.start.setObjectName("actionStart")
        self.has_due = QCheckBox(_("Due on"), self)
        self.has_due.setObjectName("actionHasDue")
        self.due = DateField((action.due_on if action else None) or today + timedelta(days=30), self)
        self.due.setObjectName("actionDue")
        self.closes = QCheckBox(_("The plan revision linked to the finding is this action's remedy (its approval "
                                  "closes the action)"), self)
        self.closes.setObjectName("actionClosesWithRevision")
        if action is not None:
            self.capability.setCurrentIndex(max(0, self.capability.findData(action.capability)))
            self.branch.setCurrentIndex(max(0, self.branch.findData(action.owner_branch_id)))
            self.has_start.setChecked(action.start_on is not None)
            self.has_due.setChecked(action.due_on is not None)
            self.closes.setChecked(action.closes_with_revision)
        else:
            self.has_start.setChecked(True)
            self.has_due.setChecked(True)
        self.has_start.toggled.connect(self.start.setEnabled)
        self.has_due.toggled.connect(self.due.setEnabled)
        self.start.setEnabled(self.has_start.isChecked())
        self.due.setEnabled(self.has_due.isChecked())
        self.box = _buttons(self, _("Save"))
        ok = self.box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.text.toPlainText().strip()))
        self.text.textChanged.connect(lambda: ok.setEnabled(bool(self.text.toPlainText().strip())))
        form = QFormLayout(self)
        form.addRow(_("What will be done"), self.text)
        form.addRow(_("Capability"), self.capability)
        form.addRow(_("Branch"), self.branch)
        form.addRow(_("Person"), self.owner)
        form.addRow(self.has_start, self.start)
        form.addRow(self.has_due, self.due)
        form.addRow(self.closes)
        note = QLabel(_("Dates are days of the port's calendar."), self)
        note.setProperty("muted", True)
        form.addRow(note)
        form.addRow(self.box)
        self.text.setFocus()

    def values(self) -> ActionValues:
        return ActionValues(self.text.toPlainText(), self.capability.currentData(), self.branch.currentData(),
                            self.owner.text().strip(), self.start.value() if self.has_start.isChecked() else None,
                            self.due.value() if self.has_due.isChecked() else None, self.closes.isChecked())


class PlanPartDialog(QDialog):
    """Which section, action, contact or resource of the plan version the drill ran under the finding points
    at (or none)."""

    def __init__(self, plan: PlanParts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planPartDialog")
        self.setWindowTitle(_("Point the finding at the plan"))
        self.setMinimumSize(600, 480)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("planPartFilter")
        self.filter.setPlaceholderText(_("Filter…"))
        self.filter.setClearButtonEnabled(True)
        self.parts = QListWidget(self)
        self.parts.setObjectName("planParts")
        self.parts.setWordWrap(True)
        none = QListWidgetItem(_("(no part of a plan)"))
        none.setData(Qt.ItemDataRole.UserRole, None)
        self.parts.addItem(none)
        for row in plan.parts:
            who = f"{label(row.agency)} · " if row.agency is not None else ""
            item = QListWidgetItem(f"{label(row.part)}: {who}{row.label}")
            item.setData(Qt.ItemDataRole.UserRole, (row.part, row.id))
            self.parts.addItem(item)
        self.parts.setCurrentRow(0)
        self.parts.itemDoubleClicked.connect(lambda _i: self.accept())
        self.filter.textChanged.connect(self._filter)
        layout = QVBoxLayout(self)
        heading = QLabel(f"{plan.code} · {plan.title} · {_('Version {n}').format(n=plan.number)}", self)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(heading)
        layout.addWidget(self.filter)
        layout.addWidget(self.parts, 1)
        layout.addWidget(_buttons(self, _("Point at it")))
        self.filter.setFocus()

    def _filter(self, text: str) -> None:
        words = text.strip().lower()
        for i in range(1, self.parts.count()):
            item = self.parts.item(i)
            item.setHidden(bool(words) and words not in item.text().lower())

    def choice(self) -> tuple[PlanPart, int] | None:
        item = self.parts.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None
