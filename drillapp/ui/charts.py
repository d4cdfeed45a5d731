"""Charts on screen, with pyqtgraph: the plot widget the trend charts share (the app's palette and fonts, so
Chinese labels use the bundled CJK font; no mouse zoom or context menu: these are read, not explored), the
drills along the x axis as categories labelled with their date in the port's time zone, and reading back what
a chart plots (the tests, and anyone checking a chart against its table).

pyqtgraph chooses its Qt binding from what is imported already: PySide6 is imported first, here."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication, QWidget

import pyqtgraph as pg  # isort: skip - after PySide6, so pyqtgraph picks it
from drillapp.clock import to_local

BLUE = QColor("#1f6fb2")
ORANGE = QColor("#d9822b")
RED = QColor("#c62828")
GREEN = QColor("#2e7d32")
GREY = QColor("#8a8a8a")


def nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 5 × 10^n) giving about `ticks` ticks up to `top`."""
    raw = max(top, 1.0) / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def nice_top(values: Sequence[float | None], floor: float = 10.0) -> float:
    """The top of a minutes axis: the largest value rounded up to a tick step (at least `floor`)."""
    biggest = max((v for v in values if v is not None), default=floor)
    step = nice_step(biggest)
    return step * max(1, math.ceil(biggest / step))


def set_series(item: pg.PlotDataItem, values: Sequence[float | None]) -> None:
    """Plot `values` at x = 0, 1, 2 …; a None is a gap in the line. Only the values given are handed to
    pyqtgraph, with which neighbours to join (no NaN: an all-NaN series warns and breaks its painting)."""
    xs = [float(i) for i, v in enumerate(values) if v is not None]
    ys = [float(v) for v in values if v is not None]
    connect = np.array([1 if b - a == 1 else 0 for a, b in zip(xs, xs[1:], strict=False)] + [0], dtype=np.int32)
    item.setData(np.array(xs, dtype=float), np.array(ys, dtype=float), connect=connect if xs else "all")


def date_ticks(started: Sequence[datetime], room: int = 12) -> list[tuple[float, str]]:
    """Tick labels for drills at x = 0, 1, 2 …: the local date each started (the port's zone, never the PC's),
    with the year when the drills span more than one; thinned to about `room` labels."""
    local = [to_local(at) for at in started]
    fmt = "%Y-%m-%d" if len({d.year for d in local}) > 1 else "%m-%d"
    every = max(1, math.ceil(len(local) / max(room, 1)))
    return [(float(i), d.strftime(fmt)) for i, d in enumerate(local) if i % every == 0 or i == len(local) - 1]


def plot_widget(parent: QWidget | None, left: str, bottom: str, font: QFont | None = None) -> pg.PlotWidget:
    """A still plot in the app's colours and font, axes labelled `left` and `bottom`."""
    palette = (parent or QApplication.instance()).palette()  # type: ignore[union-attr]
    base = palette.color(palette.ColorRole.Base)
    text = palette.color(palette.ColorRole.WindowText)
    font = QFont(font or (parent.font() if parent is not None else QApplication.font()))
    w = pg.PlotWidget(parent, background=base)
    w.setMenuEnabled(False)
    w.setMouseEnabled(x=False, y=False)
    w.hideButtons()
    item = w.getPlotItem()
    item.showGrid(x=False, y=True, alpha=0.25)
    for name, caption in (("left", left), ("bottom", bottom)):
        axis = item.getAxis(name)
        axis.setPen(pg.mkPen(text))
        axis.setTextPen(pg.mkPen(text))
        axis.setStyle(tickFont=font)
        axis.setLabel(caption, color=text.name())
        axis.label.setFont(font)
    return w


def set_categories(w: pg.PlotWidget, started: Sequence[datetime]) -> None:
    """Drills along x at 0, 1, 2 …, labelled with their dates; a half step of room either side."""
    w.getPlotItem().getAxis("bottom").setTicks([date_ticks(started), []])
    n = max(len(started), 1)
    w.setXRange(-0.5, n - 0.5, padding=0)


def curve_points(item: pg.PlotDataItem) -> list[tuple[float, float]]:
    """What a curve plots, as (x, y) pairs."""
    xs, ys = item.getData()
    if xs is None or ys is None:
        return []
    return [(float(x), float(y)) for x, y in zip(xs, ys, strict=True)]


def legend(w: pg.PlotWidget, font: QFont | None = None) -> pg.LegendItem:
    """A legend in one row under the chart, in the axes' colour and font: never over the data (a legend in a
    corner of the plot sat on the lines, and on the call-out chart's "not reached" crosses, drawn at the top).
    The curves added after it with a name are listed in it."""
    palette = w.palette()
    text = palette.color(palette.ColorRole.WindowText)
    plot = w.getPlotItem()
    item = pg.LegendItem(offset=None, labelTextColor=text, colCount=4, horSpacing=18)
    if font is not None:
        item.setLabelTextSize(f"{max(font.pointSizeF(), 8.0):g}pt")
    plot.layout.addItem(item, 4, 1, Qt.AlignmentFlag.AlignHCenter)
    plot.legend = item  # PlotItem.addItem(…, name=…) lists a curve in `plot.legend`
    return item
