"""Benchmark `startup`: cold start of drillapp to its main window, shown and idle, with a large database,
side by side with a bare PySide6 window started the same way. Target: app/bare at most 1.5x.

Both sides are fresh processes (`python -m drillapp --db sqlite:///DB`, `python bench/bare_window.py`)
with QT_QPA_PLATFORM=offscreen, DRILLAPP_BENCH_EXIT_WHEN_IDLE=1 and a fresh DRILLAPP_HOME each. Each
prints `BENCH_READY <seconds since process start>` when its window is shown and the event loop idle,
then exits 0. Per run we keep that self-reported time ("ready") and the wall time from spawning the
process to its exit ("wall", which adds interpreter shutdown). One warm-up run per side (not counted),
then N runs per side interleaved app, bare, app, bare, ... so both share the machine's noise.
"Seen" is when the harness read the BENCH_READY line, from spawning the process: it does not depend
on the process's clock, so it cross-checks the self-report (a side whose "ready" is more than
CLOCK_TOLERANCE_S later than its "seen" has a wrong clock, and the result is an ERROR).
PASS/FAIL compares the medians of the self-reported times; the other ratios are shown beside it.

A side that fails (no BENCH_READY within --timeout, a non-zero exit) is killed, reported as an
error with the end of its stderr, and not run again; the other side carries on.

The large database (`python -m drillapp demo --large`: ~1,060 members, ~208 plans, ~5,000 drills,
~100,000 log entries) is made once and cached in bench/results/cache/, keyed by drillapp's version,
the schema head, a hash of drillapp/demo*.py and today's date (the demo data is laid out around today);
each benchmark run works on a fresh copy of it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bench import proc_clock
from bench.runner import BENCH_DIR, REPO_ROOT, Context, register

TARGET_RATIO = 1.5
DEFAULT_REPEAT = 5
READY = "BENCH_READY"
DEMO_TIMEOUT_S = 900.0
TAIL_LINES = 12
SIDES = ("app", "bare")
BENCH_ENV = {"QT_QPA_PLATFORM": "offscreen", "DRILLAPP_BENCH_EXIT_WHEN_IDLE": "1",
             # so a BENCH_READY line reaches us even if the process then hangs instead of exiting
             "PYTHONUNBUFFERED": "1"}
COUNTED_TABLES = ("member", "contingency_plan", "drill", "log_entry")
# A self-reported time can't be later than the moment the harness read the line, which is itself after
# the process was created; a right clock reads at most one tick (10 ms) high. More than this: it is off.
CLOCK_TOLERANCE_S = 0.05
# the administrator the benchmark database is given, so the app can log in unattended
BENCH_USER = "bench-admin"
BENCH_PASSWORD = "bench-password-2026"


@dataclass
class Run:
    side: str  # "app" or "bare"
    round: str  # "warm-up" or "1".."N"
    ready_s: float | None = None  # self-reported: process creation to main window shown and idle
    seen_s: float | None = None  # when the harness read the BENCH_READY line, from spawning the process
    wall_s: float | None = None  # spawning the process to its exit (or to its kill)
    exit_code: int | None = None
    error: str | None = None
    stdout_tail: list[str] = field(default_factory=list)
    stderr_tail: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


def _tail(lines: list[str], n: int = TAIL_LINES) -> list[str]:
    return [line for line in lines if line.strip()][-n:]


# -- the large demo database --------------------------------------------------------------------------


def _counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in COUNTED_TABLES}
    finally:
        conn.close()


def large_database(ctx: Context) -> tuple[Path, dict[str, Any]]:
    """The cached large demo database, made with `python -m drillapp demo --large` if missing."""
    import drillapp
    from drillapp import schema

    sources = sorted(Path(drillapp.__file__).resolve().parent.glob("demo*.py"))  # demo.py and its parts
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:10]
    key = f"{drillapp.__version__}-{schema.HEAD_REVISION}-{digest}-login-{date.today():%Y%m%d}"
    cache_dir = ctx.results_dir / "cache"
    path = cache_dir / f"large-demo-{key}.sqlite3"
    info: dict[str, Any] = {"cache": str(path), "key": key}
    if path.exists():
        info.update(created=False, counts=_counts(path))
        return path, info
    cache_dir.mkdir(parents=True, exist_ok=True)
    ctx.log(f"creating the large demo database (once; cached as {path.name}) ...")
    with tempfile.TemporaryDirectory(prefix=".creating-", dir=cache_dir) as tmp:
        db = Path(tmp) / "large.sqlite3"
        cmd = [sys.executable, "-m", "drillapp", "--db", sqlite_url(db), "demo", "--large"]
        env = {k: v for k, v in os.environ.items() if k != "DRILLAPP_DB"}
        env["DRILLAPP_HOME"] = str(Path(tmp) / "home")
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                                  text=True, encoding="utf-8", errors="replace", timeout=DEMO_TIMEOUT_S)
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(f"`{' '.join(cmd)}` took over {DEMO_TIMEOUT_S:g} s") from exc
        if proc.returncode != 0:
            tail = " | ".join(_tail((proc.stderr or proc.stdout).splitlines(), 5))
            raise RuntimeError(f"`{' '.join(cmd)}` exited with code {proc.returncode}: {tail}")
        # the app logs in at start: give the database an administrator with a password, and the app
        # side the credentials (DRILLAPP_USER / DRILLAPP_PASSWORD), as an unattended start would
        add = [sys.executable, "-m", "drillapp", "--db", sqlite_url(db), "users", "add", BENCH_USER,
               "--role", "administrator"]
        proc = subprocess.run(add, cwd=REPO_ROOT, env=env | {"DRILLAPP_NEW_PASSWORD": BENCH_PASSWORD},
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(f"`{' '.join(add)}` exited with code {proc.returncode}: {proc.stderr.strip()}")
        info["seconds_to_create"] = round(time.perf_counter() - t0, 1)
        info["counts"] = _counts(db)  # closing the last connection also folds the WAL into the file
        for stale in cache_dir.glob("large-demo-*.sqlite3*"):
            stale.unlink()
        os.replace(db, path)
    info["created"] = True
    ctx.log(f"created in {info['seconds_to_create']} s: {info['counts']}")
    return path, info


# -- one process --------------------------------------------------------------------------------------


def _kill_tree(proc: subprocess.Popen[str]) -> None:
    """Kill the (not yet reaped) process and anything it started in its session."""
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except ProcessLookupError:
        pass


def run_process(side: str, label: str, cmd: list[str], env: dict[str, str], timeout: float) -> Run:
    """Start `cmd`, wait for it to exit (killing it after `timeout` s), and read its BENCH_READY line."""
    run = Run(side, label)
    out: list[tuple[float, str]] = []
    err: list[str] = []
    posix = {"start_new_session": True} if os.name == "posix" else {}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace", **posix)

    def pump_stdout() -> None:
        for line in proc.stdout:  # type: ignore[union-attr]
            out.append((time.perf_counter() - t0, line.rstrip("\r\n")))

    def pump_stderr() -> None:
        for line in proc.stderr:  # type: ignore[union-attr]
            err.append(line.rstrip("\r\n"))

    pumps = [threading.Thread(target=f, daemon=True) for f in (pump_stdout, pump_stderr)]
    for pump in pumps:
        pump.start()
    timed_out = False
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill_tree(proc)
        proc.wait()
    run.wall_s = time.perf_counter() - t0
    for pump in pumps:
        pump.join(timeout=5)
    held_open = any(pump.is_alive() for pump in pumps)
    run.exit_code = proc.returncode
    run.stdout_tail = _tail([line for _, line in out])
    run.stderr_tail = _tail(err)

    ready = next(((t, line) for t, line in out if line.startswith(READY)), None)
    if ready is not None:
        run.seen_s = ready[0]
        try:
            run.ready_s = float(ready[1].split()[1])
        except (IndexError, ValueError):
            run.error = f"malformed line {ready[1]!r} (expected '{READY} <seconds>')"
    hint = (" (does it honour DRILLAPP_BENCH_EXIT_WHEN_IDLE? is it stuck in a dialog? see its stderr and log)"
            if side == "app" else "")
    if timed_out:
        run.error = (f"printed {READY} but did not exit within {timeout:g} s; killed" if ready else
                     f"no {READY} line within {timeout:g} s; killed{hint}")
    elif proc.returncode != 0:
        run.error = f"exited with code {proc.returncode} {'after' if ready else 'before'} printing {READY}"
    elif ready is None:
        run.error = f"exited 0 without printing a {READY} line{hint}"
    elif held_open:
        run.error = "exited, but a process it started kept its output open"
    return run


def _describe(run: Run) -> str:
    where = f"  {run.side:<4} {run.round:>7}:"
    if run.ok:
        return f"{where} ready {run.ready_s:.3f} s, seen {run.seen_s:.3f} s, wall {run.wall_s:.3f} s"
    return f"{where} ERROR {run.error}"


# -- the benchmark ------------------------------------------------------------------------------------


def _summary(runs: list[Run], side: str) -> dict[str, Any]:
    measured = [r for r in runs if r.side == side and r.round != "warm-up"]
    good = [r for r in measured if r.ok]
    stats: dict[str, Any] = {"runs": len(measured), "ok": len(good)}
    for key in ("ready_s", "wall_s", "seen_s"):
        values = [getattr(r, key) for r in good]
        stats[f"{key}_median"] = statistics.median(values) if values else None
        stats[f"{key}_min"] = min(values) if values else None
    # how much later than the harness saw it the process says it was ready: ~0 with a right clock
    excess = [r.ready_s - r.seen_s for r in good if r.ready_s is not None and r.seen_s is not None]
    stats["clock_excess_s_median"] = statistics.median(excess) if excess else None
    return stats


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def _s(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f} s"


def _x(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


@register("startup")
def startup(ctx: Context) -> dict[str, Any]:
    """Cold start to the main window shown and idle (large demo DB), against a bare PySide6 window."""
    repeat = ctx.repeat_or(DEFAULT_REPEAT)
    cached_db, db_info = large_database(ctx)
    bare_cmd = [sys.executable, str(BENCH_DIR / "bare_window.py")]
    runs: list[Run] = []
    failed: dict[str, Run] = {}
    with tempfile.TemporaryDirectory(prefix="drillapp-bench-startup-") as tmp:
        db = Path(tmp) / "large.sqlite3"
        shutil.copyfile(cached_db, db)  # the app may write to it (the warm-up run absorbs first-start writes)
        app_cmd = list(bare_cmd) if ctx.self_test else [sys.executable, "-m", "drillapp", "--db", sqlite_url(db)]
        commands = {"app": app_cmd, "bare": bare_cmd}
        base_env = ({k: v for k, v in os.environ.items() if k != "DRILLAPP_DB"} | BENCH_ENV
                    | {"DRILLAPP_USER": BENCH_USER, "DRILLAPP_PASSWORD": BENCH_PASSWORD})
        if ctx.self_test:
            ctx.log("self-test: the bare window stands in for the app")
        for label in ["warm-up"] + [str(i) for i in range(1, repeat + 1)]:
            for side in SIDES:
                if side in failed:
                    continue
                home = tempfile.mkdtemp(prefix=f"home-{side}-", dir=tmp)  # a fresh DRILLAPP_HOME each start
                run = run_process(side, label, commands[side], base_env | {"DRILLAPP_HOME": home}, ctx.timeout)
                runs.append(run)
                ctx.log(_describe(run))
                if not run.ok:
                    failed[side] = run

    stats = {side: _summary(runs, side) for side in SIDES}
    app, bare = stats["app"], stats["bare"]
    ratios = {f"{key}_{agg}": _ratio(app[f"{key}_{agg}"], bare[f"{key}_{agg}"])
              for key in ("ready_s", "seen_s", "wall_s") for agg in ("median", "min")}
    ratio = ratios["ready_s_median"]

    names = {"app": "drillapp" + (" (self-test: bare window)" if ctx.self_test else ""),
             "bare": "bare PySide6 window"}
    rows = [[names[side], f"{stats[side]['ok']}/{repeat}" + (" ERROR" if side in failed else ""),
             _s(stats[side]["ready_s_median"]), _s(stats[side]["ready_s_min"]), _s(stats[side]["seen_s_median"]),
             _s(stats[side]["wall_s_median"]), _s(stats[side]["wall_s_min"])] for side in SIDES]
    rows.append(["ratio app/bare", "", _x(ratio), _x(ratios["ready_s_min"]), _x(ratios["seen_s_median"]),
                 _x(ratios["wall_s_median"]), _x(ratios["wall_s_min"])])
    bad_clock = {side: stats[side]["clock_excess_s_median"] for side in SIDES
                 if (stats[side]["clock_excess_s_median"] or 0.0) > CLOCK_TOLERANCE_S}

    notes = []
    for side, run in failed.items():
        notes.append(f"{side} side, {run.round} run: {run.error}")
        notes.append(f"  command: {' '.join(commands[side])}")
        for line in run.stderr_tail:
            notes.append(f"  stderr| {line}")
    if failed:
        status = "ERROR"
        headline = "; ".join(f"{side} side: {run.error}" for side, run in failed.items())
        if "bare" not in failed and bare["ready_s_median"] is not None:
            headline += f"; bare window ready in {bare['ready_s_median']:.3f} s (median)"
    elif ratio is None:
        status, headline = "ERROR", "no successful runs to compare"
    elif bad_clock:
        status = "ERROR"
        headline = "; ".join(f"{side} side's clock is off: it reports ready {excess:.3f} s (median) later than "
                             f"the harness read its {READY} line" for side, excess in bad_clock.items())
        headline += f"; ready ratio {ratio:.2f}x not trusted (seen {_x(ratios['seen_s_median'])})"
        notes.append("A side's self-reported seconds must come from the same clock as bench/proc_clock.py's "
                     "seconds_since_process_start() (CLOCK_BOOTTIME minus /proc/self/stat starttime); "
                     "btime from /proc/stat is whole seconds and adds up to 1 s.")
    else:
        status = "PASS" if ratio <= TARGET_RATIO else "FAIL"
        headline = (f"app/bare {ratio:.2f}x (ready, median; target <= {TARGET_RATIO}x): "
                    f"app {app['ready_s_median']:.3f} s, bare {bare['ready_s_median']:.3f} s")

    counts = db_info.get("counts", {})
    title = (f"cold start to main window shown and idle; large demo DB ({counts.get('member', '?')} members, "
             f"{counts.get('contingency_plan', '?')} plans, {counts.get('drill', '?')} drills, "
             f"{counts.get('log_entry', '?')} log entries); {repeat} runs per side after 1 warm-up, interleaved"
             + ("; SELF-TEST" if ctx.self_test else ""))
    return {
        "status": status,
        "headline": headline,
        "title": title,
        "table": {"columns": ["side", "runs", "ready median", "ready min", "seen median", "wall median",
                              "wall min"],
                  "rows": rows},
        "notes": notes,
        "target_ratio": TARGET_RATIO,
        "ratio_ready_median": ratio,
        "ratios": ratios,
        "repeat": repeat,
        "timeout_s": ctx.timeout,
        "clock": proc_clock.clock_source(),
        "database": db_info,
        "commands": commands,
        "environment_set": BENCH_ENV | {"DRILLAPP_HOME": "<fresh temp folder per process>"},
        "stats": stats,
        "runs": [asdict(r) for r in runs],
    }
