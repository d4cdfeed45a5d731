"""The call-out trend: minutes to the required strength and to the full team, per ended test, oldest on
the left. Painted with QPainter (PySide6-Essentials has no QtCharts): axes with minute ticks and the tests'
dates, a line per measure, a cross at the top where a test never reached the required strength."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from drillapp.clock import to_local
from drillapp.i18n import _

REQUIRED_COLOUR = QColor("#1f6fb2")
FULL_COLOUR = QColor("#d9822b")
MISSED_COLOUR = QColor("#c62828")


@dataclass(frozen=True)
class TrendPoint:
    started_at: datetime
    minutes_to_required: float | None
    minutes_to_full_team: float | None


def nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 5 × 10^n) giving about `ticks` ticks up to `top`."""
    raw = max(top, 1.0) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


class TrendChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calloutTrend")
        self.points: list[TrendPoint] = []
        self.setMinimumSize(QSize(320, 200))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.painted = 0  # how many times it was painted (tests: it paints without error)

    def set_points(self, points: list[TrendPoint]) -> None:
        self.points = list(points)
        self.update()

    def series(self) -> dict[str, list[float | None]]:
        """The plotted values, per measure, oldest first."""
        return {"required": [p.minutes_to_required for p in self.points],
                "full": [p.minutes_to_full_team for p in self.points]}

    def y_top(self) -> float:
        values = [v for vs in self.series().values() for v in vs if v is not None]
        step = nice_step(max(values, default=10.0))
        return step * max(1, math.ceil(max(values, default=10.0) / step))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._paint(painter)
        finally:
            painter.end()
        self.painted += 1

    def _paint(self, p: QPainter) -> None:
        pal = self.palette()
        text = pal.color(pal.ColorRole.WindowText)
        fm = QFontMetrics(self.font())
        p.fillRect(self.rect(), pal.color(pal.ColorRole.Base))
        title = _("Minutes to the required strength and to the full team")
        p.setPen(text)
        p.drawText(QRectF(0, 4, self.width(), fm.height()), Qt.AlignmentFlag.AlignHCenter, title)
        if not self.points:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _("No call-out test has ended yet."))
            return
        top = self.y_top()
        step = nice_step(top)
        left = fm.horizontalAdvance(f"{top:g}") + fm.height() + 14
        plot = QRectF(left, fm.height() * 2 + 12, self.width() - left - 16,
                      self.height() - fm.height() * 5 - 20)
        if plot.width() < 20 or plot.height() < 20:
            return
        self._axes(p, plot, top, step, fm, text)
        xs = self._xs(plot)
        self._line(p, plot, xs, self.series()["required"], top, REQUIRED_COLOUR, square=False)
        self._line(p, plot, xs, self.series()["full"], top, FULL_COLOUR, square=True)  # dashed: both show
        for x, value in zip(xs, self.series()["required"], strict=True):
            if value is None:  # never reached: a cross at the top
                p.setPen(QPen(MISSED_COLOUR, 2))
                p.drawLine(QPointF(x - 4, plot.top() - 4), QPointF(x + 4, plot.top() + 4))
                p.drawLine(QPointF(x - 4, plot.top() + 4), QPointF(x + 4, plot.top() - 4))
        self._legend(p, plot, fm, text)

    def _xs(self, plot: QRectF) -> list[float]:
        n = len(self.points)
        if n == 1:
            return [plot.center().x()]
        return [plot.left() + 10 + i * (plot.width() - 20) / (n - 1) for i in range(n)]

    @staticmethod
    def _y(plot: QRectF, value: float, top: float) -> float:
        return plot.bottom() - value / top * plot.height()

    def _axes(self, p: QPainter, plot: QRectF, top: float, step: float, fm: QFontMetrics, text: QColor) -> None:
        grid = QColor(text)
        grid.setAlpha(40)
        tick = 0.0
        while tick <= top + 1e-9:
            y = self._y(plot, tick, top)
            p.setPen(QPen(grid, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(text)
            p.drawText(QRectF(0, y - fm.height() / 2, plot.left() - 6, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{tick:g}")
            tick += step
        p.setPen(QPen(text, 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.drawLine(plot.bottomLeft(), plot.topLeft())
        xs = self._xs(plot)
        every = max(1, math.ceil(len(xs) * (fm.horizontalAdvance("00-00") + 12) / max(plot.width(), 1)))
        for i, (x, point) in enumerate(zip(xs, self.points, strict=True)):
            p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4))
            if i % every == 0 or i == len(xs) - 1 and len(xs) <= 2:
                label = to_local(point.started_at).strftime("%m-%d")
                p.drawText(QRectF(x - 40, plot.bottom() + 5, 80, fm.height()), Qt.AlignmentFlag.AlignHCenter, label)
        p.drawText(QRectF(plot.left(), plot.bottom() + fm.height() + 6, plot.width(), fm.height()),
                   Qt.AlignmentFlag.AlignHCenter, _("Test (date started)"))
        p.save()
        p.translate(fm.height() / 2 + 2, plot.center().y())
        p.rotate(-90)
        p.drawText(QRectF(-plot.height() / 2, -fm.height() / 2, plot.height(), fm.height()),
                   Qt.AlignmentFlag.AlignCenter, _("Minutes"))
        p.restore()

    def _line(self, p: QPainter, plot: QRectF, xs: list[float], values: list[float | None], top: float,
              colour: QColor, square: bool) -> None:
        path = QPainterPath()
        drawing = False
        for x, value in zip(xs, values, strict=True):
            if value is None:
                drawing = False
                continue
            point = QPointF(x, self._y(plot, value, top))
            if drawing:
                path.lineTo(point)
            else:
                path.moveTo(point)
                drawing = True
        pen = QPen(colour, 2)
        if square:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
        p.setPen(QPen(colour, 1))
        p.setBrush(colour)
        for x, value in zip(xs, values, strict=True):
            if value is None:
                continue
            y = self._y(plot, value, top)
            if square:
                p.drawRect(QRectF(x - 3.5, y - 3.5, 7, 7))
            else:
                p.drawEllipse(QPointF(x, y), 4, 4)

    def _legend(self, p: QPainter, plot: QRectF, fm: QFontMetrics, text: QColor) -> None:
        entries = [(REQUIRED_COLOUR, _("Required strength")), (FULL_COLOUR, _("Full team")),
                   (MISSED_COLOUR, _("Not reached"))]
        x = plot.left()
        y = self.height() - fm.height() - 4
        for colour, caption in entries:
            p.setPen(QPen(colour, 3))
            p.drawLine(QPointF(x, y + fm.height() / 2), QPointF(x + 16, y + fm.height() / 2))
            p.setPen(text)
            p.drawText(QPointF(x + 20, y + fm.ascent()), caption)
            x += 20 + fm.horizontalAdvance(caption) + 18
