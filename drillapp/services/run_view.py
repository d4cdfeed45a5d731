"""The console's read model: a run as plain data (`RunSnapshot`, one read) and what the console shows of it at
a given moment (`build_view(snapshot, now)`, a pure function: the clock's tick recomputes it without touching
the database).

Each open item with a target is due at the moment the drill time reaches its target (run_clock: pauses move
it on); it turns amber when little time is left (`Thresholds`: within 2 minutes, or past 80 % of its target)
and red past it. Injects are due at their MSEL offset (moved on by delays); report countdowns are the items the
plan marks as due reports (initial report at minute N). The neighbours' contacts show their own local time.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from drillapp.clock import zone
from drillapp.models.enums import (
    Agency,
    DrillKind,
    EventAction,
    InjectStatus,
    ItemState,
    LogKind,
    MarkStatus,
    ReportKind,
    ResponsePhase,
    RunStatus,
)
from drillapp.services import run_clock
from drillapp.services.drill_inputs import InjectInfo


class ItemStatus(enum.Enum):
    """How an item shows on the console at a moment."""

    OPEN = "open"  # not due soon (or untimed)
    AMBER = "amber"  # near its target
    RED = "red"  # past its target, not done
    DONE = "done"  # done on target
    LATE = "late"  # done, after its target
    NOT_APPLICABLE = "na"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Thresholds:
    """When an open item turns amber: within `amber_minutes` of its target, or past `amber_fraction` of it."""

    amber_minutes: float = 2.0
    amber_fraction: float = 0.8


DEFAULT_THRESHOLDS = Thresholds()


# -- the snapshot: rows as read ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRow:
    id: int
    agency: Agency
    phase: ResponsePhase | None
    action_level: int | None
    position: int
    text: str
    target_minutes: int | None
    report_due: ReportKind | None
    plan_action_id: int | None
    state: ItemState
    done_at: datetime | None  # when it happened
    recorded_at: datetime | None  # when it was ticked at a desk
    done_by: str
    note: str
    reason: str
    row_version: int

    @property
    def back_timed(self) -> bool:
        return self.done_at is not None and self.recorded_at is not None and self.done_at != self.recorded_at


@dataclass(frozen=True)
class LogRow:
    id: int
    seq: int
    at: datetime  # when it happened
    recorded_at: datetime
    author: str
    agency: Agency | None
    kind: LogKind
    text: str
    corrects_id: int | None

    @property
    def back_timed(self) -> bool:
        return self.at != self.recorded_at


@dataclass(frozen=True)
class EventRow:
    id: int
    seq: int
    entry_id: int
    action: EventAction
    happened_at: datetime
    recorded_at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class InjectRow:
    info: InjectInfo
    status: InjectStatus | None  # None: not marked yet
    due_minutes: int  # drill time it is due at (its offset, moved on by delays)
    marked_at: datetime | None
    note: str


@dataclass(frozen=True)
class ContactRow:
    agency: Agency | None
    name: str
    post: str
    phone: str
    mobile: str
    notes: str
    zone: str | None  # the contact's own time zone when it is not the port's (a neighbour's)


@dataclass(frozen=True)
class MarkRow:
    step: int
    item_key: str
    agency: Agency | None
    text: str
    status: MarkStatus
    note: str
    marked_at: datetime
    row_version: int


@dataclass(frozen=True)
class RunSnapshot:
    run_id: int
    drill_id: int
    drill_title: str
    drill_kind: DrillKind
    unplanned: bool
    status: RunStatus
    level: int | None
    plan_id: int | None
    plan_code: str
    plan_title: str
    plan_version: int | None
    port_id: int
    port_zone: str
    started_at: datetime
    ended_at: datetime | None
    started_by: str
    scheduled_start: datetime
    location: str
    scenario: str
    pauses: tuple[run_clock.Pause, ...]
    items: tuple[ItemRow, ...]  # in the checklist's order
    log: tuple[LogRow, ...]  # the newest `log_limit` lines, oldest first
    log_total: int
    events: tuple[EventRow, ...]
    injects: tuple[InjectRow, ...]  # in MSEL order
    contacts: tuple[ContactRow, ...]
    tabletop_step: int | None
    scenario_jump_minutes: int
    marks: tuple[MarkRow, ...]
    chain_seq: int  # grows with every record: a cheap "has anything changed" for another desk
    chain_head: str  # the newest link of the run's hash chain ("" before the first)
    row_version: int

    @property
    def tabletop(self) -> bool:
        return self.drill_kind is DrillKind.TABLETOP


# -- the view at a moment ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClockView:
    started_at: datetime
    elapsed_seconds: float
    running: bool  # False while paused or once ended
    paused_since: datetime | None
    ended_at: datetime | None
    scenario_time: str  # the scenario's clock ("09:42", "Day 2 14:00 +2 h") when the MSEL gives one, else ""


@dataclass(frozen=True)
class ItemView:
    row: ItemRow
    status: ItemStatus
    due_at: datetime | None  # when its target falls (None: untimed, done, or paused before it)
    remaining_seconds: float | None  # drill time left to its target (negative: overdue)
    minutes_taken: float | None  # done: drill time from the start to when it happened


@dataclass(frozen=True)
class InjectView:
    row: InjectRow
    due_at: datetime | None
    seconds_until: float  # drill time until it is due (negative: overdue)
    due: bool  # due now and not marked delivered or skipped


@dataclass(frozen=True)
class ReportView:
    item_id: int
    kind: ReportKind
    agency: Agency
    text: str
    target_minutes: int | None
    due_at: datetime | None
    remaining_seconds: float | None
    status: ItemStatus


@dataclass(frozen=True)
class ContactView:
    row: ContactRow
    local_time: datetime | None  # the contact's wall clock now (None: same as the port's)
    utc_offset: str  # "UTC+9" ("" for the port's own contacts)


@dataclass(frozen=True)
class RunView:
    snapshot: RunSnapshot
    now: datetime
    clock: ClockView
    items: tuple[ItemView, ...]
    injects: tuple[InjectView, ...]
    injects_due: tuple[InjectView, ...]  # due now, then the next ones, not yet delivered or skipped
    reports: tuple[ReportView, ...]
    contacts: tuple[ContactView, ...]
    done: int
    open: int
    late: int  # red now, or done late

    def item(self, item_id: int) -> ItemView:
        return next(i for i in self.items if i.row.id == item_id)


_DONE_STATES = {ItemState.NOT_APPLICABLE: ItemStatus.NOT_APPLICABLE, ItemState.SKIPPED: ItemStatus.SKIPPED}


def item_status(elapsed: float, target_minutes: int | None, state: ItemState, minutes_taken: float | None,
                thresholds: Thresholds = DEFAULT_THRESHOLDS) -> ItemStatus:
    """The colour of an item at drill time `elapsed` (seconds)."""
    if state in _DONE_STATES:
        return _DONE_STATES[state]
    if state is ItemState.DONE:
        late = target_minutes is not None and minutes_taken is not None and minutes_taken > target_minutes
        return ItemStatus.LATE if late else ItemStatus.DONE
    if target_minutes is None:
        return ItemStatus.OPEN
    target = target_minutes * 60
    if elapsed > target:
        return ItemStatus.RED
    if target - elapsed <= thresholds.amber_minutes * 60 or elapsed >= thresholds.amber_fraction * target:
        return ItemStatus.AMBER
    return ItemStatus.OPEN


_HHMM = re.compile(r"^(?P<prefix>.*?)(?P<h>\d{1,2}):(?P<m>\d{2})$")


def _scenario_time(snapshot: RunSnapshot, elapsed: float) -> str:
    """The scenario's clock: for a tabletop, the current inject's scenario time (and any jump); live, the first
    inject with a clock time ("09:42") run on with the drill time since its offset."""
    jump = snapshot.scenario_jump_minutes
    injects = [i.info for i in snapshot.injects]
    if snapshot.tabletop:
        if snapshot.tabletop_step is None or not injects:
            return ""
        base = injects[min(snapshot.tabletop_step, len(injects) - 1)].scenario_time
        return _shift(base, jump) if base else (f"+{_span(jump)}" if jump else "")
    anchor = next((i for i in injects if _HHMM.match(i.scenario_time.strip())), None)
    if anchor is None:
        return ""
    return _shift(anchor.scenario_time, elapsed / 60 - anchor.offset_minutes + jump)


def _shift(text: str, minutes: float) -> str:
    match = _HHMM.match(text.strip())
    if match is None:
        return f"{text} +{_span(minutes)}" if minutes else text
    total = int(match["h"]) * 60 + int(match["m"]) + int(minutes // 1)
    days, rest = divmod(total, 24 * 60)
    clock = f"{rest // 60:02d}:{rest % 60:02d}"
    prefix = match["prefix"]
    return f"{prefix}{clock}" + (f" (+{days}d)" if days > 0 else "")


def _span(minutes: float) -> str:
    """A span of scenario time in any language: "+2:00" is two hours on."""
    minutes = int(minutes)
    return f"{minutes // 60}:{minutes % 60:02d}"


def utc_offset_label(zone_name: str, at: datetime) -> str:
    offset = at.replace(tzinfo=UTC).astimezone(zone(zone_name)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def build_view(snapshot: RunSnapshot, now: datetime, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> RunView:
    """What the console shows at `now` (naive UTC): a pure function of the snapshot."""
    start, pauses, until = snapshot.started_at, snapshot.pauses, snapshot.ended_at
    elapsed = run_clock.elapsed_seconds(start, pauses, now, until)
    paused_since = run_clock.paused_now(pauses) if until is None else None
    clock = ClockView(start, elapsed, until is None and paused_since is None, paused_since, until,
                      _scenario_time(snapshot, elapsed))
    items = []
    for row in snapshot.items:
        taken = (run_clock.elapsed_minutes(start, pauses, row.done_at, until)
                 if row.state is ItemState.DONE and row.done_at is not None else None)
        target = row.target_minutes if row.state is ItemState.OPEN else None
        due = run_clock.moment(start, pauses, target) if target is not None else None
        remaining = target * 60 - elapsed if target is not None else None
        items.append(ItemView(row, item_status(elapsed, row.target_minutes, row.state, taken, thresholds), due,
                              remaining, taken))
    injects = []
    for inj in snapshot.injects:
        until_due = inj.due_minutes * 60 - elapsed
        settled = inj.status in (InjectStatus.DELIVERED, InjectStatus.SKIPPED)
        injects.append(InjectView(inj, run_clock.moment(start, pauses, inj.due_minutes), until_due,
                                  not settled and until_due <= 0 and not snapshot.tabletop))
    pending = sorted((i for i in injects if i.row.status not in (InjectStatus.DELIVERED, InjectStatus.SKIPPED)),
                     key=lambda i: (i.seconds_until, i.row.info.number))
    reports = tuple(
        ReportView(v.row.id, v.row.report_due, v.row.agency, v.row.text, v.row.target_minutes, v.due_at,
                   v.remaining_seconds, v.status)
        for v in items if v.row.report_due is not None
    )
    contacts = tuple(
        ContactView(c, now.replace(tzinfo=UTC).astimezone(zone(c.zone)).replace(tzinfo=None) if c.zone else None,
                    utc_offset_label(c.zone, now) if c.zone else "")
        for c in snapshot.contacts
    )
    done = sum(1 for v in items if v.row.state is not ItemState.OPEN)
    late = sum(1 for v in items if v.status in (ItemStatus.RED, ItemStatus.LATE))
    return RunView(snapshot, now, clock, tuple(items), tuple(injects), tuple(pending), reports, contacts, done,
                   len(items) - done, late)
