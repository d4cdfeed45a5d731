"""The Drills area's port calendar settings: the port's public holidays and blocked periods (Spring Festival
week, National Day week, peak traffic — no drill is placed in a blocked period), a year at a time, added,
changed and removed (asking first); and the drill reminder lead times (7 days, 1 day, 1 hour by default), a port
setting kept in the database so the command line and every desk agree."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillapp.i18n import N_, _
from drillapp.labels import label
from drillapp.models.enums import CalendarEntryKind
from drillapp.services.permissions import allowed
from drillapp.services.port_calendar import (
    CalendarEntry,
    PortCalendarService,
    PortSettingsService,
    ReminderLeads,
)
from drillapp.ui.date_field import DateField
from drillapp.ui.form_dialog import FormDialog
from drillapp.ui.operations import QueryOp, Watch, WriteOp

ENTRY = Qt.ItemDataRole.UserRole
#: lead units: (minutes in one, label)
UNITS = ((24 * 60, N_("days")), (60, N_("hours")), (1, N_("minutes")))


def lead_text(minutes: int) -> str:
    """7 days, 1 day, 2 hours, 90 minutes: the largest unit that divides the lead."""
    if minutes % (24 * 60) == 0:
        n = minutes // (24 * 60)
        return _("{n} day(s)").format(n=n)
    if minutes % 60 == 0:
        return _("{n} hour(s)").format(n=minutes // 60)
    return _("{n} minute(s)").format(n=minutes)


class EntryDialog(FormDialog):
    """Add a holiday or blocked period (entry None) or change one."""

    def __init__(self, calendar: PortCalendarService, entry: CalendarEntry | None, day: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("New calendar entry") if entry is None else _("Change calendar entry"),
                         _("No drill is placed in a blocked period; public holidays count with weekends in the "
                           "roster's fair share."), parent)
        self.setObjectName("calendarEntryDialog")
        self.calendar, self.entry = calendar, entry
        self.kind = QComboBox(self)
        self.kind.setObjectName("entryKind")
        for kind in (CalendarEntryKind.BLOCKED, CalendarEntryKind.HOLIDAY):
            self.kind.addItem(label(kind), kind)
        self.name = QLineEdit(entry.name if entry else "", self)
        self.name.setObjectName("entryName")
        self.name.setPlaceholderText(_("e.g. Spring Festival week"))
        self.starts = DateField(entry.starts_on if entry else day, self)
        self.starts.setObjectName("entryStarts")
        self.ends = DateField(entry.ends_on if entry else day, self)
        self.ends.setObjectName("entryEnds")
        if entry is not None:
            self.kind.setCurrentIndex(self.kind.findData(entry.kind))
        self.form.addRow(_("&Kind"), self.kind)
        self.form.addRow(_("&Name"), self.name)
        self.form.addRow(_("&From"), self.starts)
        self.form.addRow(_("&To (included)"), self.ends)
        self.name.setFocus()

    def operation(self) -> Callable[[], Any]:
        calendar, entry = self.calendar, self.entry
        kind, name, first, last = self.kind.currentData(), self.name.text(), self.starts.value(), self.ends.value()
        return lambda: calendar.set_entry(kind, name, first, last, entry_id=entry.id if entry else None,
                                          expected_version=entry.row_version if entry else None)


class EntryTree(QTreeWidget):
    """The entries; Insert adds, Enter or F2 changes, Delete removes."""

    def __init__(self, page: PortCalendarPage) -> None:
        super().__init__(page)
        self.page = page

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2):
            self.page.edit_entry()
        elif key == Qt.Key.Key_Delete:
            self.page.remove_entry()
        elif key == Qt.Key.Key_Insert:
            self.page.add_entry()
        else:
            super().keyPressEvent(event)


class PortCalendarPage(QWidget):
    def __init__(self, calendar: PortCalendarService, settings: PortSettingsService,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("portCalendarPage")
        self.calendar, self.settings = calendar, settings
        self.watch = Watch(self, self.refresh)
        self.leads: ReminderLeads | None = None
        self._loaded = False
        role = calendar.actor.role
        self.may_set = allowed(role, "drills.set_calendar_entry")
        self.may_remove = allowed(role, "drills.remove_calendar_entry")
        self.may_settings = allowed(role, "drills.set_port_settings")

        self.year = QSpinBox(self)
        self.year.setObjectName("calendarYear")
        self.year.setRange(1900, 2999)
        self.year.setValue(calendar.today().year)
        self.year.valueChanged.connect(lambda _v: self.refresh())
        self.entries = EntryTree(self)
        self.entries.setObjectName("calendarEntries")
        self.entries.setHeaderLabels([_("Kind"), _("Entry name"), _("From"), _("To"), _("Days")])
        self.entries.setRootIsDecorated(False)
        self.entries.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.entries.itemDoubleClicked.connect(lambda *_a: self.edit_entry())
        self.entries.currentItemChanged.connect(lambda *_a: self._update())
        self.empty = QLabel(_("No holidays or blocked periods in this year. Add the Spring Festival and National "
                              "Day weeks (Insert)."), self)
        self.empty.setObjectName("calendarEmpty")
        self.empty.setWordWrap(True)
        self.empty.setProperty("muted", True)
        self.add_button = self._button(_("Add… (Ins)"), "addCalendarEntry", self.add_entry)
        self.edit_button = self._button(_("Change… (Enter)"), "editCalendarEntry", self.edit_entry)
        self.remove_button = self._button(_("Remove… (Del)"), "removeCalendarEntry", self.remove_entry)
        year_row = QHBoxLayout()
        year_caption = QLabel(_("&Year:"), self)
        year_caption.setBuddy(self.year)
        year_row.addWidget(year_caption)
        year_row.addWidget(self.year)
        year_row.addStretch(1)
        for b in (self.add_button, self.edit_button, self.remove_button):
            year_row.addWidget(b)
        days_box = QGroupBox(_("Holidays and blocked periods"), self)
        days_layout = QVBoxLayout(days_box)
        days_layout.addLayout(year_row)
        days_layout.addWidget(self.entries, 1)
        days_layout.addWidget(self.empty)

        self.lead_list = QListWidget(self)
        self.lead_list.setObjectName("reminderLeads")
        self.lead_list.currentItemChanged.connect(lambda *_a: self._update())
        self.lead_amount = QSpinBox(self)
        self.lead_amount.setObjectName("leadAmount")
        self.lead_amount.setRange(1, 999)
        self.lead_amount.setValue(2)
        self.lead_unit = QComboBox(self)
        self.lead_unit.setObjectName("leadUnit")
        for minutes, text in UNITS:
            self.lead_unit.addItem(_(text), minutes)
        self.lead_unit.setCurrentIndex(1)
        self.add_lead_button = self._button(_("Add"), "addLead", self.add_lead)
        self.remove_lead_button = self._button(_("Remove"), "removeLead", self.remove_lead)
        self.save_leads_button = self._button(_("Save reminders (Ctrl+S)"), "saveLeads", self.save_leads)
        self.leads_status = QLabel(self)
        self.leads_status.setObjectName("leadsStatus")
        self.leads_status.setWordWrap(True)
        lead_row = QHBoxLayout()
        lead_row.addWidget(self.lead_amount)
        lead_row.addWidget(self.lead_unit)
        lead_row.addWidget(self.add_lead_button)
        lead_row.addWidget(self.remove_lead_button)
        leads_box = QGroupBox(_("Drill reminders"), self)
        leads_layout = QVBoxLayout(leads_box)
        intro = QLabel(_("Before each drill its people are reminded this long ahead (and again when it starts). "
                         "Every desk and the command line use these."), self)
        intro.setWordWrap(True)
        leads_layout.addWidget(intro)
        leads_layout.addWidget(self.lead_list, 1)
        leads_layout.addLayout(lead_row)
        leads_layout.addWidget(self.save_leads_button)
        leads_layout.addWidget(self.leads_status)
        layout = QHBoxLayout(self)
        layout.addWidget(days_box, 3)
        layout.addWidget(leads_box, 2)
        drop = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.lead_list, self.remove_lead)
        drop.setContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_lead_button.setToolTip(_("Remove the selected reminder time (Del)"))
        save = QShortcut(QKeySequence.StandardKey.Save, self, self.save_leads)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._update()

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- reading ------------------------------------------------------------------------------------
    def activate(self) -> None:
        if not self._loaded:
            self.refresh()

    def refresh(self) -> None:
        year, calendar, settings = self.year.value(), self.calendar, self.settings

        def read() -> tuple[list[CalendarEntry], ReminderLeads]:
            return calendar.entries(first=date(year, 1, 1), last=date(year, 12, 31)), settings.reminder_settings()

        QueryOp(self, read, watch=self.watch).success(lambda r: self._show(*r)).run()

    def _show(self, entries: list[CalendarEntry], leads: ReminderLeads) -> None:
        self._loaded = True
        chosen = self.selected_entry()
        self.entries.clear()
        for e in entries:
            item = QTreeWidgetItem([label(e.kind), e.name, e.starts_on.isoformat(), e.ends_on.isoformat(),
                                    str(len(e.days))])
            item.setData(0, ENTRY, e)
            self.entries.addTopLevelItem(item)
            if chosen is not None and chosen.id == e.id:
                self.entries.setCurrentItem(item)
        for c, width in enumerate((110, 220, 100, 100)):
            self.entries.setColumnWidth(c, width)
        self.empty.setVisible(not entries)
        self.show_leads(leads.minutes)
        self.leads = leads
        if leads.row_version is None:
            self.leads_status.setText(_("The port keeps the defaults: 7 days, 1 day and 1 hour before."))
        self._update()

    def selected_entry(self) -> CalendarEntry | None:
        item = self.entries.currentItem()
        return item.data(0, ENTRY) if item is not None else None

    def _update(self) -> None:
        entry = self.selected_entry() is not None
        self.add_button.setEnabled(self.may_set)
        self.edit_button.setEnabled(self.may_set and entry)
        self.remove_button.setEnabled(self.may_remove and entry)
        for w in (self.add_lead_button, self.lead_amount, self.lead_unit):
            w.setEnabled(self.may_settings)
        self.remove_lead_button.setEnabled(self.may_settings and self.lead_list.currentItem() is not None)
        self.save_leads_button.setEnabled(self.may_settings and self.leads is not None
                                          and self.shown_leads() != self.leads.minutes)

    # -- holidays and blocked periods ---------------------------------------------------------------
    def add_entry(self) -> None:
        if not self.may_set:
            return
        today = self.calendar.today()
        day = today if today.year == self.year.value() else date(self.year.value(), 1, 1)
        EntryDialog(self.calendar, None, day, self).exec()

    def edit_entry(self) -> None:
        entry = self.selected_entry()
        if entry is not None and self.may_set:
            EntryDialog(self.calendar, entry, entry.starts_on, self).exec()

    def remove_entry(self) -> None:
        entry = self.selected_entry()
        if entry is None or not self.may_remove:
            return
        answer = QMessageBox.question(
            self, _("Remove calendar entry"),
            _("Remove “{name}” ({first} – {last}) from the port calendar? Drills may then be placed in these "
              "days.").format(name=entry.name, first=entry.starts_on.isoformat(), last=entry.ends_on.isoformat()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        calendar = self.calendar
        WriteOp(self, lambda: calendar.remove_entry(entry.id, expected_version=entry.row_version)).run(initiator=self)

    # -- reminder leads -----------------------------------------------------------------------------
    def show_leads(self, minutes: tuple[int, ...]) -> None:
        self.lead_list.clear()
        for m in sorted(set(minutes), reverse=True):
            item = QListWidgetItem(_("{lead} before").format(lead=lead_text(m)))
            item.setData(ENTRY, m)
            self.lead_list.addItem(item)
        self._update()

    def shown_leads(self) -> tuple[int, ...]:
        return tuple(int(item.data(ENTRY)) for i in range(self.lead_list.count())
                     if (item := self.lead_list.item(i)) is not None)

    def add_lead(self) -> None:
        minutes = self.lead_amount.value() * int(self.lead_unit.currentData())
        self.show_leads((*self.shown_leads(), minutes))

    def remove_lead(self) -> None:
        row = self.lead_list.currentRow()
        if row >= 0:
            leads = list(self.shown_leads())
            del leads[row]
            self.show_leads(tuple(leads))

    def save_leads(self) -> None:
        if not self.save_leads_button.isEnabled() or self.leads is None:
            return
        settings, minutes, version = self.settings, list(self.shown_leads()), self.leads.row_version
        WriteOp(self, lambda: settings.set_reminder_leads(minutes, expected_version=version)).success(
            lambda saved: self.leads_status.setText(_("Saved: reminders {leads} before each drill.").format(
                leads=", ".join(lead_text(m) for m in saved)))).run(initiator=self)
