"""The operation runner (ui/operations.py) as a person meets it: a slow write never freezes the window, a short
write does not wait behind a long import, what changed is announced once, and a key press that changes two
rows (day shift → night shift) is one operation and one undo step."""

from __future__ import annotations

import threading
from datetime import date, timedelta

from helpers import builders
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWidget
from sqlalchemy import select

from drillapp.models import AuditEntry, RosterPeriod
from drillapp.models.enums import Agency, ShiftKind, ShiftPattern
from drillapp.services import changes
from drillapp.services.changes import ChangeSet
from drillapp.ui import operations, workers
from drillapp.ui.operations import WriteOp
from drillapp.ui.roster.roster_page import RosterPage


class SlowFakeService:
    """Stands for a service whose write takes long (a big import): it waits until the test lets it finish,
    then reports a change the way ServiceBase.write does."""

    def __init__(self) -> None:
        self.started, self.release = threading.Event(), threading.Event()

    def write(self, name: str) -> str:
        self.started.set()
        assert self.release.wait(30)
        changes.committed(ChangeSet.of(ids={"member": [7]}, operation=name))
        return "done"


class PaintCounter(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def paintEvent(self, _event: object) -> None:  # noqa: N802
        self.paints += 1


def test_a_slow_write_runs_off_the_gui_thread_and_the_window_keeps_repainting(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(workers, "SYNCHRONOUS", False)
    widget = PaintCounter()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    service, results, announced = SlowFakeService(), [], []
    operations.bus().did_execute.connect(lambda cs, initiator: announced.append((cs, initiator)))

    WriteOp(widget, lambda: service.write("team.import_members"), long=True).success(results.append) \
        .run(initiator=widget)
    assert service.started.wait(10), "the write started in its worker"
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: (ticks.append(1), widget.update()))
    timer.start(10)
    before = widget.paints
    qtbot.waitUntil(lambda: len(ticks) >= 5 and widget.paints > before, timeout=5000)
    assert not results, "still writing, and the GUI thread went on turning and painting meanwhile"

    service.release.set()
    qtbot.waitUntil(lambda: results == ["done"], timeout=10_000)
    timer.stop()
    assert any(cs.touches({"member"}) and initiator is widget for cs, initiator in announced)


def test_a_short_write_does_not_wait_behind_a_long_one(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(workers, "SYNCHRONOUS", False)
    widget = QWidget()
    qtbot.addWidget(widget)
    long_service, quick = SlowFakeService(), []
    WriteOp(widget, lambda: long_service.write("team.import_members"), long=True).run()
    assert long_service.started.wait(10)
    WriteOp(widget, lambda: "ticked").success(quick.append).run()
    qtbot.waitUntil(lambda: quick == ["ticked"], timeout=5000)
    assert not long_service.release.is_set(), "the tick went through while the import was still running"
    long_service.release.set()
    operations.wait_for_all(10_000)


def test_a_refused_write_shows_its_message_and_announces_nothing(qtbot, monkeypatch) -> None:
    from drillapp.services.errors import DomainError

    shown, announced = [], []
    monkeypatch.setattr("drillapp.ui.errors.show_error", lambda parent, exc: shown.append(exc))
    operations.bus().did_execute.connect(lambda cs, _i: announced.append(cs))
    widget = QWidget()
    qtbot.addWidget(widget)

    def refuse() -> None:
        raise DomainError("No, and here is why.")

    WriteOp(widget, refuse).run()
    assert [e.message for e in shown] == ["No, and here is why."] and not announced


def test_day_to_night_is_one_operation_and_one_undo(qtbot, world) -> None:
    services = world.services
    port = builders.port_with_branches(services)
    for agency in Agency:
        for k in range(2):
            builders.member(services, port, f"{agency.value[:3]}{k}", agency)
    first = date(2027, 4, 5)
    period_id = services.roster.create_period(port.port_id, "日夜班", first, first + timedelta(days=2),
                                              ShiftPattern.DAY_NIGHT, {"headcount": {"day": 1, "night": 1}})
    services.roster.solve(period_id, time_limit=10, expected_version=services.roster.version_of(RosterPeriod, period_id))
    page = RosterPage(services.roster, services.oncall, services.scope)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    page.activate()
    grid = page.grid
    member = grid.cell(first, ShiftKind.DAY).member_ids[0]
    row = next(r for r, m in enumerate(page.model.rows) if m.id == member)
    page.table.setCurrentIndex(page.model.index(row, 0))
    page.activateWindow()
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    with page.roster.read() as s:
        audit_before = s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))

    qtbot.keyClick(page.table, Qt.Key.Key_Space)  # off the day shift and onto the night shift

    assert member in page.grid.cell(first, ShiftKind.NIGHT).member_ids
    assert member not in page.grid.cell(first, ShiftKind.DAY).member_ids
    assert page.undo_stack.count() == 1, "one key press, one undo step"
    with page.roster.read() as s:
        rows = s.execute(select(AuditEntry.operation, AuditEntry.action, AuditEntry.at)
                         .where(AuditEntry.id > audit_before)).all()
    assert {r.action for r in rows} == {"insert", "delete"} and {r.operation for r in rows} == {
        "roster.edit_assignment"} and len({r.at for r in rows}) == 1, "the removal and the addition: one operation"

    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert member in page.grid.cell(first, ShiftKind.DAY).member_ids
    assert member not in page.grid.cell(first, ShiftKind.NIGHT).member_ids
    qtbot.keyClick(page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert member in page.grid.cell(first, ShiftKind.NIGHT).member_ids
    for key in (Qt.Key.Key_Shift, Qt.Key.Key_Control):  # the offscreen platform keeps modifiers held otherwise
        qtbot.keyRelease(page.table, key)


def test_workers_running_python_leave_the_gui_thread_its_turn_at_the_gil() -> None:
    """Issue 15: with Python's default 5 ms switch interval, a table painted while a worker ran Python took
    20x longer (every cell's data() waited for the GIL); the UI's operations module shortens it."""
    import sys

    from drillapp.ui import gil

    assert sys.getswitchinterval() <= gil.SWITCH_INTERVAL_S
