"""The Drills area's calendar: month, week, agenda and year views of the port's drills, in the port's time,
with its holidays and blocked periods; drag a drill to move that one occurrence, Delete cancels with a
reason, double-click or Enter opens the designer, Ctrl+N makes a new drill. Filters by plan and kind."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.clock import from_local, to_local
from drillapp.i18n import N_, _
from drillapp.labels import label, level_label
from drillapp.models.enums import DrillKind
from drillapp.services.drill_calendar import DrillCalendarService
from drillapp.services.drill_series import SeriesService
from drillapp.services.drills import DrillRow, DrillService
from drillapp.services.port_calendar import PortCalendarService
from drillapp.ui.drills import colours, printing
from drillapp.ui.drills.month_grid import MonthGrid
from drillapp.ui.drills.series_dialog import open_series
from drillapp.ui.drills.year_grid import YearGrid, month_name
from drillapp.ui.operations import QueryOp, Watch, WriteOp

VIEWS = (("month", N_("Month")), ("week", N_("Week")), ("agenda", N_("Agenda")), ("year", N_("Year")))
AGENDA_DAYS = 92


def ask_reason(parent: QWidget, title: str, text: str) -> str | None:
    """A reason typed by the user, or None when they cancel (tests replace QInputDialog.getText)."""
    reason, ok = QInputDialog.getText(parent, title, text)
    return reason if ok else None


class CalendarPage(QWidget):
    open_drill = Signal(int)
    new_drill = Signal(object)  # the day (a date)

    def __init__(self, drills: DrillService, port_calendar: PortCalendarService, parent: QWidget | None = None,
                 series: SeriesService | None = None, printing: DrillCalendarService | None = None):
        super().__init__(parent)
        self.setObjectName("drillCalendar")
        self.series, self.printing = series, printing
        self.drills_service, self.port_calendar = drills, port_calendar
        self.anchor = drills.today()
        self.rows: list[DrillRow] = []
        self.watch = Watch(self, self.refresh)
        self._loaded = False

        self.view = QComboBox(self)
        self.view.setObjectName("calendarView")
        for key, text in VIEWS:
            self.view.addItem(_(text), key)
        self.view.currentIndexChanged.connect(lambda _i: self.refresh())
        self.prev_button = QPushButton("◀", self)
        self.prev_button.setToolTip(_("Earlier (Page Up)"))
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.today_button = QPushButton(_("Today"), self)
        self.today_button.clicked.connect(self.go_today)
        self.next_button = QPushButton("▶", self)
        self.next_button.setToolTip(_("Later (Page Down)"))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.title = QLabel(self)
        self.title.setObjectName("calendarTitle")
        bold = QFont(self.title.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.2)
        self.title.setFont(bold)
        self.plan_filter = QComboBox(self)
        self.plan_filter.setObjectName("planFilter")
        self.plan_filter.addItem(_("All plans"), None)
        self.plan_filter.currentIndexChanged.connect(lambda _i: self._show())
        self.kind_filter = QComboBox(self)
        self.kind_filter.setObjectName("kindFilter")
        self.kind_filter.addItem(_("All kinds"), None)
        for kind in DrillKind:
            self.kind_filter.addItem(label(kind), kind)
        self.kind_filter.currentIndexChanged.connect(lambda _i: self._show())
        self.new_button = QPushButton(_("New drill… (Ctrl+N)"), self)
        self.new_button.setObjectName("newDrill")
        self.new_button.clicked.connect(self._new_on_selected_day)

        self.new_series_button = QPushButton(_("New series…"), self)
        self.new_series_button.setObjectName("newSeries")
        self.new_series_button.setToolTip(_("A drill repeated by a rule (e.g. monthly), each occurrence its own drill"))
        self.new_series_button.clicked.connect(lambda: self.edit_series(None))
        self.edit_series_button = QPushButton(_("Edit series…"), self)
        self.edit_series_button.setObjectName("editSeries")
        self.edit_series_button.setToolTip(_("Change the whole series of the selected drill; occurrences changed by "
                                             "hand stay as they are"))
        self.edit_series_button.clicked.connect(self._edit_selected_series)
        for b in (self.new_series_button, self.edit_series_button):
            b.setVisible(series is not None)
        self.print_button = QPushButton(_("Print programme… (Ctrl+P)"), self)
        self.print_button.setObjectName("printProgramme")
        self.print_button.setToolTip(_("The shown year's programme as a PDF (A4 landscape)"))
        self.print_button.clicked.connect(self.print_programme)
        self.ics_button = QPushButton(_("Export .ics…"), self)
        self.ics_button.setObjectName("exportIcs")
        self.ics_button.setToolTip(_("The shown year's drills as an iCalendar file for Outlook or Thunderbird; "
                                     "exporting again updates the same events"))
        self.ics_button.clicked.connect(self.export_ics)
        for b in (self.print_button, self.ics_button):
            b.setVisible(printing is not None)
        bar = QHBoxLayout()
        for w in (self.view, self.prev_button, self.today_button, self.next_button):
            bar.addWidget(w)
        bar.addWidget(self.title, 1)
        for w in (self.plan_filter, self.kind_filter, self.new_button, self.new_series_button,
                  self.edit_series_button, self.print_button, self.ics_button):
            bar.addWidget(w)

        self.grid = MonthGrid(self)
        self.grid.open_drill.connect(self.open_drill)
        self.grid.new_drill.connect(self.new_drill)
        self.grid.move_requested.connect(self.move_drill)
        self.grid.cancel_requested.connect(self.cancel)
        self.year = YearGrid(self)
        self.year.month_chosen.connect(self._open_month)
        self.agenda = QTreeWidget(self)
        self.agenda.setObjectName("drillAgenda")
        self.agenda.setHeaderLabels([_("Day"), _("Time"), _("Drill"), _("Kind"), _("Plan"), _("Level"),
                                     _("Status"), _("Location")])
        self.agenda.setRootIsDecorated(False)
        self.agenda.itemActivated.connect(lambda item, _c: self.open_drill.emit(item.data(0, Qt.ItemDataRole.UserRole)))
        self.empty = QLabel(_("No drills in these days. Double-click a day or press Ctrl+N to plan one."), self)
        self.empty.setProperty("muted", True)
        self.stack = QStackedWidget(self)
        for view in (self.grid, self.agenda, self.year):
            self.stack.addWidget(view)
        self.legend = QLabel(self)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.legend)
        QShortcut(QKeySequence(Qt.Key.Key_PageUp), self, lambda: self.step(-1))
        QShortcut(QKeySequence(Qt.Key.Key_PageDown), self, lambda: self.step(1))
        printing_keys = QShortcut(QKeySequence.StandardKey.Print, self, self.print_programme)
        printing_keys.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new = QShortcut(QKeySequence("Ctrl+N"), self, self._new_on_selected_day)
        new.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._legend()

    def _new_on_selected_day(self) -> None:
        self.new_drill.emit(self.grid.selected_day)

    def _legend(self) -> None:
        parts = [f'<span style="color:{colours.KIND_COLOURS[k].name()}">■</span> {label(k)}' for k in DrillKind]
        parts.append(f'<span style="color:{colours.BLOCKED.darker(130).name()}">■</span> {_("Blocked period")}')
        parts.append(f'<span style="color:{colours.HOLIDAY.darker(130).name()}">■</span> {_("Public holiday")}')
        self.legend.setText("&nbsp;&nbsp;".join(parts))

    # -- the days shown ------------------------------------------------------------------------------
    def mode(self) -> str:
        return str(self.view.currentData())

    def set_mode(self, key: str) -> None:
        self.view.setCurrentIndex([k for k, _t in VIEWS].index(key))

    def span(self) -> tuple[date, date]:
        a = self.anchor
        mode = self.mode()
        if mode == "month":
            first = date(a.year, a.month, 1)
            first -= timedelta(days=first.weekday())
            return first, first + timedelta(days=41)
        if mode == "week":
            first = a - timedelta(days=a.weekday())
            return first, first + timedelta(days=6)
        if mode == "year":
            return date(a.year, 1, 1), date(a.year, 12, 31)
        return a, a + timedelta(days=AGENDA_DAYS - 1)

    def step(self, direction: int) -> None:
        a, mode = self.anchor, self.mode()
        if mode == "month":
            month = a.month - 1 + direction
            self.anchor = date(a.year + month // 12, month % 12 + 1, 1)
        elif mode == "week":
            self.anchor = a + timedelta(days=7 * direction)
        elif mode == "year":
            self.anchor = date(a.year + direction, 1, 1)
        else:
            self.anchor = a + timedelta(days=AGENDA_DAYS * direction)
        self.refresh()

    def go_today(self) -> None:
        self.anchor = self.drills_service.today()
        self.refresh()

    def go_to(self, day: date, mode: str | None = None) -> None:
        self.anchor = day
        if mode is not None and mode != self.mode():
            self.set_mode(mode)  # refreshes
        else:
            self.refresh()

    def _open_month(self, day: date) -> None:
        self.go_to(day, "month")

    def activate(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        first, last = self.span()
        drills, cal = self.drills_service, self.port_calendar

        def read() -> tuple[list[DrillRow], object, date]:
            return drills.drills_between(first, last), cal.days(first, last), drills.today()

        QueryOp(self, read, watch=self.watch).success(lambda r: self._loaded_rows(first, *r)).run()

    def _loaded_rows(self, first: date, rows: list[DrillRow], days, today: date) -> None:  # noqa: ANN001
        self._loaded = True
        self.rows, self.days, self.today = rows, days, today
        plans = sorted({(r.plan_code, r.plan_id) for r in rows if r.plan_id is not None})
        chosen = self.plan_filter.currentData()
        self.plan_filter.blockSignals(True)
        self.plan_filter.clear()
        self.plan_filter.addItem(_("All plans"), None)
        for code, plan_id in plans:
            self.plan_filter.addItem(code, plan_id)
        if chosen is not None and (i := self.plan_filter.findData(chosen)) >= 0:
            self.plan_filter.setCurrentIndex(i)
        self.plan_filter.blockSignals(False)
        self._show()

    def shown_rows(self) -> list[DrillRow]:
        plan, kind = self.plan_filter.currentData(), self.kind_filter.currentData()
        return [r for r in self.rows if (plan is None or r.plan_id == plan) and (kind is None or r.kind is kind)]

    def _show(self) -> None:
        if not self._loaded:
            return
        first, last = self.span()
        rows = self.shown_rows()
        blocked: dict[date, str] = {}
        holidays: dict[date, str] = {}
        for e in self.days.entries:
            for d in e.days:
                (blocked if e.kind.value == "blocked" else holidays).setdefault(d, e.name)
        mode, a = self.mode(), self.anchor
        if mode in ("month", "week"):
            self.stack.setCurrentWidget(self.grid)
            self.grid.show_days(first, 6 if mode == "month" else 1, a.month if mode == "month" else None, rows,
                                blocked, holidays, self.today)
            self.title.setText(f"{month_name(a.month)} {a.year}" if mode == "month" else
                               _("Week of {first} – {last}").format(first=first.isoformat(), last=last.isoformat()))
        elif mode == "year":
            self.stack.setCurrentWidget(self.year)
            self.year.show_year(a.year, rows, blocked, holidays, self.today)
            self.title.setText(str(a.year))
        else:
            self.stack.setCurrentWidget(self.agenda)
            self._fill_agenda(rows)
            self.title.setText(_("{first} – {last}").format(first=first.isoformat(), last=last.isoformat()))
        self.empty.setVisible(not rows and mode != "year")

    def _fill_agenda(self, rows: list[DrillRow]) -> None:
        self.agenda.clear()
        for r in rows:
            local = to_local(r.start)
            item = QTreeWidgetItem([local.date().isoformat(), f"{local:%H:%M}", r.title, label(r.kind), r.plan_code,
                                    level_label(r.level) if r.level else "", label(r.status), r.location])
            item.setData(0, Qt.ItemDataRole.UserRole, r.id)
            item.setForeground(3, QBrush(colours.KIND_COLOURS[r.kind]))
            if r.cancelled:
                font = item.font(2)
                font.setStrikeOut(True)
                item.setFont(2, font)
            self.agenda.addTopLevelItem(item)
        for c in range(self.agenda.columnCount()):
            self.agenda.resizeColumnToContents(c)

    def selected_row(self) -> DrillRow | None:
        """The drill selected in the month/week grid or the agenda."""
        if self.stack.currentWidget() is self.agenda:
            item = self.agenda.currentItem()
            chosen = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
            return next((r for r in self.rows if r.id == chosen), None)
        return self.grid.drill(self.grid.selected_drill)

    def _edit_selected_series(self) -> None:
        row = self.selected_row()
        if row is None or row.series_id is None:
            QMessageBox.information(self, _("Edit series"), _("Select a drill of a series first (one shown with "
                                                              "its series), then press Edit series."))
            return
        self.edit_series(row.series_id, to_local(row.start))

    def edit_series(self, series_id: int | None, start: datetime | None = None) -> None:
        """A new series (None) from the selected day at 09:00, or the whole of an existing one."""
        if self.series is None:
            return
        first = start or datetime.combine(self.grid.selected_day, time(9, 0))
        open_series(self, self.series, self.drills_service.plan_options, series_id, first)

    def print_programme(self) -> None:
        if self.printing is not None:
            printing.print_programme(self, self.printing, self.anchor.year)

    def export_ics(self) -> None:
        if self.printing is not None:
            year = self.anchor.year
            printing.export_ics(self, self.printing, date(year, 1, 1), date(year, 12, 31))

    # -- writes ---------------------------------------------------------------------------------------
    def move_drill(self, row: DrillRow, day: date) -> None:
        """Move one occurrence to `day`, keeping its time of day (the rest of a series stays)."""
        if row.cancelled:
            QMessageBox.information(self, _("Move drill"), _("A cancelled drill cannot be moved."))
            return
        local = to_local(row.start)
        new_start = from_local(datetime.combine(day, local.time()))
        if row.series_id is not None:
            answer = QMessageBox.question(
                self, _("Move drill"), _("Move only this occurrence of the series to {day}? The other occurrences "
                                         "stay where they are.").format(day=day.isoformat()))
            if answer != QMessageBox.StandardButton.Yes:
                return
        service = self.drills_service
        WriteOp(self, lambda: service.move_drill(row.id, new_start, expected_version=row.row_version)) \
            .success(lambda _v: self.refresh()).run(initiator=self)

    def cancel(self, row: DrillRow) -> None:
        if row.cancelled:
            return
        reason = ask_reason(self, _("Cancel drill"), _("Cancel “{title}” on {day}? Say why:").format(
            title=row.title, day=to_local(row.start).date().isoformat()))
        if reason is None:
            return
        service = self.drills_service
        WriteOp(self, lambda: service.cancel_drill(row.id, reason, expected_version=row.row_version)).success(lambda _v: self.refresh()) \
            .run(initiator=self)
