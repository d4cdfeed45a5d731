"""The Incidents area: the port's incidents by alarm time, filtered by status (ongoing, stood down, all);
Enter or a double-click opens an incident's console; "Activate plan…" (Ctrl+Shift+I) starts a new one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models.enums import IncidentStatus
from drillapp.ui.incidents.opener import IncidentDesk
from drillapp.ui.list_page import ListPage
from drillapp.ui.pages.areas import AreaPage


class IncidentFilters(QWidget):
    def __init__(self, incidents: ListPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incidentFilters")
        self.incidents = incidents
        self.status = QComboBox(self)
        self.status.setObjectName("status")
        self.status.addItem(_("All incidents"), None)
        for status in (IncidentStatus.ACTIVE, IncidentStatus.STOOD_DOWN):
            self.status.addItem(label(status), status)
        self.status.currentIndexChanged.connect(lambda _i: self.apply())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(_("Show:"), self))
        layout.addWidget(self.status)
        layout.addStretch(1)

    def apply(self) -> None:
        self.incidents.model.filters = {"status": self.status.currentData()}
        self.incidents.reload()


def add_incident_views(page: AreaPage, desk: IncidentDesk, activate: Callable[[], None]) -> IncidentFilters:
    """The status filter, opening a console from the list, and the area's commands."""
    incidents = page.lists[0]
    filters = IncidentFilters(incidents, page)
    incidents.add_filters(filters)
    incidents.activated.connect(desk.open_incident)

    def open_selected() -> None:
        row = incidents.table.currentIndex().row()
        if row >= 0:
            desk.open_incident(incidents.model.row_id(row))

    page.add_button(_("Open console"), "openIncident", open_selected)
    page.add_button(_("Activate plan… (Ctrl+Shift+I)"), "activateIncident", activate)
    return filters
