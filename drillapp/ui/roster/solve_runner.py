"""Solving a roster off the GUI thread, with progress and a stop button that keeps the best roster.

The solve function is plain Python (a service call) taking `progress(Progress)` and a `threading.Event` to stop;
it runs in its own thread, reports through queued signals, and the result (or the error) arrives on the GUI
thread. With `workers.SYNCHRONOUS` (tests) it runs inline.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from drillapp.roster.problem import Progress
from drillapp.ui import workers

log = logging.getLogger(__name__)

SolveFn = Callable[[Callable[[Progress], None], threading.Event], Any]


class SolveRunner(QObject):
    """One solve at a time. Signals: progressed(Progress), finished(result), failed(exception)."""

    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._relay = _Relay()
        self._relay.progress.connect(self.progressed)
        self._relay.done.connect(self._done)
        self._relay.error.connect(self._error)

    @property
    def running(self) -> bool:
        return self._thread is not None

    def start(self, fn: SolveFn) -> None:
        if self.running:
            raise RuntimeError("a solve is already running")
        self._stop = threading.Event()
        if workers.SYNCHRONOUS:
            self._thread = threading.current_thread()
            try:
                result = fn(self.progressed.emit, self._stop)
            except Exception as exc:
                self._thread = None
                self.failed.emit(exc)
            else:
                self._thread = None
                self.finished.emit(result)
            return
        relay, stop = self._relay, self._stop

        def work() -> None:
            try:
                result = fn(relay.progress.emit, stop)
            except Exception as exc:  # handed to the GUI thread
                relay.error.emit(exc)
            else:
                relay.done.emit(result)

        self._thread = threading.Thread(target=work, name="roster-solve", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask the solver to stop; it returns the best roster found so far."""
        self._stop.set()

    def wait(self, timeout: float = 30.0) -> None:
        """At quit: stop and let the thread end so it does not outlive what it reports to."""
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            self._stop.set()
            thread.join(timeout)

    @Slot(object)
    def _done(self, result: Any) -> None:
        self._thread = None
        self.finished.emit(result)

    @Slot(object)
    def _error(self, exc: Any) -> None:
        self._thread = None
        self.failed.emit(exc)


class _Relay(QObject):
    """Lives in the GUI thread; emitted from the solver thread, so its slots run queued on the GUI thread."""

    progress = Signal(object)
    done = Signal(object)
    error = Signal(object)
