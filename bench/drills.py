"""Benchmarks `drill_coverage` and `drill_programme` (issue 9).

- **drill_coverage**: the coverage matrix (plan × level × branch, `services/coverage.compute`) of the demo port
  on the large demo database (200 more plans, 5,000 more drills; the same cached database as `startup`),
  computed N times (default 20) in-process, each in its own read session. Target: median **under 200 ms**.
- **drill_programme**: the programme proposal (CP-SAT, `services/programme.py`) for next year of the demo
  port (11 plans × 4 levels × 4 branches, 12 live drills and 4 tabletops, at most 2 a month, a week apart,
  weekdays only), on 2 workers, N times (default 3) on a fresh demo database made in-process. Target: each
  proposal **under 10 s**; the table reports the cells covered of those due.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.runner import Context, register

COVERAGE_TARGET_S = 0.2
PROGRAMME_TARGET_S = 10.0


def _open(path: Path) -> Any:
    from drillapp.db import Database

    return Database.open(f"sqlite:///{path.as_posix()}")


def _services(db: Any) -> Any:
    from sqlalchemy import select

    from drillapp.demo import DEMO_PORT
    from drillapp.models import Port
    from drillapp.services import Services
    from drillapp.services.context import SYSTEM_ACTOR, PortScope

    with db.session() as s:
        port = s.scalar(select(Port).where(Port.code == DEMO_PORT))
        scope = PortScope(port.id, port.code, port.name_zh, port.time_zone)
    return Services(db, SYSTEM_ACTOR, scope=scope)


@register("drill_coverage")
def drill_coverage(ctx: Context) -> dict[str, Any]:
    """The coverage matrix on the large demo (target: median under 200 ms)."""
    from bench.startup import large_database

    cached, info = large_database(ctx)
    times, cells, drills = [], 0, 0
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "large.sqlite3"
        shutil.copyfile(cached, copy)
        db = _open(copy)
        try:
            services = _services(db)
            from sqlalchemy import func, select

            from drillapp.models import ContingencyPlan, Drill

            with db.session() as s:
                drills = s.scalar(select(func.count()).select_from(Drill))
                plans = s.scalar(select(func.count()).select_from(ContingencyPlan))
            services.coverage.matrix()  # warm-up: imports, first statements
            for _ in range(ctx.repeat_or(20)):
                t0 = time.perf_counter()
                matrix = services.coverage.matrix()
                times.append(time.perf_counter() - t0)
                cells = len(matrix.cells)
        finally:
            db.dispose()
    median = statistics.median(times)
    return {
        "status": "PASS" if median < COVERAGE_TARGET_S else "FAIL",
        "headline": f"{median * 1000:.0f} ms median for {cells:,} cells (target < 200 ms)",
        "title": "coverage matrix of the demo port on the large demo",
        "table": {"columns": ["plans", "drills", "cells", "median", "min", "max"],
                  "rows": [[plans, drills, cells, f"{median * 1000:.1f} ms", f"{min(times) * 1000:.1f} ms",
                            f"{max(times) * 1000:.1f} ms"]]},
        "times_s": times, "database": info,
    }


@register("drill_programme")
def drill_programme(ctx: Context) -> dict[str, Any]:
    """The year's programme proposal for the demo port, 16 drills (target: under 10 s)."""
    from drillapp import schema
    from drillapp.demo import DemoService
    from drillapp.services.context import SYSTEM_ACTOR
    from drillapp.services.programme import ProgrammeRequest
    from drillapp.services.users import UserService

    year = date.today().year + 1
    rows, times = [], []
    with tempfile.TemporaryDirectory() as tmp:
        db = _open(Path(tmp) / "demo.sqlite3")
        try:
            schema.upgrade(db.engine)
            actor = UserService(db, SYSTEM_ACTOR).ensure_local_user("bench")
            DemoService(db, actor).load_demo()
            services = _services(db)
            request = ProgrammeRequest(year, live=12, tabletop=4, max_per_month=2, min_gap_days=7, time_limit=6.0)
            for _ in range(ctx.repeat_or(3)):
                t0 = time.perf_counter()
                proposal = services.programme.propose(request)
                seconds = time.perf_counter() - t0
                times.append(seconds)
                rows.append([len(proposal.drills), proposal.due_cells, proposal.covered_cells,
                             len(proposal.uncovered), proposal.status, f"{proposal.seconds:.2f} s", f"{seconds:.2f} s"])
        finally:
            db.dispose()
    worst = max(times)
    covered = rows[-1][2]
    due = rows[-1][1]
    return {
        "status": "PASS" if worst < PROGRAMME_TARGET_S and rows[-1][0] == 16 else "FAIL",
        "headline": f"{worst:.2f} s worst of {len(times)}, {covered} of {due} due cells covered (target < 10 s)",
        "title": f"programme proposal for {year}: 12 live + 4 tabletop drills, 2 workers",
        "table": {"columns": ["drills", "due cells", "covered", "uncovered", "status", "solve", "total"],
                  "rows": rows},
        "times_s": times,
    }
