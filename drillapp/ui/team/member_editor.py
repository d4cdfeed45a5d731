"""The member editor: one team member's details, skills and certificates, and unavailability, saved whole
in one operation (`TeamService.save_member`). Opened from the members list (double-click or Enter) and by
"New member…". A problem is shown inline next to the buttons and the field it concerns is marked; a record
someone else changed meanwhile goes through the conflict dialog; Esc asks before throwing edits away.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import MemberStatus
from drillapp.services.audit_view import AuditViewService
from drillapp.services.errors import ConflictError, DomainError, ValidationError
from drillapp.services.org import BranchRow
from drillapp.services.team import TeamService
from drillapp.services.team_overview import MemberDetail
from drillapp.ui.conflict import ask_reload
from drillapp.ui.formatting import port_today
from drillapp.ui.operations import WriteOp
from drillapp.ui.team.editor_tables import SkillTable, UnavailabilityTable, heading

_TEXT_FIELDS = ("name", "post", "rank", "phone", "mobile", "email")
_DATE_FIELDS = ("volunteer_date", "fitness_date", "training_date")
_INVALID = "border: 2px solid #b00020;"


class OptionalDate(QWidget):
    """A date that may be left empty: a tick box says whether there is one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.known = QCheckBox(self)
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setEnabled(False)
        self.known.toggled.connect(self.edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.known)
        layout.addWidget(self.edit, 1)

    def set_value(self, value: date | None) -> None:
        self.known.setChecked(value is not None)
        day = value or port_today()
        self.edit.setDate(QDate(day.year, day.month, day.day))

    def value(self) -> date | None:
        return cast(date, self.edit.date().toPython()) if self.known.isChecked() else None


