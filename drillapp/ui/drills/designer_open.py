"""Opening drill designers: one window per drill (opening it again raises it), a new one per "New drill".
The calendar's Enter/double-click and Ctrl+N come here; the main window hands over the services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from itertools import count

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from drillapp.clock import to_local
from drillapp.services.audit_view import AuditViewService
from drillapp.services.drill_calendar import DrillCalendarService
from drillapp.services.drill_design import PlanOption
from drillapp.services.drill_participants import ParticipantService
from drillapp.services.drill_series import SeriesService
from drillapp.services.drills import DrillService
from drillapp.services.msel import MselService
from drillapp.services.org import BranchRow, OrgService
from drillapp.ui.drills.designer import DrillDesigner
from drillapp.ui.drills.printing import add_briefing_button
from drillapp.ui.drills.series_dialog import open_series
from drillapp.ui.operations import QueryOp


class DesignerOpener(QObject):
    opened = Signal(object)  # the designer window

    def __init__(self, drills: DrillService, participants: ParticipantService, msel: MselService, org: OrgService,
                 parent: QWidget, *, history: AuditViewService | None = None,
                 launch: Callable[[int], None] | None = None, series: SeriesService | None = None,
                 printing: DrillCalendarService | None = None) -> None:
        super().__init__(parent)
        self.series, self.printing = series, printing
        self.window = parent
        self.drills, self.participants, self.msel, self.org = drills, participants, msel, org
        self.history, self.launch = history, launch
        self.designers: dict[object, DrillDesigner] = {}
        self._new = count(1)

    def open_drill(self, drill_id: int) -> None:
        existing = self.designers.get(drill_id)
        if existing is not None:
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return
        self._with_choices(lambda d: d.open_drill(drill_id), drill_id)

    def new_drill(self, day: date | None = None) -> None:
        chosen = day or self.drills.today()
        self._with_choices(lambda d: d.start_new(chosen), ("new", next(self._new)))

    def _with_choices(self, fill: Callable[[DrillDesigner], None], key: object) -> None:
        drills, org = self.drills, self.org
        port = drills.scope.id

        def read() -> tuple[list[BranchRow], list[PlanOption]]:
            return org.branches(port), drills.plan_options()

        QueryOp(self.window, read).success(lambda r: self._show(key, fill, *r)).run()

    def _show(self, key: object, fill: Callable[[DrillDesigner], None], branches: list[BranchRow],
              plans: list[PlanOption]) -> None:
        if key in self.designers:
            return
        designer = DrillDesigner(self.drills, self.participants, self.msel, branches, plans, history=self.history,
                                 launch=self.launch, parent=self.window)
        designer.key = key
        designer.saved.connect(lambda drill_id, d=designer: self._saved(d, drill_id))
        designer.closed.connect(self._closed)
        if self.printing is not None:
            add_briefing_button(designer, self.printing)
        designer.series_requested.connect(lambda series_id, d=designer: self.edit_series(d, series_id))
        self.designers[key] = designer
        fill(designer)
        designer.show()
        designer.activateWindow()
        self.opened.emit(designer)

    def edit_series(self, designer: DrillDesigner, series_id: int) -> None:
        """The whole series of the drill a designer shows (its occurrences changed by hand stay)."""
        if self.series is not None:
            start = designer.design.content.start if designer.design is not None else None
            open_series(designer, self.series, self.drills.plan_options, series_id,
                        to_local(start if start is not None else self.drills.clock(), self.drills.scope.zone))

    def _saved(self, designer: DrillDesigner, drill_id: int) -> None:
        """A new drill once saved is that drill's window."""
        if designer.key != drill_id:
            self.designers.pop(designer.key, None)
            designer.key = drill_id
            self.designers[drill_id] = designer

    def _closed(self, key: object) -> None:
        designer = self.designers.pop(key, None)
        if designer is not None:
            designer.deleteLater()

    def close_all(self) -> bool:
        """Close every designer, each asking about its unsaved changes; False when one stays open."""
        for designer in list(self.designers.values()):
            designer.close()
            if designer.isVisible():
                return False
        return True
