"""What the desktop start logs before its log file exists (the Qt translation it loaded, issue 15's first window
comes first) reaches the log file once it is set up; the bundle's smoke test reads that line."""

from __future__ import annotations

import logging
import logging.handlers

from drillapp import logsetup
from drillapp.paths import log_dir


def test_records_kept_before_the_log_file_are_written_to_it() -> None:
    root = logging.getLogger()
    before_handlers, before_level = list(root.handlers), root.level
    for h in [h for h in root.handlers if isinstance(h, (logging.handlers.RotatingFileHandler, logsetup._Early))]:
        root.removeHandler(h)  # the test's own file and keeper, not ones an earlier test left
    try:
        logsetup.keep_early_records()
        logging.getLogger("drillapp.ui.qt_translations").info("Qt's own translation %s loaded", "<qtbase_zh_CN.qm>")
        logsetup.setup_logging()
        for h in root.handlers:
            h.flush()
        text = (log_dir() / "drillapp.log").read_text(encoding="utf-8")
        assert "Qt's own translation <qtbase_zh_CN.qm> loaded" in text
        assert not any(isinstance(h, logsetup._Early) for h in root.handlers)
    finally:
        for h in list(root.handlers):
            if h not in before_handlers:
                root.removeHandler(h)
                h.close()
        for h in before_handlers:
            if h not in root.handlers:
                root.addHandler(h)
        root.setLevel(before_level)
