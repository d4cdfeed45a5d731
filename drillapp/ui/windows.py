"""Windows that fit the screen they open on, and table rows as tall as their wrapped text.

A window asks for the size it would like (the print preview 900 × 1000, the plan editor 1200 × 800) and gets
at most what the screen it opens on offers (its parent's screen, else the primary one), less room for the
window frame; a laptop's 768- or 900-pixel screen then shows the whole window with its buttons.
"""

from __future__ import annotations

from collections.abc import Callable, Container

from PySide6.QtCore import QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTableWidget, QWidget

#: Room left for the window manager's frame and title bar.
FRAME = 48


def available_area(window: QWidget) -> QRect:
    """The usable area (without task bars) of the screen `window` opens on."""
    anchor = window.parentWidget() or window
    screen = anchor.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize `window` to `width` × `height`, or less where its screen is smaller; a shown window that sticks
    out of the screen is moved back onto it."""
    area = available_area(window)
    window.resize(max(200, min(width, area.width() - FRAME // 2)), max(150, min(height, area.height() - FRAME)))
    if window.isVisible() and not area.contains(window.frameGeometry()):
        frame = window.frameGeometry()
        x = min(max(frame.x(), area.x()), area.right() - frame.width())
        y = min(max(frame.y(), area.y()), area.bottom() - frame.height())
        window.move(max(area.x(), x), max(area.y(), y))


def fit_rows(table: QTableWidget, skip: Container[int] = (), max_height: int = 400) -> None:
    """Each row as tall as its wrapped text needs at the columns' current widths (one line: one line's height),
    never taller than `max_height`; columns in `skip` are not measured."""
    metrics = table.fontMetrics()
    single = max(24, metrics.height() + 10)
    for r in range(table.rowCount()):
        height = single
        for c in range(table.columnCount()):
            item = table.item(r, c)
            if c in skip or item is None or not item.text():
                continue
            width = max(40, table.columnWidth(c) - 8)
            rect = metrics.boundingRect(0, 0, width, 10_000, int(Qt.TextFlag.TextWordWrap), item.text())
            height = max(height, rect.height() + 10)
        table.setRowHeight(r, min(height, max_height))


def refit_when_resized(table: QTableView, fit: Callable[[], None]) -> QTimer:
    """Call `fit()` once the column widths have settled after a change (the window resized, a stretched
    column laid out): the wrapping changes with them. The timer is returned: start it to fit once more after
    the widths settle (rather than fitting now and again when they have)."""
    timer = QTimer(table)
    timer.setSingleShot(True)
    timer.setInterval(0)
    timer.timeout.connect(fit)
    table.horizontalHeader().sectionResized.connect(lambda *_args: timer.start())
    return timer


def read_only_rows(table: QTableWidget, name: str, headers: list[str], modes: list[QHeaderView.ResizeMode]) -> None:
    """A table of records read row by row: no editing in place, one whole row selected, text wrapped, no row
    numbers, each column sized as `modes` says."""
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    for column, mode in enumerate(modes):
        table.horizontalHeader().setSectionResizeMode(column, mode)
