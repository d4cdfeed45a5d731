"""The drill programme as iCalendar (RFC 5545), written with the `icalendar` library from plain data.

- a single drill is one VEVENT, UID ``drill-<uid>@drillapp``;
- a series is one VEVENT (UID ``series-<uid>@drillapp``) with its RRULE, an EXDATE for each occurrence
  skipped or cancelled, and a VEVENT with the same UID and a RECURRENCE-ID for each occurrence moved or
  edited by hand;
- times carry the port's zone (TZID, with its VTIMEZONE); SUMMARY is the drill's title; SEQUENCE is the
  row's version, so a mail client updates an event it already has instead of adding a second one.

A cancelled single drill is written with STATUS:CANCELLED (so a re-export takes it off the calendars that
have it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from drillapp.scheduling.recurrence import normalise

PRODID = "-//drillapp//drill programme//ZH"


@dataclass(frozen=True)
class EventData:
    uid: str
    title: str
    start: datetime  # stored UTC (naive)
    minutes: int
    sequence: int
    location: str = ""
    description: str = ""
    category: str = ""
    cancelled: bool = False


@dataclass(frozen=True)
class SeriesData:
    uid: str
    title: str
    rrule: str  # the series' rule; UNTIL, if any, in the port's local time
    dtstart_local: datetime
    minutes: int
    sequence: int
    exdates: tuple[datetime, ...]  # occurrence starts (stored UTC) skipped or cancelled
    overrides: tuple[tuple[datetime, EventData], ...]  # (original start, stored UTC; the occurrence as it is)
    location: str = ""
    description: str = ""
    category: str = ""


def event_uid(uid: str) -> str:
    return f"drill-{uid}@drillapp"


def series_uid(uid: str) -> str:
    return f"series-{uid}@drillapp"


def _aware(value: datetime, tz: ZoneInfo) -> datetime:
    return value.replace(tzinfo=UTC).astimezone(tz)


def ical_rule(rule: str, tz: ZoneInfo) -> dict[str, object]:
    """The rule as icalendar's vRecur wants it; a local UNTIL becomes UTC (RFC 5545 with a zoned DTSTART)."""
    from icalendar import vRecur

    recur = vRecur.from_ical(normalise(rule))
    until = recur.get("UNTIL")
    if until:
        value = until[0]
        if isinstance(value, datetime) and value.tzinfo is None:
            recur["UNTIL"] = [value.replace(tzinfo=tz).astimezone(UTC)]
    return recur


def _event(data: EventData, tz: ZoneInfo, stamp: datetime, uid: str):  # noqa: ANN202 - icalendar's Event
    from icalendar import Event

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", _aware(data.start, tz))
    event.add("dtend", _aware(data.start + timedelta(minutes=data.minutes), tz))
    event.add("summary", data.title)
    event.add("sequence", data.sequence)
    if data.location:
        event.add("location", data.location)
    if data.description:
        event.add("description", data.description)
    if data.category:
        event.add("categories", [data.category])
    event.add("status", "CANCELLED" if data.cancelled else "CONFIRMED")
    return event


def calendar(zone: str, events: list[EventData], series: list[SeriesData], name: str, stamp: datetime) -> bytes:
    """The whole .ics file's bytes."""
    from icalendar import Calendar, Event, Timezone

    tz = ZoneInfo(zone)
    stamp = stamp.replace(tzinfo=UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", zone)
    cal.add_component(Timezone.from_tzinfo(tz, tzid=zone))
    for data in events:
        cal.add_component(_event(data, tz, stamp, event_uid(data.uid)))
    for s in series:
        master = Event()
        master.add("uid", series_uid(s.uid))
        master.add("dtstamp", stamp)
        start = s.dtstart_local.replace(tzinfo=tz)
        master.add("dtstart", start)
        master.add("dtend", start + timedelta(minutes=s.minutes))
        master.add("rrule", ical_rule(s.rrule, tz))
        for ex in sorted(s.exdates):
            master.add("exdate", _aware(ex, tz))
        master.add("summary", s.title)
        master.add("sequence", s.sequence)
        if s.location:
            master.add("location", s.location)
        if s.description:
            master.add("description", s.description)
        if s.category:
            master.add("categories", [s.category])
        cal.add_component(master)
        for original, data in s.overrides:
            override = _event(data, tz, stamp, series_uid(s.uid))
            override.add("recurrence-id", _aware(original, tz))
            cal.add_component(override)
    return cal.to_ical()


def write(path: str | Path, content: bytes) -> Path:
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_bytes(content)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
