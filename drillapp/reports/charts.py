"""Charts for the print-outs, drawn with reportlab.graphics.charts (vector, in the PDF's own CJK font).

- `times_chart`: each timed action's measured minutes beside its target (numbered like the table under it;
  late ones in red);
- `ratings_chart`: how many objectives got each HSEEP rating;
- `trend_chart`: one action's measured time drill after drill, with its target.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from drillapp.i18n import _
from drillapp.models.enums import Rating
from drillapp.reports.fonts import cjk_font
from drillapp.reports.text import drawable
from drillapp.services.measures import Measure

TAKEN = colors.HexColor("#1976d2")
LATE = colors.HexColor("#d32f2f")
TARGET = colors.HexColor("#9e9e9e")
RATING_COLOURS = {Rating.P: "#2e7d32", Rating.S: "#f9a825", Rating.M: "#ef6c00", Rating.U: "#c62828"}


def _font() -> str:
    return cjk_font().name


def _legend(x: float, y: float, pairs: Sequence[tuple[colors.Color, str]]) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = _font(), 7.5
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 7
    legend.deltax = 75
    legend.autoXPadding = 12
    legend.colorNamePairs = [(c, drawable(t, _font())) for c, t in pairs]
    return legend


def times_chart(measures: Sequence[Measure], width: float, height: float = 170) -> Drawing | None:
    """Measured minutes (blue, red when late) beside the target (grey) for each timed action done, numbered
    1, 2, 3 ... in the order of `measures`; None when no timed action was done."""
    points = [(n, m) for n, m in enumerate(measures, start=1) if m.timed and m.minutes_taken is not None]
    if not points:
        return None
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 34
    chart.width, chart.height = width - 50, height - 58
    chart.data = [[round(m.minutes_taken or 0, 1) for _n, m in points], [m.target_minutes or 0 for _n, m in points]]
    chart.categoryAxis.categoryNames = [str(n) for n, _m in points]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = _font()
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.groupSpacing, chart.barSpacing = 6, 1
    chart.bars[0].fillColor, chart.bars[1].fillColor = TAKEN, TARGET
    chart.bars.strokeColor = None
    for i, (_n, m) in enumerate(points):
        if m.late:
            chart.bars[(0, i)].fillColor = LATE
    drawing.add(chart)
    drawing.add(String(2, height - 12, drawable(_("minutes"), _font()), fontName=_font(), fontSize=7.5))
    drawing.add(_legend(60, height - 3, [(TAKEN, _("taken")), (LATE, _("taken, late")), (TARGET, _("target"))]))
    drawing.add(String(chart.x + chart.width / 2, 6, drawable(_("action (numbered as in the table)"), _font()),
                       fontName=_font(), fontSize=7, textAnchor="middle"))
    return drawing


def ratings_chart(ratings: Sequence[Rating | None], width: float, height: float = 120) -> Drawing | None:
    """How many objectives were rated P, S, M, U."""
    rated = [r for r in ratings if r is not None]
    if not rated:
        return None
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 22
    chart.width, chart.height = min(width - 40, 220), height - 34
    chart.data = [[rated.count(r) for r in Rating]]
    chart.categoryAxis.categoryNames = [r.value for r in Rating]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = _font()
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin, chart.valueAxis.valueStep = 0, 1
    chart.bars.strokeColor = None
    for i, r in enumerate(Rating):
        chart.bars[(0, i)].fillColor = colors.HexColor(RATING_COLOURS[r])
    drawing.add(chart)
    drawing.add(String(chart.x + chart.width + 16, height - 16,
                       drawable(_("objectives by rating"), _font()), fontName=_font(), fontSize=8))
    return drawing


def trend_chart(points: Sequence[tuple[int, float]], target: float | None, width: float,
                height: float = 150) -> Drawing | None:
    """A measured time drill after drill (x: the drill's number in order, y: minutes), with its target."""
    if not points:
        return None
    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y = 34, 26
    plot.width, plot.height = width - 50, height - 44
    data = [list(points)]
    if target is not None:
        data.append([(points[0][0], target), (points[-1][0], target)])
    plot.data = data
    plot.lines[0].strokeColor, plot.lines[0].strokeWidth = TAKEN, 1.5
    if target is not None:
        plot.lines[1].strokeColor, plot.lines[1].strokeDashArray = TARGET, (3, 2)
    plot.xValueAxis.labels.fontName = plot.yValueAxis.labels.fontName = _font()
    plot.xValueAxis.labels.fontSize = plot.yValueAxis.labels.fontSize = 7
    plot.yValueAxis.valueMin = 0
    plot.xValueAxis.valueSteps = [p[0] for p in points]
    drawing.add(plot)
    drawing.add(String(2, height - 12, drawable(_("minutes"), _font()), fontName=_font(), fontSize=7.5))
    return drawing
