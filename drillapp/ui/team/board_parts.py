"""Pieces of the squad board: a list of members that takes drops, a squad column with its strength header,
and the table of branch strengths. Gaps are said in words and tinted, never shown by colour alone."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QMimeData, QPoint, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import _, current_language, join_list
from drillapp.labels import label
from drillapp.models.enums import MemberStatus
from drillapp.services.team_overview import BoardMember, BranchStrength, CertificateState, SquadStrength

MIME = "application/x-drillapp-member-ids"
SHORT_STYLE = "background: #f8d7da; color: #842029; padding: 3px;"
MET_STYLE = "background: #d1e7dd; color: #0f5132; padding: 3px;"
SHORT_BACKGROUND = QColor("#f8d7da")
EXPIRED_COLOUR = QColor("#b00020")
EXPIRING_COLOUR = QColor("#8a5a00")
KEY_SKILLS = 3


def member_text(m: BoardMember, leader: bool) -> tuple[str, str]:
    """The two or three lines a member shows on the board, and the tooltip."""
    first = ("★ " if leader else "") + f"{m.name} · {label(m.agency)}"
    if m.status is not MemberStatus.ACTIVE:
        first += f" ({label(m.status)})"
    lines = [first, join_list(m.skills[:KEY_SKILLS]) + (" …" if len(m.skills) > KEY_SKILLS else "")]
    expired = [h.name for h in m.flagged if h.state is CertificateState.EXPIRED]
    expiring = [h.name for h in m.flagged if h.state is CertificateState.EXPIRING]
    if expired:
        lines.append("⚠ " + _("Expired: {skills}").format(skills=join_list(expired)))
    if expiring:
        lines.append("⚠ " + _("Expires soon: {skills}").format(skills=join_list(expiring)))
    tip = [first + (" — " + _("squad leader") if leader else ""), _("Skills: {skills}").format(
        skills=join_list(m.skills) or _("none"))]
    tip += [_("{skill}: expired on {date}").format(skill=h.name, date=h.expires_on) for h in m.flagged
            if h.state is CertificateState.EXPIRED]
    tip += [_("{skill}: expires on {date}").format(skill=h.name, date=h.expires_on) for h in m.flagged
            if h.state is CertificateState.EXPIRING]
    return "\n".join(line for line in lines if line), "\n".join(tip)


class _RoomyDelegate(QStyledItemDelegate):
    """A few pixels more per item: the style's padding otherwise clips a two-line item to one line."""

    def sizeHint(self, option, index) -> QSize:  # noqa: N802, ANN001
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + 6)


class MemberList(QListWidget):
    """Members of one squad (or unassigned); members dragged here from another list are moved here."""

    dropped = Signal(list, object)  # member ids, squad id (None: unassigned)
    move_requested = Signal(int)  # Ctrl+0…6 pressed: the index of the column to move the selection to
    context_requested = Signal(object, int, QPoint)  # column, member id, global position

    def __init__(self, column: SquadColumn) -> None:
        super().__init__(column)
        self.column = column
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setResizeMode(QListView.ResizeMode.Adjust)  # re-wrap the items when the column is resized
        self.setAlternatingRowColors(True)
        self.setItemDelegate(_RoomyDelegate(self))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context)

    @staticmethod
    def _move_key(event: QKeyEvent) -> int | None:
        if event.modifiers() == Qt.KeyboardModifier.ControlModifier and Qt.Key.Key_0 <= event.key() <= Qt.Key.Key_6:
            return event.key() - Qt.Key.Key_0
        return None

    def event(self, event: QEvent) -> bool:
        # Ctrl+1…7 switch areas in the main window; while a member list has the focus, Ctrl+0…6 move members.
        if event.type() == QEvent.Type.ShortcutOverride and self._move_key(event) is not None:  # type: ignore[arg-type]  # a ShortcutOverride event is a QKeyEvent
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        index = self._move_key(event)
        if index is None:
            super().keyPressEvent(event)
        else:
            self.move_requested.emit(index)

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:  # noqa: N802
        data = QMimeData()
        data.setData(MIME, ",".join(str(i.data(Qt.ItemDataRole.UserRole)) for i in items).encode())
        return data

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def dragEnterEvent(self, event) -> None:  # noqa: N802, ANN001
        if event.mimeData().hasFormat(MIME) and event.source() is not self:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802, ANN001
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        if not event.mimeData().hasFormat(MIME) or event.source() is self:
            event.ignore()
            return
        raw = bytes(event.mimeData().data(MIME).data()).decode()
        ids = [int(x) for x in raw.split(",") if x]
        # Copy, not move: the board redraws every list itself, so the source must not remove anything.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.dropped.emit(ids, self.column.squad_id)

    def _context(self, pos: QPoint) -> None:
        item = self.itemAt(pos)
        if item is not None:
            self.context_requested.emit(self.column, int(item.data(Qt.ItemDataRole.UserRole)),
                                        self.viewport().mapToGlobal(pos))


