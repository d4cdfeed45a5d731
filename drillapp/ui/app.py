"""Starting the desktop app: QApplication, language, fonts, the database, the main window, reminders."""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from drillapp import APP_NAME, ORG_NAME, __version__
from drillapp.bootstrap import World, open_database, setup_logging, world_for
from drillapp.i18n import _, set_language
from drillapp.paths import resource_path
from drillapp.proc_clock import seconds_since_process_start
from drillapp.services.context import SYSTEM_ACTOR
from drillapp.services.errors import DomainError
from drillapp.services.users import UserService
from drillapp.ui import settings
from drillapp.ui.errors import install_excepthook
from drillapp.ui.fonts import install_cjk_font
from drillapp.ui.login import log_in
from drillapp.ui.main_window import MainWindow
from drillapp.ui.reminders_qt import ReminderBridge
from drillapp.ui.workers import wait_for_all

log = logging.getLogger(__name__)
BENCH_ENV = "DRILLAPP_BENCH_EXIT_WHEN_IDLE"




class AppController(QObject):
    """Owns the main window and the reminder desk; rebuilds the window when the language changes."""

    def __init__(self, app: QApplication, world: World) -> None:
        super().__init__(app)
        self.app = app
        self.world = world
        self.qt_translator: QTranslator | None = None
        self.window: MainWindow | None = None
        self.reminders = ReminderBridge(world.services.reminders, self)
        from drillapp.services.changes import ChangeFeed
        from drillapp.ui.change_watcher import ChangeWatcher

        self.watcher = ChangeWatcher(ChangeFeed(world.db, world.actor), self)
        self.watcher.changed.connect(self._changed)
        self.reminders.started.connect(self.schedule_backups)
        self.reminders.started.connect(self.schedule_sealing)
        app.aboutToQuit.connect(self.shutdown)

    def schedule_backups(self, scheduler: object = None) -> None:
        """The daily automatic backup of the SQLite database (Settings: on/off, how many to keep)."""
        from drillapp.scheduling import backup_jobs

        scheduler = scheduler or (self.reminders.desk.scheduler if self.reminders.desk else None)
        if scheduler is None or not self.world.db.is_sqlite:
            return
        if settings.get(settings.AUTO_BACKUP):
            from drillapp.services.backup import auto_backup_dir, latest_auto_backup

            backup_jobs.set_listener(self._post_backup)
            backup_jobs.ensure_job(scheduler, settings.AUTO_BACKUP_HOURS, latest_auto_backup(auto_backup_dir()))
        else:
            backup_jobs.set_listener(None)
            backup_jobs.remove_job(scheduler)

    def _post_backup(self) -> None:  # on the scheduler's thread: do the copy there, it is not the GUI
        from drillapp.services.backup import BackupService, auto_backup_dir

        try:
            BackupService(self.world.db, self.world.actor).auto_backup(
                auto_backup_dir(), max(1, settings.get(settings.AUTO_BACKUP_KEEP)))
        except Exception:
            log.exception("automatic backup failed")

    def schedule_sealing(self, scheduler: object) -> None:
        """Seal the audit trail shortly after start and then every few minutes, off the GUI thread."""
        from drillapp.scheduling import seal_jobs

        seal_jobs.set_listener(self._seal)
        seal_jobs.ensure_job(scheduler)

    def _seal(self) -> None:  # on the scheduler's worker thread
        try:
            self.world.services.audit_seal.seal()
        except Exception:
            log.exception("sealing the audit trail failed")

    def show(self) -> MainWindow:
        self.window = MainWindow(self.world.services)
        self.window.language_changed.connect(self.change_language)
        self.window.backup_schedule_changed.connect(self.schedule_backups)
        self.reminders.shown.connect(self._reminder_shown)
        self.window.show()
        if self.window.area() != "dashboard":  # the dashboard loads itself when selected
            self.window.dashboard.refresh()
        QTimer.singleShot(0, self.reminders.start)
        QTimer.singleShot(0, self.watcher.start)
        return self.window

    def _changed(self, entities: frozenset[str]) -> None:
        if self.window is not None:
            self.window.apply_changes(entities)
        if "reminder" in entities:  # e.g. made on another workstation: schedule it here too
            self.reminders.resync()

    def _reminder_shown(self, row: object) -> None:
        if self.window is not None:
            self.window.show_reminder(row)  # type: ignore[arg-type]

    def change_language(self, code: str) -> None:
        apply_language(self.app, code, self)
        old = self.window
        if old is not None:
            self.reminders.shown.disconnect(self._reminder_shown)
            old.close()
            old.deleteLater()
        self.window = MainWindow(self.world.services)
        self.window.language_changed.connect(self.change_language)
        self.window.backup_schedule_changed.connect(self.schedule_backups)
        self.reminders.shown.connect(self._reminder_shown)
        self.window.show_area("settings")
        self.window.show()

    def shutdown(self) -> None:
        from drillapp.scheduling import seal_jobs

        seal_jobs.set_listener(None)
        self.watcher.stop()
        self.reminders.stop()
        wait_for_all()
        self.world.db.dispose()


def apply_language(app: QApplication, code: str, owner: AppController | None = None) -> str:
    """Switch our catalogue and Qt's own (standard dialogs and buttons) to `code`."""
    language = set_language(code)
    translator = getattr(app, "_drillapp_qt_translator", None)
    if translator is not None:
        app.removeTranslator(translator)
    if language != "en":
        translator = QTranslator(app)
        if translator.load(QLocale(language), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(translator)
            app._drillapp_qt_translator = translator  # type: ignore[attr-defined]
    QLocale.setDefault(QLocale(language))
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


def _bench_exit_when_idle(controller: AppController) -> None:
    """For bench/startup.py: report start-up time once the dashboard is in and the loop is idle, then quit."""
    window = controller.window
    assert window is not None

    def ready(_data: object) -> None:
        def report() -> None:
            print(f"BENCH_READY {seconds_since_process_start():.4f}", flush=True)
            controller.app.quit()

        QTimer.singleShot(0, report)

    window.dashboard.loaded.connect(ready)


def main(db_url: str | None = None, load_demo: bool = False) -> int:
    setup_logging()
    app = create_application()
    install_excepthook()
    apply_language(app, settings.get(settings.LANGUAGE))
    from drillapp.ui.db_settings import startup_url

    try:
        db = open_database(startup_url(db_url))
    except Exception as exc:
        message = exc.message if isinstance(exc, DomainError) else _(
            "The database could not be opened: {error}").format(error=exc)
        if not isinstance(exc, DomainError):
            log.exception("start-up failed")
        if os.environ.get(BENCH_ENV):
            print(f"drillapp: {message}", file=sys.stderr)
        else:
            QMessageBox.critical(None, _("drillapp cannot start"), message)
        return 1
    actor = log_in(UserService(db, SYSTEM_ACTOR))
    if actor is None:  # the user cancelled the log-in
        db.dispose()
        return 0
    world = world_for(db, actor)
    if load_demo:
        from drillapp.demo import DemoService

        try:
            DemoService(world.db, world.actor).load_demo()
        except DomainError as exc:
            QMessageBox.warning(None, _("Demo port"), exc.message)
    controller = AppController(app, world)
    controller.show()
    if os.environ.get(BENCH_ENV):
        _bench_exit_when_idle(controller)
    return app.exec()
