"""Real incidents: the drill's run engine for real (issue 11).

An incident is opened from a plan's approved version at a response level (or, when no plan fits, with the
short generic checklist: take the alarm, call out the team, send the initial report), with the time of the
alarm (which may be earlier than now), a location and a first description. It gets the port's number for the
year of the alarm (QH-2026-007): the port's row is locked first, so two desks opening at once get two numbers.

Its checklist, log and hash chain are the drill run's (run_log.py, run_chain.py: `RunService.tick`,
`add_log_entry` take the incident's items and lines as they take a run's). What is the incident's own:

- the level moves up or down (`set_level`, with who and why in the log): the checklist gains the new level's
  actions (counted from that moment) and keeps every item it had; an item of a more severe level than the
  current one is "not required at this level" (`not_required`), still shown and tickable;
- tasks beyond the plan, given to a branch and a person, with a due time and a status;
- situation reports (incident_reports.py), the hand-over entry naming both officers, the stand-down.

Each of these writes its line into the incident's log through the chain, under the incident's lock.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from drillapp.clock import from_local, to_local
from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models import (
    Branch,
    ChecklistEntry,
    ContingencyPlan,
    Incident,
    IncidentTask,
    PlanVersion,
    Port,
)
from drillapp.models.enums import ActionStatus, Agency, IncidentStatus, LogKind, PlanStatus, ReportKind
from drillapp.services import audit, run_chain, validate
from drillapp.services.checklist import build_entries, version_in_force
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError, ValidationError
from drillapp.services.incident_reports import AGENCY_ZH, IncidentReportOps
from drillapp.services.incident_view import IncidentReadOps

ROMAN = {1: "Ⅰ", 2: "Ⅱ", 3: "Ⅲ", 4: "Ⅳ"}
#: The incident log's system lines: evidence, Chinese first, the same whatever the desk's language.
LINES = {
    "opened": "事件处置启动 / Incident opened",
    "opened_plan": "启动预案 {plan} {level}级响应 / Plan {plan} activated at level {level}",
    "no_plan": "无适用预案，使用通用处置清单 / No plan: the generic checklist",
    "up": "升级至{level}级响应（{reason}）/ Escalated to level {level}: {reason}",
    "down": "降级至{level}级响应（{reason}）/ De-escalated to level {level}: {reason}",
    "task": "任务 #{id} 交 {branch_zh}{person}：{text} / Task #{id} to {branch_en}{person}: {text}",
    "task_status": "任务 #{id} {status} / Task #{id}: {status}",
    "handover": "交接班：{old} 移交 {new} / Hand-over from {old} to {new}",
    "stood_down": "事件处置结束 / Incident stood down: {summary}",
}
#: The branches in the English half of a log line (evidence: the same whatever the desk's language).
AGENCY_EN = {Agency.BORDER_INSPECTION: "border inspection", Agency.CUSTOMS: "customs",
             Agency.QUARANTINE: "quarantine", Agency.PORT_OFFICE: "port office"}
#: The generic checklist when no plan fits: (agency, text, target minutes from the alarm, report due).
GENERIC_CHECKLIST: tuple[tuple[Agency, str, int, ReportKind | None], ...] = (
    (Agency.PORT_OFFICE, "接警，报告值班领导 / Take the alarm, inform the duty leader", 5, None),
    (Agency.PORT_OFFICE, "通知应急队伍集结 / Call out the response team", 10, None),
    (Agency.PORT_OFFICE, "报送初报 / Send the initial report", 30, ReportKind.INITIAL),
)
#: How far back an alarm may be given (a night's incident entered in the morning still counts).
ALARM_WINDOW = timedelta(days=2)
STATUS_WORDS = {ActionStatus.OPEN: "重新打开 / reopened", ActionStatus.IN_PROGRESS: "进行中 / in progress",
                ActionStatus.DONE: "已完成 / done", ActionStatus.CANCELLED: "已取消 / cancelled"}


def roman(level: int | None) -> str:
    return ROMAN.get(level, "") if level is not None else ""


def not_required(action_level: int | None, incident_level: int | None) -> bool:
    """An item of a more severe level (a smaller number) than the incident's now: kept, not required."""
    return action_level is not None and incident_level is not None and action_level < incident_level


