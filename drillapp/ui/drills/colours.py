"""Colours of the drill views: a drill by its kind, the port's blocked days and holidays."""

from __future__ import annotations

from PySide6.QtGui import QColor

from drillapp.models.enums import DrillKind

KIND_COLOURS = {
    DrillKind.TABLETOP: QColor("#2f6fb3"),
    DrillKind.FUNCTIONAL: QColor("#178a7a"),
    DrillKind.LIVE: QColor("#c8691c"),
    DrillKind.FULL_SCALE: QColor("#b3262e"),
}
BLOCKED = QColor("#e6e1d8")
HOLIDAY = QColor("#f4ecd6")
TODAY = QColor("#fff7c2")
SELECTED = QColor("#2a5db0")
OVERDUE = QColor("#f3c3c3")
DUE_SOON = QColor("#f8e1a8")
SCHEDULED = QColor("#cfe5cf")
