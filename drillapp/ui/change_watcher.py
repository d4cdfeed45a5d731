"""Seeing other workstations' changes without restarting: ask the change feed every second or so (off the GUI
thread) and announce what it reports on the operation bus, as the same change set a local operation
announces; the screens refresh only what it touches."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from drillapp.services.change_feed import ListeningFeed, PollingFeed
from drillapp.services.changes import ChangeSet
from drillapp.ui import operations
from drillapp.ui.workers import run_in_background

log = logging.getLogger(__name__)
POLL_MS = 3000  # SQLite: read the audit trail this often
LISTEN_MS = 1000  # PostgreSQL: collect notifications this often
LISTEN_WAIT_S = 0.2


class ChangeWatcher(QObject):
    changed = Signal(object)  # ChangeSet (also announced on the operation bus)

    def __init__(self, feed: PollingFeed | ListeningFeed, parent: QObject | None = None,
                 interval_ms: int | None = None) -> None:
        super().__init__(parent)
        self.feed = feed
        self._busy = False
        self._stopped = False
        self._closed = False
        self.timer = QTimer(self)
        listening = isinstance(feed, ListeningFeed)
        self.timer.setInterval(interval_ms or (LISTEN_MS if listening else POLL_MS))
        self._wait = LISTEN_WAIT_S if listening else 0.0
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self._stopped = False
        self.timer.start()
        self.poll()

    def stop(self) -> None:
        self._stopped = True
        self.timer.stop()

    def close(self) -> None:
        """Stop for good, and close the feed's own connection (PostgreSQL's listening one)."""
        self.stop()
        self._closed = True
        self.feed.close()

    def poll(self) -> None:
        if self._busy or self._closed:
            return
        self._busy = True
        wait = self._wait
        # a poll already on its way when the watcher closes must not connect the feed again
        run_in_background(lambda: ChangeSet() if self._closed else self.feed.poll(wait), self._seen, self._failed)

    def _seen(self, change_set: ChangeSet) -> None:
        self._busy = False
        if change_set and not self._stopped:
            self.changed.emit(change_set)
            operations.announce(change_set)

    def _failed(self, exc: BaseException) -> None:  # a network hiccup to a shared server: try next time
        self._busy = False
        log.warning("change feed failed: %s", exc)
