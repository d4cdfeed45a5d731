"""The call-out trend: minutes to the required strength and to the full team, per ended test, oldest on
the left, drawn with pyqtgraph (ui/charts.py): a line per measure (a gap where a test has no value), a cross at
the top where a test never reached the required strength, the tests' dates (port time) along the bottom.

pyqtgraph takes a third to half a second to import: the plot is built when the chart is first shown (or read
back), not with the Team area; ui/lazy_imports.py imports it in a worker meanwhile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPaintEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedLayout, QVBoxLayout, QWidget

from drillapp.i18n import _

__all__ = ["TrendChart", "TrendPoint"]


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
        self.plot: Any = None  # pyqtgraph's PlotWidget, built on first show (`_build`)
        self.empty = QLabel(_("No call-out test has ended yet."), self)
        self.empty.setObjectName("calloutTrendEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedLayout()
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(self.stack, 1)

    def set_points(self, points: list[TrendPoint]) -> None:
        self.points = list(points)
        if self.plot is not None:
            self._draw()
        self.stack.setCurrentWidget(self.plot if self.points and self.plot is not None else self.empty)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        self._build()
        super().showEvent(event)

    def _build(self) -> None:
        """The pyqtgraph plot, once (its import is the slow part: see ui/lazy_imports.py)."""
        if self.plot is not None:
            return
        import pyqtgraph as pg

        from drillapp.ui import charts

        self.plot = charts.plot_widget(self, _("Minutes"), _("Test (date started)"))
        self.plot.setObjectName("calloutTrendPlot")
        charts.legend(self.plot, self.font())
        blue, orange, red = charts.BLUE, charts.ORANGE, charts.RED  # required, full team, never reached
        self.required = self.plot.plot([], [], name=_("Required strength"), pen=pg.mkPen(blue, width=2),
                                       symbol="o", symbolSize=8, symbolBrush=blue, symbolPen=blue)
        self.full = self.plot.plot([], [], name=_("Full team"),
                                   pen=pg.mkPen(orange, width=2, style=Qt.PenStyle.DashLine), symbol="s",
                                   symbolSize=7, symbolBrush=orange, symbolPen=orange)
        self.missed = pg.ScatterPlotItem([], [], symbol="x", size=12, pen=pg.mkPen(red, width=2), brush=red,
                                         name=_("Not reached"))
        self.plot.addItem(self.missed)  # named: the legend lists it
        self.stack.addWidget(self.plot)
        self.set_points(self.points)

    def _draw(self) -> None:
        from drillapp.ui import charts

        series = self.series()
        xs = list(range(len(self.points)))
        top = self.y_top()
        charts.set_series(self.required, series["required"])
        charts.set_series(self.full, series["full"])
        crosses = [x for x, v in zip(xs, series["required"], strict=True) if v is None]
        self.missed.setData(crosses, [top] * len(crosses))
        charts.set_categories(self.plot, [p.started_at for p in self.points])
        self.plot.setYRange(0, top * 1.04, padding=0)

    def series(self) -> dict[str, list[float | None]]:
        """The plotted values, per measure, oldest first."""
        return {"required": [p.minutes_to_required for p in self.points],
                "full": [p.minutes_to_full_team for p in self.points]}

    def plotted(self) -> dict[str, list[tuple[float, float]]]:
        """What the chart draws, read back from it: (x, minutes) per measure, and the crosses."""
        from drillapp.ui import charts

        self._build()
        xs, ys = self.missed.getData()
        return {"required": charts.curve_points(self.required), "full": charts.curve_points(self.full),
                "missed": [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]}

    def y_top(self) -> float:
        from drillapp.ui import charts

        return charts.nice_top([v for vs in self.series().values() for v in vs])

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        self.painted += 1

