"""What the first window needs before the database layer is imported: the log file and this PC's login name.

Standard library only (no SQLAlchemy, no Qt): the log-in dialog appears while the heavy imports run
(drillapp/ui/start.py); drillapp.bootstrap re-exports these for everyone else.
"""

from __future__ import annotations

import getpass
import logging
import threading

from drillapp.paths import log_dir

_setting_up = threading.Lock()  # the opening's thread and a failed start may both set it up


class _Early(logging.Handler):
    """Keeps what is logged before the log file is set up (the first window comes first, the file after it)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.records) < 1000:
            self.records.append(record)


def keep_early_records() -> None:
    """From now until `setup_logging`, records are kept and then written to the log file (the desktop start
    logs which Qt translation it loaded before the file exists)."""
    root = logging.getLogger()
    if not any(isinstance(h, _Early) for h in root.handlers):
        root.addHandler(_Early())
        root.setLevel(min(root.level or logging.INFO, logging.INFO))


def setup_logging(level: int = logging.INFO) -> None:
    """Bugs go to a rotating log file with their traceback (users see a short message instead)."""
    with _setting_up:
        _setup_logging(level)


def _setup_logging(level: int) -> None:
    import logging.handlers  # here, not at the top: it brings sockets and pickle, not needed for the first window

    root = logging.getLogger()
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return
    handler = logging.handlers.RotatingFileHandler(
        log_dir() / "drillapp.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for early in [h for h in root.handlers if isinstance(h, _Early)]:
        root.removeHandler(early)
        for record in early.records:
            handler.handle(record)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # one line per job run is noise


def log_file() -> str:
    return str(log_dir() / "drillapp.log")


def local_username() -> str:
    try:
        return getpass.getuser() or "user"
    except (KeyError, OSError):
        return "user"
