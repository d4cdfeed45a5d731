"""What the incident console shows at a moment: a pure function of the snapshot (`build_incident_view(snapshot,
now)`), as run_view.build_view is for a drill, so the console's clock tick recomputes it without a read.

The clock runs from the alarm and never pauses; each item is coloured as the drill console colours a drill's
(amber near its target, red past it), counted from the alarm or from the escalation that brought it; items not
required at this level are grey whatever their time. The report countdown is the next report owed; tasks past
their due time are flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from drillapp.models.enums import ItemState
from drillapp.services.incident_reports import ReportDue
from drillapp.services.incident_view import IncidentItem, IncidentSnapshot, TaskRow
from drillapp.services.run_view import DEFAULT_THRESHOLDS, ItemStatus, Thresholds


@dataclass(frozen=True)
class IncidentItemView:
    item: IncidentItem
    status: ItemStatus
    remaining_seconds: float | None  # open and timed: time left to its target (negative: overdue)


@dataclass(frozen=True)
class TaskView:
    task: TaskRow
    overdue: bool


@dataclass(frozen=True)
class IncidentView:
    snapshot: IncidentSnapshot
    now: datetime
    elapsed_seconds: float  # since the alarm (stops at the stand-down)
    items: tuple[IncidentItemView, ...]
    tasks: tuple[TaskView, ...]
    next_report: ReportDue | None
    report_remaining_seconds: float | None  # negative: the report is late
    done: int
    open: int  # required items still open
    late: int  # red now, or done late (required items)


def build_incident_view(snapshot: IncidentSnapshot, now: datetime,
                        thresholds: Thresholds = DEFAULT_THRESHOLDS) -> IncidentView:
    until = snapshot.closed_at if snapshot.closed_at is not None and snapshot.closed_at < now else now
    items = []
    for item in snapshot.items:
        status = item.status_at(until, thresholds)
        remaining = ((item.due_at - until).total_seconds()
                     if item.due_at is not None and item.row.state is ItemState.OPEN else None)
        items.append(IncidentItemView(item, status, remaining))
    tasks = tuple(TaskView(t, t.open and t.due_at is not None and t.due_at < until) for t in snapshot.tasks)
    report = snapshot.next_report
    countdown = (report.due_at - now).total_seconds() if report is not None and report.due_at is not None else None
    required = [v for v in items if not v.item.not_required]
    return IncidentView(
        snapshot, now, max((until - snapshot.alarm_at).total_seconds(), 0.0), tuple(items), tasks, report, countdown,
        done=sum(1 for v in required if v.item.row.state is not ItemState.OPEN),
        open=sum(1 for v in required if v.item.row.state is ItemState.OPEN),
        late=sum(1 for v in required if v.status in (ItemStatus.RED, ItemStatus.LATE)))
