"""The call-out trend: minutes to the required strength and to the full team, per ended test, oldest on
the left, drawn with pyqtgraph (ui/charts.py): a line per measure (a gap where a test has no value), a cross at
the top where a test never reached the required strength, the tests' dates (port time) along the bottom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedLayout, QVBoxLayout, QWidget

import pyqtgraph as pg  # isort: skip - after PySide6 (ui/charts.py)
from drillapp.i18n import _
from drillapp.ui import charts
from drillapp.ui.charts import nice_step

REQUIRED_COLOUR = charts.BLUE
FULL_COLOUR = charts.ORANGE
MISSED_COLOUR = charts.RED

__all__ = ["TrendChart", "TrendPoint", "nice_step"]


@dataclass(frozen=True)
class TrendPoint:
    started_at: datetime
    minutes_to_required: float | None
    minutes_to_full_team: float | None


class TrendChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calloutTrend")
        self.points: list[TrendPoint] = []
        self.setMinimumSize(QSize(320, 200))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.painted = 0  # how many times it was painted (tests: it paints without error)
        self.title = QLabel(_("Minutes to the required strength and to the full team"), self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.plot = charts.plot_widget(self, _("Minutes"), _("Test (date started)"))
        self.plot.setObjectName("calloutTrendPlot")
        charts.legend(self.plot, self.font())
        self.required = self.plot.plot([], [], name=_("Required strength"),
                                       pen=pg.mkPen(REQUIRED_COLOUR, width=2), symbol="o", symbolSize=8,
                                       symbolBrush=REQUIRED_COLOUR, symbolPen=REQUIRED_COLOUR)
        self.full = self.plot.plot([], [], name=_("Full team"),
                                   pen=pg.mkPen(FULL_COLOUR, width=2, style=Qt.PenStyle.DashLine), symbol="s",
                                   symbolSize=7, symbolBrush=FULL_COLOUR, symbolPen=FULL_COLOUR)
        self.missed = pg.ScatterPlotItem([], [], symbol="x", size=12, pen=pg.mkPen(MISSED_COLOUR, width=2),
                                         brush=MISSED_COLOUR, name=_("Not reached"))
        self.plot.addItem(self.missed)  # named: the legend lists it
        self.empty = QLabel(_("No call-out test has ended yet."), self)
        self.empty.setObjectName("calloutTrendEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedLayout()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(self.stack, 1)

    def set_points(self, points: list[TrendPoint]) -> None:
        self.points = list(points)
        series = self.series()
        xs = list(range(len(self.points)))
        top = self.y_top()
        charts.set_series(self.required, series["required"])
        charts.set_series(self.full, series["full"])
        crosses = [x for x, v in zip(xs, series["required"], strict=True) if v is None]
        self.missed.setData(crosses, [top] * len(crosses))
        charts.set_categories(self.plot, [p.started_at for p in self.points])
        self.plot.setYRange(0, top * 1.04, padding=0)
        self.stack.setCurrentWidget(self.plot if self.points else self.empty)

    def series(self) -> dict[str, list[float | None]]:
        """The plotted values, per measure, oldest first."""
        return {"required": [p.minutes_to_required for p in self.points],
                "full": [p.minutes_to_full_team for p in self.points]}

    def plotted(self) -> dict[str, list[tuple[float, float]]]:
        """What the chart draws, read back from it: (x, minutes) per measure, and the crosses."""
        xs, ys = self.missed.getData()
        return {"required": charts.curve_points(self.required), "full": charts.curve_points(self.full),
                "missed": [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]}

    def y_top(self) -> float:
        return charts.nice_top([v for vs in self.series().values() for v in vs])

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        self.painted += 1
