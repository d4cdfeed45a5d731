"""Small parts of the drill designer: its undo step, a new drill's content, and the questions it asks (where a
postponed drill goes, and why)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, cast

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QDateTimeEdit, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from drillapp.clock import from_local
from drillapp.i18n import _
from drillapp.models.enums import DrillKind, DrillScope
from drillapp.services.drill_design import DesignContent
from drillapp.ui.date_field import qt_datetime

DEFAULT_TIME = time(9, 0)


class Snapshot(QUndoCommand):
    """One edit: the design before and after (immutable, so undo is exact); `designer` shows a content."""

    def __init__(self, designer: Any, before: DesignContent, after: DesignContent, text: str) -> None:
        super().__init__(text)
        self.designer, self.before, self.after = designer, before, after

    def redo(self) -> None:
        self.designer.set_content(self.after)

    def undo(self) -> None:
        self.designer.set_content(self.before)


def new_content(day: date, zone: str) -> DesignContent:
    """A new drill on `day` at 09:00 in the port."""
    return DesignContent(title="", kind=DrillKind.TABLETOP, scope=DrillScope.SINGLE, plan_id=None, level=None,
                         start=from_local(datetime.combine(day, DEFAULT_TIME), zone), duration_minutes=60)


class PostponeDialog(QDialog):
    """A later start (the port's time) and the reason, both required."""

    def __init__(self, current: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("postponeDialog")
        self.setWindowTitle(_("Postpone drill"))
        self.setMinimumWidth(460)
        later = current + timedelta(days=7)
        self.start = QDateTimeEdit(qt_datetime(later), self)
        self.start.setObjectName("postponeTo")
        self.start.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.start.setCalendarPopup(True)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("postponeReason")
        self.reason.setPlaceholderText(_("Why it is postponed (kept in the drill's history)"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Postpone"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._check)
        form = QFormLayout(self)
        form.addRow(_("Original start"), QLineEdit(f"{current:%Y-%m-%d %H:%M}", self, readOnly=True))
        form.addRow(_("New start"), self.start)
        form.addRow(_("Reason"), self.reason)
        form.addRow(self.buttons)
        self._check()

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reason.text().strip()))

    def value(self) -> tuple[datetime, str]:
        local = cast(datetime, self.start.dateTime().toPython()).replace(second=0, microsecond=0)
        return local, self.reason.text().strip()


def ask_postpone(parent: QWidget, current: datetime) -> tuple[datetime, str] | None:
    """The new local start and the reason, or None when the user cancels (tests replace this)."""
    dialog = PostponeDialog(current, parent)
    try:
        return dialog.value() if dialog.exec() else None
    finally:
        dialog.deleteLater()
