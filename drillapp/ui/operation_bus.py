"""Where every finished operation is announced: the runner (ui/operations.py) and the change feed from other
desks (ui/change_watcher.py) announce a change set here, and every open screen listens (a `Watch`,
ui/screen_watch.py, or a slot of its own)."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from drillapp.services.changes import ChangeSet


class OperationBus(QObject):
    """Where every finished operation is announced: (ChangeSet, the QObject that started it or None)."""

    did_execute = Signal(object, object)


_bus: OperationBus | None = None


def bus() -> OperationBus:
    """The application's bus (one per QApplication)."""
    global _bus
    if _bus is None or not shiboken6.isValid(_bus):
        _bus = OperationBus(QApplication.instance())
    return _bus


def announce(change_set: ChangeSet, initiator: QObject | None = None) -> None:
    """Tell every open screen what changed (used by the runner and by the change feed from other desks)."""
    if change_set:
        bus().did_execute.emit(change_set, initiator)


def listen(receiver: QObject, slot: Callable[[ChangeSet, object], None]) -> None:
    """Call `slot(change_set, initiator)` after every operation. `slot` is a method of `receiver` (a QObject),
    so Qt drops the connection when the receiver is destroyed."""
    bus().did_execute.connect(slot)
