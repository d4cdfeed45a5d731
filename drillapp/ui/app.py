"""The desktop app after the log-in: the main window, reminders, the port, sessions (the start before the log-in,
QApplication, language and fonts, is drillapp/ui/start.py)."""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QObject, Qt, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from drillapp.bootstrap import World, use_port, world_for
from drillapp.db import Database
from drillapp.i18n import _
from drillapp.proc_clock import seconds_since_process_start
from drillapp.services.changes import ChangeSet
from drillapp.services.context import SYSTEM_ACTOR, Actor, PortScope
from drillapp.services.errors import DomainError
from drillapp.services.users import UserService
from drillapp.ui import gc_policy, operations, settings
from drillapp.ui.login import log_in
from drillapp.ui.main_window import MainWindow
from drillapp.ui.operations import wait_for_all
from drillapp.ui.reminders_qt import ReminderBridge
from drillapp.ui.start import BENCH_ENV as BENCH_ENV  # re-exported: start-up lives in start.py
from drillapp.ui.start import apply_language as apply_language
from drillapp.ui.start import create_application as create_application
from drillapp.ui.start import start_failed as start_failed

log = logging.getLogger(__name__)
REMINDERS_LATEST_MS = 3000


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
        self._reminders_begun = False
        self._reminders_latest = QTimer(self)  # the reminder desk starts by then even if the dashboard never reads
        self._reminders_latest.setSingleShot(True)
        self._reminders_latest.setInterval(REMINDERS_LATEST_MS)
        self._reminders_latest.timeout.connect(self._start_reminders)
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
        # The reminder desk's start generates the reminders due (a few hundred ms of Python and queries on a large
        # database): it waits for the dashboard's first read, so the two do not share the interpreter while the
        # user waits for the dashboard; at the latest after REMINDERS_LATEST_MS.
        self.window.dashboard.loaded.connect(self._start_reminders)
        self._reminders_latest.start()
        self.window.show()
        if self.window.area() != "dashboard":  # the dashboard loads itself when selected
            self.window.dashboard.refresh()
        QTimer.singleShot(0, self.watcher.start)
        QTimer.singleShot(0, self.window.consoles.reopen_running)  # a drill still running: its console again
        QTimer.singleShot(0, self.window.incident_desk.reopen_active)  # an incident not stood down: its console
        return self.window

    def _start_reminders(self, *_args: object) -> None:
        """Once per session: the reminder desk starts (after the dashboard's first read, or the latest timer)."""
        self._reminders_latest.stop()
        if self._reminders_begun or self.session_ended or self.reminders.stopped:
            return
        self._reminders_begun = True
        self.reminders.start()

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
        QTimer.singleShot(0, self.window.incident_desk.reopen_active)

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
        self._reminders_latest.stop()
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
        self._reminders_latest.stop()
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


def _bench_exit_when_idle(controller: AppController) -> None:
    """For bench/startup.py: report start-up time once the dashboard is in and the loop is idle, then quit."""
    window = controller.window
    assert window is not None

    def ready(_data: object) -> None:
        def report() -> None:
            from drillapp.proc_clock import resident_kib

            print(f"BENCH_READY {seconds_since_process_start():.4f}", flush=True)
            print(f"BENCH_RSS {resident_kib()}", flush=True)  # bench/first_window.py: memory at idle
            controller.app.quit()

        QTimer.singleShot(0, report)

    window.dashboard.loaded.connect(ready)


def main(db_url: str | None = None, load_demo: bool = False, language: str | None = None) -> int:
    """The desktop app (drillapp/ui/start.py: the first window before the heavy imports, then `run_sessions`)."""
    from drillapp.ui.start import main as start

    return start(db_url, load_demo, language)


def run_sessions(app: QApplication, db: Database, actor: Actor, load_demo: bool = False) -> int:
    """After the first log-in: the demo data if asked for, the port, the main window; again after a session
    ends (account deactivated, database restored), from the log-in."""
    while True:
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
        QTimer.singleShot(0, gc_policy.settle)  # start-up's objects out of every later full collection's way
        if os.environ.get(BENCH_ENV):
            _bench_exit_when_idle(controller)
        code = app.exec()
        if not controller.session_ended:
            return code
        app.aboutToQuit.disconnect(controller.shutdown)  # it ran as the loop ended
        controller.deleteLater()
        next_actor = log_in(UserService(db, SYSTEM_ACTOR))
        if next_actor is None:  # the user cancelled the log-in
            db.dispose()
            return 0
        actor = next_actor
