"""Time in one place, so tests can hold the clock still, and in the port's zone, never the PC's.

Datetimes are stored as naive UTC throughout the database. What the port schedules, shows and prints is in
the port's own time zone (`Port.time_zone`, an IANA name such as Asia/Shanghai), whatever zone the PC is set
to: a drill at 09:30 in the port is 09:30 on a PC set to UTC or to New York. A process works on one port at a
time (the desk's current port, the command line's --port), so the zone of that port is set once with
`use_zone` when the port is chosen, and `to_local` / `from_local` convert between stored UTC and the port's
wall clock. A print-out or listing of another port passes that port's zone explicitly.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Clock = Callable[[], datetime]

#: The zone a process uses until a port says otherwise (every port of the app so far is in China).
DEFAULT_ZONE = "Asia/Shanghai"
_zone_name = DEFAULT_ZONE


def zone(name: str | None = None) -> tzinfo:
    """The tzinfo of an IANA zone name (default: the current port's)."""
    return _zone(name or _zone_name)


@cache
def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def use_zone(name: str | None) -> None:
    """Make `name` the zone of this process's port (the desk's current port, the command's --port)."""
    global _zone_name
    _zone_name = name if name and valid_zone(name) else DEFAULT_ZONE


def zone_name() -> str:
    return _zone_name


def utcnow() -> datetime:
    """The current time as naive UTC (the storage convention)."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(value: datetime, zone_name: str | None = None) -> datetime:
    """A stored naive-UTC datetime as the port's naive wall-clock time, for display."""
    return value.replace(tzinfo=UTC).astimezone(zone(zone_name)).replace(tzinfo=None)


def from_local(value: datetime, zone_name: str | None = None) -> datetime:
    """A naive wall-clock time in the port (as typed by a user) as naive UTC, for storage. An aware datetime
    is converted from its own offset."""
    if value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(tzinfo=zone(zone_name)).astimezone(UTC).replace(tzinfo=None)


def aware(value: datetime, zone_name: str | None = None) -> datetime:
    """A stored naive-UTC datetime as an aware datetime in the port's zone (ISO with its offset)."""
    return value.replace(tzinfo=UTC).astimezone(zone(zone_name))


def iso(value: datetime | None, zone_name: str | None = None) -> str | None:
    """'2027-04-30T09:30:00+08:00': a stored datetime for JSON and files, in the port's time with its offset."""
    return None if value is None else aware(value, zone_name).isoformat(timespec="seconds")


def local_today(now: datetime, zone_name: str | None = None) -> date:
    """The port's calendar date at the stored (UTC) moment `now`."""
    return to_local(now, zone_name).date()


def local_day_bounds(first: date, last: date, zone_name: str | None = None) -> tuple[datetime, datetime]:
    """The stored (UTC) moments from the start of `first` to the end of `last` (exclusive), in the port."""
    from datetime import time

    start = from_local(datetime.combine(first, time(0)), zone_name)
    end = from_local(datetime.combine(last + timedelta(days=1), time(0)), zone_name)
    return start, end


class FixedClock:
    """A clock that only moves when told; used by tests and the benchmark."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
