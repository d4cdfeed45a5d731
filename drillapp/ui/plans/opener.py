"""Opening plans: the plan editor on a plan's version (by default the one in force, else the newest), one
window per plan, read off the GUI thread; and a new plan, which opens in its editor once created. Used by the
Plans area and by a review that names a plan (the main window's `open_plan`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget

from drillapp.services import Services
from drillapp.services.audit_view import AuditViewService
from drillapp.ui.operations import QueryOp


class PlanOpener(QObject):
    """Keeps the open plan editors (`editors`, by plan id), windows of the main window. Holds `Services`, not
    the plan services themselves, so they are made when a plan is first opened, not with the window."""

    def __init__(self, services: Services, history: Callable[[], AuditViewService], parent: QWidget) -> None:
        super().__init__(parent)
        self.window = parent
        self.services = services
        self.history = history
        self.editors: dict[int, QWidget] = {}

    def open_plan(self, plan_id: int, version_id: int | None = None) -> QWidget | None:
        """The plan editor on a plan's version (by default the one in force, else the newest; one window per
        plan), once it is read off the GUI thread; returns the editor when it is already there."""
        existing = self.editors.get(plan_id)
        if existing is not None:
            existing.show()
            existing.raise_()
            return existing
        services = self.services

        def read() -> tuple[object, object]:
            # the plan services and the editor's module are made and imported here, not on the GUI thread: at a
            # first open that was 30-60 ms of imports there
            import drillapp.ui.plans.editor  # noqa: F401
            _ = services.revisions
            plans = services.plans
            doc = plans.document(version_id) if version_id else plans.shown_document(plan_id)
            return doc, plans.versions(plan_id)

        QueryOp(self.window, read).success(lambda result: self._show_editor(plan_id, *result)).run()
        return self.editors.get(plan_id)

    def _show_editor(self, plan_id: int, doc: Any, versions: Any) -> None:
        from drillapp.ui.plans.editor import PlanEditor

        if plan_id in self.editors:
            return
        editor = PlanEditor(self.services.plans, self.services.revisions, self.history(), doc, self.window,
                            versions=versions)
        editor.setWindowFlag(Qt.WindowType.Window, True)
        editor.closed.connect(self._editor_closed)
        self.editors[plan_id] = editor
        editor.show()

    def _editor_closed(self, plan_id: int) -> None:
        editor = self.editors.pop(plan_id, None)
        if editor is not None:
            editor.deleteLater()

    def new_plan(self) -> None:
        from drillapp.ui.plans.new_plan import NewPlanDialog

        dialog = NewPlanDialog(self.services.plans, self.services.org.branches(self.services.scope.id),
                               self.services.scope, self.window)
        if dialog.exec() and dialog.created is not None:
            self.open_plan(dialog.created[0], dialog.created[1])
