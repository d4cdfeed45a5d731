"""Activating a plan for a real incident: a plan found by its code, title or scenario (or none: the generic
checklist), the response level the plan defines, the alarm time in the port's time (it may be earlier than
now), the location and the first description. OK opens the incident; the console follows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from drillapp.clock import from_local, to_local
from drillapp.i18n import _
from drillapp.labels import label, level_label
from drillapp.services.errors import ValidationError
from drillapp.services.incident_view import ActivatablePlan
from drillapp.services.incidents import IncidentService
from drillapp.ui.date_field import qt_datetime
from drillapp.ui.form_dialog import FormDialog
from drillapp.ui.operations import QueryOp

#: The marking in both languages whatever the desk's language: this is not an exercise.
REAL_MARK = "实战  REAL"


def plan_line(plan: ActivatablePlan) -> str:
    return f"{plan.code}  {plan.title_zh}  ·  {label(plan.scenario)}"


class ActivateIncidentDialog(FormDialog):
    """The activation form; `incident_id` holds the new incident's id once OK succeeded."""

    def __init__(self, incidents: IncidentService, zone: str, parent: QWidget | None = None) -> None:
        super().__init__(_("Activate a plan for a real incident"),
                         _("This opens a real incident (not a drill) with the port's number. Find the plan by "
                           "code, title or scenario, or choose the generic checklist when no plan fits."), parent)
        self.setObjectName("activateIncident")
        self.setMinimumWidth(640)
        self.band = QLabel(REAL_MARK + "  ·  " + _("Activate a plan for a real incident"), self)
        self.band.setObjectName("realBand")
        self.band.setStyleSheet("#realBand { background: #8e1b1b; color: #ffffff; font-weight: bold; "
                                "padding: 6px 12px; border-radius: 4px; }")
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, self.band)
        self.incidents, self.zone = incidents, zone
        self.incident_id: int | None = None
        self.plans: list[ActivatablePlan] = []
        self.search = QLineEdit(self)
        self.search.setObjectName("incidentPlanSearch")
        self.search.setPlaceholderText(_("Search plans: code, title or scenario (↓ to the list)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.find_plans())
        self.search.installEventFilter(self)
        self.plan_list = QListWidget(self)
        self.plan_list.setObjectName("incidentPlans")
        self.plan_list.setMinimumHeight(170)
        self.plan_list.currentItemChanged.connect(lambda *_a: self._plan_chosen())
        self.level = QComboBox(self)
        self.level.setObjectName("incidentLevel")
        self.title = QLineEdit(self)
        self.title.setObjectName("incidentTitle")
        self.title.setPlaceholderText(_("e.g. Chemical leak from a truck in the cargo lane"))
        now = to_local(incidents.clock(), zone or None).replace(second=0, microsecond=0)
        self.alarm = QDateTimeEdit(qt_datetime(now), self)
        self.alarm.setObjectName("incidentAlarm")
        self.alarm.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.alarm.setToolTip(_("When the alarm was given, in the port's time (it may be earlier than now)"))
        self.location = QLineEdit(self)
        self.location.setObjectName("incidentLocation")
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("incidentDescription")
        self.description.setTabChangesFocus(True)
        self.description.setMaximumHeight(90)
        self.form.addRow(_("Find plan"), self.search)
        self.form.addRow(_("Plan"), self.plan_list)
        self.form.addRow(_("Response level"), self.level)
        self.form.addRow(_("Title"), self.title)
        self.form.addRow(_("Alarm time"), self.alarm)
        self.form.addRow(_("Location"), self.location)
        self.form.addRow(_("First description"), self.description)
        self.buttons.button(self.buttons.StandardButton.Ok).setText(_("Activate"))
        self.ask_before_closing(_("Close without activating? What you typed is lost."))
        self.find_plans()
        self.search.setFocus()

    # -- the plan picker ----------------------------------------------------------------------------
    def find_plans(self) -> None:
        incidents, words = self.incidents, self.search.text()
        QueryOp(self, lambda: incidents.activatable_plans(words)).success(self._show_plans).run()

    def _show_plans(self, plans: list[ActivatablePlan]) -> None:
        self.plans = plans
        self.plan_list.clear()
        for plan in plans:
            item = QListWidgetItem(plan_line(plan))
            item.setData(Qt.ItemDataRole.UserRole, plan.plan_id)
            item.setToolTip(f"{plan.title_en} · " + _("version {n}").format(n=plan.version))
            self.plan_list.addItem(item)
        generic = QListWidgetItem(_("No plan — generic checklist (alert, call out the team, initial report)"))
        generic.setData(Qt.ItemDataRole.UserRole, None)
        self.plan_list.addItem(generic)
        self.plan_list.setCurrentRow(0)

    def chosen_plan(self) -> ActivatablePlan | None:
        item = self.plan_list.currentItem()
        plan_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return next((p for p in self.plans if p.plan_id == plan_id), None)

    def _plan_chosen(self) -> None:
        plan = self.chosen_plan()
        previous = self.level.currentData()
        self.level.clear()
        if plan is None:
            self.level.addItem(_("No level"), None)
            levels = [(n, "") for n in (1, 2, 3, 4)]
        else:
            levels = list(plan.levels)
        for number, name in levels:
            self.level.addItem(f"{level_label(number)} · {name}" if name else level_label(number), number)
        index = self.level.findData(previous) if previous is not None else -1
        # the least severe level the plan defines, unless the one chosen before is defined too
        self.level.setCurrentIndex(index if index >= 0 else (self.level.count() - 1 if plan is not None else 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Up / Down in the search box move through the plans, so the keyboard stays in the search."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step is not None and self.plan_list.count():
                row = min(max(self.plan_list.currentRow() + step, 0), self.plan_list.count() - 1)
                self.plan_list.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)

    # -- OK -----------------------------------------------------------------------------------------
    def alarm_at(self) -> datetime:
        """The alarm typed in the port's time, as naive UTC (what the service keeps)."""
        local = cast(datetime, self.alarm.dateTime().toPython()).replace(second=0, microsecond=0)
        return from_local(local, self.zone or None)

    def operation(self) -> Callable[[], Any]:
        title = self.title.text().strip()
        if not title:
            self.title.setFocus()
            raise ValidationError(_("Give the incident a title (what is happening, in a few words)."), "title")
        if self.plan_list.currentItem() is None:
            raise ValidationError(_("Choose a plan, or the generic checklist."), "plan")
        plan = self.chosen_plan()
        plan_id = plan.plan_id if plan is not None else None
        level, alarm = self.level.currentData(), self.alarm_at()
        location, description = self.location.text().strip(), self.description.toPlainText().strip()
        incidents = self.incidents
        return lambda: incidents.open_incident(None, title, plan_id=plan_id, level=level, alarm_at=alarm,
                                               location=location, description=description)

    def on_result(self, result: Any) -> None:
        self.incident_id = int(result)

    def typed(self) -> bool:
        """Esc asks first when something was typed (an alarm is no time to lose it)."""
        return bool(self.title.text().strip() or self.location.text().strip()
                    or self.description.toPlainText().strip())
