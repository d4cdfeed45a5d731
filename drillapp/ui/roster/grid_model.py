"""The roster grid as a table: one row per member (grouped by branch), one column per day.

A cell shows the member's shift that day ("24 h" duty, D or N); weekends are shaded, hand edits are marked
with a pencil, cells named by a broken rule are red. The last row counts who is on each day against the
headcount. Text is set with the member's name and dates only, never as rich text, so `<` and `&` show as typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import Any, cast

from PySide6.QtCore import QModelIndex, QModelRoleData, QModelRoleDataSpan, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from drillapp.i18n import _
from drillapp.models.enums import ShiftKind
from drillapp.services.roster import PreferenceInfo
from drillapp.services.roster_fairness import explain
from drillapp.services.roster_grid import GridMember, RosterGrid
from drillapp.ui.multi_data import MultiDataTableModel

Index = QModelIndex | QPersistentModelIndex

SHORT = {ShiftKind.DUTY_24H: "●", ShiftKind.DAY: "D", ShiftKind.NIGHT: "N"}
WISH_OFF, WISH_ON = "○", "◎"
WEEKEND = QColor("#eef2f7")
MANUAL = QColor("#fff4d6")
BROKEN = QColor("#f8d0d0")
SHORT_DAY = QColor("#f3c1c1")


def weekday_name(d: date) -> str:
    names = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))
    return names[d.weekday()]


DISPLAY, ALIGNMENT = int(Qt.ItemDataRole.DisplayRole.value), int(Qt.ItemDataRole.TextAlignmentRole.value)
BACKGROUND, FONT = int(Qt.ItemDataRole.BackgroundRole.value), int(Qt.ItemDataRole.FontRole.value)
SPOKEN = frozenset({int(Qt.ItemDataRole.ToolTipRole.value), int(Qt.ItemDataRole.AccessibleTextRole.value)})
CENTRED = int(Qt.AlignmentFlag.AlignCenter.value)
BROKEN_FILL, MANUAL_FILL, WEEKEND_FILL = QBrush(BROKEN), QBrush(MANUAL), QBrush(WEEKEND)


@cache
def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


NOT_PAINTED = object()  # `_painted`: a role the cell's painting does not answer (a tooltip, or nothing)


def _painted(role: int, day: date, kind: ShiftKind | None, wish: PreferenceInfo | None, broken: bool,
             manual: bool) -> Any:
    """What a member's cell shows for `role`: its text (shift, hand edit, wish), centring, fill (a broken rule, a
    hand edit, a weekend) and the bold of a broken rule; NOT_PAINTED for any other role. One place for `data`
    and `multiData`."""
    if role == DISPLAY:
        text = "" if kind is None else SHORT[kind] + ("✎" if manual else "")
        return text + (WISH_ON if wish.wants_on else WISH_OFF) if wish is not None else text
    if role == ALIGNMENT:
        return CENTRED
    if role == BACKGROUND:
        return BROKEN_FILL if broken else MANUAL_FILL if manual else WEEKEND_FILL if day.weekday() >= 5 else None
    if role == FONT:
        return _bold() if broken else None
    return NOT_PAINTED


def row_label(member: GridMember) -> str:
    return f"{member.name}{' ★' if member.leader else ''} · {member.branch}"


class RosterGridModel(MultiDataTableModel):
    #: the rows were laid out again (a new grid, a filter), before the views hear of the reset: the row header
    #: measures `row_labels()` then (ui/measured_header.py)
    rows_laid_out = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid: RosterGrid | None = None
        self.rows: list[GridMember] = []
        self.duty: dict[tuple[int, date], ShiftKind] = {}  # (member, day) -> shift
        self.manual: set[tuple[int, date]] = set()
        self.broken: dict[tuple[int, date], list[str]] = {}  # (member, day) -> messages
        self.day_problems: dict[date, list[str]] = {}  # a day's cover shortfalls
        self.wishes: dict[tuple[int, date], PreferenceInfo] = {}
        self.filter_text = ""

    # -- data --------------------------------------------------------------------------------------
    def set_grid(self, grid: RosterGrid | None, wishes: list[PreferenceInfo] = ()) -> None:  # type: ignore[assignment]  # an empty tuple as the default: never mutated
        self.beginResetModel()
        self.grid = grid
        self.wishes = {(w.member_id, w.day): w for w in wishes}
        self.duty.clear()
        self.manual.clear()
        self.broken.clear()
        self.day_problems.clear()
        if grid is not None:
            for (day, kind), cell in grid.cells.items():
                for m in cell.member_ids:
                    self.duty[(m, day)] = kind
                    if m in cell.manual_ids:
                        self.manual.add((m, day))
            for v in grid.violations:
                day_of: date | None = grid.days[v.day] if v.day is not None and 0 <= v.day < len(grid.days) else None
                if v.person is not None and day_of is not None:
                    self.broken.setdefault((int(v.person), day), []).append(v.message)
                elif day is not None:
                    self.day_problems.setdefault(day, []).append(v.message)
        self._rows()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.beginResetModel()
        self.filter_text = text.strip().casefold()
        self._rows()
        self.endResetModel()

    def _rows(self) -> None:
        if self.grid is None:
            self.rows = []
            return
        members = sorted(self.grid.members.values(), key=lambda m: (m.branch, m.squad, m.name))
        needle = self.filter_text
        self.rows = [m for m in members if not needle or needle in f"{m.name} {m.branch} {m.squad}".casefold()]
        self.rows_laid_out.emit()

    def row_labels(self) -> list[str]:
        """Every row header's text (members, then the total row), as `headerData` shows them."""
        return [row_label(m) for m in self.rows] + [_("On duty / needed")] if self.grid is not None else []

    def member_at(self, row: int) -> GridMember | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def day_at(self, column: int) -> date | None:
        if self.grid is None or not 0 <= column < len(self.grid.days):
            return None
        return self.grid.days[column]

    def is_total_row(self, row: int) -> bool:
        return row == len(self.rows)

    def on_duty(self, day: date) -> int:
        if self.grid is None:
            return 0
        return sum(len(c.member_ids) for (d, _k), c in self.grid.cells.items() if d == day)

    def needed(self) -> int:
        if self.grid is None:
            return 0
        heads = self.grid.period.rules.get("headcount", {})
        return sum(heads.get(k.value, 0) for k in self.grid.kinds)

    # -- Qt model ----------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.grid is None else len(self.rows) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.grid is None else len(self.grid.days)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if self.grid is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            day = self.day_at(section)
            if day is None:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{day:%m-%d}\n{weekday_name(day)}"
            if role == Qt.ItemDataRole.ToolTipRole:
                return day.isoformat()
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if self.is_total_row(section):
                return _("On duty / needed")
            m = self.member_at(section)
            if m is None:
                return None
            return row_label(m)
        if role == Qt.ItemDataRole.ToolTipRole and not self.is_total_row(section):
            m = self.member_at(section)
            if m is not None:
                lines = [m.name, m.branch, m.squad or _("No squad")]
                if m.leader:
                    lines.append(_("Squad leader"))
                if not m.active:
                    lines.append(_("No longer an active member"))
                fairness = self.grid.fairness
                if fairness is not None and fairness.row(m.id) is not None:  # "why me again?"
                    lines += ["", explain(fairness, m.id)]
                return "\n".join(lines)
        return None

    def multiData(self, index: Index,  # noqa: N802 - Qt's name
                  roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:  # noqa: N803 - Qt's name
        """A member's cell: every role the painter asks answered from one lookup (a thousand rows' grid is
        painted while workers run Python, and the GUI thread's own Python then runs at half speed)."""
        row, column = index.row(), index.column()
        grid = self.grid
        if grid is None or not 0 <= row < len(self.rows) or not 0 <= column < len(grid.days):
            super().multiData(index, roleDataSpan)  # the total row, or nothing
            return
        member, day = self.rows[row], grid.days[column]
        key = (member.id, day)
        kind, wish, broken, manual = self.duty.get(key), self.wishes.get(key), key in self.broken, key in self.manual
        roles = [roleDataSpan] if isinstance(roleDataSpan, QModelRoleData) else \
            cast(Iterable[QModelRoleData], roleDataSpan)
        for role_data in roles:
            role = role_data.role()
            value = _painted(role, day, kind, wish, broken, manual)
            if value is NOT_PAINTED:
                value = self.data(index, role) if role in SPOKEN else None
            role_data.setData(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.grid is None:
            return None
        day = self.day_at(index.column())
        if day is None:
            return None
        if self.is_total_row(index.row()):
            count, needed = self.on_duty(day), self.needed()
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{count}/{needed}"
            if role == Qt.ItemDataRole.BackgroundRole and (count < needed or day in self.day_problems):
                return QBrush(SHORT_DAY)
            if role == Qt.ItemDataRole.ToolTipRole and day in self.day_problems:
                return "\n".join(self.day_problems[day])
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        member = self.member_at(index.row())
        if member is None:
            return None
        key = (member.id, day)
        kind = self.duty.get(key)
        wish = self.wishes.get(key)
        painted = _painted(int(role), day, kind, wish, key in self.broken, key in self.manual)
        if painted is not NOT_PAINTED:
            return painted
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{member.name} · {day.isoformat()} ({weekday_name(day)})"]
            if kind is not None:
                lines.append(self.grid.kind_labels.get(kind, kind.value))
            if key in self.manual:
                lines.append(_("Put on by hand after solving"))
            if wish is not None:
                lines.append((_("Wishes to be on duty this day (weight {w})") if wish.wants_on
                               else _("Wishes to be off this day (weight {w})")).format(w=wish.weight))
            lines.extend(self.broken.get(key, []))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.data(index, Qt.ItemDataRole.ToolTipRole)
        return None
