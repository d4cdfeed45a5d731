"""The reminder desk in the GUI: a QtScheduler, a bridge that brings fired reminders to the GUI thread,
and the tray notification."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon, QWidget

from drillapp.i18n import _
from drillapp.scheduling.reminder_desk import Prepared, ReminderDesk
from drillapp.services.reminders import ReminderRow, ReminderService
from drillapp.ui.operations import WriteOp

log = logging.getLogger(__name__)


class ReminderBridge(QObject):
    """Signals are the only way scheduler threads talk to the GUI."""

    shown = Signal(object)  # ReminderRow
    started = Signal(object)  # the running scheduler, for the app's other jobs
    _post = Signal(object)  # a callable to run on the GUI thread

    def __init__(self, service: ReminderService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.desk: ReminderDesk | None = None
        self.stopped = False  # the session ended: a start still in the worker must not start the scheduler
        self._post.connect(self._run_posted)

    @Slot(object)
    def _run_posted(self, fn: Callable[[], None]) -> None:
        fn()

    def start(self) -> None:
        """Generate reminders, read the ones to schedule and claim the ones missed, in the background; then start
        the scheduler with them on the GUI thread (which then touches no database)."""
        from apscheduler.schedulers.qt import QtScheduler  # imported after the window is up

        desk = ReminderDesk(self.service, QtScheduler(), self.shown.emit, self._post.emit)
        WriteOp(None, desk.prepare).success(lambda prepared: self._start_desk(desk, prepared)) \
            .failure(lambda exc: self._failed(desk, exc)).run()

    def _start_desk(self, desk: ReminderDesk, prepared: Prepared | None) -> None:
        if self.stopped:  # the session ended while the worker read (a log-out within a moment of the log-in)
            return
        try:
            self.desk = desk
            desk.start(prepared=prepared or Prepared())
            self.started.emit(desk.scheduler)
        except Exception:
            log.exception("the reminder scheduler could not start")

    def _failed(self, desk: ReminderDesk, exc: BaseException) -> None:
        log.error("reminder refresh failed", exc_info=(type(exc), exc, exc.__traceback__))
        self._start_desk(desk, None)  # the scheduler still runs: its daily refresh tries again

    def resync(self) -> None:
        """Rebuild this workstation's jobs from the reminders (one made elsewhere gets its job here): read and
        claimed in the background, scheduled on the GUI thread."""
        desk = self.desk
        if desk is None:
            return
        WriteOp(None, lambda: desk.prepare(refresh=False)).success(lambda prepared: self._apply(desk, prepared)) \
            .failure(lambda exc: log.error("reminder resync failed", exc_info=(type(exc), exc, exc.__traceback__))) \
            .run()

    def _apply(self, desk: ReminderDesk, prepared: Prepared) -> None:
        if self.desk is not desk or not desk.running:  # stopped meanwhile
            return
        try:
            desk.apply(prepared)
        except Exception:
            log.exception("reminder resync failed")

    def stop(self) -> None:
        self.stopped = True
        if self.desk is not None:
            self.desk.stop()


class Tray(QObject):
    """The tray icon, where the system has one; notifications fall back to the status bar otherwise."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.icon: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            self.icon = QSystemTrayIcon(icon, self)
            self.icon.setToolTip("drillapp")
            self.icon.activated.connect(lambda _reason: _bring_up(window))
            self.icon.show()

    def notify(self, row: ReminderRow) -> bool:
        if self.icon is None:
            return False
        self.icon.showMessage(row.heading or _("Reminder"), row.detail, QSystemTrayIcon.MessageIcon.Information, 15000)
        return True


def _bring_up(window: QWidget) -> None:
    window.showNormal()
    window.raise_()
    window.activateWindow()
