"""Reviews → Trends: pick a plan and an action (typed into the searchable picker) and the charts hold that
action's measured minutes drill after drill, its target line, the late drills marked, the share on target of each
drill as bars, and the drills' dates in the port's time zone; with no finished drill, the empty state."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from helpers.console_ui import activate
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from drillapp.models import ChecklistEntry, Drill, DrillRun
from drillapp.models.enums import DrillKind, LogKind
from drillapp.services.trends import MUSTER_KEY
from drillapp.ui.pages.lazy_tab import LazyTab
from drillapp.ui.reviews.trends import TrendsView

ACTION = "口岸办值班员接报后核实情况，报告联合指挥部总指挥"  # plan QH-YA-01, target 5 minutes


@pytest.fixture
def trends(qtbot, window) -> TrendsView:
    window.show_area("reviews")
    page = window.page("reviews")
    index = next(i for i in range(page.tabs.count()) if page.tabs.tabText(i) == "Trends")
    holder = page.tabs.widget(index)
    assert isinstance(holder, LazyTab) and holder.widget is None, "built when first shown, not with the area"
    page.tabs.setCurrentIndex(index)
    view = holder.widget
    assert isinstance(view, TrendsView)
    activate(qtbot, window)
    return view


def _type_with_input_method(widget, text: str) -> None:
    """Chinese arrives as an input method's commit (QTest's key clicks take ASCII only)."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _finished_drill(services, clock, at: datetime, action_minutes: float, muster_minutes: float) -> int:
    """One more finished drill of the demo's plan QH-YA-01 at `at` (UTC): the action done after
    `action_minutes`, the team mustered after `muster_minutes`."""
    with services.db.session() as s:
        demo = s.scalars(select(Drill).join(DrillRun, DrillRun.drill_id == Drill.id)
                         .where(Drill.plan_id == 1).order_by(DrillRun.id)).first()
        port_id, level = demo.port_id, demo.level
    saved = clock.now
    clock.now = at
    drill = services.drills.schedule_drill(port_id, "旅检大厅复盘演练", DrillKind.LIVE, at, plan_id=1, level=level)
    run = services.runs.start_run(drill, confirm_early=True)
    with services.db.session() as s:
        item = s.scalar(select(ChecklistEntry.id).where(ChecklistEntry.drill_run_id == run,
                                                        ChecklistEntry.text == ACTION))
    clock.now = at + timedelta(minutes=action_minutes)
    services.runs.tick(item, expected_version=services.runs.version_of(ChecklistEntry, item))
    clock.now = at + timedelta(minutes=muster_minutes)
    services.runs.add_log_entry("机动队集结完毕", drill_run_id=run, kind=LogKind.MUSTER)
    clock.now = at + timedelta(minutes=50)
    services.runs.end_run(run)
    clock.now = saved
    return run


def test_pick_a_plan_and_an_action_the_charts_hold_its_drills(qtbot, trends, demo_world, demo_clock):
    services = demo_world.services
    # two more drills of plan 01 after the demo's one; the first at 01:00 on 11 February in the port (UTC+8)
    _finished_drill(services, demo_clock, datetime(2026, 2, 10, 17, 0), action_minutes=6, muster_minutes=11)
    _finished_drill(services, demo_clock, datetime(2026, 2, 26, 1, 30), action_minutes=4, muster_minutes=8)
    trends.refresh()

    # every plan: one bar per finished drill, its share on target
    shares = services.trends.on_target_shares()
    assert len(shares) == 8
    assert trends.plotted_shares() == [(float(i), round(100 * s.on_target / s.timed, 1))
                                       for i, s in enumerate(shares)]
    assert not trends.empty.isVisibleTo(trends) and trends.minutes.isVisibleTo(trends)

    trends.plan.setFocus()
    trends.plan.setCurrentIndex(trends.plan.findData(1))
    assert "QH-YA-01" in trends.plan.currentText() and "(3 drills)" in trends.plan.currentText()
    assert trends.x_labels() == ["2025-09-03", "2026-02-11", "2026-02-26"], "dated in the port's zone"

    # search the picker by typing part of the action's words, and take the match
    edit = trends.action.lineEdit()
    edit.selectAll()
    _type_with_input_method(edit, "接报后核实")
    popup = trends.action.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    assert popup.model().rowCount() == 1
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    trend = trends.current_trend()
    assert trend is not None and trend.label == ACTION
    assert trends.plotted_minutes() == [(0.0, 3.25), (1.0, 6.0), (2.0, 4.0)]
    assert trends.plotted_targets() == [(0.0, 5.0), (1.0, 5.0), (2.0, 5.0)]
    assert trends.plotted_late() == [(1.0, 6.0)]
    assert trends.legend_names() == ["Measured", "Target", "Late"]
    assert trends.summary.text().endswith("measured in 3 of 3 drills, late in 1; last 4.0 min, best 3.2 min.")
    plan_shares = services.trends.on_target_shares(1)
    assert trends.plotted_shares() == [(float(i), round(100 * s.on_target / s.timed, 1))
                                       for i, s in enumerate(plan_shares)]

    # the time to muster, the same way
    assert trends.select_action(MUSTER_KEY)
    assert trends.plotted_minutes() == [(0.0, 14.0), (1.0, 11.0), (2.0, 8.0)]
    assert trends.plotted_targets() == [] and trends.plotted_late() == []
    assert trends.legend_names() == ["Measured"], "the time to muster has no target: the legend names none"
    assert trends.summary.text().endswith("measured in 3 of 3 drills; last 8.0 min, best 8.0 min.")

    trends.resize(900, 640)
    assert not trends.grab().isNull()


def test_no_finished_drill_shows_the_empty_state(qtbot, world):
    view = TrendsView(world.services.trends)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.activate()
    assert view.overview is not None and view.overview.shares == ()
    assert view.empty.isVisible() and not view.minutes.isVisible()
    assert view.action.count() == 0 and view.plan.count() == 1
    assert view.plotted_minutes() == [] and view.plotted_shares() == []
    assert not view.grab().isNull()
    QApplication.processEvents()


def test_an_action_measured_in_one_drill_shows_its_target(qtbot, trends):
    """One drill gives the dashed target line nothing to join: each drill's target is also a bar of its own (the
    demo's actions, each drilled once, showed a point and no target at all; screenshots of issue 10)."""
    once = next(t for t in trends.overview.trends
                if len([p for p in t.points if p.minutes is not None and p.target is not None]) == 1)
    assert trends.select_action(once.key)
    point = next(p for p in once.points if p.minutes is not None)
    x = float([s.run_id for s in trends.overview.shares].index(point.run_id))
    assert trends.plotted_targets() == [(x, float(point.target))]
    assert trends.target.opts["symbol"] == "_" and trends.target.opts["symbolPen"] is not None
