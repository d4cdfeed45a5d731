"""Benchmark `console_stall`: the drill console stays live with 400 checklist items and 10,000 log lines while
the clock runs. Target: no GUI-thread stall over 50 ms.

A run is set up on a new SQLite file (the demo, an unplanned drill of its first plan, its checklist grown to 400
items and its log to 10,000 chained lines in one operation). The real console window is opened on it
(offscreen) with the real clock and its 1-second tick; reads run in the thread pool as in the app, and every
2 seconds the run is read again as when another desk's tick arrives. A probe QTimer at 10 ms measures the GUI
thread's lateness (how much later than due each timeout fires): its maximum is the stall. The clock tick's own
duration (recompute the view, repaint what changed) and the reload's GUI-thread part are reported beside it.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.runner import Context, register

TARGET_MS = 50.0
ITEMS = 400
LOG_LINES = 10_000
PROBE_MS = 10
DEFAULT_SECONDS = 12


def _setup(db_path: Path) -> tuple[Any, Any, int]:
    from sqlalchemy import select

    from drillapp.bootstrap import open_world
    from drillapp.demo import DemoService
    from drillapp.models import ChecklistEntry, ContingencyPlan, PlanVersion
    from drillapp.models.enums import Agency, LogKind, PlanStatus, ResponsePhase
    from drillapp.services import audit, run_chain

    world = open_world(f"sqlite:///{db_path.as_posix()}", username="bench")
    DemoService(world.db, world.actor).load_demo()
    services = world.services
    with world.db.session() as s:
        plan_id = s.scalar(select(ContingencyPlan.id).join(PlanVersion, PlanVersion.plan_id == ContingencyPlan.id)
                           .where(PlanVersion.status == PlanStatus.APPROVED).order_by(ContingencyPlan.id).limit(1))
    run_id = services.runs.start_unplanned(plan_id, None)
    with services.runs.write("runs.add_log_entry") as s:
        have = s.scalar(select(ChecklistEntry.id).where(ChecklistEntry.drill_run_id == run_id).limit(1))
        count = len(list(s.scalars(select(ChecklistEntry.id).where(ChecklistEntry.drill_run_id == run_id))))
        agencies, phases = list(Agency), list(ResponsePhase)
        for n in range(count, ITEMS):
            s.add(ChecklistEntry(drill_run_id=run_id, agency=agencies[n % 4], phase=phases[(n // 40) % len(phases)],
                                 position=1000 + n, text=f"第{n}项：检查并报告 <{n}> & 记录", target_minutes=1 + n % 90))
        now = audit.operation_time(s)
        with run_chain.ChainWriter(s, run_chain.run(run_id)) as chain:
            for n in range(LOG_LINES):
                at = now - timedelta(seconds=LOG_LINES - n)
                chain.log(at=at, recorded_at=at, author_id=world.actor.user_id, author_name="bench",
                          kind=LogKind.NOTE, agency=agencies[n % 4], text=f"现场报告第{n}条")
        assert have is not None
    return world, services, run_id


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


@register("console_stall")
def console_stall(ctx: Context) -> dict[str, Any]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from drillapp.ui.console.window import RunConsole

    seconds = ctx.repeat_or(DEFAULT_SECONDS)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        ctx.log(f"console_stall: setting up a run with {ITEMS} items and {LOG_LINES:,} log lines…")
        world, services, run_id = _setup(Path(tmp) / "stall.sqlite3")
        try:
            console = RunConsole(services.runs, services.console, services.reviews, run_id)
            console.resize(1600, 1000)
            console.show()
            first_load = QElapsedTimer()
            first_load.start()
            while console.snapshot is None and first_load.elapsed() < 60_000:
                app.processEvents()
            assert console.snapshot is not None, "the run was not read"
            items, lines = len(console.snapshot.items), console.snapshot.log_total

            ticks: list[float] = []
            reloads: list[float] = []
            original_tick, original_loaded = console.tick_clock, console._loaded

            def timed_tick() -> None:
                t0 = time.perf_counter()
                original_tick()
                ticks.append((time.perf_counter() - t0) * 1000)

            def timed_loaded(snap: Any) -> None:
                t0 = time.perf_counter()
                original_loaded(snap)
                reloads.append((time.perf_counter() - t0) * 1000)

            console.timer.timeout.disconnect()
            console.timer.timeout.connect(timed_tick)
            console._loaded = timed_loaded  # type: ignore[method-assign]

            lateness: list[float] = []
            probe = QTimer()
            probe.setInterval(PROBE_MS)
            clock = QElapsedTimer()
            last = [0.0]

            def probed() -> None:
                now = clock.nsecsElapsed() / 1e6
                lateness.append(max(0.0, now - last[0] - PROBE_MS))
                last[0] = now

            probe.timeout.connect(probed)
            other_desk = QTimer()
            other_desk.setInterval(2000)
            other_desk.timeout.connect(console.reload)
            clock.start()
            probe.start()
            other_desk.start()
            run = QElapsedTimer()
            run.start()
            while run.elapsed() < seconds * 1000:
                app.processEvents()
                time.sleep(0.001)
            probe.stop()
            other_desk.stop()
            console.timer.stop()
            console.close()
            from drillapp.ui import operations

            operations.wait_for_all()
            app.processEvents()
            console.deleteLater()
            probe.deleteLater()
            other_desk.deleteLater()
            app.processEvents()
            del console
        finally:
            world.db.dispose()
    worst = max(lateness) if lateness else 0.0
    status = "PASS" if worst <= TARGET_MS else "FAIL"
    rows = [
        ["probe lateness (GUI thread stall)", len(lateness), f"{statistics.median(lateness):.1f}",
         f"{_percentile(lateness, 0.99):.1f}", f"{worst:.1f}"],
        ["clock tick (recompute + repaint)", len(ticks), f"{statistics.median(ticks):.1f}" if ticks else "-",
         f"{_percentile(ticks, 0.99):.1f}" if ticks else "-", f"{max(ticks):.1f}" if ticks else "-"],
        ["reload, GUI-thread part", len(reloads), f"{statistics.median(reloads):.1f}" if reloads else "-",
         f"{_percentile(reloads, 0.99):.1f}" if reloads else "-", f"{max(reloads):.1f}" if reloads else "-"],
    ]
    return {
        "status": status,
        "headline": f"max GUI stall {worst:.1f} ms over {seconds} s with {items} items, {lines:,} log lines "
                    f"(target <= {TARGET_MS:.0f} ms)",
        "title": f"console live: {items} items, {lines:,} log lines, {seconds} s",
        "table": {"columns": ["measure (ms)", "n", "p50", "p99", "max"], "rows": rows},
        "lateness_ms": lateness, "tick_ms": ticks, "reload_ms": reloads,
    }
