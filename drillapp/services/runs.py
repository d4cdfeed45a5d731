"""Running a plan: a drill run or a real incident, its checklist built from the plan, and its log.

The console (big clock, keyboard ticking, injects) comes with the drills and incidents issues.
"""

from __future__ import annotations

from sqlalchemy import select

from drillapp.i18n import _
from drillapp.models import (
    ChecklistEntry,
    ContingencyPlan,
    Drill,
    DrillRun,
    Incident,
    LogEntry,
    PlanVersion,
)
from drillapp.models.enums import (
    DRILL_TO_COME,
    Agency,
    DrillStatus,
    IncidentStatus,
    LogKind,
    PlanStatus,
    RunStatus,
)
from drillapp.services import audit, validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError
from drillapp.services.plan_document import action_order

#: System lines of a drill or incident log: evidence, so written the same whatever the language of the
#: workstation that wrote them (Chinese first, the port's working language).
SYSTEM_LINES = {
    "Drill started": "演练开始 / Drill started",
    "Drill ended": "演练结束 / Drill ended",
    "Incident opened": "事件处置启动 / Incident opened",
}


def _approved_version(session, plan_id: int | None) -> PlanVersion | None:  # noqa: ANN001
    if plan_id is None:
        return None
    return session.scalar(
        select(PlanVersion).where(PlanVersion.plan_id == plan_id, PlanVersion.status == PlanStatus.APPROVED)
    )


def _checklist(version: PlanVersion | None, level: int | None) -> list[ChecklistEntry]:
    if version is None:
        return []
    actions = [a for a in version.actions if a.level is None or level is None or a.level == level]
    actions.sort(key=lambda a: (*action_order(a, level if level is not None else 0), a.id))
    return [
        ChecklistEntry(
            plan_action_id=a.id, agency=a.agency, position=i, text=a.text,
            target_minutes=a.target_minutes, report_due=a.report_due,
        )
        for i, a in enumerate(actions)
    ]


class RunService(ServiceBase):
    def start_run(self, drill_id: int) -> int:
        with self.write("runs.start_run") as s:
            drill = validate.get(s, Drill, drill_id, _("Drill"))
            if drill.status not in DRILL_TO_COME:
                raise DomainError(_("This drill is not planned any more (it has run or was cancelled)."))
            now = audit.operation_time(s)
            version = _approved_version(s, drill.plan_id)
            run = DrillRun(
                drill_id=drill.id, plan_version_id=version.id if version else None, level=drill.level,
                started_at=now, started_by_id=self.actor.user_id,
            )
            s.add(run)
            s.flush()
            for entry in _checklist(version, drill.level):
                entry.drill_run_id = run.id
                s.add(entry)
            drill.status = DrillStatus.IN_PROGRESS
            s.add(LogEntry(drill_run_id=run.id, at=now, author_id=self.actor.user_id, author_name=self.actor.username,
                           kind=LogKind.SYSTEM, text=SYSTEM_LINES["Drill started"]))
            s.flush()
            return run.id

    def tick_entry(self, entry_id: int, note: str = "") -> None:
        with self.write("runs.tick_entry") as s:
            entry = validate.get(s, ChecklistEntry, entry_id, _("Checklist item"))
            if entry.done_at is not None:
                raise DomainError(_("This item was already ticked."))
            entry.done_at = audit.operation_time(s)
            entry.done_by_id = self.actor.user_id
            entry.note = validate.long_text(note, "note", _("Note"))

    def add_log_entry(
        self, text: str, *, drill_run_id: int | None = None, incident_id: int | None = None,
        kind: LogKind = LogKind.NOTE, agency: Agency | None = None,
    ) -> int:
        with self.write("runs.add_log_entry") as s:
            if (drill_run_id is None) == (incident_id is None):
                raise DomainError(_("A log entry belongs to exactly one drill run or incident."))
            if drill_run_id is not None:
                run = validate.get(s, DrillRun, drill_run_id, _("Drill run"))
                if run.status is RunStatus.ENDED:
                    raise DomainError(_("This drill run has ended; its log is closed."))
            else:
                incident = validate.get(s, Incident, incident_id, _("Incident"))
                if incident.status is IncidentStatus.STOOD_DOWN:
                    raise DomainError(_("This incident has been stood down; its log is closed."))
            entry = LogEntry(
                drill_run_id=drill_run_id, incident_id=incident_id, at=audit.operation_time(s),
                author_id=self.actor.user_id, author_name=self.actor.username, kind=kind, agency=agency,
                text=validate.long_text(text, "text", _("Log text"), required=True),
            )
            s.add(entry)
            s.flush()
            return entry.id

    def end_run(self, run_id: int) -> None:
        with self.write("runs.end_run") as s:
            run = validate.get(s, DrillRun, run_id, _("Drill run"))
            if run.status is RunStatus.ENDED:
                raise DomainError(_("This drill run has already ended."))
            now = audit.operation_time(s)
            run.status, run.ended_at = RunStatus.ENDED, now
            drill = s.get(Drill, run.drill_id)
            if drill is not None:
                drill.status = DrillStatus.COMPLETED
            s.add(LogEntry(drill_run_id=run.id, at=now, author_id=self.actor.user_id, author_name=self.actor.username,
                           kind=LogKind.SYSTEM, text=SYSTEM_LINES["Drill ended"]))


class IncidentService(ServiceBase):
    def open_incident(self, port_id: int, title: str, *, plan_id: int | None = None, level: int | None = None) -> int:
        with self.write("incidents.open_incident") as s:
            if plan_id is not None:
                validate.get(s, ContingencyPlan, plan_id, _("Plan"))
            now = audit.operation_time(s)
            version = _approved_version(s, plan_id)
            incident = Incident(
                port_id=port_id, plan_id=plan_id, plan_version_id=version.id if version else None,
                title=validate.text(title, "title", _("Title"), max_len=300), level=validate.level(level),
                opened_at=now, opened_by_id=self.actor.user_id,
            )
            s.add(incident)
            s.flush()
            for entry in _checklist(version, level):
                entry.incident_id = incident.id
                s.add(entry)
            s.add(LogEntry(incident_id=incident.id, at=now, author_id=self.actor.user_id,
                           author_name=self.actor.username, kind=LogKind.SYSTEM, text=SYSTEM_LINES["Incident opened"]))
            s.flush()
            return incident.id

    def stand_down(self, incident_id: int, summary: str = "") -> None:
        with self.write("incidents.stand_down") as s:
            incident = validate.get(s, Incident, incident_id, _("Incident"))
            if incident.status is IncidentStatus.STOOD_DOWN:
                raise DomainError(_("This incident has already been stood down."))
            incident.status = IncidentStatus.STOOD_DOWN
            incident.closed_at = audit.operation_time(s)
            incident.summary = validate.long_text(summary, "summary", _("Summary"))
