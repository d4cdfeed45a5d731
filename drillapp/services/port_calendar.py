"""The port calendar: public holidays and blocked periods (Spring Festival week, National Day week, the
port's own), one list per port that the roster (holidays count with weekends) and the drill programme (no
drill in a blocked period) both read.

Days are the port's calendar days, `starts_on`..`ends_on` inclusive. `CalendarDays` is the plain read model a
calendar view shades and the programme solver takes its blocked days from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.models import Port, PortCalendarEntry
from drillapp.models.enums import CalendarEntryKind
from drillapp.services import validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import ValidationError

#: The longest period one entry may span (a blocked "period" of a year is a mistake, not a period).
MAX_ENTRY_DAYS = 92


@dataclass(frozen=True)
class CalendarEntry:
    id: int
    port_id: int
    kind: CalendarEntryKind
    name: str
    starts_on: date
    ends_on: date
    row_version: int

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def days(self) -> list[date]:
        return [self.starts_on + timedelta(days=i) for i in range((self.ends_on - self.starts_on).days + 1)]


@dataclass(frozen=True)
class CalendarDays:
    """A port's holidays and blocked periods overlapping [first, last]."""

    entries: tuple[CalendarEntry, ...]

    def blocked_by(self, day: date) -> CalendarEntry | None:
        return next((e for e in self.entries if e.kind is CalendarEntryKind.BLOCKED and e.covers(day)), None)

    def holiday(self, day: date) -> CalendarEntry | None:
        return next((e for e in self.entries if e.kind is CalendarEntryKind.HOLIDAY and e.covers(day)), None)

    def blocked_days(self) -> set[date]:
        return {d for e in self.entries if e.kind is CalendarEntryKind.BLOCKED for d in e.days}

    def holidays(self) -> set[date]:
        return {d for e in self.entries if e.kind is CalendarEntryKind.HOLIDAY for d in e.days}


def _row(e: PortCalendarEntry) -> CalendarEntry:
    return CalendarEntry(e.id, e.port_id, e.kind, e.name, e.starts_on, e.ends_on, e.row_version)


def calendar_days(s: Session, port_id: int, first: date, last: date) -> CalendarDays:
    rows = s.scalars(select(PortCalendarEntry).where(
        PortCalendarEntry.port_id == port_id, PortCalendarEntry.starts_on <= last, PortCalendarEntry.ends_on >= first,
    ).order_by(PortCalendarEntry.starts_on, PortCalendarEntry.id))
    return CalendarDays(tuple(_row(e) for e in rows))


def blocking_period(s: Session, port_id: int, start: datetime, minutes: int, zone: str | None = None
                    ) -> CalendarEntry | None:
    """The blocked period a drill from `start` (stored UTC) lasting `minutes` would fall in, if any."""
    first = to_local(start, zone).date()
    last = to_local(start + timedelta(minutes=max(minutes, 1) - 1), zone).date() if minutes > 0 else first
    days = calendar_days(s, port_id, first, last)
    for offset in range((last - first).days + 1):
        found = days.blocked_by(first + timedelta(days=offset))
        if found is not None:
            return found
    return None


def refuse_blocked(s: Session, port_id: int, start: datetime, minutes: int, field: str = "start") -> None:
    """A drill placed by hand in a blocked period is refused, naming the period."""
    period = blocking_period(s, port_id, start, minutes)
    if period is not None:
        raise ValidationError(_("The port calendar blocks {from_}–{to} ({name}): no drill is placed then. Choose "
                                "another date.").format(name=period.name, from_=period.starts_on.isoformat(),
                                                        to=period.ends_on.isoformat()), field)


