"""The second save of a record someone else changed: say who and when, offer to reload or to compare."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from drillapp.i18n import _
from drillapp.services.audit_view import AuditViewService
from drillapp.services.errors import ConflictError
from drillapp.ui.audit_model import describe


class ConflictDialog(QMessageBox):
    """Reload (take the other change, then redo mine) or cancel; "Compare" shows what they changed."""

    def __init__(self, exc: ConflictError, history: AuditViewService | None, entity: str, entity_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(_("Changed by someone else"))
        self.setText(exc.message)
        self.reload_button = self.addButton(_("Reload"), QMessageBox.ButtonRole.AcceptRole)
        self.compare_button = self.addButton(_("Compare…"), QMessageBox.ButtonRole.ActionRole)
        self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.reload_button)
        rows = history.history(entity, entity_id) if history is not None else []
        self.comparison = "\n\n".join(describe(r) for r in rows) or _("No recorded changes.")
        self.compare_button.clicked.disconnect()  # "Compare" shows the changes and keeps the choice open
        self.compare_button.clicked.connect(self.compare)

    def compare(self) -> None:
        QMessageBox.information(self, _("What was changed"), self.comparison)

    def wants_reload(self) -> bool:
        return self.clickedButton() is self.reload_button


def ask_reload(exc: ConflictError, history: AuditViewService | None, entity: str, entity_id: int,
               parent: QWidget | None = None) -> bool:
    dialog = ConflictDialog(exc, history, entity, entity_id, parent)
    dialog.exec()
    return dialog.wants_reload()
