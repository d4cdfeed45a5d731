"""Screenshots of the real app for a human to look at: every area, in one language.

Run under a real X server (e.g. `Xvfb :99 &` then `DISPLAY=:99`), against a database with the demo:
    python tools/screenshots.py --db sqlite:///PATH --lang zh_CN --out screenshots/
It grabs the whole X screen (what a person would see), not a widget rendering.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "xcb")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--delay", type=int, default=1200, help="ms to wait on each area")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication

    from drillapp.bootstrap import open_world
    from drillapp.ui.app import AppController, apply_language, create_application
    from drillapp.ui.main_window import AREAS

    app = create_application()
    apply_language(app, args.lang)
    controller = AppController(app, open_world(args.db))
    window = controller.show()
    window.resize(1360, 860)
    window.move(0, 0)
    steps = [key for key, _title, _icon in AREAS]

    def shoot(i: int) -> None:
        if i > 0:
            name = args.out / f"{args.lang}-{i - 1:02d}-{steps[i - 1]}.png"
            QGuiApplication.primaryScreen().grabWindow(0).save(str(name))
            print(name)
        if i == len(steps):
            app.quit()
            return
        window.show_area(steps[i])
        QTimer.singleShot(args.delay, lambda: shoot(i + 1))

    QTimer.singleShot(args.delay, lambda: shoot(0))
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
