"""Small formatting helpers of the console: drill time, countdowns, local times."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from drillapp.clock import from_local, to_local


def hms(seconds: float) -> str:
    """Elapsed drill time as H:MM:SS (never negative)."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    return f"{hours:d}:{rest // 60:02d}:{rest % 60:02d}"


def countdown(seconds: float) -> str:
    """Time left to a target: "12:30", or "−3:05" once past it."""
    sign = "−" if seconds < 0 else ""
    total = int(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"


def local_hm(value: datetime | None, zone: str | None = None) -> str:
    """A stored naive-UTC moment as the port's HH:MM ("" for none)."""
    return to_local(value, zone or None).strftime("%H:%M") if value is not None else ""


def local_hms(value: datetime | None, zone: str | None = None) -> str:
    return to_local(value, zone or None).strftime("%H:%M:%S") if value is not None else ""


def target_text(minutes: int | None) -> str:
    """A target counted from the start: "T+15"."""
    return f"T+{minutes}" if minutes is not None else ""


def back_time(at: time, now: datetime, zone: str | None = None) -> datetime:
    """A wall-clock time typed at the desk ("it happened at 09:42") as naive UTC: today in the port, or
    yesterday when that would be later than now (a drill running over midnight)."""
    local_now = to_local(now, zone or None)
    candidate = datetime.combine(local_now.date(), at)
    if candidate > local_now + timedelta(minutes=1):
        candidate -= timedelta(days=1)
    return from_local(candidate, zone or None)
