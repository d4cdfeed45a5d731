"""Undo and redo of the review editor's text and rating edits: each edit is a command holding the value
before and after; doing or undoing it writes that value through the editor's runner (one operation each)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand


class ValueEdit(QUndoCommand):
    """Set one value (a rating with its observations, a finding's text, the summary) from `before` to `after`.
    `write(value)` runs the operation that stores it."""

    def __init__(self, text: str, write: Callable[[Any], None], before: Any, after: Any) -> None:
        super().__init__(text)
        self.write, self.before, self.after = write, before, after

    def redo(self) -> None:
        self.write(self.after)

    def undo(self) -> None:
        self.write(self.before)