class MemberEditor(QDialog):
    saved = Signal(int)  # the member's id

    def __init__(self, team: TeamService, branches: list[BranchRow], member: int | MemberDetail | None = None,
                 history: AuditViewService | None = None, parent: QWidget | None = None) -> None:
        """`member`: the member as read already (the main window reads it off the GUI thread), its id, or None
        for a new member."""
        super().__init__(parent)
        self.setObjectName("memberEditor")
        detail = member if isinstance(member, MemberDetail) else None
        self.team, self.history = team, history
        self.member_id: int | None = detail.id if detail is not None else cast(int | None, member)
        self.version: int | None = None
        today = team.today()
        self.resize(1040, 720)

        self.branch = QComboBox(self)
        self.branch.setObjectName("branch_id")
        for b in branches:
            self.branch.addItem(f"{label(b.agency)} · {b.name_zh}", b.id)
        self.fields: dict[str, QWidget] = {"branch_id": self.branch}
        for key in _TEXT_FIELDS:
            edit = QLineEdit(self)
            edit.setObjectName(key)
            self.fields[key] = edit
        self.status = QComboBox(self)
        self.status.setObjectName("status")
        for status in MemberStatus:
            self.status.addItem(label(status), status.value)
        self.squad = QComboBox(self)
        self.squad.setObjectName("squad_id")
        self.squad.addItem(_("(no squad)"), None)
        for sid, name in team.squads():
            self.squad.addItem(name, sid)
        self.dates = {key: OptionalDate(self) for key in _DATE_FIELDS}
        for key, widget in self.dates.items():
            widget.setObjectName(key)
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("notes")
        self.fields.update(status=self.status, squad_id=self.squad, notes=self.notes, **self.dates)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, key in ((_("Branch"), "branch_id"), (_("Name"), "name"), (_("Post"), "post"), (_("Rank"), "rank"),
                          (_("Phone"), "phone"), (_("Mobile"), "mobile"), (_("E-mail"), "email"),
                          (_("Status"), "status"), (_("Squad"), "squad_id"), (_("Volunteer date"), "volunteer_date"),
                          (_("Fitness test date"), "fitness_date"), (_("Training date"), "training_date")):
            form.addRow(text, self.fields[key])
        form.addRow(_("Notes"), self.notes)
        details = QWidget(self)
        details.setLayout(form)

        self.skills = SkillTable(team.skills(), today, self)
        self.unavailability = UnavailabilityTable(today, self)
        self.fields.update(skills=self.skills.table, unavailability=self.unavailability.table)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(heading(_("Skills and certificates"), right))
        right_layout.addWidget(self.skills, 3)
        right_layout.addWidget(heading(_("Unavailability (leave, courses, blackout dates)"), right))
        right_layout.addWidget(self.unavailability, 2)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(details)
        split.addWidget(right)
        split.setSizes([380, 600])
        split.setChildrenCollapsible(False)

        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setToolTip(_("Save (Ctrl+S)"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.load(detail)

    # -- reading ----------------------------------------------------------------------------------
    def load(self, detail: MemberDetail | None = None) -> None:
        """Fill the form from the member as read (read again from the database when not given; empty for a new
        member)."""
        if detail is None and self.member_id:
            detail = self.team.member_detail(self.member_id)
        self.version = detail.row_version if detail else None
        self.setWindowTitle(_("Member: {name}").format(name=detail.name) if detail else _("New member"))
        self._select(self.branch, detail.branch_id if detail else None)
        for key in _TEXT_FIELDS:
            self.fields[key].setText(getattr(detail, key) if detail else "")  # type: ignore[attr-defined]  # these fields are QLineEdits (the dict also holds other editors)
        self._select(self.status, detail.status.value if detail else MemberStatus.ACTIVE.value)
        self._select(self.squad, detail.squad_id if detail else None)
        for key, widget in self.dates.items():
            widget.set_value(getattr(detail, key) if detail else None)
        self.notes.setPlainText(detail.notes if detail else "")
        self.skills.load(detail.skills if detail else ())
        self.unavailability.load(detail.unavailability if detail else ())
        self._show_error(None)
        self.clean = self.snapshot()

    @staticmethod
    def _select(combo: QComboBox, data: Any) -> None:
        index = combo.findData(data)
        combo.setCurrentIndex(index if index >= 0 else 0)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {key: self.fields[key].text() for key in _TEXT_FIELDS}  # type: ignore[attr-defined]  # these fields are QLineEdits (the dict also holds other editors)
        out.update(branch_id=self.branch.currentData(), status=self.status.currentData(),
                   squad_id=self.squad.currentData(), notes=self.notes.toPlainText())
        out.update({key: widget.value() for key, widget in self.dates.items()})
        return out

    def snapshot(self) -> tuple:
        return (tuple(sorted(self.values().items())), self.skills.snapshot(), self.unavailability.snapshot())

    def is_dirty(self) -> bool:
        return self.snapshot() != self.clean

    # -- saving -----------------------------------------------------------------------------------
    def save(self) -> None:
        """Save the whole member (one operation); the dialog closes once it is saved."""
        self._show_error(None)
        team, member_id, version = self.team, self.member_id, self.version
        try:  # the tables check their own cells first (a date that is not one, a missing skill)
            skills, periods, values = self.skills.entries(), self.unavailability.entries(), self.values()
        except DomainError as exc:
            self._failed(exc)
            return
        WriteOp(self, lambda: team.save_member(member_id, version, values, skills, periods)) \
            .success(self._saved).failure(self._failed).run(initiator=self)

    def _saved(self, member_id: int) -> None:
        self.member_id = member_id
        self.clean = self.snapshot()
        self.saved.emit(member_id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ConflictError):
            if self.member_id is not None and ask_reload(exc, self.history, "member", self.member_id, self):
                self.load()
                self._show_error(_("Reloaded the other change; make your change again."))
            else:
                self._show_error(exc.message)
        elif isinstance(exc, DomainError):
            self._show_error(exc.message, getattr(exc, "field", None) if isinstance(exc, ValidationError) else None)
        else:
            from drillapp.ui.errors import show_error

            show_error(self, exc)

    def _show_error(self, message: str | None, field: str | None = None) -> None:
        self.error.setText(message or "")
        for key, widget in self.fields.items():
            widget.setStyleSheet(_INVALID if key == field else "")
        if field in self.fields:
            self.fields[field].setFocus()

    def reject(self) -> None:
        """Esc or Cancel: ask before throwing away unsaved changes."""
        if self.is_dirty():
            answer = QMessageBox.question(
                self, _("Discard changes?"), _("This member has unsaved changes. Discard them?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()
