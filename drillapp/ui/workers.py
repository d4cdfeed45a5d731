"""Database work off the GUI thread: run a function in Qt's thread pool, get the result by signal.

The function must be plain Python (a service call): it opens its own session in the worker thread and
returns plain data. Tests switch `SYNCHRONOUS` on so work runs inline and deterministically.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

SYNCHRONOUS = False
_alive: set[_Signals] = set()


class _Signals(QObject):
    """Lives in the GUI thread; the worker emits, and the slots run queued on the GUI thread."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]) -> None:
        super().__init__()
        self._on_done, self._on_error = on_done, on_error
        self.done.connect(self._finish_done)
        self.failed.connect(self._finish_failed)

    @Slot(object)
    def _finish_done(self, result: Any) -> None:
        _alive.discard(self)
        self._on_done(result)

    @Slot(object)
    def _finish_failed(self, exc: Any) -> None:
        _alive.discard(self)
        self._on_error(exc)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn, self.signals = fn, signals

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # handed to the GUI thread, which shows or logs it
            self._emit(self.signals.failed, exc)
        else:
            self._emit(self.signals.done, result)

    @staticmethod
    def _emit(signal: Any, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the receiver went away (the app is quitting): nothing to tell
            log.debug("worker result dropped: receiver deleted")


def wait_for_all(timeout_ms: int = 10_000) -> bool:
    """Let running work finish (at quit), so no thread outlives the objects it reports to."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


def run_in_background(
    fn: Callable[[], Any], on_done: Callable[[Any], None], on_error: Callable[[BaseException], None]
) -> None:
    """Run `fn` in the pool; `on_done(result)` or `on_error(exc)` is called on the GUI thread."""
    if SYNCHRONOUS:
        try:
            result = fn()
        except Exception as exc:
            on_error(exc)
        else:
            on_done(result)
        return
    signals = _Signals(on_done, on_error)
    _alive.add(signals)
    QThreadPool.globalInstance().start(_Job(fn, signals))