def agency_of(session: Session, port_id: int, branch: str) -> Agency:
    """A branch given as its agency code (`customs`) or its name at the port (海关)."""
    value = (branch or "").strip()
    for agency in Agency:
        if value == agency.value:
            return agency
    found = session.scalar(select(Branch.agency).where(Branch.port_id == port_id,
                                                       (Branch.name_zh == value) | (Branch.name_en == value)))
    if found is None:
        raise ValidationError(_("There is no branch {branch} at this port (give border_inspection, customs, "
                                "quarantine, port_office or a branch's name).").format(branch=value), "branch")
    return found


def _next_number(session: Session, port_id: int, alarm_at: datetime, zone_name: str) -> tuple[int, int, str]:
    """The port's next number for the year of the alarm, under the port row's lock (two desks take turns)."""
    table = cast(Table, Port.__table__)
    row = session.execute(update(table).where(table.c.id == port_id).values(code=table.c.code)
                          .returning(table.c.code)).first()
    if row is None:
        raise DomainError(_("{what} {id} does not exist (it may have been deleted).").format(what=_("Port"),
                                                                                         id=port_id))
    year = to_local(alarm_at, zone_name).year
    last = session.scalar(select(func.max(Incident.serial)).where(Incident.port_id == port_id,
                                                                  Incident.year == year)) or 0
    return year, last + 1, f"{row.code}-{year}-{last + 1:03d}"


def _plan_version(session: Session, plan_id: int, level: int | None) -> PlanVersion:
    """The plan's version in force, or a clear refusal naming what there is instead."""
    plan = validate.get(session, ContingencyPlan, plan_id, _("Plan"))
    version = version_in_force(session, plan.id)
    if version is None:
        statuses = sorted({v.status for v in plan.versions}, key=lambda s: list(PlanStatus).index(s))
        latest = plan.versions[-1] if plan.versions else None
        if latest is not None and latest.status is PlanStatus.RETIRED:
            raise DomainError(_("Plan {code} is retired: no version of it is in force. Choose another plan, or "
                                "open the incident without a plan (the generic checklist).").format(code=plan.code))
        raise DomainError(_("Plan {code} has no approved version in force (only {states}; version {number} would "
                            "apply once approved). Choose another plan, or open the incident without a plan.").format(
            code=plan.code, states=", ".join(label(s) for s in statuses) or "—",
            number=latest.number if latest else 1))
    if level is not None and level not in {lv.level for lv in version.levels}:
        defined = ", ".join(roman(lv.level) for lv in version.levels) or "—"
        raise ValidationError(_("Plan {code} does not define level {level} (it has {levels}).").format(
            code=plan.code, level=roman(level), levels=defined), "level")
    return version


