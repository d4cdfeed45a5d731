"""Screenshots of the drill screens for a human to look at (issue 10), in one language: the live console mid-drill
(a late item, an inject due), the tabletop's facilitator view and projector, the review editor's tabs, the
corrective-action tracker, the trends and the call-out trend chart.

Run under a real X server, on a copy of the demo database (it starts runs in it):
    drillapp --db /tmp/shots.sqlite demo
    xvfb-run -a -s "-screen 0 1600x1000x24" python tools/screenshots_drill.py --db /tmp/shots.sqlite \
        --lang zh_CN --out shots/
The first run on a database starts a live drill 17 minutes back (three items ticked, one late and open, the
inject at minute 12 due) and a tabletop two injects in (one action adequate, one a gap); later runs reuse them.
It grabs the whole X screen (what a person would see), not a widget rendering.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

SCREEN = (1600, 1000)


def prepare(world) -> tuple[int, int]:  # noqa: ANN001
    """The running live drill and tabletop (started here on the first run); their run ids."""
    from sqlalchemy import select

    from drillapp.clock import FixedClock, utcnow
    from drillapp.models import ChecklistEntry, Drill, DrillRun
    from drillapp.models.enums import Agency, DrillKind, DrillStatus, ItemState, MarkStatus
    from drillapp.services import Services

    with world.db.session() as s:
        running = {run.drill.kind: run.id for run in s.scalars(select(DrillRun).where(DrillRun.ended_at.is_(None)))}
        planned = {}
        for drill in s.scalars(select(Drill).where(Drill.status == DrillStatus.PLANNED)
                               .order_by(Drill.scheduled_start)):
            if drill.injects:
                planned.setdefault(drill.kind, drill.id)
    if DrillKind.LIVE not in running:
        clock = FixedClock(utcnow() - timedelta(minutes=17))
        services = Services(world.db, world.actor, clock, world.services.scope)
        runs = services.runs
        run_id = runs.start_run(planned[DrillKind.LIVE], confirm_early=True)
        start = clock.now
        with world.db.session() as s:
            items = list(s.scalars(select(ChecklistEntry).where(ChecklistEntry.drill_run_id == run_id)
                                   .order_by(ChecklistEntry.position, ChecklistEntry.id)))
            item_ids = [(i.id, i.target_minutes) for i in items]
        for n, (item, _target) in enumerate(item_ids[:3]):
            clock.now = start + timedelta(minutes=2 + 3 * n)
            runs.tick(item, ItemState.DONE, expected_version=runs.version_of(ChecklistEntry, item))
        clock.now = start + timedelta(minutes=6)
        runs.add_log_entry("旅检大厅已封控，现场无人员伤亡", drill_run_id=run_id, agency=Agency.BORDER_INSPECTION)
        clock.now = start + timedelta(minutes=9)
        runs.add_log_entry("海关监管科到位，暂停货运通道", drill_run_id=run_id, agency=Agency.CUSTOMS)
        if len(item_ids) > 4:  # one skipped with its reason
            clock.now = start + timedelta(minutes=11)
            item = item_ids[4][0]
            runs.tick(item, ItemState.SKIPPED, reason="本次演练不涉及", expected_version=runs.version_of(
                ChecklistEntry, item))
        running[DrillKind.LIVE] = run_id
    if DrillKind.TABLETOP not in running:
        clock = FixedClock(utcnow() - timedelta(minutes=40))
        services = Services(world.db, world.actor, clock, world.services.scope)
        runs = services.runs
        run_id = runs.start_run(planned[DrillKind.TABLETOP], confirm_early=True)
        for _step in range(2):
            clock.now += timedelta(minutes=12)
            runs.tabletop_advance(run_id)
        view = services.console.tabletop(run_id)
        step = view.current_step
        assert step is not None
        marks = [(MarkStatus.ADEQUATE, ""), (MarkStatus.GAP, "未明确由谁通知对方口岸"), (MarkStatus.DISCUSSED, "")]
        for (action, _mark), (status, note) in zip(step.expected, marks, strict=False):
            clock.now += timedelta(minutes=2)
            runs.tabletop_mark(run_id, step.index, action.key, status, note)
        running[DrillKind.TABLETOP] = run_id
    seed_callouts(world)
    return running[DrillKind.LIVE], running[DrillKind.TABLETOP]


def seed_callouts(world) -> None:  # noqa: ANN001
    """Five past call-out tests, a month apart (the demo has none): eight members called, six required, arriving
    sooner test by test, one no-show in the second; so the call-out trend chart has something to show."""
    from sqlalchemy import func, select

    from drillapp.clock import FixedClock, utcnow
    from drillapp.models import Branch, CalloutTest, Member
    from drillapp.models.enums import MemberStatus
    from drillapp.services import Services

    port_id = world.services.scope.id
    with world.db.session() as s:
        if s.scalar(select(func.count()).select_from(CalloutTest)):
            return
        members = list(s.scalars(select(Member.id).join(Branch, Member.branch_id == Branch.id).where(
            Branch.port_id == port_id, Member.status == MemberStatus.ACTIVE).order_by(Member.id).limit(8)))
    for n in range(5):
        clock = FixedClock(utcnow().replace(hour=1, minute=0, second=0, microsecond=0) - timedelta(days=30 * (5 - n)))
        callouts = Services(world.db, world.actor, clock, world.services.scope).callouts
        test = callouts.start_test(port_id, members, required_strength=6, announced=n % 2 == 0)
        start = clock.now
        coming = members[:7] if n == 1 else members
        for k, member in enumerate(coming):
            clock.now = start + timedelta(minutes=1 + k // 3)
            callouts.acknowledge(test, member)
        for k, member in enumerate(coming):
            clock.now = start + timedelta(minutes=24 - 3 * n + 2 * k, seconds=10 * k)
            callouts.arrive(test, member)
        callouts.end_test(test)  # who has not come is a no-show


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--review", type=int, help="the review to open (default: the newest draft with findings)")
    parser.add_argument("--delay", type=int, default=1500, help="ms to wait on each screen")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QTabWidget, QWidget

    from drillapp.bootstrap import open_world
    from drillapp.ui.app import AppController, apply_language, create_application

    world = open_world(args.db)
    live_id, tabletop_id = prepare(world)
    review_id = args.review or newest_review(world)
    app = create_application()
    apply_language(app, args.lang)
    controller = AppController(app, world)
    window = controller.show()
    window.move(0, 0)
    window.resize(*SCREEN)
    state: dict[str, QWidget] = {}

    def place(widget: QWidget) -> None:
        widget.showNormal()
        widget.move(0, 0)
        widget.resize(*SCREEN)
        widget.raise_()
        widget.activateWindow()

    def console(run_id: int) -> QWidget:
        return window.consoles.consoles[run_id]

    def tab(widget: QWidget, index: int) -> None:
        widget.findChild(QTabWidget, "reviewTabs").setCurrentIndex(index)  # type: ignore[union-attr]

    def area_tab(area: str, title_index: int) -> None:
        window.show_area(area)
        window.raise_()
        page = window.pages[area]
        page.tabs.setCurrentIndex(title_index)  # type: ignore[union-attr]

    def open_editor() -> None:
        state["editor"] = window.review_opener.open_review(review_id)
        place(state["editor"])

    def findings() -> None:
        editor = state["editor"]
        tab(editor, 2)
        with_actions = next((f.id for f in editor.doc.findings if f.actions), None)
        if with_actions is not None:
            editor.findings.select(with_actions)

    def timed_action() -> None:
        """The trend of the timed action measured in the most drills (late in the most of them)."""
        view = window.pages["reviews"].tabs.widget(2).widget  # type: ignore[union-attr]  # the built LazyTab
        trends = [t for t in view.overview.trends if any(p.target is not None for p in t.points)]
        best = max(trends, key=lambda t: (sum(p.minutes is not None for p in t.points),
                                          sum(bool(p.late) for p in t.points)))
        view.select_action(best.key)

    def callouts() -> None:
        window.show_area("team")
        page = window.pages["team"]
        tabs = page.tabs  # type: ignore[union-attr]
        tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.widget(i).objectName() == "calloutPage"))

    def projector() -> None:
        console(tabletop_id).show_projector()  # type: ignore[attr-defined]
        screen = console(tabletop_id).projector  # type: ignore[attr-defined]
        screen.setGeometry(0, 0, *SCREEN)  # full screen needs a window manager; Xvfb has none

    def close_consoles() -> None:
        for run_id in (live_id, tabletop_id):
            console(run_id).close()
        state.pop("editor").close() if "editor" in state else None
        place(window)

    steps: list[tuple[str, Callable[[], None]]] = [
        ("console-live", lambda: place(console(live_id))),
        ("tabletop-facilitator", lambda: place(console(tabletop_id))),
        ("tabletop-projector", projector),
        ("review-overview", lambda: (console(tabletop_id).projector.close(), open_editor())),  # type: ignore[attr-defined]
        ("review-objectives", lambda: tab(state["editor"], 1)),
        ("review-findings", findings),
        ("reviews-list", lambda: (close_consoles(), area_tab("reviews", 0))),
        ("reviews-tracker", lambda: area_tab("reviews", 1)),
        ("reviews-trends", lambda: area_tab("reviews", 2)),
        ("reviews-trends-timed-action", timed_action),
        ("team-callout-trend", callouts),
    ]

    def shoot(i: int) -> None:
        if i > 0:
            name = args.out / f"{args.lang}-{i - 1:02d}-{steps[i - 1][0]}.png"
            QGuiApplication.primaryScreen().grabWindow(0).save(str(name))
            print(name, flush=True)
        if i == len(steps):
            app.quit()
            return
        steps[i][1]()
        QTimer.singleShot(args.delay, lambda: shoot(i + 1))

    def wait_for_consoles() -> None:
        if all(r in window.consoles.consoles for r in (live_id, tabletop_id)):
            QTimer.singleShot(args.delay, lambda: shoot(0))
        else:
            QTimer.singleShot(200, wait_for_consoles)

    QTimer.singleShot(args.delay, wait_for_consoles)
    return app.exec()


def newest_review(world) -> int:  # noqa: ANN001
    """The newest draft review with a corrective action, else the newest review."""
    from sqlalchemy import select

    from drillapp.models import AfterActionReview as Review
    from drillapp.models import CorrectiveAction, Finding

    with world.db.session() as s:
        with_actions = s.scalars(select(Review.id).join(Finding, Finding.review_id == Review.id)
                                 .join(CorrectiveAction, CorrectiveAction.finding_id == Finding.id)
                                 .where(Review.signed_off_at.is_(None)).order_by(Review.id.desc())).first()
        return with_actions or s.scalars(select(Review.id).order_by(Review.id.desc())).first()


if __name__ == "__main__":
    sys.exit(main())
