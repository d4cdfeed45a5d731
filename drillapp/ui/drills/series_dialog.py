"""A drill series made or changed whole: its template (title, kind, plan and level, first start in the port's
time, duration, location) and its RFC 5545 repeat rule. "Check dates" lists the occurrences the rule makes; each
one falling in a blocked period of the port calendar gets a choice — skip it, or move it to another time —
and the series is saved with those decisions in one operation. Changing a series changes only the occurrences
still following it and to come: those moved, cancelled or edited by hand stay as they are (the service sees
to that). Esc asks before dropping changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, cast

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import N_, _
from drillapp.labels import label, level_label
from drillapp.models.enums import DrillKind, DrillScope
from drillapp.services.drill_design import PlanOption
from drillapp.services.drill_series import Decision, SeriesInfo, SeriesPreview, SeriesService, SeriesSpec
from drillapp.services.errors import ConflictError, DomainError
from drillapp.ui.date_field import qt_datetime
from drillapp.ui.drills.month_grid import weekday_names
from drillapp.ui.errors import show_error
from drillapp.ui.operations import QueryOp, WriteOp

#: rules offered ready-made (the field takes any RFC 5545 rule)
PRESETS = ((N_("Monthly, 12 times"), "FREQ=MONTHLY;COUNT=12"),
           (N_("Every 3 months, 4 times"), "FREQ=MONTHLY;INTERVAL=3;COUNT=4"),
           (N_("Second Tuesday of each month, 12 times"), "FREQ=MONTHLY;BYDAY=2TU;COUNT=12"),
           (N_("Weekly, 10 times"), "FREQ=WEEKLY;COUNT=10"))
SKIP, MOVE = "skip", "move"


def _local(edit: QDateTimeEdit) -> datetime:
    return cast(datetime, edit.dateTime().toPython()).replace(second=0, microsecond=0)


class SeriesDialog(QDialog):
    """A new series (info None) or the whole of an existing one; `saved` holds what the service returned."""

    def __init__(self, series: SeriesService, plans: list[PlanOption], first_start: datetime,
                 info: SeriesInfo | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seriesDialog")
        self.series, self.plans, self.info = series, plans, info
        self.preview: SeriesPreview | None = None
        self.previewed: SeriesSpec | None = None
        self.saved: Any = None
        self.setWindowTitle(_("New drill series") if info is None else _("Change the whole series"))
        self.setMinimumWidth(720)
        spec = info.spec if info is not None else None
        self.title = QLineEdit(spec.title if spec else "", self)
        self.title.setObjectName("seriesTitle")
        self.kind = QComboBox(self)
        self.kind.setObjectName("seriesKind")
        for kind in DrillKind:
            self.kind.addItem(label(kind), kind)
        self.plan = QComboBox(self)
        self.plan.setObjectName("seriesPlan")
        self.plan.addItem(_("(no plan)"), None)
        for p in plans:
            self.plan.addItem(f"{p.code}  {p.title}", p.id)
        self.level = QComboBox(self)
        self.level.setObjectName("seriesLevel")
        self.plan.currentIndexChanged.connect(lambda _i: self._levels())
        self.start = QDateTimeEdit(qt_datetime(spec.dtstart_local if spec else first_start), self)
        self.start.setObjectName("seriesStart")
        self.start.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.start.setCalendarPopup(True)
        self.duration = QSpinBox(self)
        self.duration.setObjectName("seriesDuration")
        self.duration.setRange(5, 24 * 60)
        self.duration.setSuffix(_(" min"))
        self.duration.setValue(spec.duration_minutes if spec else 60)
        self.location = QLineEdit(spec.location if spec else "", self)
        self.location.setObjectName("seriesLocation")
        self.rule = QLineEdit(spec.rrule if spec else PRESETS[0][1], self)
        self.rule.setObjectName("seriesRule")
        self.rule.setToolTip(_("An RFC 5545 repeat rule with an end, e.g. FREQ=MONTHLY;BYDAY=2TU;COUNT=12"))
        self.preset = QComboBox(self)
        self.preset.setObjectName("seriesPreset")
        self.preset.addItem(_("Ready-made rules…"), None)
        for text, rule in PRESETS:
            self.preset.addItem(_(text), rule)
        self.preset.activated.connect(self._preset)
        if spec is not None:
            self.kind.setCurrentIndex(self.kind.findData(spec.kind))
            self.plan.setCurrentIndex(max(0, self.plan.findData(spec.plan_id)))
        self._levels(spec.level if spec else None)
        form = QFormLayout()
        form.addRow(_("&Title"), self.title)
        form.addRow(_("&Kind"), self.kind)
        plan_row = QHBoxLayout()
        plan_row.addWidget(self.plan, 3)
        plan_row.addWidget(self.level, 1)
        form.addRow(_("&Plan and level"), plan_row)
        form.addRow(_("&First start (port time)"), self.start)
        form.addRow(_("&Duration"), self.duration)
        form.addRow(_("&Location"), self.location)
        rule_row = QHBoxLayout()
        rule_row.addWidget(self.rule, 2)
        rule_row.addWidget(self.preset, 1)
        form.addRow(_("&Repeat rule"), rule_row)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        if info is not None:
            hand = sum(1 for o in info.occurrences if o.detached)
            self.note.setText(_("Saving changes the occurrences that still follow the series and are to come. "
                                "{n} occurrence(s) moved, cancelled or edited by hand stay as they are.").format(n=hand))
        self.check_button = QPushButton(_("Check dates (F5)"), self)
        self.check_button.setObjectName("checkSeries")
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, lambda: self.check())
        self.check_button.setAutoDefault(False)
        self.check_button.clicked.connect(lambda: self.check())
        self.summary = QLabel(_("Press Check dates to see the occurrences the rule makes."), self)
        self.summary.setObjectName("seriesSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("seriesOccurrences")
        self.table.setHorizontalHeaderLabels([_("Occurrence"), _("Blocked period"), _("Choice"), _("Move to")])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.error = QLabel(self)
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("Create series") if info is None else _("Save series"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_button)
        check_row.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addLayout(check_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.initial = self._spec_or_none()

    # -- the form -----------------------------------------------------------------------------------
    def _levels(self, chosen: int | None = None) -> None:
        chosen = chosen if chosen is not None else self.level.currentData()
        plan = next((p for p in self.plans if p.id == self.plan.currentData()), None)
        self.level.clear()
        self.level.addItem(level_label(None), None)
        for n in plan.levels if plan is not None and plan.levels else (1, 2, 3, 4):
            self.level.addItem(level_label(n), n)
        self.level.setCurrentIndex(max(0, self.level.findData(chosen)))

    def _preset(self, index: int) -> None:
        rule = self.preset.itemData(index)
        if rule:
            self.rule.setText(rule)
        self.preset.setCurrentIndex(0)

    def spec(self) -> SeriesSpec:
        old = self.info.spec if self.info is not None else None
        return SeriesSpec(title=self.title.text(), kind=self.kind.currentData(), rrule=self.rule.text(),
                          dtstart_local=_local(self.start), duration_minutes=self.duration.value(),
                          scope=old.scope if old else DrillScope.SINGLE, plan_id=self.plan.currentData(),
                          level=self.level.currentData(), location=self.location.text(),
                          scenario_text=old.scenario_text if old else "", safety_notes=old.safety_notes if old else "",
                          owner_id=old.owner_id if old else None)

    def _spec_or_none(self) -> SeriesSpec | None:
        try:
            return self.spec()
        except (TypeError, ValueError):
            return None

    @property
    def dirty(self) -> bool:
        return self._spec_or_none() != self.initial

    # -- the occurrences ----------------------------------------------------------------------------
    def check(self, then: Callable[[], object] | None = None) -> None:
        self.error.setText("")
        spec, series = self.spec(), self.series

        def shown(preview: SeriesPreview) -> None:
            self.show_preview(spec, preview)
            if then is not None:
                then()

        QueryOp(self, lambda: series.preview(spec)).success(shown).failure(self._failed).run()

    def show_preview(self, spec: SeriesSpec, preview: SeriesPreview) -> None:
        old = self.decisions()  # the choices made on the list shown before, kept where the dates are the same
        self.preview, self.previewed = preview, spec
        self.table.setRowCount(len(preview.occurrences))
        for row, o in enumerate(preview.occurrences):
            day = weekday_names()[o.local_start.weekday()]
            when = QTableWidgetItem(f"{o.local_start:%Y-%m-%d} {day} {o.local_start:%H:%M}")
            self.table.setItem(row, 0, when)
            period = o.blocked_by
            self.table.setItem(row, 1, QTableWidgetItem(
                _("{name} ({first} – {last})").format(name=period.name, first=period.starts_on.isoformat(),
                                                     last=period.ends_on.isoformat()) if period else ""))
            self.table.removeCellWidget(row, 2)
            self.table.removeCellWidget(row, 3)
            if period is None:
                continue
            choice = QComboBox(self.table)
            choice.setObjectName(f"choice{row}")
            choice.addItem(_("Skip it"), SKIP)
            choice.addItem(_("Move it"), MOVE)
            target = QDateTimeEdit(qt_datetime(datetime.combine(period.ends_on + timedelta(days=1),
                                                                o.local_start.time())), self.table)
            target.setObjectName(f"moveTo{row}")
            target.setDisplayFormat("yyyy-MM-dd HH:mm")
            target.setCalendarPopup(True)
            before = old.get(o.local_start)
            if before is not None and not before.skip and before.move_to is not None:
                choice.setCurrentIndex(1)
                target.setDateTime(qt_datetime(before.move_to))
            target.setEnabled(choice.currentData() == MOVE)
            choice.currentIndexChanged.connect(lambda _i, c=choice, t=target: t.setEnabled(c.currentData() == MOVE))
            self.table.setCellWidget(row, 2, choice)
            self.table.setCellWidget(row, 3, target)
        self.table.resizeColumnToContents(0)
        self.table.setColumnWidth(2, 120)
        self.table.setColumnWidth(3, 160)
        n, blocked = len(preview.occurrences), len(preview.conflicts)
        self.summary.setText(
            _("{n} occurrence(s); {k} fall in blocked periods: skip or move each.").format(n=n, k=blocked) if blocked
            else _("{n} occurrence(s), none in a blocked period.").format(n=n))

    def decisions(self) -> dict[datetime, Decision]:
        out: dict[datetime, Decision] = {}
        if self.preview is None:
            return out
        for row, o in enumerate(self.preview.occurrences):
            choice, target = self.table.cellWidget(row, 2), self.table.cellWidget(row, 3)
            if o.blocked_by is None or not isinstance(choice, QComboBox) or not isinstance(target, QDateTimeEdit):
                continue
            out[o.local_start] = Decision(skip=True) if choice.currentData() == SKIP else Decision(
                move_to=_local(target))
        return out

    def conflict_rows(self) -> list[int]:
        return [row for row, o in enumerate(self.preview.occurrences) if o.blocked_by is not None] \
            if self.preview is not None else []

    # -- saving -------------------------------------------------------------------------------------
    def submit(self) -> None:
        self.error.setText("")
        if self.preview is None or self.previewed != self.spec():
            self.check(then=self._checked_on_submit)  # the dates first: a blocked one needs a choice
            return
        self._submit_checked()

    def _checked_on_submit(self) -> None:
        if self.preview is not None and self.preview.conflicts:
            self.error.setText(_("Some occurrences fall in blocked periods: choose skip or move for each in the "
                                 "list, then save again."))
            return
        self._submit_checked()

    def _submit_checked(self) -> None:
        spec, decisions, series, info = self.previewed or self.spec(), self.decisions(), self.series, self.info
        if info is None:
            op: Callable[[], Any] = lambda: series.create_series(spec, decisions)  # noqa: E731
        else:
            op = lambda: series.update_series(info.id, info.row_version, spec, decisions)  # noqa: E731
        self.ok.setEnabled(False)
        WriteOp(self, op).success(self._saved).failure(self._failed).run(initiator=self)

    def _saved(self, result: Any) -> None:
        self.ok.setEnabled(True)
        self.saved = result
        self.initial = self._spec_or_none()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        if isinstance(exc, DomainError) and not isinstance(exc, ConflictError):
            self.error.setText(exc.message)
            return
        show_error(self, exc)

    def reject(self) -> None:
        if self.saved is None and self.dirty:
            answer = QMessageBox.question(self, _("Unsaved changes"), _("Drop the changes to this series?"),
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()


def open_series(parent: QWidget, series: SeriesService, plans: Callable[[], list[PlanOption]],
                series_id: int | None, first_start: datetime) -> None:
    """Read what the dialog needs off the GUI thread, then show it (modal)."""

    def read() -> tuple[list[PlanOption], SeriesInfo | None]:
        return plans(), series.series(series_id) if series_id is not None else None

    def show(result: tuple[list[PlanOption], SeriesInfo | None]) -> None:
        dialog = SeriesDialog(series, result[0], first_start, result[1], parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    QueryOp(parent, read).success(show).run()
