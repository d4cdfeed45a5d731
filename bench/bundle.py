"""Benchmark `bundle`: the PyInstaller bundle (dist/drillapp/, packaging/): its size and biggest parts, and
its cold start to the main window beside the same app started from the virtualenv (`python -m drillapp`),
on the large demo database of `startup`. Builds the bundle first when dist/drillapp/ has none."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from types import ModuleType
from typing import Any

from bench import startup
from bench.runner import BENCH_DIR, REPO_ROOT, Context, register

TARGET_RATIO = 1.5  # bundle/virtualenv, ready medians
SIZE_BUDGET_MB = 400  # the folder as built on Linux (Windows: no ICU, no system libraries)
DEFAULT_REPEAT = 5
SIDES = ("bundle", "venv")


def layout() -> ModuleType:
    """packaging/bundle_layout.py (packaging/ is no Python package: its name is the PyPI library's)."""
    path = REPO_ROOT / "packaging" / "bundle_layout.py"
    spec = importlib.util.spec_from_file_location("drillapp_bundle_layout", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ensure_built(ctx: Context, paths: ModuleType) -> float | None:
    """Build the bundle if there is none; the seconds it took, or None when it was there."""
    if paths.executable().is_file():
        return None
    ctx.log("no bundle in dist/drillapp: building it (python packaging/build.py) ...")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(REPO_ROOT / "packaging" / "build.py")], cwd=REPO_ROOT,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError("packaging/build.py failed: " + " | ".join(proc.stderr.strip().splitlines()[-3:]))
    return time.perf_counter() - t0


@register("bundle")
def bundle(ctx: Context) -> dict[str, Any]:
    """The bundle's size and its cold start against the virtualenv's (large demo DB)."""
    paths = layout()
    repeat = ctx.repeat_or(DEFAULT_REPEAT)
    built_s = None if ctx.self_test else _ensure_built(ctx, paths)
    has_bundle = paths.executable().is_file()
    size = paths.size_of(paths.BUNDLE) if has_bundle else None
    parts = paths.biggest_parts() if has_bundle else []
    cached_db, db_info = startup.large_database(ctx)
    runs: list[startup.Run] = []
    failed: dict[str, startup.Run] = {}
    with tempfile.TemporaryDirectory(prefix="drillapp-bench-bundle-") as tmp:
        db = Path(tmp) / "large.sqlite3"
        shutil.copyfile(cached_db, db)
        url = startup.sqlite_url(db)
        bare = [sys.executable, str(BENCH_DIR / "bare_window.py")]
        commands = ({"bundle": bare, "venv": bare} if ctx.self_test else
                    {"bundle": [str(paths.executable()), "--db", url],
                     "venv": [sys.executable, "-m", "drillapp", "--db", url]})
        base_env = ({k: v for k, v in os.environ.items() if k != "DRILLAPP_DB"} | startup.BENCH_ENV
                    | {"DRILLAPP_USER": startup.BENCH_USER, "DRILLAPP_PASSWORD": startup.BENCH_PASSWORD})
        for label in ["warm-up"] + [str(i) for i in range(1, repeat + 1)]:
            for side in SIDES:
                if side in failed:
                    continue
                home = tempfile.mkdtemp(prefix=f"home-{side}-", dir=tmp)
                run = startup.run_process(side, label, commands[side], base_env | {"DRILLAPP_HOME": home}, ctx.timeout)
                runs.append(run)
                ctx.log(startup._describe(run))
                if not run.ok:
                    failed[side] = run

    stats = {side: startup._summary(runs, side) for side in SIDES}
    ready = {side: stats[side]["ready_s_median"] for side in SIDES}
    ratio = ready["bundle"] / ready["venv"] if ready["bundle"] is not None and ready["venv"] else None
    wall = {side: stats[side]["wall_s_median"] for side in SIDES}
    size_mb = size / 1_000_000 if size is not None else None

    def s(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f} s"

    rows = [[name, f"{stats[side]['ok']}/{repeat}" + (" ERROR" if side in failed else ""),
             s(stats[side]["ready_s_median"]), s(stats[side]["ready_s_min"]), s(wall[side])]
            for side, name in (("bundle", "bundle (dist/drillapp)"), ("venv", "virtualenv (python -m drillapp)"))]
    rows.append(["ratio bundle/venv", "", "-" if ratio is None else f"{ratio:.2f}x", "", ""])
    notes = [f"size: {'-' if size_mb is None else f'{size_mb:.1f} MB'} (budget {SIZE_BUDGET_MB} MB)"
             + ("" if built_s is None else f"; built first in {built_s:.0f} s") + "; biggest parts:"]
    notes += [f"  {paths.megabytes(n):>9}  {name}" for name, n in parts]
    for side, run in failed.items():
        notes.append(f"{side} side, {run.round} run: {run.error}")
        notes += [f"  stderr| {line}" for line in run.stderr_tail]

    if failed or ratio is None or size_mb is None:
        status = "ERROR"
        headline = "; ".join(f"{side}: {run.error}" for side, run in failed.items()) or "no bundle or no runs"
    else:
        status = "PASS" if ratio <= TARGET_RATIO and size_mb <= SIZE_BUDGET_MB else "FAIL"
        headline = (f"bundle/venv {ratio:.2f}x (ready, median; target <= {TARGET_RATIO}x): bundle "
                    f"{ready['bundle']:.3f} s, venv {ready['venv']:.3f} s; size {size_mb:.0f} MB "
                    f"(budget {SIZE_BUDGET_MB} MB)")
    counts = db_info.get("counts", {})
    return {
        "status": status,
        "headline": headline,
        "title": (f"cold start to main window shown and idle, bundle vs virtualenv; large demo DB "
                  f"({counts.get('member', '?')} members, {counts.get('log_entry', '?')} log entries); "
                  f"{repeat} runs per side after 1 warm-up, interleaved" + ("; SELF-TEST" if ctx.self_test else "")),
        "table": {"columns": ["side", "runs", "ready median", "ready min", "wall median"], "rows": rows},
        "notes": notes,
        "size_bytes": size,
        "biggest_parts": parts,
        "build_seconds": built_s,
        "ratio_ready_median": ratio,
        "target_ratio": TARGET_RATIO,
        "size_budget_mb": SIZE_BUDGET_MB,
        "commands": commands,
        "database": db_info,
        "stats": stats,
        "runs": [asdict(r) for r in runs],
    }
