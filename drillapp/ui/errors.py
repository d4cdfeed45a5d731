"""Showing errors: a DomainError is a plain message; anything else is a bug, logged with its traceback
and shown with the log file's location."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from drillapp.i18n import _
from drillapp.logsetup import log_file
from drillapp.services.errors import AccountDeactivatedError, DomainError

log = logging.getLogger("drillapp.ui")


def end_session(parent: QWidget | None) -> None:
    """Tell the main window behind `parent` that its session is over (its `session_over` signal: the app
    controller closes it and asks who logs in)."""
    widget = parent
    while widget is not None:
        if hasattr(widget, "session_over"):
            widget.session_over.emit()
            return
        widget = widget.parentWidget()
    for top in QApplication.topLevelWidgets():  # an error shown without a parent
        if hasattr(top, "session_over"):
            top.session_over.emit()


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    if isinstance(exc, AccountDeactivatedError):  # the session is over: say so, then back to the log-in
        QMessageBox.warning(parent, _("Session ended"), exc.message)
        end_session(parent)
        return
    if isinstance(exc, DomainError):
        QMessageBox.warning(parent, _("Cannot do that"), exc.message)
        return
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    _bug_dialog(parent, exc)


def _bug_dialog(parent: QWidget | None, exc: BaseException) -> None:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("Something went wrong"))
    box.setText(_("drillapp hit an internal error. Your saved data is safe; the action you were doing was not saved."))
    box.setInformativeText(_("Details were written to the log file:\n{path}").format(path=log_file()))
    box.setDetailedText("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    box.exec()


def install_excepthook() -> None:
    """Uncaught exceptions in slots go to the log and a dialog instead of killing the app silently."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught exception", exc_info=(kind, exc, tb))
        app = QApplication.instance()
        if app is not None and QThread.currentThread() is app.thread():
            try:
                show_error(QApplication.activeWindow(), exc)
            except Exception:  # never recurse from the hook
                log.exception("could not show the error dialog")

    sys.excepthook = hook
