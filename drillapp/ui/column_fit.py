"""Columns as wide as their content, measured on a spread of rows.

Qt's `resizeColumnsToContents` (and the ResizeToContents mode) asks the model for every row it decides to
measure: up to 1,000 rows, every row when the view is hidden. On the large lists (2,000 drills on a page,
a 1,000-member roster) that took 100 ms to seconds on the GUI thread. The rows of one list are alike in
width, so a few dozen rows spread from the first to the last say as much."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

SAMPLE_ROWS = 40


def sampled_rows(rows: int, sample: int = SAMPLE_ROWS) -> list[int]:
    """At most `sample` row numbers, evenly spread, the first and the last included."""
    if rows <= 0:
        return []
    step = max(1, -(-rows // sample))
    return sorted(set(range(0, rows, step)) | {rows - 1})


def fit_columns(view: QTableView, *, least: int = 0, most: int | None = None, sample: int = SAMPLE_ROWS) -> None:
    """Each shown column as wide as its title and the widest of the sampled cells, within [least, most]."""
    model, header = view.model(), view.horizontalHeader()
    if model is None:
        return
    rows = sampled_rows(model.rowCount(), sample)
    grid = 1 if view.showGrid() else 0
    for col in range(model.columnCount()):
        if header.isSectionHidden(col):
            continue
        width = header.sectionSizeHint(col)
        for row in rows:
            width = max(width, view.sizeHintForIndex(model.index(row, col)).width() + grid)
        width = max(width, least)
        header.resizeSection(col, width if most is None else min(width, most))
