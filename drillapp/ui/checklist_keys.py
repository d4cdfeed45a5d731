"""One-key actions on the current row of a table, worked down like a checklist.

The muster screen records A (acknowledged), R (arrived), N (no-show) this way, and the drill console's
checklist is meant to reuse it: a key press acts on the current row, then the selection moves to the next
row at once, so the operator can go on pressing keys while the write runs. Nothing here knows what the
actions mean; the screen connects `triggered(action, row)` and decides (a repeated key is the screen's to
treat as a quiet no-op, never a modal). Keys with Ctrl, Alt or Shift held are left to the table.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView


class ChecklistKeys(QObject):
    #: (action, row) for a key press (or `trigger`) on a row; emitted before the selection moves on
    triggered = Signal(str, int)

    def __init__(self, view: QAbstractItemView, keys: dict[Qt.Key, str], *, advance: bool = True) -> None:
        super().__init__(view)
        self.view, self.keys, self.advance = view, dict(keys), advance
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.view and event.type() == QEvent.Type.KeyPress:
            key_event = event if isinstance(event, QKeyEvent) else None
            if key_event is not None:
                action = self.keys.get(Qt.Key(key_event.key()))
                plain = not (key_event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
                if action is not None and plain and not key_event.isAutoRepeat():
                    self.trigger(action)
                    return True
        return super().eventFilter(watched, event)

    def trigger(self, action: str) -> None:
        """Act on the current row (a button does the same as its key), then move to the next row."""
        row = self.view.currentIndex().row()
        if row < 0:
            return
        self.triggered.emit(action, row)
        if self.advance:
            self.move_to(row + 1)

    def move_to(self, row: int) -> None:
        model = self.view.model()
        if model is None or not 0 <= row < model.rowCount():
            return
        column = max(0, self.view.currentIndex().column())
        self.view.setCurrentIndex(model.index(row, column))
