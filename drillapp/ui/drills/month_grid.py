"""A painted grid of days (a month: six weeks; a week: one) with the drills of each day as coloured chips.

Blocked days are shaded and named, cancelled drills struck through. A chip dragged onto another day asks to
move that drill (one occurrence); arrows move the selected day, Enter opens, Ctrl+N makes a new drill on the
selected day, Delete cancels the selected drill.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QPoint, QRect, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.services.drills import DrillRow
from drillapp.ui.drills import colours

HEADER = 22  # the weekday names
DAY_HEAD = 18  # the day number (and a blocked period's name)
CHIP = 18

def weekday_names() -> tuple[str, ...]:
    return (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))


class MonthGrid(QWidget):
    open_drill = Signal(int)
    new_drill = Signal(object)  # date
    move_requested = Signal(object, object)  # DrillRow, date
    cancel_requested = Signal(object)  # DrillRow
    day_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drillMonthGrid")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(560, 300)
        self.first = date.today()
        self.weeks = 6
        self.month: int | None = None  # the month shown (days of others are greyed); None in the week view
        self.today = date.today()
        self.drills: dict[date, list[DrillRow]] = {}
        self.blocked: dict[date, str] = {}
        self.holidays: dict[date, str] = {}
        self.selected_day = self.first
        self.selected_drill: int | None = None
        self._pressed: DrillRow | None = None

    # -- content -----------------------------------------------------------------------------------
    def show_days(self, first: date, weeks: int, month: int | None, drills: list[DrillRow],
                  blocked: dict[date, str], holidays: dict[date, str], today: date) -> None:
        self.first, self.weeks, self.month, self.today = first, weeks, month, today
        self.blocked, self.holidays = blocked, holidays
        self.drills = {}
        for d in drills:
            self.drills.setdefault(to_local(d.start).date(), []).append(d)
        if not first <= self.selected_day <= self.last:
            self.selected_day = today if first <= today <= self.last else first + timedelta(days=7 if weeks > 1 else 0)
        self.update()

    @property
    def last(self) -> date:
        return self.first + timedelta(days=7 * self.weeks - 1)

    def drill(self, drill_id: int | None) -> DrillRow | None:
        return next((d for ds in self.drills.values() for d in ds if d.id == drill_id), None)

    # -- geometry ----------------------------------------------------------------------------------
    def _cell_size(self) -> tuple[float, float]:
        return self.width() / 7, (self.height() - HEADER) / self.weeks

    def day_rect(self, day: date) -> QRect:
        i = (day - self.first).days
        w, h = self._cell_size()
        col, row = i % 7, i // 7
        return QRect(int(col * w), int(HEADER + row * h), int(w), int(h))

    def day_at(self, pos: QPoint) -> date | None:
        w, h = self._cell_size()
        if pos.y() < HEADER:
            return None
        col, row = int(pos.x() // w), int((pos.y() - HEADER) // h)
        if not (0 <= col < 7 and 0 <= row < self.weeks):
            return None
        return self.first + timedelta(days=row * 7 + col)

    def chip_rect(self, day: date, index: int) -> QRect:
        cell = self.day_rect(day)
        return QRect(cell.x() + 3, cell.y() + DAY_HEAD + index * (CHIP + 2), cell.width() - 6, CHIP)

    def chip_at(self, pos: QPoint) -> DrillRow | None:
        day = self.day_at(pos)
        if day is None:
            return None
        for i, d in enumerate(self.drills.get(day, [])):
            if self.chip_rect(day, i).contains(pos):
                return d
        return None

    def chip_centre(self, drill_id: int) -> QPoint:
        for day, ds in self.drills.items():
            for i, d in enumerate(ds):
                if d.id == drill_id:
                    return self.chip_rect(day, i).center()
        raise KeyError(drill_id)

    # -- painting ----------------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        pal = self.palette()
        p.fillRect(self.rect(), pal.base())
        w, _h = self._cell_size()
        for col, name in enumerate(weekday_names()):
            p.drawText(QRect(int(col * w), 0, int(w), HEADER), Qt.AlignmentFlag.AlignCenter, name)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.85))
        for i in range(7 * self.weeks):
            day = self.first + timedelta(days=i)
            cell = self.day_rect(day)
            if day in self.blocked:
                p.fillRect(cell, colours.BLOCKED)
            elif day in self.holidays:
                p.fillRect(cell, colours.HOLIDAY)
            if day == self.today:
                p.fillRect(cell.adjusted(1, 1, -1, -1), colours.TODAY)
            p.setPen(QPen(pal.mid().color()))
            p.drawRect(cell)
            if day == self.selected_day and self.hasFocus():
                p.setPen(QPen(colours.SELECTED, 2))
                p.drawRect(cell.adjusted(1, 1, -1, -1))
            other_month = self.month is not None and day.month != self.month
            p.setPen(pal.placeholderText().color() if other_month else pal.text().color())
            p.setFont(self.font())
            head = QRect(cell.x() + 4, cell.y(), cell.width() - 8, DAY_HEAD)
            p.drawText(head, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(day.day))
            note = self.blocked.get(day) or self.holidays.get(day)
            if note:
                p.setFont(small)
                p.setPen(pal.placeholderText().color())
                text = p.fontMetrics().elidedText(note, Qt.TextElideMode.ElideRight, head.width() - 24)
                p.drawText(head, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
            p.setFont(small)
            for n, d in enumerate(self.drills.get(day, [])):
                r = self.chip_rect(day, n)
                if r.bottom() > cell.bottom():
                    break
                p.fillRect(r, colours.KIND_COLOURS[d.kind].lighter(170 if d.cancelled else 100))
                if d.id == self.selected_drill:
                    p.setPen(QPen(colours.SELECTED, 2))
                    p.drawRect(r)
                f = QFont(small)
                f.setStrikeOut(d.cancelled)
                p.setFont(f)
                p.setPen(Qt.GlobalColor.white)
                text = f"{to_local(d.start):%H:%M} {d.title}"
                p.drawText(r.adjusted(3, 0, -2, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                           p.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, r.width() - 5))
        p.end()

    # -- mouse and keys ----------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position().toPoint()
        day = self.day_at(pos)
        if day is None:
            return
        self.setFocus()
        self.selected_day = day
        chip = self.chip_at(pos)
        self.selected_drill = chip.id if chip else None
        self._pressed = chip if event.button() == Qt.MouseButton.LeftButton else None
        self.day_selected.emit(day)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pressed, self._pressed = self._pressed, None
        if pressed is None:
            return
        day = self.day_at(event.position().toPoint())
        if day is not None and day != to_local(pressed.start).date():
            self.move_requested.emit(pressed, day)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position().toPoint()
        chip = self.chip_at(pos)
        if chip is not None:
            self.open_drill.emit(chip.id)
        elif (day := self.day_at(pos)) is not None:
            self.new_drill.emit(day)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = Qt.Key(event.key())
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7}
        if key in steps:
            day = self.selected_day + timedelta(days=steps[key])
            self.selected_day = day
            ds = self.drills.get(day, [])
            self.selected_drill = ds[0].id if ds else None
            self.day_selected.emit(day)
            self.update()
            return
        chosen = self.drill(self.selected_drill)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if chosen is not None:
                self.open_drill.emit(chosen.id)
            else:
                self.new_drill.emit(self.selected_day)
            return
        if key == Qt.Key.Key_Delete and chosen is not None:
            self.cancel_requested.emit(chosen)
            return
        if key == Qt.Key.Key_N and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.new_drill.emit(self.selected_day)
            return
        super().keyPressEvent(event)
