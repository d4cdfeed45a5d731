"""The incident's checklist in the drill console's checklist table: the same rows, colours and keys; an item of
a more severe level than the incident's now (after a de-escalation) stays on the list, greyed and marked "not
required at this level", and can still be ticked."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from drillapp.i18n import _
from drillapp.services.incident_console import IncidentView
from drillapp.services.run_view import ItemView
from drillapp.ui.console.checklist import STATE, ChecklistModel

GREY_TEXT = "#8a8a8a"
GREY_BACK = "#f1f1f1"


def item_views(view: IncidentView) -> tuple[ItemView, ...]:
    """The incident's items as the drill console's (the same fields the checklist table reads)."""
    return tuple(ItemView(v.item.row, v.status, v.item.due_at, v.remaining_seconds, v.item.minutes_taken)
                 for v in view.items)


class IncidentChecklistModel(ChecklistModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.not_required: frozenset[int] = frozenset()

    def set_incident(self, view: IncidentView) -> None:
        marked = frozenset(v.item.row.id for v in view.items if v.item.not_required)
        changed = marked != self.not_required
        self.not_required = marked
        self.set_items(item_views(view), view.snapshot.port_zone, reset=changed)

    def is_required(self, row: int) -> bool:
        item = self.item_at(row)
        return item is None or item.row.id not in self.not_required

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        value = super().data(index, role)
        if not index.isValid() or self.is_required(index.row()):
            return value
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(GREY_TEXT))
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(GREY_BACK))
        if role == Qt.ItemDataRole.FontRole:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and index.column() == STATE:
            mark = _("not required at this level")
            return f"{value} ({mark})" if value else mark
        return value
