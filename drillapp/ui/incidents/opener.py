"""The incident desk's opener: the activation (Ctrl+Shift+I from the main window) and one console window per
incident, raised again when it is open already."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from drillapp.services import Services
from drillapp.services.incident_view import IncidentSnapshot
from drillapp.ui.operations import QueryOp


class IncidentDesk(QObject):
    """Activates incidents and keeps their consoles. `review_opener` (the main window's ReviewOpener) opens
    an incident's review after the stand-down."""

    opened = Signal(object)  # the console window

    def __init__(self, services: Services, parent: QWidget, review_opener: Any = None) -> None:
        super().__init__(parent)
        self.window = parent
        self.services = services
        self.review_opener = review_opener
        self.consoles: dict[int, QWidget] = {}

    def activate(self) -> int | None:
        """Ask for the plan, level, alarm, location and description; open the incident and its console.
        Returns the new incident's id (None: cancelled)."""
        from drillapp.ui.incidents.activate import ActivateIncidentDialog

        dialog = ActivateIncidentDialog(self.services.incidents, self.services.scope.zone, self.window)
        if not dialog.exec() or dialog.incident_id is None:
            return None
        self.open_incident(dialog.incident_id)
        return dialog.incident_id

    def open_incident(self, incident_id: int) -> None:
        existing = self.consoles.get(incident_id)
        if existing is not None:
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return
        incidents = self.services.incidents
        QueryOp(self.window, lambda: incidents.snapshot(incident_id, log_limit=1)).success(self._show).run()

    def _show(self, snap: IncidentSnapshot) -> None:
        if snap.id in self.consoles:
            return
        from drillapp.ui.incidents.console import IncidentConsole

        window = IncidentConsole(self.services, snap.id, self.window, review_opener=self.review_opener)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        window.closed.connect(self._closed)
        self.consoles[snap.id] = window
        window.showMaximized()
        self.opened.emit(window)

    def _closed(self, incident_id: int) -> None:
        self.consoles.pop(incident_id, None)

    def reopen_active(self) -> None:
        """The incidents not stood down (after a restart, a crash): their consoles again, as they were."""
        incidents = self.services.incidents
        QueryOp(self.window, lambda: incidents.incidents(active_only=True)).success(self._open_all).run()

    def _open_all(self, rows: list[Any]) -> None:
        for row in rows:
            self.open_incident(row.id)

    def close_all(self) -> None:
        for console in list(self.consoles.values()):
            console.close()
