"""Two desks on one run: a tick made at another workstation reaches this desk's console through the change
feed (the same change sets the runner announces) and shows without any key pressed here. And an unplanned
drill launched from File → Unplanned drill… (a plan and a level) opens its console at once."""

from __future__ import annotations

from helpers.console_ui import first_planned, when_modal
from PySide6.QtWidgets import QComboBox, QDialog, QMessageBox

from drillapp.db import Database
from drillapp.models import ChecklistEntry
from drillapp.models.enums import DrillKind, ItemState
from drillapp.services import Services
from drillapp.services.change_feed import ListeningFeed, open_feed
from drillapp.ui.change_watcher import ChangeWatcher
from drillapp.ui.console.window import RunConsole


def test_a_tick_at_another_desk_shows_on_this_console(qtbot, window, demo_world, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.consoles.launch(first_planned(demo_world.db, DrillKind.LIVE))
    console = next(iter(window.consoles.consoles.values()))
    assert isinstance(console, RunConsole)
    item = console.model.items[3].row
    assert item.state is ItemState.OPEN

    feed = open_feed(demo_world.db)
    if isinstance(feed, ListeningFeed):
        feed.include_own = True  # both "desks" live in this one test process
    watcher = ChangeWatcher(feed, interval_ms=50)
    seen: list = []
    watcher.changed.connect(seen.append)
    watcher.poll()  # the first poll notes where the trail ends (or starts listening)
    other = Database.open(demo_world.db.url)  # the customs desk
    try:
        Services(other, demo_world.actor).runs.tick(item.id, note="海关工作站勾选", expected_version=Services(other, demo_world.actor).runs.version_of(ChecklistEntry, item.id))
    finally:
        other.dispose()
    qtbot.waitUntil(lambda: (watcher.poll(), bool(seen))[1], timeout=5000)
    watcher.close()
    row = console.model.row_of(item.id)
    assert console.model.items[row].row.state is ItemState.DONE
    assert console.model.items[row].row.note == "海关工作站勾选"


def test_an_unplanned_drill_from_a_plan_and_a_level(qtbot, window, demo_world):
    def choose(dialog):
        assert isinstance(dialog, QDialog)
        plan = dialog.findChild(QComboBox, "unplannedPlan")
        level = dialog.findChild(QComboBox, "unplannedLevel")
        assert plan.count() >= 1
        level.setCurrentIndex(level.findData(2))
        dialog.accept()

    when_modal(choose)
    window.actions_by_id["unplanned_drill"].trigger()
    console = next(iter(window.consoles.consoles.values()))
    assert isinstance(console, RunConsole)
    snap = console.snapshot
    assert snap.unplanned and snap.level == 2 and snap.drill_title.startswith("计划外演练")
    assert console.model.rowCount() > 0 and console.timer.isActive()


def test_shift_m_opens_the_call_out_test_linked_to_the_run(qtbot, window, demo_world, monkeypatch):
    from PySide6.QtCore import Qt

    from drillapp.models.enums import LogKind
    from drillapp.ui.team.callout_page import CALL_TEAM, CalloutPage

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.consoles.launch(first_planned(demo_world.db, DrillKind.LIVE))
    console = next(iter(window.consoles.consoles.values()))
    qtbot.keyClick(console.checklist, Qt.Key.Key_M, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyRelease(console.checklist, Qt.Key.Key_Shift)
    page = console.muster_window
    assert isinstance(page, CalloutPage) and page.isVisible()
    assert page.run_choice.currentData() == console.run_id, "the test is part of this drill"
    page.call_choice.setCurrentIndex(page.call_choice.findData(CALL_TEAM))
    page.start_test()
    assert page.test is not None and page.test.drill_run_id == console.run_id
    page.table.setCurrentCell(0, 0)
    qtbot.keyClick(page.table, Qt.Key.Key_R)  # the panel's own key: arrived
    console.reload()
    assert console.snapshot.log[-1].kind is LogKind.MUSTER
    assert console.model.items[0].row.state is ItemState.OPEN, "R in the panel did not reach the checklist"
