"""Reading a real incident as plain data: the snapshot (the incident console, `incidents show`), the list, a
report as printed and the hand-over sheet. Items and log lines are the drill console's rows (run_view.py), so the
incident console can reuse the drill console's checklist and log panels.

Targets count from the alarm (an item gained at an escalation: from the escalation), and nothing pauses an
incident's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillapp.i18n import _
from drillapp.models import (
    Branch,
    CalloutResponse,
    CalloutTest,
    ChecklistEntry,
    ChecklistEvent,
    ContingencyPlan,
    Incident,
    IncidentReport,
    IncidentTask,
    Member,
    PlanVersion,
    Port,
)
from drillapp.models.enums import (
    ActionStatus,
    Agency,
    IncidentReportStatus,
    IncidentStatus,
    ItemState,
    PlanStatus,
    ReportKind,
    Scenario,
)
from drillapp.services import validate
from drillapp.services.checklist import sorted_items
from drillapp.services.context import ServiceBase
from drillapp.services.incident_reports import (
    FIELDS,
    KIND_ZH,
    ReportDue,
    issued_reports,
    next_due,
    report_items,
    schedule,
)
from drillapp.services.run_console import _names, log_rows
from drillapp.services.run_record import TimelineLine, timeline_of
from drillapp.services.run_view import (
    DEFAULT_THRESHOLDS,
    EventRow,
    ItemRow,
    ItemStatus,
    LogRow,
    Thresholds,
    item_status,
)


@dataclass(frozen=True)
class IncidentItem:
    row: ItemRow
    not_required: bool  # of a more severe level than the incident's now (after a de-escalation)
    due_at: datetime | None  # open and timed: when its target falls
    counted_from: datetime  # the alarm, or the escalation that brought the item

    @property
    def open(self) -> bool:
        return self.row.state is ItemState.OPEN

    @property
    def minutes_taken(self) -> float | None:
        """Done: minutes from the alarm (or its escalation) to when it happened."""
        if self.row.state is not ItemState.DONE or self.row.done_at is None:
            return None
        return max((self.row.done_at - self.counted_from).total_seconds(), 0.0) / 60

    def status_at(self, now: datetime, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> ItemStatus:
        """The item's colour at `now`, as the drill console colours a drill's (an incident's clock never pauses)."""
        elapsed = max((now - self.counted_from).total_seconds(), 0.0)
        return item_status(elapsed, self.row.target_minutes, self.row.state, self.minutes_taken, thresholds)


@dataclass(frozen=True)
class TaskRow:
    id: int
    agency: Agency
    assignee: str
    text: str
    status: ActionStatus
    due_at: datetime | None
    done_at: datetime | None
    created_at: datetime
    row_version: int

    @property
    def open(self) -> bool:
        return self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


@dataclass(frozen=True)
class ReportRow:
    id: int
    kind: ReportKind
    status: IncidentReportStatus
    number: int | None
    fields: tuple[tuple[str, str], ...]  # (FIELDS name, text) in FIELDS order
    issued_at: datetime | None
    issued_by: str
    content_hash: str
    row_version: int

    def field(self, name: str) -> str:
        return dict(self.fields)[name]


@dataclass(frozen=True)
class OnScene:
    """A team member called out for the incident (call-outs linked to it) and whether they have arrived."""

    name: str
    agency: Agency
    mobile: str
    acknowledged_at: datetime | None
    arrived_at: datetime | None


@dataclass(frozen=True)
class IncidentSnapshot:
    id: int
    number: str
    title: str
    status: IncidentStatus
    level: int | None
    plan_id: int | None
    plan_code: str
    plan_title: str
    plan_version: int | None
    port_id: int
    port_name: str
    port_zone: str
    alarm_at: datetime
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None
    location: str
    description: str
    summary: str
    items: tuple[IncidentItem, ...]
    log: tuple[LogRow, ...]  # the newest `log_limit` lines, oldest first
    log_total: int
    tasks: tuple[TaskRow, ...]
    reports: tuple[ReportRow, ...]
    dues: tuple[ReportDue, ...]
    called: tuple[OnScene, ...]  # everyone called out for it, arrived first
    chain_seq: int
    chain_head: str
    row_version: int

    @property
    def next_report(self) -> ReportDue | None:
        return next_due(list(self.dues), stood_down=not self.active)

    @property
    def on_scene(self) -> tuple[OnScene, ...]:
        return tuple(c for c in self.called if c.arrived_at is not None)

    @property
    def active(self) -> bool:
        return self.status is IncidentStatus.ACTIVE

    def item(self, item_id: int) -> IncidentItem:
        return next(i for i in self.items if i.row.id == item_id)


@dataclass(frozen=True)
class IncidentSummary:
    id: int
    number: str
    title: str
    status: IncidentStatus
    level: int | None
    plan_code: str
    alarm_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True)
