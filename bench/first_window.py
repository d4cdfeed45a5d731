"""Benchmark `first_window`: cold start of drillapp to its FIRST window (the log-in dialog) painted, side by side
with a bare PySide6 window started the same way; and resident memory at idle next to the bare window's.
Targets: first window app/bare at most 1.5x (ready, median); memory at idle at most 3x the bare window's.

The sides are fresh processes, as in bench/startup.py (same large demo database, same environment, one warm-up
each, then N interleaved runs):
- *first window*: `python -m drillapp --db sqlite:///COPY` with DRILLAPP_BENCH_FIRST_WINDOW=1 and no credentials:
  the database has a password, so the log-in dialog is the first window. drillapp/ui/start.py prints
  `BENCH_READY <seconds since process start>` and `BENCH_RSS <KiB>` after its first paint (a zero timer, as the
  bare window does), then cancels it and ends (after the opening it started: "wall" includes that).
- *bare*: `python bench/bare_window.py` (BENCH_READY, BENCH_RSS after its first paint).
- *main window idle* (memory only, and for reference its time): the startup benchmark's side, logged in with
  DRILLAPP_USER/DRILLAPP_PASSWORD, reporting once the dashboard is filled and the loop idle.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench import proc_clock
from bench.runner import BENCH_DIR, Context, register
from bench.startup import (
    BENCH_ENV,
    BENCH_PASSWORD,
    BENCH_USER,
    Run,
    _describe,
    _ratio,
    _s,
    _summary,
    _x,
    large_database,
    run_process,
    sqlite_url,
)

TARGET_RATIO = 1.5
TARGET_MEMORY_RATIO = 3.0
DEFAULT_REPEAT = 7
MAIN_WINDOW_RUNS = 3
SIDES = ("first", "bare", "main")
NO_BYTECODE = "PYTHONDONTWRITEBYTECODE"
NAMES = {"first": "drillapp first window (log-in)", "bare": "bare PySide6 window",
         "main": "drillapp main window, dashboard filled"}


def bytecode_env(ctx: Context) -> dict[str, str]:
    """Both sides start with compiled bytecode, as an installed app does: this machine's environment sets
    PYTHONDONTWRITEBYTECODE=1, which would have drillapp's own modules compiled from source at every start (the
    bare window has none to compile). The bytecode goes to a cache folder of the benchmark's (the warm-up run
    writes it); the repository is left as it is."""
    return {"PYTHONPYCACHEPREFIX": str(ctx.results_dir / "cache" / "pycache")}


def _rss_kib(run: Run) -> int | None:
    for line in run.stdout_tail:
        if line.startswith("BENCH_RSS "):
            try:
                return int(line.split()[1])
            except (IndexError, ValueError):
                return None
    return None


def _mib(kib: float | None) -> str:
    return "-" if kib is None else f"{kib / 1024:.0f} MiB"


@register("first_window")
def first_window(ctx: Context) -> dict[str, Any]:
    """Cold start to the first window (log-in dialog) painted, against a bare PySide6 window; memory at idle."""
    repeat = ctx.repeat_or(DEFAULT_REPEAT)
    cached_db, db_info = large_database(ctx)
    bare_cmd = [sys.executable, str(BENCH_DIR / "bare_window.py")]
    runs: list[Run] = []
    failed: dict[str, Run] = {}
    rss: dict[str, list[int]] = {side: [] for side in SIDES}
    with tempfile.TemporaryDirectory(prefix="drillapp-bench-first-window-") as tmp:
        db = Path(tmp) / "large.sqlite3"
        shutil.copyfile(cached_db, db)
        app_cmd = list(bare_cmd) if ctx.self_test else [sys.executable, "-m", "drillapp", "--db", sqlite_url(db)]
        commands = {"first": app_cmd, "bare": bare_cmd, "main": app_cmd}
        base = bytecode_env(ctx) | {k: v for k, v in os.environ.items()
                                    if k not in ("DRILLAPP_DB", "DRILLAPP_USER", "DRILLAPP_PASSWORD", NO_BYTECODE)}
        envs = {
            "first": base | {"QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1", "DRILLAPP_BENCH_FIRST_WINDOW": "1"},
            "bare": base | BENCH_ENV,
            "main": base | BENCH_ENV | {"DRILLAPP_USER": BENCH_USER, "DRILLAPP_PASSWORD": BENCH_PASSWORD},
        }
        if ctx.self_test:
            ctx.log("self-test: the bare window stands in for the app")
        for label in ["warm-up"] + [str(i) for i in range(1, repeat + 1)]:
            for side in SIDES:
                if side in failed or (side == "main" and label not in ("warm-up", *map(str, range(1, MAIN_WINDOW_RUNS + 1)))):
                    continue
                home = tempfile.mkdtemp(prefix=f"home-{side}-", dir=tmp)
                run = run_process(side, label, commands[side], envs[side] | {"DRILLAPP_HOME": home}, ctx.timeout)
                runs.append(run)
                kib = _rss_kib(run)
                ctx.log(_describe(run) + (f", rss {_mib(kib)}" if kib else ""))
                if not run.ok:
                    failed[side] = run
                elif label != "warm-up" and kib is not None:
                    rss[side].append(kib)

    stats = {side: _summary(runs, side) for side in SIDES}
    for side in SIDES:
        stats[side]["rss_kib_median"] = statistics.median(rss[side]) if rss[side] else None
    first, bare, main = stats["first"], stats["bare"], stats["main"]
    ratio = _ratio(first["ready_s_median"], bare["ready_s_median"])
    ratios = {side: {key: _ratio(stats[side][key], bare[key]) for key in
                     ("ready_s_median", "ready_s_min", "seen_s_median", "wall_s_median", "rss_kib_median")}
              for side in ("first", "main")}
    memory_ratio = ratios["main"]["rss_kib_median"]
    rows = []
    for side in SIDES:
        counted = repeat if side != "main" else min(repeat, MAIN_WINDOW_RUNS)
        rows.append([NAMES[side], f"{stats[side]['ok']}/{counted}" + (" ERROR" if side in failed else ""),
                     _s(stats[side]["ready_s_median"]), _s(stats[side]["ready_s_min"]),
                     _s(stats[side]["seen_s_median"]), _s(stats[side]["wall_s_median"]),
                     _mib(stats[side]["rss_kib_median"])])
    for side in ("first", "main"):
        r = ratios[side]
        rows.append([f"ratio {side}/bare", "", _x(r["ready_s_median"]), _x(r["ready_s_min"]),
                     _x(r["seen_s_median"]), _x(r["wall_s_median"]), _x(r["rss_kib_median"])])
    notes = [f"{side} side, {run.round} run: {run.error}" for side, run in failed.items()]
    for run in failed.values():
        notes += [f"  stderr| {line}" for line in run.stderr_tail]
    notes.append("bytecode: cached under bench/results/cache/pycache for every side (an installed app has it; "
                 f"{NO_BYTECODE} dropped); written by the warm-up runs")
    notes.append("wall (first window) includes finishing the database opening the dialog started, then exiting")
    if failed:
        status, headline = "ERROR", "; ".join(f"{side} side: {run.error}" for side, run in failed.items())
    elif ratio is None:
        status, headline = "ERROR", "no successful runs to compare"
    else:
        memory_ok = memory_ratio is None or memory_ratio <= TARGET_MEMORY_RATIO
        status = "PASS" if ratio <= TARGET_RATIO and memory_ok else "FAIL"
        headline = (f"first window/bare {ratio:.2f}x (ready, median; target <= {TARGET_RATIO}x): "
                    f"{first['ready_s_median']:.3f} s vs {bare['ready_s_median']:.3f} s; memory at idle "
                    f"{_mib(main['rss_kib_median'])} vs {_mib(bare['rss_kib_median'])} = {_x(memory_ratio)} "
                    f"(target <= {TARGET_MEMORY_RATIO}x)")
    counts = db_info.get("counts", {})
    title = (f"cold start to the first window painted; large demo DB ({counts.get('member', '?')} members, "
             f"{counts.get('log_entry', '?')} log entries); {repeat} runs per side after 1 warm-up, interleaved "
             f"(main window: {MAIN_WINDOW_RUNS} runs, for memory)" + ("; SELF-TEST" if ctx.self_test else ""))
    return {
        "status": status,
        "headline": headline,
        "title": title,
        "table": {"columns": ["side", "runs", "ready median", "ready min", "seen median", "wall median",
                              "RSS at idle"], "rows": rows},
        "notes": notes,
        "target_ratio": TARGET_RATIO,
        "target_memory_ratio": TARGET_MEMORY_RATIO,
        "ratio_ready_median": ratio,
        "memory_ratio": memory_ratio,
        "ratios": ratios,
        "repeat": repeat,
        "clock": proc_clock.clock_source(),
        "database": db_info,
        "commands": commands,
        "stats": stats,
        "rss_kib": rss,
        "runs": [asdict(r) for r in runs],
    }
