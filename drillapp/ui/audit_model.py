"""The audit trail as a lazy table model, and how an entry reads on screen.

Paging as in drillapp/ui/paged_model.py: the first page of a (new) filter in the background, later
pages as the user scrolls.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

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

#: Record types by table name; a table not listed here shows under its own name.
RECORDS = {
    "after_action_review": N_("After-action review"),
    "app_user": N_("User account"),
    "branch": N_("Agency branch"),
    "checklist_entry": N_("Checklist entry"),
    "contingency_plan": N_("Contingency plan"),
    "corrective_action": N_("Corrective action"),
    "drill": N_("Drill"),
    "drill_objective": N_("Drill objective"),
    "drill_participant": N_("Drill participant"),
    "drill_run": N_("Drill run"),
    "finding": N_("Finding"),
    "incident": N_("Incident"),
    "inject": N_("Inject"),
    "log_entry": N_("Log entry"),
    "member": N_("Team member"),
    "member_skill": N_("Member skill"),
    "objective_rating": N_("Objective rating"),
    "on_call_shift": N_("On-call shift"),
    "plan_action": N_("Plan action"),
    "plan_contact": N_("Plan contact"),
    "plan_resource": N_("Plan resource"),
    "plan_section": N_("Plan section"),
    "plan_version": N_("Plan version"),
    "port": N_("Port"),
    "reminder": N_("Reminder"),
    "response_level": N_("Response level"),
    "response_team": N_("Response team"),
    "responsibility_entry": N_("Responsibility entry"),
    "shift_assignment": N_("Shift assignment"),
    "skill": N_("Skill"),
    "squad": N_("Squad"),
    "unavailability": N_("Unavailability"),
}


def action_label(action: str) -> str:
    return _(ACTIONS[action]) if action in ACTIONS else action


def record_label(entity: str) -> str:
    return _(RECORDS[entity]) if entity in RECORDS else entity


def _value(value: Any) -> str:
    if value is None or value == "":
        return _("(empty)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    text = str(value)
    return text.replace("\n", "\n    ")  # continuation lines indented under their field


def describe(row: AuditRow) -> str:
    """An entry as readable text: who, when, what, then one "field: old → new" line per value."""
    record = record_label(row.entity) + ("" if row.entity_id is None else f" #{row.entity_id}")
    lines = [
        _("{time} · {user}").format(time=display("at", row.at), user=row.username),
        (_(HEADLINES[row.action]).format(record=record) if row.action in HEADLINES else f"{row.action} {record}")
        + f" · {row.operation}",
        "",
    ]
    before, after = row.before or {}, row.after or {}
    if row.action == "note" and set(after) == {"note"}:
        lines.append(_value(after["note"]))
    elif not before and not after:
        lines.append(_("No values recorded."))
    else:
        for key in sorted(before.keys() | after.keys()):
            if key in before and key in after:
                lines.append(f"{key}: {_value(before[key])} → {_value(after[key])}")
            elif key in after:
                lines.append(f"{key}: {_value(after[key])}")
            else:
                lines.append(f"{key}: {_value(before[key])} → {_('(removed)')}")
    return "\n".join(lines)


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
            return row.username.replace("\n", " ")
        if column == 2:
            return action_label(row.action)
        if column == 3:
            return record_label(row.entity)
        if column == 4:
            return "" if row.entity_id is None else str(row.entity_id)
        return row.operation

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section])
        return None
