"""Seeing other workstations' changes without restarting: poll the change feed every few seconds
(off the GUI thread) and say which kinds of record changed; the views refresh only those."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from drillapp.services.changes import ChangeFeed
from drillapp.ui.workers import run_in_background

log = logging.getLogger(__name__)
POLL_MS = 3000


class ChangeWatcher(QObject):
    changed = Signal(object)  # frozenset[str] of table names

    def __init__(self, feed: ChangeFeed, parent: QObject | None = None, interval_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self.feed = feed
        self.last_seen: int | None = None
        self._busy = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.timer.start()
        self.poll()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> None:
        if self._busy:
            return
        self._busy = True
        after = self.last_seen
        if after is None:
            run_in_background(self.feed.last_id, self._first, self._failed)
        else:
            run_in_background(lambda: self.feed.since(after), self._seen, self._failed)

    def _first(self, last_id: int) -> None:
        self._busy = False
        self.last_seen = last_id

    def _seen(self, result: tuple[int, frozenset[str]]) -> None:
        self._busy = False
        self.last_seen, entities = result
        if entities:
            self.changed.emit(entities)

    def _failed(self, exc: BaseException) -> None:  # a network hiccup to a shared server: try next time
        self._busy = False
        log.warning("change poll failed: %s", exc)
