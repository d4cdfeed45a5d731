"""The reminder desk in the GUI: a QtScheduler, a bridge that brings fired reminders to the GUI thread,
and the tray notification."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QStyle, QSystemTrayIcon, QWidget

from drillapp.i18n import _
from drillapp.scheduling.reminder_desk import ReminderDesk
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
        self._post.connect(self._run_posted)

    @Slot(object)
    def _run_posted(self, fn: Callable[[], None]) -> None:
        fn()

    def start(self) -> None:
        """Generate reminders in the background, then start the scheduler on the GUI thread."""
        WriteOp(None, self.service.refresh).success(lambda _n: self._start_desk()).failure(self._failed).run()

    def _start_desk(self) -> None:
        from apscheduler.schedulers.qt import QtScheduler  # imported after the window is up

        try:
            self.desk = ReminderDesk(self.service, QtScheduler(), self.shown.emit, self._post.emit)
            self.desk.start(refresh=False)
            self.started.emit(self.desk.scheduler)
        except Exception:
            log.exception("the reminder scheduler could not start")

    def _failed(self, exc: BaseException) -> None:
        log.error("reminder refresh failed", exc_info=(type(exc), exc, exc.__traceback__))
        self._start_desk()

    def resync(self) -> None:
        """Rebuild this workstation's jobs from the reminders (one made elsewhere gets its job here)."""
        if self.desk is not None:
            try:
                self.desk.sync()
                self.desk.sweep()
            except Exception:
                log.exception("reminder resync failed")

    def stop(self) -> None:
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
