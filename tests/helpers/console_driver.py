"""A console-like driver for a drill run, meant to run in a child process that a test kills at random moments.

    python tests/helpers/console_driver.py DB_URL RUN_ID USER [--seed N] [--count N]

It works the run's checklist and log through the services as the console does (tick an open item done, reopen
a done one, write a log line), one operation per step, and prints a line for each operation *after* it
returned, that is after its commit:

    READY
    COMMITTED event 17
    COMMITTED log 18

so whatever the parent has read is what the console would have shown as done. Stdout is flushed after each
line. The GUI version of the test drives the real console instead; the protocol is the same.
"""

from __future__ import annotations

import argparse
import random
import sys

from drillapp.models import ChecklistEntry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("run", type=int)
    parser.add_argument("user")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=10_000, help="steps before ending on its own")
    args = parser.parse_args(argv)

    from drillapp.db import Database
    from drillapp.models.enums import Agency, ItemState, LogKind
    from drillapp.services import Services
    from drillapp.services.context import SYSTEM_ACTOR
    from drillapp.services.users import UserService

    db = Database.open(args.url)
    actor = UserService(db, SYSTEM_ACTOR).ensure_local_user(args.user)
    services = Services(db, actor)
    rng = random.Random(args.seed)
    print("READY", flush=True)
    for step in range(args.count):
        items = services.console.snapshot(args.run, log_limit=1).items
        if rng.random() < 0.6 and items:
            item = rng.choice(items)
            if item.state is ItemState.OPEN:
                result = services.runs.tick(item.id, note=f"step {step}", expected_version=services.runs.version_of(ChecklistEntry, item.id))
            else:
                result = services.runs.tick(item.id, ItemState.OPEN, expected_version=services.runs.version_of(ChecklistEntry, item.id))
            print(f"COMMITTED event {result.event_id}", flush=True)
        else:
            entry = services.runs.add_log_entry(f"第{step}步：现场报告", drill_run_id=args.run, kind=LogKind.NOTE,
                                                agency=rng.choice(list(Agency)))
            print(f"COMMITTED log {entry}", flush=True)
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
