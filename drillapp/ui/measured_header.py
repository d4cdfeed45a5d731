"""A table's row header whose size the owner measures once, in Python, instead of Qt asking the model.

To size a header Qt asks the model for the display text, font, icon and size hint of up to 200 sections (the
first and last hundred), every time the model is reset: on the roster grid of a thousand members that was 2,500
calls from C++ into Python per reset, each taking the GIL (ui/gil.py), most of the grid's showing time and
all of it waiting whenever a worker runs Python. `MeasuredHeader.measure(labels)` works out the width from the
labels (the few likeliest widest measured with Qt); `sizeHint` then answers without the model. Painting the
visible sections still asks the model. A hidden header is sized too (Qt measures it all the same): `set_hint` gives it its size without asking.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHeaderView, QStyle, QWidget

PAD = 6  # room for the frame lines between sections and a sort indicator's gap
MAX_WIDTH = 480  # a name of thousands of characters must not push the grid off the screen
CANDIDATES = 32  # labels measured: the widest by a rough count (below) are among them


class MeasuredHeader(QHeaderView):
    def __init__(self, orientation: Qt.Orientation, parent: QWidget | None = None) -> None:
        super().__init__(orientation, parent)
        self._hint: QSize | None = None

    def measure(self, labels: Iterable[str], widest_allowed: int = MAX_WIDTH) -> None:
        """Size the header for `labels` (each one line of text in the header's font), or Qt's own way when
        there are none. The widest label decides the width, up to `widest_allowed` (a longer one is elided, its
        tooltip whole); the height is the default section size."""
        metrics = self.fontMetrics()
        # only the likeliest widest are measured: each measuring is a call into Qt that lets go of the GIL and
        # waits to get it back while a worker runs Python (a thousand of them took 30 ms on the GUI thread)
        likeliest = heapq.nlargest(CANDIDATES, labels, key=_rough_width)
        widest = max((metrics.horizontalAdvance(text) for text in likeliest), default=None)
        if widest is None:
            self._hint = None
        else:
            margin = self.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, self)
            width = min(widest + 2 * margin + PAD, widest_allowed)
            self._hint = QSize(width, max(self.defaultSectionSize(), metrics.height()))
        self.updateGeometry()

    def set_hint(self, size: QSize) -> None:
        """A size known without measuring (a hidden header's: nothing)."""
        self._hint = QSize(size)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self._hint) if self._hint is not None else super().sizeHint()


def _rough_width(text: str) -> int:
    """A label's width in halves of a Latin letter, roughly, counted without Qt: two for a Latin letter (one byte
    in UTF-8, and the letter), four for a Chinese character (three bytes, and the character): about as wide."""
    return len(text) + len(text.encode("utf-8", "surrogatepass"))