class IncidentService(IncidentReportOps, IncidentReadOps, ServiceBase):
    def open_incident(self, port_id: int | None, title: str, *, plan_id: int | None = None, level: int | None = None,
                      alarm_at: datetime | None = None, location: str = "", description: str = "") -> int:
        """Activate a plan (or the generic checklist) for a real incident; returns its id.

        `alarm_at` (naive UTC, or aware) defaults to now; it may be up to two days before now, never after."""
        with self.write("incidents.open_incident") as s:
            port_id = self.require_port(port_id)
            port = validate.get(s, Port, port_id, _("Port"))
            title = validate.text(title, "title", _("Title"), max_len=300)
            location = validate.text(location, "location", _("Location"), max_len=300, required=False)
            description = validate.long_text(description, "description", _("Description"))
            level = validate.level(level)
            if plan_id is not None and level is None:
                raise ValidationError(_("Choose the response level the plan is activated at."), "level")
            version = _plan_version(s, plan_id, level) if plan_id is not None else None
            if version is not None and version.plan.port_id != port_id:
                raise DomainError(_("This plan belongs to another port."))
            now = audit.operation_time(s)
            alarm = now if alarm_at is None else (from_local(alarm_at) if alarm_at.tzinfo else alarm_at)
            if alarm > now + timedelta(minutes=1):
                raise ValidationError(_("The alarm time cannot be later than now."), "alarm_at")
            if alarm < now - ALARM_WINDOW:
                raise ValidationError(_("The alarm time is more than two days ago."), "alarm_at")
            alarm = min(alarm, now)
            year, serial, number = _next_number(s, port_id, alarm, port.time_zone)
            incident = Incident(
                port_id=port_id, plan_id=plan_id, plan_version_id=version.id if version else None, title=title,
                level=level, opened_at=now, opened_by_id=self.actor.user_id, alarm_at=alarm, location=location,
                description=description, year=year, serial=serial, number=number)
            s.add(incident)
            s.flush()
            entries = build_entries(version, level) if version is not None else [
                ChecklistEntry(agency=agency, position=i, text=text, target_minutes=minutes, report_due=report)
                for i, (agency, text, minutes, report) in enumerate(GENERIC_CHECKLIST)]
            for entry in entries:
                entry.incident_id = incident.id
                s.add(entry)
            with run_chain.ChainWriter(s, run_chain.incident(incident.id)) as chain:
                first = LINES["opened_plan"].format(plan=version.plan.code, level=roman(level) or "—") \
                    if version is not None else LINES["no_plan"]
                self._line(chain, now, LogKind.SYSTEM, LINES["opened"])
                self._line(chain, now, LogKind.DECISION, f"{number} {title}：{first}")
                if description:
                    self._line(chain, alarm, LogKind.INFORMATION, description, recorded_at=now)
            s.flush()
            return incident.id

    def _line(self, chain: run_chain.ChainWriter, at: datetime, kind: LogKind, text: str, *,
              recorded_at: datetime | None = None, agency: Agency | None = None) -> None:
        chain.log(at=at, recorded_at=recorded_at or at, author_id=self.actor.user_id,
                  author_name=self.actor.username, kind=kind, text=text, agency=agency)

    def _active(self, s: Session, incident_id: int) -> tuple[run_chain.ChainWriter, Incident]:
        """The incident's chain (its lock taken) and the incident, refused once it has been stood down."""
        chain = run_chain.ChainWriter(s, run_chain.incident(incident_id))
        if chain.status is IncidentStatus.STOOD_DOWN:
            raise DomainError(_("This incident has been stood down; it cannot change any more (its final report "
                                "and its review still can be made)."))
        return chain, validate.get(s, Incident, incident_id, _("Incident"))

    def set_level(self, incident_id: int, level: int, reason: str, *, expected_version: int) -> list[int]:
        """Escalate or de-escalate: the checklist gains the new level's actions (their targets count from now)
        and keeps every item; logged with who and why. Returns the ids of the items gained."""
        with self.write("incidents.set_level") as s:
            chain, incident = self._active(s, incident_id)
            validate.expect_version(incident, expected_version)
            new_level = validate.level(level)
            reason = validate.text(reason, "reason", _("Reason"), max_len=2000)
            if incident.plan_version_id is None and new_level is None:
                raise ValidationError(_("Give the new response level."), "level")
            if new_level == incident.level:
                raise DomainError(_("The incident is at this level already."))
            version = s.get(PlanVersion, incident.plan_version_id) if incident.plan_version_id else None
            if version is not None and new_level not in {lv.level for lv in version.levels}:
                raise ValidationError(_("The plan does not define level {level}.").format(level=roman(new_level)),
                                      "level")
            now = audit.operation_time(s)
            up = incident.level is None or (new_level is not None and new_level < incident.level)
            had = set(s.scalars(select(ChecklistEntry.plan_action_id).where(ChecklistEntry.incident_id == incident_id)))
            start = (s.scalar(select(func.max(ChecklistEntry.position))
                              .where(ChecklistEntry.incident_id == incident_id)) or 0) + 1
            gained: list[ChecklistEntry] = []
            for entry in build_entries(version, new_level) if version is not None else []:
                if entry.plan_action_id in had:
                    continue
                entry.incident_id, entry.position, entry.counted_from = incident_id, start + len(gained), now
                s.add(entry)
                gained.append(entry)
            incident.level = new_level
            self._line(chain, now, LogKind.DECISION,
                       LINES["up" if up else "down"].format(level=roman(new_level), reason=reason))
            chain.close()
            s.flush()
            return [e.id for e in gained]

    def add_task(self, incident_id: int, branch: str | Agency, text: str, *, assignee: str = "",
                 due_at: datetime | None = None) -> int:
        """A task beyond the plan for a branch (its agency code or name) and a person, with a due time."""
        with self.write("incidents.add_task") as s:
            chain, incident = self._active(s, incident_id)
            agency = branch if isinstance(branch, Agency) else agency_of(s, incident.port_id, branch)
            text = validate.text(text, "text", _("Task"), max_len=2000)
            assignee = validate.text(assignee, "assignee", _("Person"), max_len=200, required=False)
            due = None if due_at is None else (from_local(due_at) if due_at.tzinfo else due_at)
            now = audit.operation_time(s)
            task = IncidentTask(incident_id=incident_id, agency=agency, assignee=assignee, text=text, due_at=due,
                                created_by_id=self.actor.user_id, created_at=now)
            s.add(task)
            s.flush()
            person = f"（{assignee}）" if assignee else ""
            self._line(chain, now, LogKind.ACTION, LINES["task"].format(
                id=task.id, branch_zh=AGENCY_ZH[agency], branch_en=AGENCY_EN[agency], person=person, text=text),
                agency=agency)
            chain.close()
            return task.id

    def set_task_status(self, task_id: int, status: ActionStatus, *, expected_version: int) -> None:
        """Move a task on (in progress, done, cancelled, or open again); logged."""
        with self.write("incidents.update_task") as s:
            task = validate.get(s, IncidentTask, task_id, _("Task"))
            chain, _incident = self._active(s, task.incident_id)
            validate.expect_version(task, expected_version)
            if task.status is status:
                raise DomainError(_("The task has this status already."))
            now = audit.operation_time(s)
            task.status = status
            task.done_at = now if status is ActionStatus.DONE else None
            self._line(chain, now, LogKind.ACTION, LINES["task_status"].format(id=task.id, status=STATUS_WORDS[status]),
                       agency=task.agency)
            chain.close()

    def hand_over(self, incident_id: int, to_officer: str, *, from_officer: str = "", note: str = "") -> int:
        """The hand-over entry in the log, naming both duty officers (the sheet is printed from `handover_sheet`).
        Returns the log entry's id."""
        with self.write("incidents.hand_over") as s:
            chain, _incident = self._active(s, incident_id)
            new = validate.text(to_officer, "to_officer", _("Next duty officer"), max_len=100)
            old = validate.text(from_officer, "from_officer", _("Duty officer"), max_len=100, required=False) \
                or self.actor.display_name or self.actor.username
            note = validate.long_text(note, "note", _("Note"))
            now = audit.operation_time(s)
            text = LINES["handover"].format(old=old, new=new) + (f"\n{note}" if note else "")
            entry = chain.log(at=now, recorded_at=now, author_id=self.actor.user_id, author_name=self.actor.username,
                              kind=LogKind.HANDOVER, text=text)
            chain.close()
            s.flush()
            return entry.id

    def stand_down(self, incident_id: int, summary: str = "") -> None:
        """Stand the incident down with a summary (required): its checklist and operational log close (the final
        report and the review still follow)."""
        with self.write("incidents.stand_down") as s:
            chain = run_chain.ChainWriter(s, run_chain.incident(incident_id))
            if chain.status is IncidentStatus.STOOD_DOWN:
                raise DomainError(_("This incident has already been stood down."))
            incident = validate.get(s, Incident, incident_id, _("Incident"))
            summary = validate.long_text(summary, "summary", _("Summary"), required=True)
            now = audit.operation_time(s)
            self._line(chain, now, LogKind.SYSTEM, LINES["stood_down"].format(summary=summary))
            chain.close()
            incident.status, incident.closed_at, incident.closed_by_id = IncidentStatus.STOOD_DOWN, now, \
                self.actor.user_id
            incident.summary = summary
