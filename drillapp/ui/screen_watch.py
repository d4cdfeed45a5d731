"""Keeping a screen fresh: a `Watch` learns from the screen's reads (QueryOps with this watch, ui/operations.py)
which tables it shows, and refreshes it when a change set announced on the bus (ui/operation_bus.py) touches
one of them."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from drillapp.services.changes import ChangeSet
from drillapp.ui.operation_bus import listen


class Watch(QObject):
    """What one screen shows, and keeping it fresh: the tables its reads (QueryOps with this watch) looked at; a change set touching them calls `refresh` — at once if the screen is visible, otherwise when
    it is next shown. No hand-kept list of tables: the reads say what they read.

    `skip_own`: a change started by the owner itself (initiator) does not refresh it (it updated itself)."""

    def __init__(self, owner: QWidget, refresh: Callable[[], None], *, skip_own: bool = False,
                 always_visible: bool = False) -> None:
        super().__init__(owner)
        self.owner = owner
        self.refresh = refresh
        self.skip_own = skip_own
        self.always_visible = always_visible
        self.tables: frozenset[str] | None = None  # None: not read yet
        self.stale = False
        listen(self, self._changed)
        owner.installEventFilter(self)

    def saw(self, tables: frozenset[str]) -> None:
        """A read of this screen looked at these tables (several reads add up: a page and its parts)."""
        self.tables = tables if self.tables is None else self.tables | tables

    def touched_by(self, change_set: ChangeSet) -> bool:
        return self.tables is not None and change_set.touches(self.tables)

    def _changed(self, change_set: ChangeSet, initiator: object) -> None:
        if not shiboken6.isValid(self.owner) or not self.touched_by(change_set):
            return
        if self.skip_own and initiator is self.owner:
            return
        if self.always_visible or self.owner.isVisible():
            self.stale = False
            self.refresh()
        else:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.owner and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            QTimer.singleShot(0, self.refresh)
        return False
