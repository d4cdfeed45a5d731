"""Nothing is lost, through the real console: the console window runs in a child process
(helpers/console_gui_driver.py), worked by key presses; it is killed with SIGKILL at random moments, several
times; after each kill every tick and log line it had shown as committed is in the database, which passes its
integrity check, the run's hash chain is intact, and a console opened again shows the run as it was, its clock
counting from the real start. No wall clock: the moments are counts of lines."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import builders
from sqlalchemy import select, text

from drillapp.models import ChecklistEvent, LogEntry
from drillapp.models.enums import Role
from drillapp.ui.console.window import RunConsole

DRIVER = Path(__file__).parent.parent / "helpers" / "console_gui_driver.py"
ROUNDS = 3


def _spawn(url: str, run_id: int, user: str, seed: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.Popen([sys.executable, str(DRIVER), url, str(run_id), user, "--seed", str(seed)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX) to kill the console mid-write")
def test_the_console_killed_at_random_moments_loses_nothing_it_showed(qtbot, services, clock):
    port = builders.port_with_branches(services)
    plan = builders.approved_plan(services, port)
    officer = builders.actor(services, Role.DUTY_OFFICER, "li")
    run_id = builders.services_as(services, officer).runs.start_run(
        builders.drill(services, port, plan, level=None), confirm_early=True)
    rng = random.Random(20270501)
    committed: dict[str, set[int]] = {"event": set(), "log": set()}

    for round_ in range(ROUNDS):
        with _spawn(services.db.url, run_id, "li", seed=round_) as child:
            assert child.stdout is not None
            try:
                ready = child.stdout.readline().strip()
                assert ready == "READY", child.stderr.read() if child.stderr else ready
                for _ in range(rng.randint(3, 15)):
                    line = child.stdout.readline().split()
                    assert line[:1] == ["COMMITTED"], line
                    committed[line[1]].add(int(line[2]))
                child.send_signal(signal.SIGKILL)
            finally:
                child.kill()
                _out, err = child.communicate()
            assert child.returncode == -signal.SIGKILL, err

    assert committed["event"] and committed["log"]
    with services.db.session() as s:
        events = set(s.scalars(select(ChecklistEvent.id).where(ChecklistEvent.drill_run_id == run_id)))
        lines = set(s.scalars(select(LogEntry.id).where(LogEntry.drill_run_id == run_id)))
    assert committed["event"] <= events, "a tick the console had shown as done is gone"
    assert committed["log"] <= lines, "a log line the console had shown is gone"
    if services.db.is_sqlite:
        with services.db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert services.console.verify_log(run_id).intact

    # the officer opens the console again: the run as the database has it, the clock from the real start
    clock.advance(minutes=9)
    again = RunConsole(services.runs, services.console, services.reviews, run_id)
    qtbot.addWidget(again)
    snap = services.console.snapshot(run_id)
    assert [v.row for v in again.model.items] == list(snap.items)
    assert again.header.elapsed.text() == "0:09:00"

