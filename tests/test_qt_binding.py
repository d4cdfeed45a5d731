"""The Qt binding the app runs on keeps Python's reference counts: PySide6 6.12.0 drops a reference to True on
every SignalInstance.emit() from Python, and after a few thousand emits (a morning at the console, a chart
being drawn) the interpreter aborts with "bool_dealloc". pyproject.toml excludes that release; this test says
so plainly where an environment still has it, instead of a crash in the middle of the GUI tests."""

from __future__ import annotations

import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal()
    value = Signal(object)


def test_emitting_a_signal_keeps_the_reference_counts():
    emitter = _Emitter()
    seen: list[object] = []
    emitter.fired.connect(lambda: seen.append(1))
    emitter.value.connect(seen.append)
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(50):
        emitter.fired.emit()
        emitter.value.emit(None)
    after = sys.getrefcount(True), sys.getrefcount(None)
    assert len(seen) == 100
    assert after[0] >= before[0] and after[1] >= before[1], (
        f"PySide6 {pyside_version} loses references on Signal.emit (True {before[0]} -> {after[0]}, "
        f"None {before[1]} -> {after[1]}): install another release (pyproject.toml excludes 6.12.0)")
