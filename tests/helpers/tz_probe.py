"""Run in a child process with a TZ of the test's choosing: print (as JSON) what the screens show of one
database, so two process time zones can be compared. Usage: python tz_probe.py DB_URL"""

from __future__ import annotations

import json
import os
import sys

os.environ["QT_QPA_PLATFORM"] = "offscreen"


def main(url: str) -> None:
    from PySide6.QtWidgets import QApplication

    from drillapp.bootstrap import open_world
    from drillapp.ui import workers
    from drillapp.ui.main_window import MainWindow

    workers.SYNCHRONOUS = True
    app = QApplication.instance() or QApplication([])
    world = open_world(url)
    window = MainWindow(world.services)
    shown: dict[str, list[str]] = {}
    for area in ("drills", "plans"):
        window.show_area(area)
        page = window.page(area)
        lst = page.lists[0]  # type: ignore[attr-defined]
        lst.reload()
        model = lst.model
        shown[area] = [" | ".join(str(model.index(r, c).data()) for c in range(model.columnCount()))
                       for r in range(model.rowCount())]
    window.show_area("dashboard")
    window.dashboard.refresh()
    shown["next drills"] = window.dashboard.drills.texts()
    shown["on call"] = window.dashboard.on_call.texts()  # type: ignore[union-attr]
    window.close()
    world.db.dispose()
    app.processEvents()
    print(json.dumps(shown, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
