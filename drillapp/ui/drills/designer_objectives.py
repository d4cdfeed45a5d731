"""The drill designer's objectives: what the drill must show, each tied to one or more of the plan's actions
(of its version in force), so the review can measure it. The objectives are a table (add, remove, reorder);
the actions of the chosen objective are ticked in the list beside it."""

from __future__ import annotations

from dataclasses import replace
from itertools import count

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from drillapp.i18n import _
from drillapp.labels import label, level_label
from drillapp.services.drill_design import ActionChoice, ObjectiveDoc
from drillapp.ui.plans.record_table import ColumnSpec, RecordTable

_new_keys = count(-1, -1)


def action_text(a: ActionChoice) -> str:
    level = level_label(a.level) if a.level is not None else _("every level")
    return f"{label(a.agency)} · {level} · {label(a.phase)}: {a.text}"


class ObjectivesTab(QWidget):
    edited = Signal(object, str)  # (tuple of ObjectiveDoc, description)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.objectives: tuple[ObjectiveDoc, ...] = ()
        self.plan_actions: tuple[ActionChoice, ...] = ()
        self.level: int | None = None
        self.read_only = False
        self._filling = False
        self.table = RecordTable([ColumnSpec("text", _("Objective"), required=True)],
                                 lambda: ObjectiveDoc(next(_new_keys), _("New objective")), self)
        self.table.setObjectName("objectives")
        self.table.edited.connect(self.edited)
        self.table.table.currentCellChanged.connect(lambda *_a: self._show_actions())
        self.action_list = QListWidget(self)
        self.action_list.setObjectName("objectiveActions")
        self.action_list.setWordWrap(True)
        self.action_list.itemChanged.connect(self._ticked)
        self.hint = QLabel(self)
        self.hint.setObjectName("actionsHint")
        self.hint.setWordWrap(True)
        self.hint.setProperty("muted", True)
        right = QVBoxLayout()
        right.addWidget(QLabel(_("Measured by the plan's actions (tick one or more):"), self))
        right.addWidget(self.action_list, 1)
        right.addWidget(self.hint)
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addLayout(right, 2)

    def show_objectives(self, objectives: tuple[ObjectiveDoc, ...], actions: tuple[ActionChoice, ...],
                        level: int | None, read_only: bool) -> None:
        self.objectives, self.plan_actions, self.level, self.read_only = objectives, actions, level, read_only
        self.table.show_records(objectives, read_only)
        if objectives and self.table.table.currentRow() < 0:
            self.table.table.setCurrentCell(0, 0)
        self._show_actions()

    def current(self) -> int:
        row = self.table.table.currentRow()
        return row if 0 <= row < len(self.objectives) else -1

    def _show_actions(self) -> None:
        row = self.current()
        self._filling = True
        chosen = set(self.objectives[row].action_ids) if row >= 0 else set()
        # the actions of the drill's level first (and those for every level), then the others
        shown = sorted(self.plan_actions, key=lambda a: a.level not in (None, self.level))
        items = [self.action_list.item(i) for i in range(self.action_list.count())]
        if [i.data(Qt.ItemDataRole.UserRole) for i in items] != [a.id for a in shown]:
            self.action_list.clear()  # another plan or level (a tick only updates the ticks, below)
            items = []
            for a in shown:
                item = QListWidgetItem(action_text(a), self.action_list)
                item.setData(Qt.ItemDataRole.UserRole, a.id)
                items.append(item)
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if row >= 0 and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        for item in items:
            item.setFlags(flags)
            state = Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in chosen else Qt.CheckState.Unchecked
            if item.checkState() != state:
                item.setCheckState(state)
        self._filling = False
        if not self.plan_actions:
            self.hint.setText(_("Choose a plan with a version in force to tie objectives to its actions."))
        elif row < 0:
            self.hint.setText(_("Add an objective, then tick the actions that measure it."))
        else:
            self.hint.setText(_("{n} action(s) tied to this objective.").format(n=len(chosen)))

    def _ticked(self, item: QListWidgetItem) -> None:
        row = self.current()
        if self._filling or row < 0:
            return
        action_id = item.data(Qt.ItemDataRole.UserRole)
        ids = list(self.objectives[row].action_ids)
        if item.checkState() == Qt.CheckState.Checked and action_id not in ids:
            ids.append(action_id)
            text = _("Tie an action to objective {n}").format(n=row + 1)
        elif item.checkState() == Qt.CheckState.Unchecked and action_id in ids:
            ids.remove(action_id)
            text = _("Untie an action from objective {n}").format(n=row + 1)
        else:
            return
        objectives = list(self.objectives)
        objectives[row] = replace(objectives[row], action_ids=tuple(ids))
        self.edited.emit(tuple(objectives), text)
