"""Columns as wide as their content, measured on a spread of rows.

Qt's `resizeColumnsToContents` (and the ResizeToContents mode) asks the model for every row it decides to
measure: up to 1,000 rows, every row when the view is hidden. On the large lists (2,000 drills on a page,
a 1,000-member roster) that took 100 ms to seconds on the GUI thread. The rows of one list are alike in
width, so a few dozen rows spread from the first to the last say as much."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QStyle, QTableView

SAMPLE_ROWS = 24
CHECK_BOX = 20  # a check box's indicator and its spacing, in pixels


def sampled_rows(rows: int, sample: int = SAMPLE_ROWS) -> list[int]:
    """At most `sample` row numbers, evenly spread, the first and the last included."""
    if rows <= 0:
        return []
    step = max(1, -(-rows // sample))
    return sorted(set(range(0, rows, step)) | {rows - 1})


def fit_columns(view: QTableView, *, least: int = 0, most: int | None = None, sample: int = SAMPLE_ROWS) -> None:
    """Each shown column as wide as its title and the widest of the sampled cells, within [least, most].

    A cell's width is its text measured with the font metrics, plus the delegate's margins, icon and check box:
    the model is asked in Python and the text measured once, where the view's own size hint goes through the
    delegate and the style and calls into Python once per role (20–40 ms for a 200-row page)."""
    model, header = view.model(), view.horizontalHeader()
    if model is None:
        return
    rows = sampled_rows(model.rowCount(), sample)
    grid = 1 if view.showGrid() else 0
    margins = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1) + grid
    icon = view.iconSize().width() if view.iconSize().isValid() else 16
    metrics = QFontMetrics(view.font())
    for col in range(model.columnCount()):
        if header.isSectionHidden(col):
            continue
        width = header.sectionSizeHint(col)
        if not rows:
            header.resizeSection(col, max(width, least) if most is None else min(max(width, least), most))
            continue
        # the cells of a column are alike but for their text: font, icon and check box from its first row
        first = model.index(rows[0], col)
        font = model.data(first, Qt.ItemDataRole.FontRole)
        measure = QFontMetrics(font) if isinstance(font, QFont) else metrics
        extra = margins
        if model.data(first, Qt.ItemDataRole.DecorationRole) is not None:
            extra += icon + margins
        if model.data(first, Qt.ItemDataRole.CheckStateRole) is not None:
            extra += CHECK_BOX
        for row in rows:
            text = model.data(model.index(row, col), Qt.ItemDataRole.DisplayRole)
            if text is None or text == "":
                continue
            widest = max(measure.horizontalAdvance(line) for line in str(text).split("\n"))
            width = max(width, widest + extra)
        width = max(width, least)
        header.resizeSection(col, width if most is None else min(width, most))
