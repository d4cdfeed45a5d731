"""The drill designer's first tab: what the drill is (title, kind and scope, plan and level), where and when
(location, start in the port's time, duration), its status, the scenario narrative and the safety notes, and
the history of its date. Each change is offered as `edited({field: value}, description)`; the designer puts
it on its undo stack and shows the content back with `show_content`."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.clock import from_local, to_local
from drillapp.i18n import _
from drillapp.labels import label, level_label
from drillapp.models.enums import DrillKind, DrillScope, DrillStatus
from drillapp.services.drill_design import DesignContent, DrillDesign, PlanOption
from drillapp.services.drill_rules import MAX_DURATION
from drillapp.ui.date_field import qt_datetime

#: The statuses the designer itself sets; the others come from postponing, cancelling or running the drill.
DESIGNER_STATUSES = (DrillStatus.PLANNED, DrillStatus.READY)


class NoteEdit(QPlainTextEdit):
    """A multi-line text whose edit is taken when the focus leaves it (one undo step per visit)."""

    finished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self.finished.emit()


def _combo(parent: QWidget, name: str, items: list[tuple[Any, str]]) -> QComboBox:
    box = QComboBox(parent)
    box.setObjectName(name)
    for value, text in items:
        box.addItem(text, value)
    return box


def _choose(box: QComboBox, value: Any) -> None:
    i = box.findData(value)
    if i >= 0 and i != box.currentIndex():
        box.setCurrentIndex(i)


class DetailsTab(QWidget):
    edited = Signal(object, str)  # ({field: value}, description)

    def __init__(self, zone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone = zone
        self.content: DesignContent | None = None
        self.plans: list[PlanOption] = []
        self.title = QLineEdit(self)
        self.title.setObjectName("drillTitle")
        self.title.setPlaceholderText(_("What the drill is called on the calendar"))
        self.kind = _combo(self, "drillKind", [(k, label(k)) for k in DrillKind])
        self.scope = _combo(self, "drillScope", [(s, label(s)) for s in DrillScope])
        self.plan = _combo(self, "drillPlan", [(None, _("(no plan)"))])
        self.level = _combo(self, "drillLevel", [(None, level_label(None))])
        self.location = QLineEdit(self)
        self.location.setObjectName("drillLocation")
        self.start = QDateTimeEdit(self)
        self.start.setObjectName("drillStart")
        self.start.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.start.setCalendarPopup(True)
        self.zone_label = QLabel(_("port time ({zone})").format(zone=zone), self)
        self.zone_label.setProperty("muted", True)
        self.duration = QSpinBox(self)
        self.duration.setObjectName("drillDuration")
        self.duration.setRange(1, MAX_DURATION)
        self.duration.setSuffix(_(" min"))
        self.status = _combo(self, "drillStatus", [(s, label(s)) for s in DESIGNER_STATUSES])
        self.status_note = QLabel(self)
        self.status_note.setObjectName("statusNote")
        self.status_note.setWordWrap(True)
        self.scenario = NoteEdit(self)
        self.scenario.setObjectName("drillScenario")
        self.scenario.setPlaceholderText(_("The scenario as the players will meet it"))
        self.safety = NoteEdit(self)
        self.safety.setObjectName("drillSafety")
        self.safety.setPlaceholderText(_("Hazards, stop word, who may halt the drill"))
        self.history = QTreeWidget(self)
        self.history.setObjectName("drillHistory")
        self.history.setHeaderLabels([_("Change"), _("From"), _("To"), _("Reason"), _("By"), _("When")])
        self.history.setRootIsDecorated(False)
        self.history.setMaximumHeight(120)

        when = QHBoxLayout()
        when.addWidget(self.start)
        when.addWidget(self.zone_label)
        when.addSpacing(16)
        when.addWidget(QLabel(_("Duration"), self))
        when.addWidget(self.duration)
        when.addStretch(1)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind, 1)
        kind_row.addWidget(self.scope, 1)
        plan_row = QHBoxLayout()
        plan_row.addWidget(self.plan, 3)
        plan_row.addWidget(self.level, 1)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status)
        status_row.addWidget(self.status_note, 1)
        form = self.form = QFormLayout()
        for text, buddy, field in ((_("&Title"), self.title, None), (_("&Kind"), self.kind, kind_row),
                                   (_("&Plan and level"), self.plan, plan_row),
                                   (_("Lo&cation"), self.location, None), (_("&Start"), self.start, when),
                                   (_("Stat&us"), self.status, status_row), (_("Sce&nario"), self.scenario, None),
                                   (_("Sa&fety notes"), self.safety, None), (_("Date history"), self.history, None)):
            row_label = QLabel(text, self)
            row_label.setBuddy(buddy)  # Alt+letter reaches the field, also where the row holds several
            if field is None:
                form.addRow(row_label, buddy)
            else:
                form.addRow(row_label, field)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.title.editingFinished.connect(lambda: self._take("title", self.title.text(), _("Edit title")))
        self.location.editingFinished.connect(
            lambda: self._take("location", self.location.text(), _("Edit location")))
        self.kind.activated.connect(lambda _i: self._take("kind", self.kind.currentData(), _("Change kind")))
        self.scope.activated.connect(lambda _i: self._take("scope", self.scope.currentData(), _("Change scope")))
        self.plan.activated.connect(lambda _i: self._plan_chosen())
        self.level.activated.connect(lambda _i: self._take("level", self.level.currentData(), _("Change level")))
        self.status.activated.connect(lambda _i: self._take("status", self.status.currentData(), _("Change status")))
        self.start.editingFinished.connect(lambda: self._take("start", self.start_value(), _("Change start")))
        self.duration.editingFinished.connect(
            lambda: self._take("duration_minutes", self.duration.value(), _("Change duration")))
        self.scenario.finished.connect(
            lambda: self._take("scenario_text", self.scenario.toPlainText(), _("Edit scenario")))
        self.safety.finished.connect(
            lambda: self._take("safety_notes", self.safety.toPlainText(), _("Edit safety notes")))

    # -- showing ----------------------------------------------------------------------------------
    def set_plans(self, plans: list[PlanOption]) -> None:
        self.plans = plans
        self.plan.clear()
        self.plan.addItem(_("(no plan)"), None)
        for p in plans:
            self.plan.addItem(f"{p.code}  {p.title}", p.id)

    def plan_levels(self, plan_id: int | None) -> tuple[int, ...]:
        plan = next((p for p in self.plans if p.id == plan_id), None)
        return plan.levels if plan is not None and plan.levels else (1, 2, 3, 4)

    def show_content(self, content: DesignContent, design: DrillDesign | None, editable: bool) -> None:
        self.content = content
        if self.title.text() != content.title:
            self.title.setText(content.title)
        if self.location.text() != content.location:
            self.location.setText(content.location)
        _choose(self.kind, content.kind)
        _choose(self.scope, content.scope)
        if content.plan_id is not None and self.plan.findData(content.plan_id) < 0 and design is not None:
            self.plan.addItem(f"{design.plan_code}  {design.plan_title}", content.plan_id)  # retired since
        _choose(self.plan, content.plan_id)
        self.level.clear()
        self.level.addItem(level_label(None), None)
        for n in self.plan_levels(content.plan_id):
            self.level.addItem(level_label(n), n)
        _choose(self.level, content.level)
        local = to_local(content.start, self.zone)
        if self.start_value() != content.start:
            self.start.setDateTime(qt_datetime(local))
        if self.duration.value() != content.duration_minutes:
            self.duration.setValue(content.duration_minutes)
        if self.scenario.toPlainText() != content.scenario_text:
            self.scenario.setPlainText(content.scenario_text)
        if self.safety.toPlainText() != content.safety_notes:
            self.safety.setPlainText(content.safety_notes)
        settable = content.status in DESIGNER_STATUSES
        self.status.setVisible(settable)
        if settable:
            _choose(self.status, content.status)
        self.status_note.setText("" if settable else label(content.status))
        for line in (self.title, self.location):
            line.setReadOnly(not editable)
        for note in (self.scenario, self.safety):
            note.setReadOnly(not editable)
        for w in (self.kind, self.scope, self.plan, self.level, self.start, self.duration, self.status):
            w.setEnabled(editable)
        if design is not None:
            self._show_history(design)
        else:
            self.form.setRowVisible(self.history, False)

    def _show_history(self, design: DrillDesign) -> None:
        self.history.clear()

        def when(value: datetime | None) -> str:
            return f"{to_local(value, self.zone):%Y-%m-%d %H:%M}" if value is not None else ""

        for h in design.history:
            self.history.addTopLevelItem(QTreeWidgetItem([label(h.kind), when(h.old_start), when(h.new_start),
                                                          h.reason, h.changed_by, when(h.changed_at)]))
        self.form.setRowVisible(self.history, bool(design.history))
        for c in range(self.history.columnCount()):
            self.history.resizeColumnToContents(c)

    # -- editing ----------------------------------------------------------------------------------
    def start_value(self) -> datetime:
        local = cast(datetime, self.start.dateTime().toPython()).replace(second=0, microsecond=0)
        return from_local(local, self.zone)

    def _take(self, part: str, value: Any, text: str) -> None:
        if self.content is not None and getattr(self.content, part) != value:
            self.edited.emit({part: value}, text)

    def _plan_chosen(self) -> None:
        if self.content is None:
            return
        plan_id = self.plan.currentData()
        if plan_id == self.content.plan_id:
            return
        changes: dict[str, Any] = {"plan_id": plan_id}
        if self.content.level is not None and self.content.level not in self.plan_levels(plan_id):
            changes["level"] = None
        self.edited.emit(changes, _("Change plan"))

    def commit(self) -> None:
        """Take what is being typed (before saving: a field still being edited has not finished yet)."""
        self.title.editingFinished.emit()
        self.location.editingFinished.emit()
        self.start.editingFinished.emit()
        self.duration.editingFinished.emit()
        self.scenario.finished.emit()
        self.safety.finished.emit()


def focus_first(tab: DetailsTab) -> None:
    tab.title.setFocus(Qt.FocusReason.OtherFocusReason)
