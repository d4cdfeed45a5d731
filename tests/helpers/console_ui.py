"""Driving the drill console in GUI tests: answering the modal it opens, finding a drill of the demo, the
console window a launch opened."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select

from drillapp.models import Drill
from drillapp.models.enums import DrillKind, DrillStatus


def when_modal(act: Callable[[QWidget], None]) -> None:
    """Act on the next modal dialog as soon as it is open (the key press that opens it returns after)."""

    def later() -> None:
        widget = QApplication.activeModalWidget()
        assert widget is not None, "no dialog was opened"
        act(widget)

    QTimer.singleShot(0, later)


def first_planned(db, kind: DrillKind, with_injects: int = 1) -> int:  # noqa: ANN001
    """The first planned drill of this kind with at least `with_injects` injects."""
    with db.session() as s:
        for drill in s.scalars(select(Drill).where(Drill.kind == kind, Drill.status == DrillStatus.PLANNED)
                               .order_by(Drill.scheduled_start)):
            if len(drill.injects) >= with_injects:
                return drill.id
    raise AssertionError("the demo has no such drill")


def release_modifiers(qtbot, widget: QWidget) -> None:  # noqa: ANN001
    """The offscreen platform keeps modifiers held after a chord otherwise."""
    for key in (Qt.Key.Key_Shift, Qt.Key.Key_Control):
        qtbot.keyRelease(widget, key)


def activate(qtbot, window: QWidget) -> None:  # noqa: ANN001
    """Make the window the active one (its shortcuts work only then; a closed dialog may leave none active)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
