"""The real drill console in a child process, worked by key presses, for a test that kills it at random moments.

    python tests/helpers/console_gui_driver.py DB_URL RUN_ID USER [--seed N] [--count N]

It opens the console window (offscreen) on the run and, step after step, selects a row and presses Space (an
open item) or R (a done one), or L, types a line and Enter. Writes run inline (as in the GUI tests), so a key
press returns once the write committed and the run was read again; the console's `committed` signal then prints

    READY
    COMMITTED event 17
    COMMITTED log 18

after checking that the row shows what was committed: whatever the parent has read, the console had shown.
"""

from __future__ import annotations

import argparse
import os
import random
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("run", type=int)
    parser.add_argument("user")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args(argv)

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from drillapp.db import Database
    from drillapp.models.enums import ItemState
    from drillapp.services import Services
    from drillapp.services.context import SYSTEM_ACTOR
    from drillapp.services.users import UserService
    from drillapp.ui import workers
    from drillapp.ui.console.window import RunConsole

    workers.SYNCHRONOUS = True
    app = QApplication.instance() or QApplication([])
    db = Database.open(args.url)
    actor = UserService(db, SYSTEM_ACTOR).ensure_local_user(args.user)
    services = Services(db, actor)
    console = RunConsole(services.runs, services.console, services.reviews, args.run)
    console.show()
    pending: list[tuple[str, int]] = []
    console.committed.connect(lambda kind, record: pending.append((kind, record)))
    rng = random.Random(args.seed)
    print("READY", flush=True)
    for step in range(args.count):
        items = console.model.items
        if rng.random() < 0.6 and items:
            row = rng.randrange(len(items))
            console.checklist.select_row(row)
            was_open = items[row].row.state is ItemState.OPEN
            QTest.keyClick(console.checklist, Qt.Key.Key_Space if was_open else Qt.Key.Key_R)
            shown = console.model.items[row].row.state
            assert shown is (ItemState.DONE if was_open else ItemState.OPEN), shown
        else:
            console.act("log")
            console.log_panel.text.setText(f"第{step}步：现场报告 <{step}>")
            QTest.keyClick(console.log_panel.text, Qt.Key.Key_Return)
            assert console.log_panel.model.texts()[-1] == f"第{step}步：现场报告 <{step}>"
        for kind, record in pending:
            print(f"COMMITTED {kind} {record}", flush=True)
        pending.clear()
        app.processEvents()
    console.close()
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
