"""Work with progress that can be stopped (a roster solve, a programme proposal): `LongOp`, the runner's
(ui/operations.py) third kind, in a thread of its own; what it commits is announced like a WriteOp's."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from drillapp.services.changes import ChangeSet
from drillapp.ui import workers
from drillapp.ui.operation_bus import announce
from drillapp.ui.operation_calls import call, emit


class LongOp(QObject):
    """Work with progress that can be stopped (a roster solve): `fn(progress, stop_event)` runs in a thread of
    its own; `progressed` carries its reports to the GUI thread; `stop()` asks it to finish early. What it
    commits is announced like a WriteOp's. One at a time per LongOp."""

    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._relay = _LongRelay()
        self._relay.progress.connect(self.progressed)
        self._relay.done.connect(self._done)
        self._relay.error.connect(self._error)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, fn: Callable[[Callable[[Any], None], threading.Event], Any]) -> None:
        if self.running:
            raise RuntimeError("this work is already running")
        self._stop = threading.Event()
        if workers.SYNCHRONOUS:
            self._thread = threading.current_thread()
            try:
                result, change_set = call(lambda: fn(self.progressed.emit, self._stop), True)
            except Exception as exc:
                self._thread = None
                self.failed.emit(exc)
            else:
                self._thread = None
                self.finished.emit(result)
                announce(change_set, self.parent())
            return
        relay, stop = self._relay, self._stop

        def work() -> None:
            try:
                result, change_set = call(lambda: fn(relay.progress.emit, stop), True)
            except Exception as exc:  # handed to the GUI thread
                emit(relay.error, exc)
            else:
                emit(relay.done, result, change_set)

        self._thread = threading.Thread(target=work, name="drillapp-long-op", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask the work to stop; it returns what it has (a solve: the best roster found so far)."""
        self._stop.set()

    def wait(self, timeout: float = 30.0) -> None:
        """At quit: stop and let the thread end so it does not outlive what it reports to."""
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            self._stop.set()
            thread.join(timeout)

    @Slot(object, object)
    def _done(self, result: Any, change_set: ChangeSet) -> None:
        self._thread = None
        self.finished.emit(result)
        announce(change_set, self.parent())

    @Slot(object)
    def _error(self, exc: Any) -> None:
        self._thread = None
        self.failed.emit(exc)


class _LongRelay(QObject):
    progress = Signal(object)
    done = Signal(object, object)
    error = Signal(object)