class ActivatablePlan:
    """A plan that can be activated now (an approved version in force), for the activation's searchable picker."""

    plan_id: int
    code: str
    title_zh: str
    title_en: str
    scenario: Scenario
    version: int
    levels: tuple[tuple[int, str], ...]  # (level, name) the version defines


@dataclass(frozen=True)
class IncidentRecord:
    snapshot: IncidentSnapshot  # with every log line
    timeline: tuple[TimelineLine, ...]


@dataclass(frozen=True)
class ReportDocument:
    """A report as printed: the incident's facts and the report's words."""

    incident: IncidentSnapshot
    report: ReportRow

    @property
    def title(self) -> str:
        number = f"（第{self.report.number}号）" if self.report.number else "（草稿 / DRAFT）"
        return f"{self.incident.number} {KIND_ZH[self.report.kind]}{number}"


def _items(session: Session, incident: Incident) -> tuple[IncidentItem, ...]:
    entries = sorted_items(list(session.scalars(select(ChecklistEntry)
                                                .where(ChecklistEntry.incident_id == incident.id))), incident.level)
    names = _names(session, {e.done_by_id for e in entries})
    start = incident.alarm_at or incident.opened_at
    out = []
    for e in entries:
        row = ItemRow(e.id, e.agency, e.phase, e.action_level, e.position, e.text, e.target_minutes, e.report_due,
                      e.plan_action_id, e.state, e.done_at, e.recorded_at, names.get(e.done_by_id or 0, ""), e.note,
                      e.reason, e.row_version)
        due = ((e.counted_from or start) + timedelta(minutes=e.target_minutes)
               if e.target_minutes is not None and e.state is ItemState.OPEN else None)
        required = not (e.action_level is not None and incident.level is not None and e.action_level < incident.level)
        out.append(IncidentItem(row, not required, due, e.counted_from or start))
    # the required items first, in the checklist's order; those not required at this level after them
    return tuple(sorted(out, key=lambda i: i.not_required))


def _reports(session: Session, incident_id: int) -> tuple[ReportRow, ...]:
    rows = list(session.scalars(select(IncidentReport).where(IncidentReport.incident_id == incident_id)
                                .order_by(IncidentReport.id)))
    names = _names(session, {r.issued_by_id for r in rows})
    return tuple(ReportRow(r.id, r.kind, r.status, r.number, tuple((f, getattr(r, f)) for f in FIELDS), r.issued_at,
                           names.get(r.issued_by_id or 0, ""), r.content_hash, r.row_version) for r in rows)


def _called(session: Session, incident_id: int) -> tuple[OnScene, ...]:
    rows = session.execute(
        select(Member.name, Branch.agency, Member.mobile, CalloutResponse.acknowledged_at, CalloutResponse.arrived_at)
        .join(CalloutTest, CalloutTest.id == CalloutResponse.test_id)
        .join(Member, Member.id == CalloutResponse.member_id).join(Branch, Branch.id == Member.branch_id)
        .where(CalloutTest.incident_id == incident_id).order_by(CalloutResponse.id))
    called = [OnScene(r.name, r.agency, r.mobile or "", r.acknowledged_at, r.arrived_at) for r in rows]
    return tuple(sorted(called, key=lambda c: (c.arrived_at is None, c.arrived_at or datetime.max)))


