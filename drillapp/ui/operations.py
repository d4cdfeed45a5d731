"""The one way the UI runs an operation: off the GUI thread, errors shown the usual way, and what changed
told to every open screen.

After Anki's `aqt/operations`:

    WriteOp(self, lambda: roster.publish(period.id, period.row_version)) \\
        .success(lambda _result: self.status("Published")) \\
        .run(initiator=self)

- `WriteOp` runs a service write in this workstation's writer thread (one write at a time, in order), records
  the change set the operation committed (services/changes.py) and, back on the GUI thread, calls `success`
  then announces the change set on the `OperationBus` (ui/operation_bus.py); every page, list and editor
  listens there and refreshes what the change set touches (a `Watch`, ui/screen_watch.py). The change feed
  from other workstations announces on the same bus.
- A long write (`WriteOp(..., long=True)`: an import, a demo load) runs in a lane of its own, so a short
  interactive write (a checklist tick) never waits behind it.
- `QueryOp` runs a read that may be slow in the thread pool; no change is announced.
- `LongOp` (ui/long_op.py) runs work that reports progress and can be stopped (a roster solve), one at a
  time per owner.
- A `DomainError` becomes the usual message, anything else the bug dialog, unless `failure` is given.

Every name of the runner is imported from here (`from drillapp.ui.operations import QueryOp, Watch, WriteOp`),
wherever it is defined. In tests `workers.SYNCHRONOUS` runs everything inline, so what a click causes has
happened when it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from drillapp.services.changes import ChangeSet
from drillapp.ui import workers
from drillapp.ui.long_op import LongOp
from drillapp.ui.operation_bus import OperationBus, announce, bus, listen
from drillapp.ui.operation_calls import call, emit
from drillapp.ui.screen_watch import Watch

__all__ = ["PROGRESS_DELAY_MS", "LongOp", "OperationBus", "QueryOp", "Watch", "WriteOp", "announce", "bus",
           "listen", "wait_for_all"]

T = TypeVar("T")
PROGRESS_DELAY_MS = 400


def _lane(name: str) -> QThreadPool:
    """A pool of one thread: the writes of one lane run one at a time, in order."""
    app = QApplication.instance()
    pool = app.property(name) if app is not None else None
    if not isinstance(pool, QThreadPool):
        pool = QThreadPool(app)
        pool.setMaxThreadCount(1)
        pool.setExpiryTimeout(-1)
        if app is not None:
            app.setProperty(name, pool)
    return pool


def wait_for_all(timeout_ms: int = 10_000) -> bool:
    """At quit: let queued operations finish so no thread outlives what it reports to."""
    done = workers.wait_for_all(timeout_ms)
    for name in ("drillapp_writes", "drillapp_long_writes"):
        app = QApplication.instance()
        pool = app.property(name) if app is not None else None
        if isinstance(pool, QThreadPool):
            done = pool.waitForDone(timeout_ms) and done
    return done


class _Relay(QObject):
    """Lives in the GUI thread; emitted from a worker, so its slots run queued on the GUI thread."""

    done = Signal(object, object)
    failed = Signal(object)

    def __init__(self, op: _Op[Any]) -> None:
        super().__init__()
        self.op = op
        self.done.connect(self._on_done)
        self.failed.connect(self._on_failed)

    @Slot(object, object)
    def _on_done(self, result: Any, change_set: ChangeSet) -> None:
        self.op._done(result, change_set)

    @Slot(object)
    def _on_failed(self, exc: Any) -> None:
        self.op._failed(exc)


_alive: set[Any] = set()


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, record: bool, watch: Watch | None) -> None:
        super().__init__()
        self.fn, self.relay, self.record, self.watch = fn, relay, record, watch

    def run(self) -> None:
        try:
            result, change_set = call(self.fn, self.record, self.watch)
        except Exception as exc:  # handed to the GUI thread, which shows or logs it
            emit(self.relay.failed, exc)
        else:
            emit(self.relay.done, result, change_set)


def _alive_widget(widget: QObject | None) -> QWidget | None:
    return widget if isinstance(widget, QWidget) and shiboken6.isValid(widget) else None


class _Op(Generic[T]):
    _record = False
    _lane_name: str | None = None

    def __init__(self, parent: QWidget | None, fn: Callable[[], T], *, label: str | None = None) -> None:
        self.parent = parent
        self.fn = fn
        self.label = label
        self._success: Callable[[T], Any] | None = None
        self._failure: Callable[[BaseException], Any] | None = None
        self._progress: QProgressDialog | None = None
        self._timer: QTimer | None = None
        self._watch: Watch | None = None

    def success(self, callback: Callable[[T], Any]) -> _Op[T]:
        self._success = callback
        return self

    def failure(self, callback: Callable[[BaseException], Any]) -> _Op[T]:
        """Handle the error yourself (the default shows it: a message, or the bug dialog)."""
        self._failure = callback
        return self

    def run(self, initiator: QObject | None = None) -> None:
        self.initiator = initiator
        if workers.SYNCHRONOUS:
            try:
                result, change_set = call(self.fn, self._record, self._watch)
            except Exception as exc:
                self._failed(exc)
            else:
                self._done(result, change_set)
            return
        relay = _Relay(self)
        self._relay = relay
        _alive.add(self)
        self._start_progress()
        job = _Job(self.fn, relay, self._record, self._watch)
        if self._lane_name is None:
            QThreadPool.globalInstance().start(job)
        else:
            _lane(self._lane_name).start(job)

    def wait(self, initiator: QObject | None = None) -> T:
        """Run it and wait for the result, with the event loop turning (the window stays live): for the few
        steps that must finish before anything else can happen (the log-in at start). Raises what it raised."""
        outcome: dict[str, Any] = {}
        loop = QEventLoop()
        success, failure = self._success, self._failure

        def done(result: T) -> None:
            outcome["result"] = result
            if success is not None:
                success(result)
            loop.quit()

        def failed(exc: BaseException) -> None:
            outcome["error"] = exc
            loop.quit()

        self._success, self._failure = done, failed
        self.run(initiator)
        if not outcome:
            loop.exec()
        if "error" in outcome:
            if failure is not None:
                failure(outcome["error"])
            raise outcome["error"]
        return outcome["result"]

    # -- progress -----------------------------------------------------------------------------------
    def _start_progress(self) -> None:
        if self.label is None:
            return
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_progress)
        self._timer.start(PROGRESS_DELAY_MS)

    def _show_progress(self) -> None:
        dialog = QProgressDialog(self.label or "", "", 0, 0, _alive_widget(self.parent))
        dialog.setObjectName("operationProgress")
        dialog.setCancelButton(None)  # Qt takes None: no cancel button
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        self._progress = dialog

    def _end_progress(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    # -- back on the GUI thread ----------------------------------------------------------------------
    def _done(self, result: T, change_set: Any) -> None:
        _alive.discard(self)
        self._end_progress()
        if self._watch is not None:  # a query: `change_set` is the set of tables it read
            self._watch.saw(change_set)
            change_set = ChangeSet()
        try:
            if self._success is not None and (self.parent is None or _alive_widget(self.parent) is not None):
                self._success(result)
        finally:
            announce(change_set, self.initiator)

    def _failed(self, exc: BaseException) -> None:
        _alive.discard(self)
        self._end_progress()
        if self._failure is not None and (self.parent is None or _alive_widget(self.parent) is not None):
            self._failure(exc)
            return
        from drillapp.ui.errors import show_error

        show_error(_alive_widget(self.parent), exc)


class WriteOp(_Op[T]):
    """A service write, run in this workstation's writer lane; its change set is announced on success."""

    _record = True
    _lane_name = "drillapp_writes"

    def __init__(self, parent: QWidget | None, fn: Callable[[], T], *, label: str | None = None,
                 long: bool = False) -> None:
        super().__init__(parent, fn, label=label)
        if long:
            self._lane_name = "drillapp_long_writes"


class QueryOp(_Op[T]):
    """A read that may be slow, in the thread pool; nothing is announced. With `watch`, the tables it read
    become what the watch refreshes on."""

    def __init__(self, parent: QWidget | None, fn: Callable[[], T], *, label: str | None = None,
                 watch: Watch | None = None) -> None:
        super().__init__(parent, fn, label=label)
        self._watch = watch

