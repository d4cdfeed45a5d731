"""Benchmark `tick_commit`: click to durable commit of a checklist tick, on SQLite in WAL mode (synchronous as
the app sets it: FULL) with the large demo database, over 1,000 ticks; beside a bare INSERT + commit on the same
file with the same settings, as the baseline. Target: the tick's p99 under 20 ms.

A tick is the service call the console makes (`RunService.tick`: permission, account check, the run's chain
lock, the checklist event with its hash, the item's state, the audit trail, the commit), timed from the call
to its return, when the commit is on disk. The run is an unplanned drill of the demo's first plan, started in
a copy of the cached large database (bench/startup.py makes it); its items are ticked done and reopened in
turn. 20 ticks of warm-up are not counted. The baseline inserts one row per transaction into a table of its
own, with Python's sqlite3 and the app's pragmas.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.runner import Context, register
from drillapp.models import ChecklistEntry

TARGET_P99_MS = 20.0
DEFAULT_TICKS = 1000
WARM_UP = 20


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def _summary(times_s: list[float]) -> dict[str, float]:
    ms = [t * 1000 for t in times_s]
    return {"p50": statistics.median(ms), "p95": _percentile(ms, 0.95), "p99": _percentile(ms, 0.99),
            "max": max(ms), "mean": statistics.fmean(ms)}


def _app_ticks(db_path: Path, n: int) -> tuple[list[float], str]:
    from sqlalchemy import select

    from drillapp import schema
    from drillapp.db import Database
    from drillapp.models import ContingencyPlan, PlanVersion
    from drillapp.models.enums import ItemState, PlanStatus
    from drillapp.services import Services
    from drillapp.services.context import SYSTEM_ACTOR
    from drillapp.services.users import UserService

    db = Database.open(f"sqlite:///{db_path.as_posix()}")
    try:
        schema.upgrade(db.engine)
        with db.engine.connect() as conn:
            mode = str(conn.exec_driver_sql("PRAGMA synchronous").scalar())
        from bench.startup import BENCH_USER

        actor = UserService(db, SYSTEM_ACTOR).ensure_local_user(BENCH_USER)
        services = Services(db, actor)
        with db.session() as s:
            plan_id = s.scalar(select(ContingencyPlan.id).join(PlanVersion, PlanVersion.plan_id == ContingencyPlan.id)
                               .where(PlanVersion.status == PlanStatus.APPROVED).order_by(ContingencyPlan.id).limit(1))
        run_id = services.runs.start_unplanned(plan_id, None)
        items = [i.id for i in services.console.snapshot(run_id).items]
        done: set[int] = set()
        times: list[float] = []
        for k in range(n + WARM_UP):
            item = items[k % len(items)]
            state = ItemState.OPEN if item in done else ItemState.DONE
            t0 = time.perf_counter()
            services.runs.tick(item, state, expected_version=services.runs.version_of(ChecklistEntry, item))
            elapsed = time.perf_counter() - t0
            done.symmetric_difference_update({item})
            if k >= WARM_UP:
                times.append(elapsed)
        assert services.console.verify_log(run_id).intact
        return times, mode
    finally:
        db.dispose()


def _bare_inserts(db_path: Path, n: int, synchronous: str) -> list[float]:
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute(f"PRAGMA synchronous={synchronous}")
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.execute("CREATE TABLE IF NOT EXISTS bench_bare (id INTEGER PRIMARY KEY, at TEXT, text TEXT)")
        times = []
        for k in range(n + WARM_UP):
            t0 = time.perf_counter()
            conn.execute("BEGIN")
            conn.execute("INSERT INTO bench_bare (at, text) VALUES (datetime('now'), ?)", (f"tick {k}",))
            conn.execute("COMMIT")
            elapsed = time.perf_counter() - t0
            if k >= WARM_UP:
                times.append(elapsed)
        return times
    finally:
        conn.close()


@register("tick_commit")
def tick_commit(ctx: Context) -> dict[str, Any]:
    """A checklist tick, click to durable commit, on the large demo database (SQLite WAL), vs a bare INSERT."""
    from bench.startup import large_database

    n = ctx.repeat_or(DEFAULT_TICKS)
    cached, db_info = large_database(ctx)
    with tempfile.TemporaryDirectory(prefix="drillapp-tick-") as tmp:
        db_path = Path(tmp) / "tick.sqlite3"
        shutil.copyfile(cached, db_path)
        ctx.log(f"{n} ticks through the service ...")
        if ctx.self_test:  # the harness alone: the bare insert on both sides
            app, mode = _bare_inserts(db_path, n, "FULL"), "2"
        else:
            app, mode = _app_ticks(db_path, n)
        ctx.log(f"{n} bare INSERT + COMMIT ...")
        bare = _bare_inserts(db_path, n, {"0": "OFF", "1": "NORMAL", "2": "FULL", "3": "EXTRA"}.get(mode, "FULL"))
    a, b = _summary(app), _summary(bare)
    status = "PASS" if a["p99"] < TARGET_P99_MS else "FAIL"
    return {
        "status": status,
        "headline": f"tick p99 {a['p99']:.1f} ms (target < {TARGET_P99_MS:g} ms); "
                    f"{a['p50'] / b['p50']:.1f}x a bare INSERT + commit at the median",
        "title": f"checklist tick, click to durable commit ({n} ticks, SQLite WAL, synchronous={mode})",
        "table": {"columns": ["side", "p50", "p95", "p99", "max", "mean"],
                  "rows": [[side, *(f"{s[k]:.2f} ms" for k in ("p50", "p95", "p99", "max", "mean"))]
                           for side, s in (("tick (app)", a), ("bare INSERT+COMMIT", b))]
                  + [["ratio app/bare", *(f"{a[k] / b[k]:.1f}x" for k in ("p50", "p95", "p99", "max", "mean"))]]},
        "notes": [f"database: {db_info.get('counts')}", f"synchronous={mode} (2 = FULL)"],
        "app_ms": [t * 1000 for t in app], "bare_ms": [t * 1000 for t in bare], "database": db_info,
    }