def load_incident(session: Session, incident_id: int, log_limit: int | None = 200) -> IncidentSnapshot:
    incident = validate.get(session, Incident, incident_id, _("Incident"))
    port = session.get(Port, incident.port_id)
    version = session.get(PlanVersion, incident.plan_version_id) if incident.plan_version_id else None
    plan = session.get(ContingencyPlan, incident.plan_id) if incident.plan_id else None
    log, total = log_rows(session, log_limit, incident_id=incident_id)
    tasks = tuple(TaskRow(t.id, t.agency, t.assignee, t.text, t.status, t.due_at, t.done_at, t.created_at,
                          t.row_version)
                  for t in session.scalars(select(IncidentTask).where(IncidentTask.incident_id == incident_id)
                                           .order_by(IncidentTask.id)))
    alarm = incident.alarm_at or incident.opened_at
    dues = schedule(alarm, report_items(session, incident_id), issued_reports(session, incident_id),
                    incident.status is IncidentStatus.STOOD_DOWN)
    return IncidentSnapshot(
        id=incident.id, number=incident.number, title=incident.title, status=incident.status, level=incident.level,
        plan_id=incident.plan_id, plan_code=plan.code if plan else "", plan_title=plan.title_zh if plan else "",
        plan_version=version.number if version else None, port_id=incident.port_id,
        port_name=port.name_zh if port else "", port_zone=port.time_zone if port else "", alarm_at=alarm,
        opened_at=incident.opened_at, opened_by=_names(session, {incident.opened_by_id}).get(
            incident.opened_by_id or 0, ""),
        closed_at=incident.closed_at, location=incident.location, description=incident.description,
        summary=incident.summary, items=_items(session, incident), log=log, log_total=total, tasks=tasks,
        reports=_reports(session, incident_id), dues=tuple(dues), called=_called(session, incident_id),
        chain_seq=incident.chain_seq,
        chain_head=incident.chain_head, row_version=incident.row_version)


class IncidentReadOps(ServiceBase):
    """The reads of IncidentService (a mixin)."""

    def snapshot(self, incident_id: int, log_limit: int | None = 200) -> IncidentSnapshot:
        with self.read() as s:
            return load_incident(s, incident_id, log_limit)

    def incidents(self, *, active_only: bool = False) -> list[IncidentSummary]:
        """The incidents of the current port (every port's for "every port"), newest first."""
        with self.read() as s:
            q = (select(Incident, ContingencyPlan.code).outerjoin(ContingencyPlan, ContingencyPlan.id == Incident.plan_id)
                 .order_by(Incident.opened_at.desc(), Incident.id.desc()))
            if self.port_id is not None:
                q = q.where(Incident.port_id == self.port_id)
            if active_only:
                q = q.where(Incident.status == IncidentStatus.ACTIVE)
            return [IncidentSummary(i.id, i.number, i.title, i.status, i.level, code or "", i.alarm_at or i.opened_at,
                                    i.closed_at) for i, code in s.execute(q)]

    def activatable_plans(self, search: str = "") -> list[ActivatablePlan]:
        """The current port's plans with a version in force, matching `search` in the code, either title or the
        scenario (its value or its label in the desk's language), by code."""
        from drillapp.labels import label

        words = search.strip().lower()
        with self.read() as s:
            q = (select(ContingencyPlan, PlanVersion).join(PlanVersion, PlanVersion.plan_id == ContingencyPlan.id)
                 .where(PlanVersion.status == PlanStatus.APPROVED).order_by(ContingencyPlan.code))
            if self.port_id is not None:
                q = q.where(ContingencyPlan.port_id == self.port_id)
            out = []
            for plan, version in s.execute(q):
                haystack = " ".join((plan.code, plan.title_zh, plan.title_en, plan.scenario.value,
                                     label(plan.scenario))).lower()
                if words and words not in haystack:
                    continue
                out.append(ActivatablePlan(plan.id, plan.code, plan.title_zh, plan.title_en, plan.scenario,
                                           version.number, tuple((lv.level, lv.name) for lv in version.levels)))
            return out

    def report_document(self, report_id: int) -> ReportDocument:
        with self.read() as s:
            report = validate.get(s, IncidentReport, report_id, _("Report"))
            snap = load_incident(s, report.incident_id, log_limit=None)
        return ReportDocument(snap, next(r for r in snap.reports if r.id == report_id))

    def record(self, incident_id: int) -> IncidentRecord:
        """The whole record (every log line and checklist event in the order things happened): the incident record
        print-out and the review's evidence."""
        with self.read() as s:
            snap = load_incident(s, incident_id, log_limit=None)
            events = tuple(EventRow(e.id, e.seq, e.entry_id, e.action, e.happened_at, e.recorded_at, e.author_name,
                                    e.text)
                           for e in s.scalars(select(ChecklistEvent).where(ChecklistEvent.incident_id == incident_id)
                                              .order_by(ChecklistEvent.seq)))
        view = SimpleNamespace(items=tuple(i.row for i in snap.items), log=snap.log, events=events)
        return IncidentRecord(snap, timeline_of(view))  # type: ignore[arg-type]  # the fields timeline_of reads

    def handover_sheet(self, incident_id: int, last_entries: int = 6) -> IncidentSnapshot:
        """What the hand-over sheet prints: the incident with its newest `last_entries` log lines."""
        return self.snapshot(incident_id, log_limit=last_entries)