class PortCalendarService(ServiceBase):
    def entries(self, port_id: int | None = None, first: date | None = None, last: date | None = None
                ) -> list[CalendarEntry]:
        port = self.require_port(port_id)
        with self.read() as s:
            return list(calendar_days(s, port, first or date(1900, 1, 1), last or date(2999, 12, 31)).entries)

    def days(self, first: date, last: date, port_id: int | None = None) -> CalendarDays:
        with self.read() as s:
            return calendar_days(s, self.require_port(port_id), first, last)

    def set_entry(self, kind: CalendarEntryKind, name: str, starts_on: date, ends_on: date, *,
                  entry_id: int | None = None, expected_version: int | None,
                  port_id: int | None = None) -> int:
        """Add a holiday or blocked period (or change one: `entry_id`, at `expected_version`; None for a new
        one)."""
        with self.write("drills.set_calendar_entry") as s:
            name = validate.text(name, "name", _("Entry name"), max_len=200)
            validate.date_order(starts_on, ends_on, "ends_on")
            if (ends_on - starts_on).days >= MAX_ENTRY_DAYS:
                raise ValidationError(_("A holiday or blocked period lasts at most {n} days.").format(
                    n=MAX_ENTRY_DAYS), "ends_on")
            if entry_id is None:
                validate.expect_version_or_absent(None, expected_version)
                port = validate.get(s, Port, self.require_port(port_id), _("Port"))
                entry = PortCalendarEntry(port_id=port.id, kind=kind, name=name, starts_on=starts_on, ends_on=ends_on)
                s.add(entry)
            else:
                entry = validate.get(s, PortCalendarEntry, entry_id, _("Calendar entry"))
                validate.expect_version_or_absent(entry, expected_version)
                entry.kind, entry.name, entry.starts_on, entry.ends_on = kind, name, starts_on, ends_on
            s.flush()
            return entry.id

    def remove_entry(self, entry_id: int, *, expected_version: int) -> None:
        with self.write("drills.remove_calendar_entry") as s:
            entry = validate.get(s, PortCalendarEntry, entry_id, _("Calendar entry"))
            validate.expect_version(entry, expected_version)
            s.delete(entry)


#: The longest reminder lead (a month) and how many leads a port may keep.
MAX_LEAD_MINUTES = 31 * 24 * 60
MAX_LEADS = 6


@dataclass(frozen=True)
class ReminderLeads:
    """A port's reminder leads as a screen shows them: the minutes, longest first, and the version to save
    against (None while the port keeps the defaults)."""

    minutes: tuple[int, ...]
    row_version: int | None


class PortSettingsService(ServiceBase):
    """Settings kept per port in the database (so the command line and every desk agree)."""

    def reminder_settings(self, port_id: int | None = None) -> ReminderLeads:
        from drillapp.models import PortSetting
        from drillapp.services.drill_reminders import leads

        port = self.require_port(port_id)
        with self.read() as s:
            version = s.scalar(select(PortSetting.row_version).where(PortSetting.port_id == port))
            return ReminderLeads(leads(s, port), version)

    def reminder_leads(self, port_id: int | None = None) -> tuple[int, ...]:
        """Minutes before a drill at which its people are reminded, longest first."""
        from drillapp.services.drill_reminders import leads

        with self.read() as s:
            return leads(s, self.require_port(port_id))

    def set_reminder_leads(self, minutes: list[int], port_id: int | None = None, *,
                           expected_version: int | None) -> tuple[int, ...]:
        """The port's reminder leads; `expected_version` is the port setting's row version as shown (None
        while the port keeps the defaults)."""
        from drillapp.models import PortSetting

        with self.write("drills.set_port_settings") as s:
            port = validate.get(s, Port, self.require_port(port_id), _("Port"))
            values = sorted({int(m) for m in minutes}, reverse=True)
            if not values or len(values) > MAX_LEADS or any(not 1 <= m <= MAX_LEAD_MINUTES for m in values):
                raise ValidationError(_("Give 1 to {n} reminder times, each from 1 minute to 31 days before the "
                                        "drill.").format(n=MAX_LEADS), "drill_reminder_minutes")
            setting = s.scalar(select(PortSetting).where(PortSetting.port_id == port.id))
            validate.expect_version_or_absent(setting, expected_version)
            if setting is None:
                s.add(PortSetting(port_id=port.id, drill_reminder_minutes=values))
            else:
                setting.drill_reminder_minutes = values
            return tuple(values)
