"""Starting the desktop app: QApplication, language, fonts, the database, the main window, reminders."""

from __future__ import annotations

import logging
import os
import sys

from PySide6.QtCore import QLocale, QObject, Qt, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from drillapp import APP_NAME, ORG_NAME, __version__
from drillapp.bootstrap import World, open_database, setup_logging, use_port, world_for
from drillapp.i18n import _, set_language
from drillapp.paths import resource_path
from drillapp.proc_clock import seconds_since_process_start
from drillapp.services.changes import ChangeSet
from drillapp.services.context import SYSTEM_ACTOR, PortScope
from drillapp.services.errors import DomainError
from drillapp.services.users import UserService
from drillapp.ui import operations, settings
from drillapp.ui.errors import install_excepthook
from drillapp.ui.fonts import install_cjk_font
from drillapp.ui.login import log_in
from drillapp.ui.main_window import MainWindow
from drillapp.ui.operations import wait_for_all
from drillapp.ui.reminders_qt import ReminderBridge

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
        from drillapp.services.change_feed import open_feed
        from drillapp.ui.change_watcher import ChangeWatcher

        self.watcher = ChangeWatcher(open_feed(world.db), self)
        operations.listen(self, self._changed)
        self.reminders.started.connect(self.schedule_backups)
        self.session_ended = False
        #: set by `main`, whose event loop this controller's session runs in: ending the session leaves it
        self.leaves_loop = False
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

    def _new_window(self) -> MainWindow:
        window = MainWindow(self.world.services)
        window.language_changed.connect(self.change_language)
        window.port_changed.connect(self.change_port)
        window.backup_schedule_changed.connect(self.schedule_backups)
        window.session_over.connect(self.end_session, Qt.ConnectionType.QueuedConnection)
        self.reminders.shown.connect(self._reminder_shown)
        return window

    def show(self) -> MainWindow:
        self.window = self._new_window()
        self.window.show()
        if self.window.area() != "dashboard":  # the dashboard loads itself when selected
            self.window.dashboard.refresh()
        QTimer.singleShot(0, self.reminders.start)
        QTimer.singleShot(0, self.watcher.start)
        QTimer.singleShot(0, self.window.consoles.reopen_running)  # a drill still running: its console again
        return self.window

    def _changed(self, change_set: ChangeSet, _initiator: object) -> None:
        if change_set.remote and change_set.touches({"reminder"}):  # made at another desk: schedule it here too
            self.reminders.resync()

    def _reminder_shown(self, row: object) -> None:
        if self.window is not None:
            self.window.show_reminder(row)  # type: ignore[arg-type]  # the job hands over the reminder row the window expects

    def _replace_window(self, area: str | None = None) -> None:
        old = self.window
        if old is not None:
            self.reminders.shown.disconnect(self._reminder_shown)
            area = area or old.area()
            old.close()
            old.deleteLater()
        self.window = self._new_window()
        if area:
            self.window.show_area(area)
        self.window.show()
        QTimer.singleShot(0, self.window.consoles.reopen_running)

    def change_language(self, code: str) -> None:
        apply_language(self.app, code, self)
        self._replace_window("settings")

    def change_port(self, scope: PortScope) -> None:
        """Work on another port (or every port): the screens are rebuilt for it, its time zone applies."""
        self.world = use_port(self.world, scope)
        if scope.id is not None:
            settings.put(settings.CURRENT_PORT, scope.id)
        self._replace_window()

    def end_session(self) -> None:
        """The account was deactivated (or the database under it restored): close the window and leave
        the event loop; `main` asks who logs in next."""
        if self.session_ended:
            return
        self.session_ended = True
        if self.window is not None:
            self.reminders.shown.disconnect(self._reminder_shown)
            self.window.close()
            self.window.deleteLater()
            self.window = None
        self.watcher.stop()
        self.reminders.stop()
        if self.leaves_loop:  # only main's own loop: an exit outside it would stop every later nested loop
            self.app.exit(0)

    def shutdown(self) -> None:
        from drillapp.scheduling import seal_jobs

        seal_jobs.set_listener(None)
        self.watcher.close()
        self.reminders.stop()
        wait_for_all()
        self.world.db.dispose()


