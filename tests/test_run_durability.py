"""Nothing is lost: a console working a run in a child process is killed (SIGKILL) at random moments, several
times; after each restart every tick and log line it had reported as committed is there, the database passes
its integrity check, and the run's hash chain is intact.

The child (helpers/console_driver.py) prints a line after each operation returned (committed); the parent
kills it right after reading a random number of them, so the kill lands wherever the child is in its next
operation (mid-transaction, mid-commit, between two). No wall clock: the moments are counts of lines.
"""

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

DRIVER = Path(__file__).parent / "helpers" / "console_driver.py"
ROUNDS = 5


def _spawn(url: str, run_id: int, user: str, seed: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, str(DRIVER), url, str(run_id), user, "--seed", str(seed)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX) to kill the console mid-write")
def test_every_committed_tick_and_line_survives_a_kill_at_random_moments(services, clock):
    port = builders.port_with_branches(services)
    plan = builders.approved_plan(services, port)
    officer = builders.actor(services, Role.DUTY_OFFICER, "li")
    run_id = builders.services_as(services, officer).runs.start_run(
        builders.drill(services, port, plan, level=None), confirm_early=True)
    rng = random.Random(20270430)
    committed: dict[str, set[int]] = {"event": set(), "log": set()}

    for round_ in range(ROUNDS):
        with _spawn(services.db.url, run_id, "li", seed=round_) as child:
            assert child.stdout is not None
            try:
                ready = child.stdout.readline().strip()
                assert ready == "READY", ready
                for _ in range(rng.randint(3, 25)):
                    line = child.stdout.readline().split()
                    assert line[:1] == ["COMMITTED"], line
                    committed[line[1]].add(int(line[2]))
                child.send_signal(signal.SIGKILL)
            finally:
                child.kill()
                _out, err = child.communicate()
            assert child.returncode == -signal.SIGKILL, err

    assert sum(len(ids) for ids in committed.values()) >= ROUNDS * 3
    with services.db.session() as s:
        events = set(s.scalars(select(ChecklistEvent.id).where(ChecklistEvent.drill_run_id == run_id)))
        lines = set(s.scalars(select(LogEntry.id).where(LogEntry.drill_run_id == run_id)))
    assert committed["event"] <= events, "a tick the console had shown as done is gone"
    assert committed["log"] <= lines, "a log line the console had shown is gone"
    if services.db.is_sqlite:
        with services.db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    report = services.console.verify_log(run_id)
    assert report.intact, report.message()
    assert report.records == len(events) + len(lines)
    assert services.console.snapshot(run_id).started_at == clock.now, "the clock still counts from the real start"


@pytest.mark.sqlite_only("SQLite's synchronous setting: PostgreSQL commits durably by its own configuration")
def test_every_sqlite_commit_waits_for_the_disk(services):
    """WAL with synchronous=NORMAL can lose the last commits when the power fails; FULL (2) does not."""
    with services.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
