"""Time in one place, so tests can hold the clock still.

Datetimes are stored as naive UTC throughout the database; the UI converts to local time for display.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The current time as naive UTC (the storage convention)."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(value: datetime) -> datetime:
    """A stored naive-UTC datetime as naive local time, for display."""
    return value.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def from_local(value: datetime) -> datetime:
    """A naive local datetime (as typed by a user) as naive UTC, for storage."""
    return value.astimezone(UTC).replace(tzinfo=None)


class FixedClock:
    """A clock that only moves when told; used by tests and the benchmark."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.now += timedelta(**delta)
