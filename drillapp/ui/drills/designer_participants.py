"""The drill designer's participants: branches and members in their roles (player, controller, evaluator,
observer, safety officer). The team is listed as it stands on the drill's day: who is on leave, on call, or
holds a certificate lapsed by then (ParticipantService.candidates); a member is added in the role chosen
(button or double-click), a whole branch from its list."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import ParticipantRole, UnavailabilityKind
from drillapp.services.drill_design import ParticipantDoc
from drillapp.services.drill_participants import Candidate
from drillapp.services.org import BranchRow
from drillapp.ui.plans.record_table import ColumnSpec, RecordTable, enum_choices

WARN = QBrush(QColor("#b35c00"))


def day_notes(c: Candidate) -> str:
    """What the picker says of a member on the drill's day."""
    notes = []
    if c.away is UnavailabilityKind.COURSE:
        notes.append(_("on a course"))
    elif c.away is UnavailabilityKind.BLACKOUT:
        notes.append(_("unavailable"))
    elif c.on_leave:
        notes.append(_("on leave"))
    if c.on_call:
        notes.append(_("on call"))
    if c.lapsed:
        notes.append(_("certificate lapsed: {names}").format(names="、".join(c.lapsed)))
    return "; ".join(notes)


def branch_name(b: BranchRow) -> str:
    return b.name_zh or b.name_en or label(b.agency)


class ParticipantsTab(QWidget):
    edited = Signal(object, str)  # (tuple of ParticipantDoc, description)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.candidates: list[Candidate] = []
        self.branches: list[BranchRow] = []
        self.participants: tuple[ParticipantDoc, ...] = ()
        self.read_only = False
        self.team = QTreeWidget(self)
        self.team.setObjectName("candidates")
        self.team.setHeaderLabels([_("Member"), _("Branch"), _("Squad"), _("On the drill's day")])
        self.team.setRootIsDecorated(False)
        self.team.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.team.itemDoubleClicked.connect(lambda *_a: self.add_members())
        self.role = QComboBox(self)
        self.role.setObjectName("participantRole")
        for role in ParticipantRole:
            self.role.addItem(label(role), role)
        self.add_member_button = QPushButton(_("Add member as"), self)
        self.add_member_button.setObjectName("addMember")
        self.add_member_button.clicked.connect(self.add_members)
        self.branch = QComboBox(self)
        self.branch.setObjectName("participantBranch")
        self.add_branch_button = QPushButton(_("Add whole branch"), self)
        self.add_branch_button.setObjectName("addBranch")
        self.add_branch_button.clicked.connect(self.add_branch)
        self.table = RecordTable(self._columns(), lambda: ParticipantDoc(None, self._first_branch()), self)
        self.table.setObjectName("participants")
        self.table.add_button.setVisible(False)  # added from the team list or a branch, above
        self.table.edited.connect(self.edited)
        self.summary = QLabel(self)
        self.summary.setObjectName("participantSummary")
        self.summary.setWordWrap(True)

        picker = QWidget(self)
        top = QVBoxLayout(picker)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(QLabel(_("The team on the drill's day:"), picker))
        top.addWidget(self.team, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_member_button)
        buttons.addWidget(self.role)
        buttons.addSpacing(24)
        buttons.addWidget(self.branch)
        buttons.addWidget(self.add_branch_button)
        buttons.addStretch(1)
        top.addLayout(buttons)
        chosen = QWidget(self)
        bottom = QVBoxLayout(chosen)
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(QLabel(_("Taking part:"), chosen))
        bottom.addWidget(self.table, 1)
        bottom.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(picker)
        split.addWidget(chosen)
        layout = QVBoxLayout(self)
        layout.addWidget(split)

    def _columns(self) -> list[ColumnSpec]:
        members = tuple((c.member_id, f"{c.name} ({notes})" if (notes := day_notes(c)) else c.name)
                        for c in self.candidates)
        return [
            ColumnSpec("member_id", _("Member"), "choice", ((None, "—"), *members), width=320),
            ColumnSpec("branch_id", _("Branch"), "choice", ((None, "—"), *((b.id, branch_name(b))
                                                                            for b in self.branches)), width=200),
            ColumnSpec("role", _("Role"), "choice", enum_choices(ParticipantRole, label), width=150),
        ]

    def _first_branch(self) -> int | None:
        return self.branches[0].id if self.branches else None

    # -- showing ----------------------------------------------------------------------------------
    def set_team(self, candidates: list[Candidate], branches: list[BranchRow]) -> None:
        self.candidates, self.branches = candidates, branches
        self.table.columns[:] = self._columns()
        names = {b.id: branch_name(b) for b in branches}
        self.team.clear()
        for c in candidates:
            notes = day_notes(c)
            item = QTreeWidgetItem([c.name, names.get(c.branch_id, label(c.agency)), c.squad, notes])
            item.setData(0, Qt.ItemDataRole.UserRole, c.member_id)
            if notes:
                item.setForeground(3, WARN)
                item.setToolTip(3, notes)
            self.team.addTopLevelItem(item)
        for col in range(self.team.columnCount()):
            self.team.resizeColumnToContents(col)
        chosen = self.branch.currentData()
        self.branch.clear()
        for b in branches:
            self.branch.addItem(branch_name(b), b.id)
        if chosen is not None and (i := self.branch.findData(chosen)) >= 0:
            self.branch.setCurrentIndex(i)
        self.show_participants(self.participants, self.read_only)

    def show_participants(self, participants: tuple[ParticipantDoc, ...], read_only: bool) -> None:
        self.participants, self.read_only = participants, read_only
        self.table.show_records(participants, read_only)
        for w in (self.add_member_button, self.add_branch_button, self.role, self.branch):
            w.setEnabled(not read_only)
        by_id = {c.member_id: c for c in self.candidates}
        flagged = [by_id[p.member_id].name for p in participants
                   if p.member_id in by_id and day_notes(by_id[p.member_id])]
        text = _("{n} taking part.").format(n=len(participants))
        if flagged:
            text += " " + _("Check who is away, on call or lapsed that day: {names}.").format(names="、".join(flagged))
        self.summary.setText(text)

    # -- adding -----------------------------------------------------------------------------------
    def add_members(self) -> None:
        if self.read_only:
            return
        taken = {p.member_id for p in self.participants if p.member_id is not None}
        role = self.role.currentData()
        new = [ParticipantDoc(item.data(0, Qt.ItemDataRole.UserRole), None, role)
               for item in self.team.selectedItems() if item.data(0, Qt.ItemDataRole.UserRole) not in taken]
        if new:
            self.edited.emit(self.participants + tuple(new), _("Add participant"))

    def add_branch(self) -> None:
        branch_id = self.branch.currentData()
        if self.read_only or branch_id is None:
            return
        same = next((i for i, p in enumerate(self.participants)
                     if p.member_id is None and p.branch_id == branch_id), None)
        role = self.role.currentData()
        if same is not None:  # the branch is there: take the role chosen
            participants = list(self.participants)
            participants[same] = replace(participants[same], role=role)
            self.edited.emit(tuple(participants), _("Change role"))
        else:
            self.edited.emit(self.participants + (ParticipantDoc(None, branch_id, role),), _("Add branch"))