def choose_port_at_start(world: World) -> World:
    """With several ports and none remembered, ask which one to work on (then it is remembered)."""
    if settings.get(settings.CURRENT_PORT) or os.environ.get(BENCH_ENV):
        return world
    ports = world.services.org.ports()
    if len(ports) < 2:
        return world
    from drillapp.ui.port_dialog import PortDialog

    dialog = PortDialog(ports, world.services.scope, all_ports=world.actor.port_id is None)
    if dialog.exec() and dialog.chosen is not None:
        world = use_port(world, dialog.chosen)
        if dialog.chosen.id is not None:
            settings.put(settings.CURRENT_PORT, dialog.chosen.id)
    return world


def apply_language(app: QApplication, code: str, owner: AppController | None = None) -> str:
    """Switch our catalogue and Qt's own (standard dialogs and buttons) to `code`; dialogs built from now on
    speak it (main calls this before the log-in, so the log-in and first-start dialogs do too)."""
    from drillapp.ui.qt_translations import fallback_translator, qtbase_translator

    language = set_language(code)
    for translator in getattr(app, "_drillapp_qt_translators", ()):
        app.removeTranslator(translator)
    installed = []
    if language != "en":
        # the fallback after qtbase: Qt asks the translator installed last first
        for translator in (qtbase_translator(language, app), fallback_translator(app)):
            if translator is not None:
                app.installTranslator(translator)
                installed.append(translator)
    app._drillapp_qt_translators = installed  # type: ignore[attr-defined]  # kept on the app so the translators live as long as it
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


def start_failed(message: str) -> None:
    """Tell why the app cannot start: a message box (an unattended benchmark start: standard error)."""
    if os.environ.get(BENCH_ENV):
        print(f"drillapp: {message}", file=sys.stderr)
        return
    _app = QApplication.instance() or QApplication(sys.argv[:1])  # held until the box is closed
    QMessageBox.critical(None, _("drillapp cannot start"), message)


def main(db_url: str | None = None, load_demo: bool = False, language: str | None = None) -> int:
    """The desktop app. `language` (the command line's --lang) overrides the one chosen in Settings for this
    run; either is in force before the first dialog (database password, log-in, first start)."""
    setup_logging()
    app = create_application()
    install_excepthook()
    apply_language(app, language or settings.get(settings.LANGUAGE))
    from drillapp.ui.db_settings import startup_url

    try:
        db = open_database(startup_url(db_url))
    except Exception as exc:
        message = exc.message if isinstance(exc, DomainError) else _(
            "The database could not be opened: {error}").format(error=exc)
        if not isinstance(exc, DomainError):
            log.exception("start-up failed")
        start_failed(message)
        return 1
    while True:  # again after a session ends (account deactivated, database restored)
        actor = log_in(UserService(db, SYSTEM_ACTOR))
        if actor is None:  # the user cancelled the log-in
            db.dispose()
            return 0
        world = world_for(db, actor, remembered_port=settings.get(settings.CURRENT_PORT))
        if load_demo:
            from drillapp.demo import DemoService

            load_demo = False
            try:
                DemoService(world.db, world.actor).load_demo()
            except DomainError as exc:
                QMessageBox.warning(None, _("Demo port"), exc.message)
            world = world_for(db, actor, remembered_port=settings.get(settings.CURRENT_PORT))
        world = choose_port_at_start(world)
        controller = AppController(app, world)
        controller.leaves_loop = True
        controller.show()
        if os.environ.get(BENCH_ENV):
            _bench_exit_when_idle(controller)
        code = app.exec()
        if not controller.session_ended:
            return code
        app.aboutToQuit.disconnect(controller.shutdown)  # it ran as the loop ended
        controller.deleteLater()
