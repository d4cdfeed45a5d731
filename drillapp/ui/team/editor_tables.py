"""The two tables of the member editor: skills and certificates, and unavailability.

Dates are typed as YYYY-MM-DD in the cells; `entries()` reads the rows back as the service's entries or
raises a ValidationError naming the row, so the editor shows the message inline. Certificate rows that
have expired or run out within 30 days are tinted and say so in a State column and a tooltip.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import N_, _
from drillapp.models.enums import UnavailabilityKind
from drillapp.services.errors import ValidationError
from drillapp.services.team import SkillEntry, UnavailabilityEntry
from drillapp.services.team_overview import (
    CertificateState,
    SkillHolding,
    SkillRow,
    UnavailabilityRow,
    certificate_state,
)
from drillapp.ui.widgets import item_at

EXPIRED_BACKGROUND = QColor("#f8d7da")
EXPIRING_BACKGROUND = QColor("#fff3cd")
KIND_LABELS = {
    UnavailabilityKind.LEAVE: N_("Leave"),
    UnavailabilityKind.COURSE: N_("Course"),
    UnavailabilityKind.BLACKOUT: N_("Blackout dates"),
}


def parse_date(text: str, what: str, row: int, field: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("{what} row {row}: “{text}” is not a date; write it as YYYY-MM-DD.").format(
            what=what, row=row, text=text), field) from None


def _text(value: date | None) -> str:
    return value.isoformat() if value else ""


class _EditTable(QWidget):
    """A table with Add and Remove buttons under it; `changed` fires on any edit."""

    changed = Signal()

    def __init__(self, name: str, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, len(headers), self)
        self.table.setObjectName(name)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.add_button = QPushButton(_("Add"), self)
        self.add_button.setObjectName(f"{name}Add")
        self.remove_button = QPushButton(_("Remove"), self)
        self.remove_button.setObjectName(f"{name}Remove")
        self.add_button.clicked.connect(lambda _c=False: self._add_and_edit())
        self.remove_button.clicked.connect(lambda _c=False: self.remove_selected())
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def _add_and_edit(self) -> None:
        row = self.add_row()
        self.table.setCurrentCell(row, 1)
        self.table.setFocus()

    def add_row(self) -> int:  # pragma: no cover - overridden
        raise NotImplementedError

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()} or
                      ({self.table.currentRow()} if self.table.currentRow() >= 0 else set()), reverse=True)
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self.changed.emit()

    def _combo(self, row: int, col: int, items: list[tuple[str, object]], current: object) -> QComboBox:
        combo = QComboBox(self.table)
        for text, data in items:
            combo.addItem(text, data)
        index = combo.findData(current)
        combo.setCurrentIndex(max(index, 0))
        combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.table.setCellWidget(row, col, combo)
        return combo

    def cell(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text() if item is not None else ""

    def set_cell(self, row: int, col: int, text: str) -> None:
        self.table.setItem(row, col, QTableWidgetItem(text))

    def snapshot(self) -> tuple:
        """What the table holds, to tell whether anything changed."""
        out = []
        for r in range(self.table.rowCount()):
            cells = []
            for c in range(self.table.columnCount()):
                widget = self.table.cellWidget(r, c)
                cells.append(widget.currentData() if isinstance(widget, QComboBox) else self.cell(r, c))
            out.append(tuple(cells))
        return tuple(out)


def skill_choice(skill: SkillRow, skills: list[SkillRow]) -> str:
    """A skill as a person picks it: its name; with its code only when another skill has the same name."""
    same = sum(1 for k in skills if k.name == skill.name)
    return skill.name if same == 1 else f"{skill.name} ({skill.code})"


class SkillTable(_EditTable):
    SKILL, CERTIFICATE, ISSUED, EXPIRES, STATE = range(5)

    def __init__(self, skills: list[SkillRow], today: date, parent: QWidget | None = None) -> None:
        super().__init__("skills", [_("Skill"), _("Certificate no."), _("Issued on"), _("Expires"), _("State")], parent)
        self.skills, self.today = skills, today
        for col, width in ((self.SKILL, 160), (self.CERTIFICATE, 110), (self.ISSUED, 92), (self.EXPIRES, 92)):
            self.table.setColumnWidth(col, width)
        self.table.itemChanged.connect(self._mark)

    def load(self, holdings: tuple[SkillHolding, ...]) -> None:
        self.table.setRowCount(0)
        for h in holdings:
            self.add_row(h.skill_id, h.certificate_no, h.issued_on, h.expires_on)

    def add_row(self, skill_id: int | None = None, certificate_no: str = "", issued_on: date | None = None,
                expires_on: date | None = None) -> int:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        combo = self._combo(row, self.SKILL, [(skill_choice(k, self.skills), k.id) for k in self.skills], skill_id)
        for i, k in enumerate(self.skills):  # the code (how sheets and rules name it) only as a tooltip
            combo.setItemData(i, _("Code: {code}").format(code=k.code), Qt.ItemDataRole.ToolTipRole)
        self.set_cell(row, self.CERTIFICATE, certificate_no)
        self.set_cell(row, self.ISSUED, _text(issued_on))
        self.set_cell(row, self.EXPIRES, _text(expires_on))
        state = QTableWidgetItem()
        state.setFlags(state.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, self.STATE, state)
        self.table.blockSignals(False)
        self._mark_row(row)
        self.changed.emit()
        return row

    def _mark(self, item: QTableWidgetItem) -> None:
        if item.column() == self.EXPIRES:
            self._mark_row(item.row())

    def _mark_row(self, row: int) -> None:
        """Tint an expired or soon expiring certificate, and say so in the State column and a tooltip."""
        try:
            expires = date.fromisoformat(self.cell(row, self.EXPIRES).strip())
        except ValueError:
            expires = None
        state = certificate_state(expires, self.today)
        if state is CertificateState.EXPIRED:
            text, tip = _("Expired"), _("Expired on {date}: the roster no longer counts this skill.").format(
                date=expires)
            colour = EXPIRED_BACKGROUND
        elif state is CertificateState.EXPIRING:
            text, tip = _("Expires soon"), _("Expires on {date}, within 30 days: renew it.").format(date=expires)
            colour = EXPIRING_BACKGROUND
        else:
            text, tip, colour = "", "", None
        self.table.blockSignals(True)
        for col in range(self.table.columnCount()):
            item = self.table.item(row, col)
            if item is not None:
                item.setBackground(QBrush(colour) if colour else QBrush())
                item.setToolTip(tip)
        item_at(self.table, row, self.STATE).setText(text)
        widget = self.table.cellWidget(row, self.SKILL)
        if widget is not None:
            widget.setToolTip(tip)
        self.table.blockSignals(False)

    def row_state(self, row: int) -> str:
        return self.cell(row, self.STATE)

    def entries(self) -> list[SkillEntry]:
        what = _("Skill")
        out = []
        for r in range(self.table.rowCount()):
            combo = self.table.cellWidget(r, self.SKILL)
            assert isinstance(combo, QComboBox)
            if combo.currentData() is None:
                raise ValidationError(_("Skill row {row}: choose a skill.").format(row=r + 1), "skills")
            out.append(SkillEntry(
                int(combo.currentData()), self.cell(r, self.CERTIFICATE).strip(),
                parse_date(self.cell(r, self.ISSUED), what, r + 1, "skills"),
                parse_date(self.cell(r, self.EXPIRES), what, r + 1, "skills"),
            ))
        return out


class UnavailabilityTable(_EditTable):
    KIND, FROM, TO, NOTE = range(4)

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__("unavailability", [_("Kind"), _("From"), _("To"), _("Note")], parent)
        self.today = today
        self.ids: list[int | None] = []
        for col, width in ((self.KIND, 130), (self.FROM, 92), (self.TO, 92)):
            self.table.setColumnWidth(col, width)

    def load(self, rows: tuple[UnavailabilityRow, ...]) -> None:
        self.table.setRowCount(0)
        self.ids = []
        for u in rows:
            self.add_row(u.kind, u.starts_on, u.ends_on, u.note, u.id)

    def add_row(self, kind: UnavailabilityKind = UnavailabilityKind.LEAVE, starts_on: date | None = None,
                ends_on: date | None = None, note: str = "", entry_id: int | None = None) -> int:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        self.ids.append(entry_id)
        self._combo(row, self.KIND, [(_(t), k) for k, t in KIND_LABELS.items()], kind)
        self.set_cell(row, self.FROM, _text(starts_on or self.today))
        self.set_cell(row, self.TO, _text(ends_on or starts_on or self.today))
        self.set_cell(row, self.NOTE, note)
        self.table.blockSignals(False)
        self.changed.emit()
        return row

    def remove_selected(self) -> None:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()} or (
            {self.table.currentRow()} if self.table.currentRow() >= 0 else set())
        for row in sorted(rows, reverse=True):
            del self.ids[row]
        super().remove_selected()

    def entries(self) -> list[UnavailabilityEntry]:
        what = _("Unavailability")
        out = []
        for r in range(self.table.rowCount()):
            combo = self.table.cellWidget(r, self.KIND)
            assert isinstance(combo, QComboBox)
            starts = parse_date(self.cell(r, self.FROM), what, r + 1, "unavailability")
            ends = parse_date(self.cell(r, self.TO), what, r + 1, "unavailability")
            if starts is None or ends is None:
                raise ValidationError(_("Unavailability row {row}: enter both the first and the last day.").format(
                    row=r + 1), "unavailability")
            out.append(UnavailabilityEntry(combo.currentData(), starts, ends, self.cell(r, self.NOTE), self.ids[r]))
        return out


def heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setStyleSheet("font-weight: bold;")
    return label
