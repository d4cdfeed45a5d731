"""The desktop app's start: the first window at once, the database behind it.

The log-in dialog (or the first start's) is the first thing on screen and appears before SQLAlchemy, the models,
ReportLab or OR-Tools are imported. Which of the two it is comes from a cheap look at the SQLite file with the
standard library's `sqlite3` (`peek`). Once the dialog has been painted, a worker thread imports the rest of
the app and opens the database (`Opening`) while the user types; pressing Enter waits for it (busy cursor, the
window never freezes: the wait is on the runner's writer thread). Where a cheap look cannot decide (a PostgreSQL
server, a SQLite URL with options, a file that is not readable), the database is opened first, as before.

After the log-in, `drillapp.ui.app.run_sessions` takes over: demo data, the port choice, the main window.
This module and drillapp/ui/login.py must stay light: tests/test_fast_start.py guards them.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QEventLoop, QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from drillapp import APP_NAME, ORG_NAME, __version__
from drillapp.i18n import _, set_language
from drillapp.logsetup import keep_early_records, setup_logging
from drillapp.paths import default_db_path, resource_path
from drillapp.proc_clock import seconds_since_process_start
from drillapp.services.errors import DomainError
from drillapp.ui import import_check, settings
from drillapp.ui.errors import install_excepthook
from drillapp.ui.fonts import apply_ui_font, install_cjk_font

if TYPE_CHECKING:
    from drillapp.db import Database
    from drillapp.services.context import Actor
    from drillapp.services.users import UserService
    from drillapp.ui.login import LogInUsers

log = logging.getLogger(__name__)
import_check.quicken()  # before the rest of the app is imported (ui/import_check.py)
BENCH_ENV = "DRILLAPP_BENCH_EXIT_WHEN_IDLE"
#: bench/first_window.py: report when the first window is painted (BENCH_READY, BENCH_RSS), then cancel it
FIRST_WINDOW_ENV = "DRILLAPP_BENCH_FIRST_WINDOW"
DB_ENV = "DRILLAPP_DB"  # drillapp.db.ENV_VAR, without importing SQLAlchemy
#: what the main window and the dashboard import on first use: imported by the opening too, so the time from
#: the log-in to the filled dashboard is not spent on imports (bench/login_to_dashboard.py)
AFTER_LOGIN_MODULES = ("drillapp.ui.console.launch", "drillapp.ui.change_watcher", "drillapp.services.coverage",
                       "drillapp.services.reviews", "drillapp.services.review_loop", "drillapp.services.runs",
                       "drillapp.services.drill_reminders", "drillapp.services.checklist", "dateutil",
                       "drillapp.ui.drills.area", "drillapp.ui.drills.calendar_page", "drillapp.ui.reviews.opener",
                       "drillapp.ui.incidents.opener", "drillapp.scheduling.backup_jobs",
                       "drillapp.scheduling.seal_jobs", "apscheduler.schedulers.qt", "apscheduler.triggers.cron",
                       "apscheduler.triggers.date", "apscheduler.triggers.interval")


# -- the application ------------------------------------------------------------------------------------------


def apply_language(app: QApplication, code: str, owner: object = None) -> str:
    """Switch our catalogue and Qt's own (standard dialogs and buttons) to `code`; dialogs built from now on
    speak it (main calls this before the log-in, so the log-in and first-start dialogs do too)."""
    language = set_language(code)
    for translator in getattr(app, "_drillapp_qt_translators", ()):
        app.removeTranslator(translator)
    installed = []
    if language != "en":
        from drillapp.ui.qt_translations import fallback_translator, qtbase_translator

        # the fallback after qtbase: Qt asks the translator installed last first
        for translator in (qtbase_translator(language, app), fallback_translator(app)):
            if translator is not None:
                app.installTranslator(translator)
                installed.append(translator)
    app._drillapp_qt_translators = installed  # type: ignore[attr-defined]  # kept on the app so the translators live as long as it
    QLocale.setDefault(QLocale(language))
    apply_ui_font(app, language)  # "…" in English from the Latin font, in Chinese from the CJK one
    return language


def _style_sheet() -> str:
    try:
        return resource_path("styles", "app.qss").read_text(encoding="utf-8")
    except OSError:
        return ""


def create_application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setStyleSheet(_style_sheet())
    install_cjk_font(app)
    return app


def start_failed(message: str) -> None:
    """Tell why the app cannot start: a message box (an unattended benchmark start: standard error)."""
    if os.environ.get(BENCH_ENV) or os.environ.get(FIRST_WINDOW_ENV):
        print(f"drillapp: {message}", file=sys.stderr)
        return
    _app = QApplication.instance() or QApplication(sys.argv[:1])  # held until the box is closed
    QMessageBox.critical(None, _("drillapp cannot start"), message)


def open_failed_message(exc: BaseException) -> str:
    if isinstance(exc, DomainError):
        return exc.message
    log.error("start-up failed", exc_info=(type(exc), exc, exc.__traceback__))
    return _("The database could not be opened: {error}").format(error=exc)


# -- the cheap look -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Peek:
    """What the first window needs to know of the database, read with `sqlite3`."""

    login_required: bool  # any user has a password: the log-in (else the first start)
    passwordless: frozenset[str]  # the command line's accounts (not offered at the log-in)


def sqlite_path(url: str | None) -> Path | None:
    """The SQLite file a start-up URL names (drillapp.db.resolve_url's simple forms: none given, a plain path,
    sqlite:///PATH); None for anything else (a server, a URL with options), which the ORM opens first."""
    url = url or os.environ.get(DB_ENV) or None
    if url is None:
        return default_db_path()
    if "://" not in url:
        return Path(url).expanduser()
    if url.startswith("sqlite:///") and not any(ch in url for ch in "?%#"):
        name = url[len("sqlite:///"):]
        return Path(name) if name and name != ":memory:" else None
    return None


def peek(path: Path) -> Peek | None:
    """Log-in or first start, from the file; None when a look cannot tell (the open then says what is wrong)."""
    try:
        if path.is_dir() or not path.parent.is_dir():
            return None
        if not path.exists():  # the open creates it: nobody has a password yet
            return Peek(False, frozenset())
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
        try:
            with_password = conn.execute("SELECT count(*) FROM app_user WHERE password_hash IS NOT NULL").fetchone()
            names = conn.execute("SELECT username FROM app_user WHERE password_hash IS NULL").fetchall()
        finally:
            conn.close()
    except (sqlite3.Error, OSError, ValueError):  # not a drillapp database (yet), locked, unreadable
        return None
    return Peek(bool(with_password and with_password[0]), frozenset(str(row[0]) for row in names))


# -- the heavy half, on a worker thread -------------------------------------------------------------------------


class Opening(QObject):
    """Imports the database layer and the main window and opens the database, on a thread of its own; `database()`
    waits for it (on the GUI thread with a busy cursor and the event loop running, elsewhere by blocking)."""

    finished = Signal()
    busy = Signal(bool)

    def __init__(self, url: str | None, parent: QObject | None = None, *, remembered_port: int | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.remembered_port = remembered_port
        self.db: Database | None = None
        self.error: BaseException | None = None
        self._done = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.busy.connect(self._show_busy)  # from the writer thread: queued to the GUI thread

    @property
    def started(self) -> bool:
        return self._thread is not None

    def done(self) -> bool:
        return self._done.is_set()

    def start(self) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="drillapp-opening", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        try:
            setup_logging()
            import drillapp.ui.app  # noqa: F401  (SQLAlchemy, the models, the main window: while the user types)
            from drillapp.bootstrap import open_database

            self.db = open_database(self.url)
            import importlib

            for name in AFTER_LOGIN_MODULES:
                importlib.import_module(name)
            from drillapp.bootstrap import warm_up

            warm_up(self.db, self.remembered_port)  # the dashboard's reads, once, while the user types
        except BaseException as exc:  # handed to whoever waits: the GUI thread says it
            self.error = exc
        finally:
            self._done.set()
            try:
                self.finished.emit()
            except RuntimeError:  # the app is gone
                pass

    def wait(self) -> None:
        """Until the opening is over (started if it was not); on the GUI thread, until its thread has ended too."""
        self.start()
        self._wait()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread() and \
                threading.current_thread() is threading.main_thread():
            thread.join()  # it ends right after telling `finished`: nothing may still run there when the app ends

    def _wait(self) -> None:
        if self._done.is_set():
            return
        if threading.current_thread() is threading.main_thread() and QApplication.instance() is not None:
            loop = QEventLoop()
            self.finished.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            try:
                if not self._done.is_set():
                    loop.exec()
            finally:
                QApplication.restoreOverrideCursor()
            self._done.wait()
            return
        self.busy.emit(True)
        try:
            self._done.wait()
        finally:
            self.busy.emit(False)

    def database(self) -> Database:
        self.wait()
        if self.error is not None:
            raise self.error
        assert self.db is not None
        return self.db

    def _show_busy(self, on: bool) -> None:
        if on:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            QApplication.restoreOverrideCursor()


class StartUsers:
    """Stands in for UserService in the first window: the cheap answers from the look at the file, the log-in
    and the first administrator once the database is open (they run on the runner's writer thread, which waits)."""

    def __init__(self, opening: Opening, seen: Peek) -> None:
        self.opening, self.seen = opening, seen

    def login_required(self) -> bool:
        return self.seen.login_required

    def is_command_line_account(self, username: str) -> bool:
        return username in self.seen.passwordless

    def _users(self) -> UserService:
        from drillapp.services.context import SYSTEM_ACTOR
        from drillapp.services.users import UserService

        return UserService(self.opening.database(), SYSTEM_ACTOR)

    def authenticate(self, username: str, password: str) -> Actor:
        return self._users().authenticate(username, password)

    def create_first_administrator(self, username: str, password: str, display_name: str = "") -> Actor:
        return self._users().create_first_administrator(username, password, display_name)


class _FirstPaint(QObject):
    """On the first paint of a window: start the opening; for bench/first_window.py report and cancel it."""

    def __init__(self, app: QApplication, opening: Opening) -> None:
        super().__init__(app)
        self.app, self.opening, self.fired = app, opening, False
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if not self.fired and event.type() == QEvent.Type.Paint and isinstance(watched, QDialog):
            self.fired = True
            self.app.removeEventFilter(self)
            if os.environ.get(FIRST_WINDOW_ENV):  # the report first: the opening's thread then competes for the GIL
                QTimer.singleShot(0, lambda: _report_first_window(watched))
            QTimer.singleShot(0, self.opening.start)
        return False


def _report_first_window(window: QObject) -> None:
    from drillapp.proc_clock import resident_kib

    print(f"BENCH_READY {seconds_since_process_start():.4f}", flush=True)
    print(f"BENCH_RSS {resident_kib()}", flush=True)
    if isinstance(window, QDialog):
        window.reject()


def _close_dialogs_on_failure(opening: Opening) -> None:
    def failed() -> None:
        if opening.error is not None:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, QDialog) and widget.isVisible():
                    widget.reject()

    opening.finished.connect(failed)


def main(db_url: str | None = None, load_demo: bool = False, language: str | None = None) -> int:
    """The desktop app. `language` (the command line's --lang) overrides the one chosen in Settings for this
    run; either is in force before the first dialog (database password, log-in, first start). The log file is
    set up by the opening, right after the first window is painted (its import is not needed before)."""
    keep_early_records()  # the log file comes after the first window; what is logged before goes into it then
    try:
        return _start(db_url, load_demo, language)
    finally:
        setup_logging()  # a start that failed before the opening set it up still leaves what it logged in the file


def _start(db_url: str | None, load_demo: bool, language: str | None) -> int:
    app = create_application()
    install_excepthook()
    apply_language(app, language or settings.get(settings.LANGUAGE))
    url = db_url
    if not (db_url or os.environ.get(DB_ENV)) and settings.get(settings.DATABASE_URL):
        from drillapp.ui.db_settings import startup_url  # a shared database: its password first

        url = startup_url(db_url)
    from drillapp.ui.login import log_in

    opening = Opening(url, app, remembered_port=settings.get(settings.CURRENT_PORT) or None)
    path = sqlite_path(url)
    seen = peek(path) if path is not None else None
    users: LogInUsers
    if seen is None:  # the look cannot tell: open first, as the ORM says
        try:
            db = opening.database()
        except Exception as exc:
            start_failed(open_failed_message(exc))
            return 1
        from drillapp.services.context import SYSTEM_ACTOR
        from drillapp.services.users import UserService

        users = UserService(db, SYSTEM_ACTOR)
    else:
        users = StartUsers(opening, seen)
        _close_dialogs_on_failure(opening)
        if os.environ.get("DRILLAPP_USER") and os.environ.get("DRILLAPP_PASSWORD"):
            # an unattended log-in shows no window unless it fails: a database that cannot be opened is said
            # before it, as it always was
            opening.wait()
            if opening.error is not None:
                start_failed(open_failed_message(opening.error))
                return 1
    first_paint = _FirstPaint(app, opening)
    actor = log_in(users)
    app.removeEventFilter(first_paint)
    if not opening.started and actor is None:  # cancelled before anything was opened
        return 0
    opening.wait()
    if opening.error is not None:
        start_failed(open_failed_message(opening.error))
        return 1
    db = opening.database()
    if actor is None:  # the user cancelled the log-in
        db.dispose()
        return 0
    from drillapp.ui.app import run_sessions

    return run_sessions(app, db, actor, load_demo)
