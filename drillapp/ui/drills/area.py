"""The Drills area's own tabs and windows: the programme's calendar, the coverage matrix, the programme
proposal, the port calendar (blocked periods, reminder times), and the drill designers they open (Enter/double-click on a drill or a coverage cell, Ctrl+N or "New drill" on a day)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget

from drillapp.i18n import _
from drillapp.services import Services
from drillapp.services.audit_view import AuditViewService
from drillapp.ui.drills.calendar_page import CalendarPage
from drillapp.ui.drills.coverage_page import CoveragePage
from drillapp.ui.drills.designer_open import DesignerOpener
from drillapp.ui.drills.port_calendar_page import PortCalendarPage
from drillapp.ui.drills.programme_page import ProgrammePage
from drillapp.ui.pages.areas import AreaPage


@dataclass
class DrillTabs:
    calendar: CalendarPage
    coverage: CoveragePage
    designers: DesignerOpener
    programme: ProgrammePage
    port_calendar: PortCalendarPage


def add_drill_tabs(page: AreaPage, sv: Services, window: QWidget, history: AuditViewService,
                   launch: Callable[[int], None]) -> DrillTabs:
    calendar = CalendarPage(sv.drills, sv.port_calendar, page, series=sv.series, printing=sv.drill_calendar)
    page.add_tab(calendar, _("Calendar"))
    coverage = CoveragePage(sv.coverage, page)
    page.add_tab(coverage, _("Coverage"))
    programme = ProgrammePage(sv.programme, page)
    page.add_tab(programme, _("Programme proposal"))
    port_calendar = PortCalendarPage(sv.port_calendar, sv.port_settings, page)
    page.add_tab(port_calendar, _("Port calendar"))
    designers = DesignerOpener(sv.drills, sv.participants, sv.msel, sv.org, window, history=history, launch=launch,
                               series=sv.series, printing=sv.drill_calendar)
    calendar.open_drill.connect(designers.open_drill)
    calendar.new_drill.connect(designers.new_drill)
    coverage.open_drill.connect(designers.open_drill)
    return DrillTabs(calendar, coverage, designers, programme, port_calendar)


def link_dashboard(window: Any) -> None:
    """The dashboard's next drills open in their designer, and its overdue coverage cells link to the matrix
    (the Drills area is built on first use)."""

    def open_drill(drill_id: int) -> None:
        window.page("drills")  # builds the area, and its designers
        window.designers.open_drill(drill_id)

    def coverage() -> None:
        window.show_area("drills")
        window.page("drills").tabs.setCurrentWidget(window.coverage_page)

    window.dashboard.open_drill.connect(open_drill)
    window.dashboard.show_coverage.connect(coverage)
