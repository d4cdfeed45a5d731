"""The drill's clock: elapsed time counts from the real start and stops while the drill is paused.

One place computes it, so the console, the measured times, the report countdowns, the injects and the
print-outs agree: `elapsed(start, pauses, at)` is the drill time at a moment, `moment(start, pauses, minutes)`
the moment the drill time reaches a number of minutes (an item's due time, an inject's), given the pauses so
far. Pauses are (paused at, resumed at or None while still paused), in order, not overlapping. Plain
functions of plain values: no database, no clock of their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

Pause = tuple[datetime, datetime | None]


def paused_seconds(start: datetime, pauses: Sequence[Pause], at: datetime) -> float:
    """Seconds between `start` and `at` during which the drill was paused."""
    total = 0.0
    for began, ended in pauses:
        lo = max(began, start)
        hi = min(ended if ended is not None else at, at)
        if hi > lo:
            total += (hi - lo).total_seconds()
    return total


def elapsed_seconds(start: datetime, pauses: Sequence[Pause], at: datetime, until: datetime | None = None) -> float:
    """Drill time in seconds at the moment `at` (never before the start; `until`, the end of the run, caps it)."""
    if until is not None and at > until:
        at = until
    if at <= start:
        return 0.0
    return (at - start).total_seconds() - paused_seconds(start, pauses, at)


def elapsed_minutes(start: datetime, pauses: Sequence[Pause], at: datetime, until: datetime | None = None) -> float:
    return elapsed_seconds(start, pauses, at, until) / 60


def moment(start: datetime, pauses: Sequence[Pause], minutes: float) -> datetime | None:
    """The moment at which the drill time reaches `minutes`, given the pauses so far; None when the drill is
    paused now (since a moment before that) and the time is not reached yet: it depends on the resume."""
    remaining = timedelta(minutes=minutes)
    cursor = start
    for began, ended in pauses:
        if began < cursor:
            began = cursor
        if began - cursor >= remaining:
            break
        remaining -= began - cursor
        if ended is None:
            return None
        cursor = max(cursor, ended)
    return cursor + remaining


def paused_now(pauses: Sequence[Pause]) -> datetime | None:
    """When the current pause began, or None when the clock runs."""
    if pauses and pauses[-1][1] is None:
        return pauses[-1][0]
    return None


def pauses_from(marks: Sequence[tuple[datetime, bool]]) -> tuple[Pause, ...]:
    """Pauses from the run's log in order: (time, True for a pause / False for a resume). A resume without a
    pause, or a second pause while paused, is ignored."""
    out: list[Pause] = []
    for at, is_pause in marks:
        if is_pause:
            if not out or out[-1][1] is not None:
                out.append((at, None))
        elif out and out[-1][1] is None:
            out[-1] = (out[-1][0], at)
    return tuple(out)
