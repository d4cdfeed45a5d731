"""Benchmark `login_to_dashboard`: from the password accepted to every dashboard panel filled and painted, on the
large demo. Target: under 300 ms (the first log-in of a process, median). The password check (argon2, slow on
purpose) is measured separately and not counted.

Each run is a fresh process (`python -c "from bench.login_to_dashboard import child; ..."`, offscreen, a fresh
DRILLAPP_HOME) that does what the app has done by the time the user presses Enter: QApplication, the imports of
the main window and the open database (drillapp/ui/start.py's opening). Then, timed:
- *password check*: `UserService.authenticate` (argon2 verify plus the log-in's audit write);
- *log-in to dashboard*: what drillapp/ui/app.py's `run_sessions` does after the log-in (`world_for`, the port,
  `AppController`, `show()`), until the dashboard's `loaded` signal (every panel filled) and a zero timer after it
  (the paint done). The first log-in of the process is "cold" (the number that counts); two more log-ins in the
  same process are "warm", for reference.
One warm-up process first (not counted; the file cache), then N processes (--repeat, default 5).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.first_window import NO_BYTECODE, bytecode_env
from bench.runner import REPO_ROOT, Context, register
from bench.startup import BENCH_PASSWORD, BENCH_USER, large_database, sqlite_url

TARGET_S = 0.300
DEFAULT_REPEAT = 5
WARM_LOGINS = 2
RESULT = "LOGIN_BENCH"


def child(url: str, logins: int) -> None:
    """In the benchmark's child process: print one RESULT line of JSON."""
    from drillapp.ui.start import apply_language, create_application

    app = create_application()
    apply_language(app, "en")
    import importlib

    import drillapp.ui.app  # noqa: F401  (the start's opening has imported it by the time of Enter)
    from drillapp.bootstrap import open_database
    from drillapp.ui.start import AFTER_LOGIN_MODULES

    for name in AFTER_LOGIN_MODULES:  # likewise
        importlib.import_module(name)
    from drillapp.services.context import SYSTEM_ACTOR
    from drillapp.services.users import UserService

    db = open_database(url)
    from drillapp.bootstrap import warm_up
    from drillapp.ui import settings

    warm_up(db, settings.get(settings.CURRENT_PORT) or None)  # likewise: the opening's last step
    users = UserService(db, SYSTEM_ACTOR)
    result: dict[str, list[float]] = {"password_s": [], "filled_s": [], "painted_s": []}
    for _ in range(logins):
        password_s, filled_s, painted_s = _log_in_once(app, users, db)
        result["password_s"].append(password_s)
        result["filled_s"].append(filled_s)
        result["painted_s"].append(painted_s)
    print(RESULT + " " + json.dumps(result), flush=True)
    db.dispose()


def _log_in_once(app: Any, users: Any, db: Any) -> tuple[float, float, float]:
    """One log-in: (password check, to dashboard filled, to dashboard painted) in seconds."""
    from PySide6.QtCore import QEventLoop, QTimer

    from drillapp.bootstrap import world_for
    from drillapp.ui import app as app_module
    from drillapp.ui import settings

    t0 = time.perf_counter()
    actor = users.authenticate(BENCH_USER, BENCH_PASSWORD)
    t1 = time.perf_counter()
    world = world_for(db, actor, remembered_port=settings.get(settings.CURRENT_PORT))
    world = app_module.choose_port_at_start(world)
    controller = app_module.AppController(app, world)
    app.aboutToQuit.disconnect(controller.shutdown)  # the benchmark ends sessions itself
    loop = QEventLoop()
    marks: dict[str, float] = {}

    def painted() -> None:
        marks["painted"] = time.perf_counter()
        loop.quit()

    def loaded(_data: object) -> None:
        if "filled" not in marks:
            marks["filled"] = time.perf_counter()
            QTimer.singleShot(0, painted)

    window = controller.show()
    window.dashboard.loaded.connect(loaded)
    QTimer.singleShot(60_000, loop.quit)
    loop.exec()
    if "painted" not in marks:
        raise SystemExit("the dashboard did not load within 60 s")
    controller.end_session()
    controller.deleteLater()
    app.processEvents()
    return t1 - t0, marks["filled"] - t1, marks["painted"] - t1


