"""A date field that takes a date typed the way people write it: "2027-01-01", "2027-1-1" or "20270101".

Qt's QDateEdit edits section by section, which loses keystrokes typed as one text: with the whole field
selected the digits are refused, and after a full year its cursor moves on to the month by itself, so the
"-" typed next skips the month too ("2027-01-01" became 2026-01-01 or 2027-03-01). `DateField` shows
yyyy-MM-dd (the same in every language), starts typing in a section by replacing it, starts at the year
when everything is selected, and ignores a separator typed right after the field moved on by itself.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtGui import QFocusEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QWidget


def qt_datetime(value: datetime) -> QDateTime:
    """A wall-clock datetime (already in the port's time) as Qt's, field by field: the same on every PySide6
    release (6.12's stubs take a datetime, earlier ones do not)."""
    return QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute, value.second,
                                                                            value.microsecond // 1000))

DISPLAY_FORMAT = "yyyy-MM-dd"
SEPARATORS = {"-", "/", ".", " "}


class DateField(QDateEdit):
    def __init__(self, value: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(DISPLAY_FORMAT)
        self.setCalendarPopup(True)
        self._moved_on = False  # the last digit completed a section and the field moved to the next one
        self._typing: QDateTimeEdit.Section | None = None  # the section being typed into
        if value is not None:
            self.set_value(value)

    def value(self) -> date:
        """The date shown, with what is being typed taken in ("2027-01-1" is the 1st, not the day before)."""
        self.interpretText()
        return cast(date, self.date().toPython())  # PySide6 types toPython() as object

    def set_value(self, value: date) -> None:
        self.setDate(QDate(value.year, value.month, value.day))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        text = event.text()
        if text and text in SEPARATORS and self._moved_on:
            self._moved_on = False  # the field already went on to the next section: this separator is that step
            event.accept()
            return
        if not text.isdigit():
            self._moved_on, self._typing = False, None
            super().keyPressEvent(event)
            return
        line = self.lineEdit()
        if line.selectedText() == line.text():  # all selected: the typing starts at the year
            self.setSelectedSection(QDateTimeEdit.Section.YearSection)
        elif not line.hasSelectedText() and self._typing != self.currentSection():
            self.setSelectedSection(self.currentSection())  # a cursor put in a section: the typing replaces it
        before = self.currentSection()
        super().keyPressEvent(event)
        self._moved_on = self.currentSection() != before
        self._typing = None if self._moved_on else self.currentSection()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self._moved_on, self._typing = False, None
        super().mousePressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        self._moved_on, self._typing = False, None
        super().focusInEvent(event)
        if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason,
                              Qt.FocusReason.ShortcutFocusReason):
            self.setSelectedSection(QDateTimeEdit.Section.YearSection)
