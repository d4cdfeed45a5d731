"""Each timed action measured against its target, computed from the record, never typed.

One function (`measure`) decides what a checklist item took: the drill time from the start to when it
happened (its back-timed time when it has one), with the pauses taken out (run_clock), against its target.
The console's print-out, the review, the AAR, the trends and the command line all use it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from drillapp.models.enums import Agency, ItemState, ReportKind, ResponsePhase
from drillapp.services import run_clock
from drillapp.services.checklist import sorted_items

#: How close to the target a measured time counts as on target (no rounding games: 15.0 is on a 15-minute
#: target, 15.01 is late).
TOLERANCE_MINUTES = 0.0


@dataclass(frozen=True)
class Measure:
    item_id: int
    agency: Agency
    phase: ResponsePhase | None
    text: str
    target_minutes: int | None
    state: ItemState
    happened_at: datetime | None  # when it was done (None: not done)
    minutes_taken: float | None  # drill time from the start to then (None: not done)
    report_due: ReportKind | None
    plan_action_id: int | None

    @property
    def timed(self) -> bool:
        return self.target_minutes is not None

    @property
    def late(self) -> bool | None:
        """Past its target (None: no target, or not done)."""
        if self.target_minutes is None or self.minutes_taken is None:
            return None
        return self.minutes_taken > self.target_minutes + TOLERANCE_MINUTES

    @property
    def over_by(self) -> float | None:
        """Minutes past the target (negative: ahead of it)."""
        if self.target_minutes is None or self.minutes_taken is None:
            return None
        return self.minutes_taken - self.target_minutes

    @property
    def missed(self) -> bool:
        """A timed action that was never done (not skipped or not applicable: left open)."""
        return self.target_minutes is not None and self.state is ItemState.OPEN

    @property
    def deviation(self) -> bool:
        """Late, missed or skipped: what the record marks."""
        return bool(self.late) or self.missed or self.state is ItemState.SKIPPED


def late_minutes(over: float) -> float:
    """Minutes past a target as printed and shown (one decimal), rounded up: an action 2 seconds late reads
    "0.1 min late", never "0.0" (or "late by 0 min") beside a red mark."""
    return math.ceil(round(over * 10, 9)) / 10


def measure(start: datetime, pauses: Sequence[run_clock.Pause], item: Any, until: datetime | None = None) -> Measure:
    """One item measured (`item`: id, agency, phase, text, target_minutes, state, done_at, report_due,
    plan_action_id)."""
    done = item.state is ItemState.DONE and item.done_at is not None
    taken = run_clock.elapsed_minutes(start, pauses, item.done_at, until) if done else None
    return Measure(item.id, item.agency, item.phase, item.text, item.target_minutes, item.state,
                   item.done_at if done else None, taken, item.report_due, item.plan_action_id)


def measure_all(start: datetime, pauses: Sequence[run_clock.Pause], items: Sequence[Any], run_level: int | None,
                until: datetime | None = None) -> tuple[Measure, ...]:
    """Every item measured, in the checklist's order."""
    return tuple(measure(start, pauses, it, until) for it in sorted_items(items, run_level))


def on_target_share(measures: Sequence[Measure]) -> tuple[int, int]:
    """(timed actions done on target, timed actions that were to be done): skipped and not applicable ones do
    not count; a timed action left open counts as not on target."""
    counted = [m for m in measures if m.timed and m.state in (ItemState.DONE, ItemState.OPEN)]
    return sum(1 for m in counted if m.late is False), len(counted)