class SquadColumn(QFrame):
    minimum_changed = Signal(int, int)  # squad id, new minimum

    def __init__(self, squad_id: int | None, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.squad_id, self.index = squad_id, index
        self.setObjectName(f"squad_{squad_id}" if squad_id else "unassigned")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(230)
        self.title = _("Unassigned")
        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-weight: bold;")
        self.heading.setWordWrap(True)
        self.strength = QLabel(self)
        self.strength.setObjectName("strength")
        self.strength.setWordWrap(True)
        self.leader = QLabel(self)
        self.leader.setObjectName("leader")
        self.leader.setWordWrap(True)
        self.minimum = QSpinBox(self)
        self.minimum.setObjectName("minimum")
        self.minimum.setRange(0, 999)
        self.minimum.setPrefix(_("Minimum: "))
        self.minimum.setToolTip(_("The fewest active members this squad needs; type a number and press Enter."))
        self.minimum.editingFinished.connect(self._minimum_edited)
        self.members = MemberList(self)
        self.members.setObjectName("members")
        row = QHBoxLayout()
        row.addWidget(self.strength, 1)
        row.addWidget(self.minimum)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(row)
        layout.addWidget(self.leader)
        layout.addWidget(self.members, 1)
        self._minimum = 0
        self.minimum.setVisible(squad_id is not None)
        self.leader.setVisible(squad_id is not None)

    def _shortcut(self) -> str:
        return f"  [Ctrl+{self.index}]"

    def show_unassigned(self, members: tuple[BoardMember, ...]) -> None:
        self.heading.setText(self.title + self._shortcut())
        self.strength.setText(_("{n} member(s) without a squad. Drag a member here, or press Ctrl+0, to take "
                                "them out of their squad.").format(n=len(members)))
        self.strength.setStyleSheet("padding: 3px;")
        self._fill(members, None)

    def show_squad(self, squad: SquadStrength) -> None:
        self.title = squad.name if current_language() == "zh_CN" else label(squad.kind)
        self.heading.setText(self.title + self._shortcut())
        self.heading.setToolTip(squad.name)
        if squad.short:
            text = _("Strength {n} of {min}: short by {gap}").format(
                n=squad.strength, min=squad.min_strength, gap=squad.min_strength - squad.strength)
            self.strength.setStyleSheet(SHORT_STYLE)
        else:
            text = _("Strength {n} of {min}: met").format(n=squad.strength, min=squad.min_strength)
            self.strength.setStyleSheet(MET_STYLE)
        self.strength.setText(text)
        self.strength.setProperty("short", squad.short)
        self.leader.setText(_("Leader: {name}").format(name=squad.leader_name) if squad.leader_id
                            else _("No leader yet"))
        self._minimum = squad.min_strength
        self.minimum.blockSignals(True)
        self.minimum.setValue(squad.min_strength)
        self.minimum.blockSignals(False)
        self._fill(squad.members, squad.leader_id)

    def _fill(self, members: tuple[BoardMember, ...], leader_id: int | None) -> None:
        self.members.clear()
        for m in members:
            text, tip = member_text(m, m.id == leader_id)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, " ".join((m.name, label(m.agency), *m.skills)).lower())
            item.setToolTip(tip)
            if m.has_expired:
                item.setForeground(QBrush(EXPIRED_COLOUR))
            elif m.has_expiring:
                item.setForeground(QBrush(EXPIRING_COLOUR))
            elif not m.active:
                item.setForeground(QBrush(QColor("#6c757d")))
            if m.id == leader_id:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.members.addItem(item)

    def filter(self, text: str) -> None:
        needle = text.lower()
        for row in range(self.members.count()):
            item = self.members.item(row)
            item.setHidden(bool(needle) and needle not in item.data(Qt.ItemDataRole.UserRole + 1))

    def item_of(self, member_id: int) -> QListWidgetItem | None:
        for row in range(self.members.count()):
            if self.members.item(row).data(Qt.ItemDataRole.UserRole) == member_id:
                return self.members.item(row)
        return None

    def _minimum_edited(self) -> None:
        if self.squad_id is not None and self.minimum.value() != self._minimum:
            self._minimum = self.minimum.value()
            self.minimum_changed.emit(self.squad_id, self.minimum.value())


class BranchTable(QFrame):
    """Active members from each branch against the minimum the team needs from it."""

    minimum_changed = Signal(int, int)  # branch id, new minimum

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        heading = QLabel(_("Strength by branch"), self)
        heading.setStyleSheet("font-weight: bold;")
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("branchStrength")
        self.table.setHorizontalHeaderLabels([_("Branch"), _("Active"), _("Minimum"), _("Gap")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        self.rows: list[BranchStrength] = []

    def show_branches(self, branches: tuple[BranchStrength, ...]) -> None:
        self.rows = list(branches)
        self.table.setRowCount(len(branches))
        for r, b in enumerate(branches):
            gap = _("Short by {gap}").format(gap=b.minimum - b.strength) if b.short else _("Met")
            for c, text in ((0, label(b.agency)), (1, str(b.strength)), (3, gap)):
                item = QTableWidgetItem(text)
                item.setBackground(QBrush(SHORT_BACKGROUND) if b.short else QBrush())
                if c == 0:
                    item.setToolTip(b.name)
                self.table.setItem(r, c, item)
            spin = self.table.cellWidget(r, 2)
            if not isinstance(spin, QSpinBox):
                spin = QSpinBox(self.table)
                spin.setRange(0, 999)
                spin.editingFinished.connect(lambda s=spin, row=r: self._edited(row, s.value()))
                self.table.setCellWidget(r, 2, spin)
            spin.blockSignals(True)
            spin.setValue(b.minimum)
            spin.blockSignals(False)

    def _edited(self, row: int, value: int) -> None:
        if row < len(self.rows) and self.rows[row].minimum != value:
            self.minimum_changed.emit(self.rows[row].branch_id, value)
