"""Backing up the database to a file and restoring it from one (File → Back up database…, Restore from
backup…, and the Settings page's buttons): the file dialogs, the question before a restore, the copy run as a
long write (a progress dialog if it takes a while). A shared PostgreSQL database is backed up and restored on
the server instead (pg_dump, pg_restore)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QWidget

from drillapp.i18n import _
from drillapp.services.backup import BackupService
from drillapp.services.context import Actor
from drillapp.ui.operations import WriteOp

if TYPE_CHECKING:
    from drillapp.db import Database


def back_up(window: QMainWindow, db: Database, actor: Actor) -> None:
    """Ask where, then copy the live database there; the status bar says where it went."""
    if not db.is_sqlite:
        QMessageBox.information(window, _("Back up"), _("A shared PostgreSQL database is backed up on the server with pg_dump."))
        return
    from drillapp.ui.formatting import port_now

    suggested = str(Path.home() / f"drillapp-{port_now():%Y%m%d-%H%M}.sqlite3")
    path, _filter = QFileDialog.getSaveFileName(window, _("Back up database"), suggested, _("Database backups (*.sqlite3)"))
    if not path:
        return
    service = BackupService(db, actor)
    WriteOp(window, lambda: service.backup(Path(path)), label=_("Backing up…"), long=True) \
        .success(lambda out: window.statusBar().showMessage(_("Backup written to {path}").format(path=out), 10000)) \
        .run()


def restore(window: QWidget, db: Database, actor: Actor, session_over: Callable[[], None]) -> None:
    """Ask for the backup and confirm, then replace the database with it (the current one is saved beside it);
    the accounts are now the backup's, so `session_over` asks who logs in."""
    if not db.is_sqlite:
        QMessageBox.information(window, _("Restore"), _("A shared PostgreSQL database is restored on the server with pg_restore."))
        return
    path, _filter = QFileDialog.getOpenFileName(window, _("Restore from backup"), str(Path.home()),
                                                _("Database backups (*.sqlite3);;All files (*)"))
    if not path:
        return
    answer = QMessageBox.question(
        window, _("Restore from backup"),
        _("Replace everything in the current database with the backup {file}?\n\n"
          "The current database is saved beside it first, so nothing is lost.").format(file=Path(path).name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return
    service = BackupService(db, actor)

    def restored(safety: Path) -> None:
        QMessageBox.information(window, _("Restore from backup"),
                                _("Restored. The previous database was saved as {path}.\n\nLog in again: the "
                                  "accounts are now those of the backup.").format(path=safety))
        session_over()

    WriteOp(window, lambda: service.restore(Path(path)), label=_("Restoring…"), long=True) \
        .success(restored) \
        .run()
