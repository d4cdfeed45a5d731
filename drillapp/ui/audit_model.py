"""The audit trail as a lazy table model, and how an entry reads on screen.

Paging as in drillapp/ui/paged_model.py: the first page of a (new) filter in the background, later
pages as the user scrolls.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from drillapp.audit_labels import (
    HIDDEN_FIELDS,
    field_label,
    field_value,
    note_text,
    operation_label,
    record_label,
    user_label,
)
from drillapp.i18n import N_, _
from drillapp.services.audit_view import AuditFilter, AuditRow, AuditViewService
from drillapp.ui.formatting import display
from drillapp.ui.paged_model import Index, PagedTableModel

COLUMNS = (N_("Time"), N_("User"), N_("Change"), N_("Record"), N_("Id"), N_("Operation"))
RECORD_COLUMN = 3

ACTIONS = {"insert": N_("Added"), "update": N_("Changed"), "delete": N_("Removed"), "note": N_("Note")}
HEADLINES = {
    "insert": N_("Added {record}"),
    "update": N_("Changed {record}"),
    "delete": N_("Removed {record}"),
    "note": N_("Note on {record}"),
}


def action_label(action: str) -> str:
    return _(ACTIONS[action]) if action in ACTIONS else action


def _value(entity: str, key: str, value: Any, people: dict[int, str] | None = None) -> str:
    text = field_value(entity, key, value, people)
    return text.replace("\n", "\n    ")  # continuation lines indented under their field


def describe(row: AuditRow) -> str:
    """An entry as readable text: who, when, what, then one "field: old → new" line per value, in words
    (row_version and other bookkeeping left out)."""
    record = record_label(row.entity) + ("" if row.entity_id is None else f" #{row.entity_id}")
    lines = [
        _("{time} · {user}").format(time=display("at", row.at), user=shown_user(row)),
        (_(HEADLINES[row.action]).format(record=record) if row.action in HEADLINES else f"{row.action} {record}")
        + f" · {operation_label(row.operation)}",
        "",
    ]
    before, after = row.before or {}, row.after or {}
    if row.action == "note" and set(after) == {"note"}:
        lines.append(note_text(str(after["note"])).replace("\n", "\n    "))
        return "\n".join(lines)
    keys = sorted((before.keys() | after.keys()) - HIDDEN_FIELDS, key=lambda k: field_label(row.entity, k))
    if not keys:
        lines.append(_("No values recorded."))
    for key in keys:
        name, value = field_label(row.entity, key), _value(row.entity, key, after.get(key), row.people)
        if key in before and key in after:
            lines.append(_("{field}: {before} → {after}").format(
                field=name, before=_value(row.entity, key, before[key], row.people), after=value))
        elif key in after:
            lines.append(_("{field}: {value}").format(field=name, value=value))
        else:
            lines.append(_("{field}: {before} → {after}").format(
                field=name, before=_value(row.entity, key, before[key], row.people), after=_("(removed)")))
    return "\n".join(lines)


def shown_user(row: AuditRow) -> str:
    """Who acted, one line: the account (for an older log-in entry, the account logging in), or "System"."""
    return user_label(row.shown_username or row.username, row.user_id).replace("\n", " ")


class AuditTableModel(PagedTableModel):
    def __init__(self, service: AuditViewService, parent: Any = None) -> None:
        super().__init__(parent)
        self.service = service
        self.filter = AuditFilter()

    def reload(self, audit_filter: AuditFilter | None = None) -> None:
        """Read the first page again (for a new filter, if given) off the GUI thread."""
        if audit_filter is not None:
            self.filter = audit_filter
        super().reload()

    def query(self) -> AuditFilter:
        return self.filter

    def read_page(self, query: AuditFilter, offset: int, limit: int) -> list[AuditRow]:
        return self.service.page(query, offset, limit)

    def entry(self, row: int) -> AuditRow:
        return self.rows[row]

    # -- Qt model interface -----------------------------------------------------------------------
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        column = index.column()
        if column == 0:
            return display("at", row.at)
        if column == 1:
            return shown_user(row)
        if column == 2:
            return action_label(row.action)
        if column == 3:
            return record_label(row.entity)
        if column == 4:
            return "" if row.entity_id is None else str(row.entity_id)
        return operation_label(row.operation)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section])
        return None
