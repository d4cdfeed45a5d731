"""The start-up benchmark's baseline: a bare PySide6 window, started as `python bench/bare_window.py`.

QApplication, a QMainWindow with a label, show(); after the window's first paint, once the event loop
is idle (QTimer.singleShot(0)), it prints `BENCH_READY <seconds since process start>` and exits 0:
the same protocol drillapp follows when DRILLAPP_BENCH_EXIT_WHEN_IDLE is set. If the window is never
painted it says so on stderr and exits 3 without the line, so the harness reports an error.

Run as a script its folder is on sys.path, so `proc_clock` is imported as a top-level module, first
of all, so that even the fallback clock starts as early as it can.
"""

from __future__ import annotations

import sys

try:
    import proc_clock  # as a script: bench/ is sys.path[0]
except ImportError:  # imported as bench.bare_window (the runner skips it, but be safe)
    from bench import proc_clock

NEVER_PAINTED_AFTER_MS = 20_000


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv)

    def ready() -> None:
        print(f"BENCH_READY {proc_clock.seconds_since_process_start():.6f}", flush=True)
        print(f"BENCH_RSS {proc_clock.resident_kib()}", flush=True)  # bench/first_window.py: memory at idle
        app.exit(0)

    class Window(QMainWindow):
        painted = False

        def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
            super().paintEvent(event)
            if not self.painted:
                self.painted = True
                QTimer.singleShot(0, ready)  # runs once the events queued by now are handled

    def never_painted() -> None:
        print(f"bare_window: the window was not painted within {NEVER_PAINTED_AFTER_MS} ms", file=sys.stderr)
        app.exit(3)

    window = Window()
    window.setWindowTitle("bare window")
    window.setCentralWidget(QLabel("Bare PySide6 window (start-up benchmark baseline)"))
    window.resize(800, 600)
    window.show()
    QTimer.singleShot(NEVER_PAINTED_AFTER_MS, never_painted)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
