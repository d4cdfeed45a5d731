"""The call-out page's big clock: the minutes and seconds since the test started, to be read across the room.

Its size follows the running-test box it sits in (a share of the box's height, never below twice the UI font
nor above MOST_PX), and the layout always leaves it room for its widest reading (every digit as wide as the
widest digit, a third digit of minutes after 99:59), so it is never clipped, at 1400x900 or maximised, in
either language's font."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QLabel, QWidget

#: The clock's height as a share of its box's height.
SHARE = 1 / 9
#: The least size, as a multiple of the UI font's (what the clock was before it scaled).
LEAST_SCALE = 2.0
#: The largest pixel size (a maximised window on a tall screen).
MOST_PX = 96


class BigClock(QLabel):
    def __init__(self, box: QWidget) -> None:
        super().__init__("—", box)
        self.setObjectName("liveClock")
        font = self.font()
        font.setBold(True)
        self.least_px = max(1, round(QFontInfo(font).pixelSize() * LEAST_SCALE))  # the UI font as drawn
        font.setPixelSize(self.least_px)
        self.setFont(font)
        box.installEventFilter(self)
        self.fit_to(box.height())

    def fit_to(self, height: int) -> None:
        """The font for a box `height` pixels high."""
        px = min(MOST_PX, max(self.least_px, round(height * SHARE)))
        font = self.font()
        if font.pixelSize() != px:
            font.setPixelSize(px)
            self.setFont(font)  # the size hints follow: the layout makes room

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.parent():
            self.fit_to(event.size().height())  # type: ignore[attr-defined]  # a QResizeEvent
        return False

    def widest_reading(self) -> str:
        """The current text with every digit the widest, and at least three digits of minutes."""
        metrics = self.fontMetrics()
        widest = max("0123456789", key=metrics.horizontalAdvance)
        text = "".join(widest if ch.isdigit() else ch for ch in self.text())
        minutes, colon, seconds = text.partition(":")
        return (widest * max(3, len(minutes)) + colon + seconds) if colon else text

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        margins = self.contentsMargins()
        ink = metrics.boundingRect(self.widest_reading())
        width = max(metrics.horizontalAdvance(self.widest_reading()), ink.right() + 1) + 2 * self.margin()
        return QSize(width + margins.left() + margins.right(),
                     metrics.height() + 2 * self.margin() + margins.top() + margins.bottom())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()