def _run_child(url: str, home: str, timeout: float, ctx: Context) -> dict[str, list[float]]:
    code = f"from bench.login_to_dashboard import child; child({url!r}, {1 + WARM_LOGINS})"
    env = bytecode_env(ctx) | {k: v for k, v in os.environ.items()
                               if k not in ("DRILLAPP_DB", "DRILLAPP_USER", "DRILLAPP_PASSWORD", NO_BYTECODE)}
    env |= {"QT_QPA_PLATFORM": "offscreen", "DRILLAPP_HOME": home, "PYTHONPATH": str(REPO_ROOT),
            "DRILLAPP_BENCH_EXIT_WHEN_IDLE": "1"}  # no port question: the default port
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout * 3)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith(RESULT)), None)
    if proc.returncode != 0 or line is None:
        tail = " | ".join(proc.stderr.strip().splitlines()[-5:])
        raise RuntimeError(f"the log-in child exited with {proc.returncode}: {tail}")
    parsed: dict[str, list[float]] = json.loads(line[len(RESULT) + 1:])
    return parsed


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.0f} ms"


@register("login_to_dashboard")
def login_to_dashboard(ctx: Context) -> dict[str, Any]:
    """Password accepted to every dashboard panel filled (large demo DB); the argon2 check apart."""
    repeat = ctx.repeat_or(DEFAULT_REPEAT)
    cached_db, db_info = large_database(ctx)
    runs: list[dict[str, list[float]]] = []
    with tempfile.TemporaryDirectory(prefix="drillapp-bench-login-") as tmp:
        db = Path(tmp) / "large.sqlite3"
        shutil.copyfile(cached_db, db)
        for label in ["warm-up"] + [str(i) for i in range(1, repeat + 1)]:
            home = tempfile.mkdtemp(prefix="home-", dir=tmp)
            run = _run_child(sqlite_url(db), home, ctx.timeout, ctx)
            ctx.log(f"  {label:>7}: password {_ms(run['password_s'][0])}, filled {_ms(run['filled_s'][0])}, "
                    f"painted {_ms(run['painted_s'][0])} (warm: {', '.join(_ms(v) for v in run['painted_s'][1:])})")
            if label != "warm-up":
                runs.append(run)
    cold = [r["painted_s"][0] for r in runs]
    cold_filled = [r["filled_s"][0] for r in runs]
    warm = [v for r in runs for v in r["painted_s"][1:]]
    password = [v for r in runs for v in r["password_s"]]
    median = statistics.median(cold)
    rows = [
        ["password check (argon2 + audit), not counted", _ms(statistics.median(password)), _ms(min(password))],
        ["log-in to dashboard filled, first log-in", _ms(statistics.median(cold_filled)), _ms(min(cold_filled))],
        ["log-in to dashboard filled and painted, first log-in", _ms(median), _ms(min(cold))],
        ["log-in to dashboard painted, later log-ins (warm)", _ms(statistics.median(warm)), _ms(min(warm))],
    ]
    counts = db_info.get("counts", {})
    return {
        "status": "PASS" if median < TARGET_S else "FAIL",
        "headline": (f"log-in to dashboard filled and painted {_ms(median)} (first log-in, median; target < "
                     f"{_ms(TARGET_S)}); password check {_ms(statistics.median(password))} apart"),
        "title": (f"after the password check to every dashboard panel filled; large demo DB ({counts.get('member', '?')} "
                  f"members, {counts.get('drill', '?')} drills); {repeat} processes after 1 warm-up"),
        "table": {"columns": ["step", "median", "min"], "rows": rows},
        "notes": [],
        "target_s": TARGET_S,
        "database": db_info,
        "runs": runs,
    }
