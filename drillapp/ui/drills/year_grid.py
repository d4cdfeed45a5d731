"""The year at a glance: twelve small months, a day with a drill marked in the drill's kind colour (a
cancelled one hollow), blocked days shaded. A click on a day opens that month."""

from __future__ import annotations

import calendar
from datetime import date

from PySide6.QtCore import QRect, QRectF, Qt, Signal
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.services.drills import DrillRow
from drillapp.ui.drills import colours
from drillapp.ui.drills.month_grid import weekday_names

TITLE = 20


def month_name(month: int) -> str:
    return (_("January"), _("February"), _("March"), _("April"), _("May"), _("June"), _("July"), _("August"),
            _("September"), _("October"), _("November"), _("December"))[month - 1]


class YearGrid(QWidget):
    month_chosen = Signal(object)  # a date in the month

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drillYearGrid")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(600, 420)
        self.year = date.today().year
        self.today = date.today()
        self.drills: dict[date, list[DrillRow]] = {}
        self.blocked: dict[date, str] = {}
        self.holidays: dict[date, str] = {}

    def show_year(self, year: int, drills: list[DrillRow], blocked: dict[date, str], holidays: dict[date, str],
                  today: date) -> None:
        self.year, self.blocked, self.holidays, self.today = year, blocked, holidays, today
        self.drills = {}
        for d in drills:
            self.drills.setdefault(to_local(d.start).date(), []).append(d)
        self.update()

    def _month_rect(self, month: int) -> QRectF:
        w, h = self.width() / 4, self.height() / 3
        i = month - 1
        return QRectF((i % 4) * w, (i // 4) * h, w, h)

    def _day_rect(self, day: date) -> QRectF:
        m = self._month_rect(day.month)
        first_col = date(day.year, day.month, 1).weekday()
        i = first_col + day.day - 1
        cw, ch = (m.width() - 12) / 7, (m.height() - TITLE * 2 - 6) / 6
        return QRectF(m.x() + 6 + (i % 7) * cw, m.y() + TITLE * 2 + (i // 7) * ch, cw, ch)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        pal = self.palette()
        p.fillRect(self.rect(), pal.base())
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        names = weekday_names()
        for month in range(1, 13):
            m = self._month_rect(month)
            p.setPen(pal.text().color())
            bold = p.font()
            bold.setBold(True)
            p.setFont(bold)
            p.drawText(QRectF(m.x(), m.y() + 2, m.width(), TITLE), Qt.AlignmentFlag.AlignCenter,
                       f"{month_name(month)} {self.year}")
            normal = p.font()
            normal.setBold(False)
            p.setFont(normal)
            cw = (m.width() - 12) / 7
            p.setPen(pal.placeholderText().color())
            for col, name in enumerate(names):
                p.drawText(QRectF(m.x() + 6 + col * cw, m.y() + TITLE, cw, TITLE), Qt.AlignmentFlag.AlignCenter,
                           name[:2] if len(name) > 2 else name)
            for day_no in range(1, calendar.monthrange(self.year, month)[1] + 1):
                day = date(self.year, month, day_no)
                r = self._day_rect(day)
                if day in self.blocked:
                    p.fillRect(r, colours.BLOCKED)
                elif day in self.holidays:
                    p.fillRect(r, colours.HOLIDAY)
                ds = self.drills.get(day, [])
                if ds:
                    d = ds[0]
                    colour = colours.KIND_COLOURS[d.kind]
                    size = min(r.width(), r.height()) - 2
                    dot = QRectF(r.center().x() - size / 2, r.center().y() - size / 2, size, size)
                    if all(x.cancelled for x in ds):
                        p.setPen(QPen(colour, 1.5))
                        p.setBrush(Qt.BrushStyle.NoBrush)
                    else:
                        p.setPen(Qt.PenStyle.NoPen)
                        p.setBrush(colour)
                    p.drawEllipse(dot)
                    p.setBrush(Qt.BrushStyle.NoBrush)
                    p.setPen(Qt.GlobalColor.white if not all(x.cancelled for x in ds) else pal.text().color())
                else:
                    p.setPen(pal.text().color())
                if day == self.today:
                    p.setPen(QPen(colours.SELECTED, 1.5))
                    p.drawRect(r.adjusted(1, 1, -1, -1))
                p.drawText(r, Qt.AlignmentFlag.AlignCenter, str(day_no))
        p.end()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        for month in range(1, 13):
            if self._month_rect(month).contains(pos):
                self.month_chosen.emit(date(self.year, month, 1))
                return

    def month_point(self, month: int) -> QRect:
        return self._month_rect(month).toRect()
