"""Situation reports of a real incident: 初报 (initial), 续报 (follow-up), 终报 (final).

When they are due comes from the plan: each checklist item the plan marks as a report (`report_due`) is due at
its target counted from the alarm (or from the escalation that brought it); an incident whose checklist has no
initial report still owes one within `DEFAULT_INITIAL_MINUTES` of the alarm, and the final report is owed once
it has been stood down. `schedule` says, for a moment, what is due, what was issued and which comes next.

A report is drafted from the log and the incident's state (time, place, nature, casualties, measures taken,
resources, next steps, reporter), edited while a draft, then issued: it takes the incident's next number, its
content's SHA-256 goes into the incident's hash-chained log, the matching report item of the checklist is
ticked, and it is frozen (`issued_reports_are_frozen`, a rule every session obeys). The final report may be
issued after the stand-down; the others only while the incident is active.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillapp.clock import to_local
from drillapp.i18n import _
from drillapp.labels import label
from drillapp.models import ChecklistEntry, Incident, IncidentReport, IncidentTask, LogEntry
from drillapp.models.enums import (
    ActionStatus,
    Agency,
    EventAction,
    IncidentReportStatus,
    IncidentStatus,
    ItemState,
    LogKind,
    ReportKind,
)
from drillapp.services import audit, hashchain, run_chain, validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError

DEFAULT_INITIAL_MINUTES = 30
KIND_ZH = {ReportKind.INITIAL: "初报", ReportKind.FOLLOW_UP: "续报", ReportKind.FINAL: "终报"}
FIELDS = ("occurred", "place", "nature", "casualties", "measures", "resources", "next_steps", "reporter")
#: Words of a log line about casualties (Chinese and English), gathered into the draft's casualties.
CASUALTY_WORDS = ("伤", "亡", "死", "失踪", "不适", "送医", "中毒", "injur", "casualt", "dead", "death", "missing",
                  "hospital")
#: The branches as a report to the city names them (the report is in Chinese whatever the desk's language).
AGENCY_ZH = {Agency.BORDER_INSPECTION: "边检", Agency.CUSTOMS: "海关", Agency.QUARANTINE: "检疫",
             Agency.PORT_OFFICE: "口岸办"}


@dataclass(frozen=True)
class ReportDue:
    """One report the incident owes: when (None: no set time) and the number it was issued under, if it was."""

    kind: ReportKind
    due_at: datetime | None
    issued_number: int | None
    issued_at: datetime | None

    @property
    def issued(self) -> bool:
        return self.issued_number is not None


def schedule(alarm_at: datetime, items: list[tuple[ReportKind, int | None, datetime | None]],
             issued: list[tuple[ReportKind, int, datetime]], stood_down: bool) -> list[ReportDue]:
    """The reports owed: `items` are the checklist's report items (kind, target minutes, counted from or None for
    the alarm), `issued` the issued reports (kind, number, issued at) in number order."""
    owed: list[tuple[ReportKind, datetime | None]] = []
    for kind, minutes, since in items:
        owed.append((kind, None if minutes is None else (since or alarm_at) + timedelta(minutes=minutes)))
    if not any(kind is ReportKind.INITIAL for kind, _d in owed):
        owed.insert(0, (ReportKind.INITIAL, alarm_at + timedelta(minutes=DEFAULT_INITIAL_MINUTES)))
    if stood_down and not any(kind is ReportKind.FINAL for kind, _d in owed):
        owed.append((ReportKind.FINAL, None))
    owed.sort(key=lambda o: (list(ReportKind).index(o[0]), o[1] or datetime.max))
    by_kind: dict[ReportKind, list[tuple[int, datetime]]] = {}
    for kind, number, at in issued:
        by_kind.setdefault(kind, []).append((number, at))
    out = []
    for kind, due in owed:
        done = by_kind.get(kind) or []
        first = done.pop(0) if done else None
        out.append(ReportDue(kind, due, first[0] if first else None, first[1] if first else None))
    for kind, rest in by_kind.items():  # issued beyond what was owed (a third follow-up): listed as issued
        out += [ReportDue(kind, None, number, at) for number, at in rest]
    return out


def next_due(dues: list[ReportDue], stood_down: bool = False) -> ReportDue | None:
    """The next report owed with a time (the console's countdown), else the next owed at all. Once stood down
    only the final report can follow (one never sent stays in `dues`, unissued: the review sees it)."""
    pending = [d for d in dues if not d.issued and (not stood_down or d.kind is ReportKind.FINAL)]
    timed = sorted((d for d in pending if d.due_at is not None), key=lambda d: d.due_at or datetime.max)
    return timed[0] if timed else (pending[0] if pending else None)


def _report_entries(session: Session, incident_id: int) -> list[tuple[int, ItemState, ReportKind, int | None,
                                                                    datetime | None]]:
    """The checklist's report items as (id, state, kind as owed, target minutes, counted from), in the order the
    checklist shows them. An incident has one initial report: the first initial-report item (of the level it was
    activated at, else of the first escalation) is it; an initial-report item another level brought is owed as a
    follow-up (the report that tells of the escalation), not as a second 初报."""
    rows = list(session.execute(
        select(ChecklistEntry.id, ChecklistEntry.state, ChecklistEntry.report_due, ChecklistEntry.target_minutes,
               ChecklistEntry.counted_from, ChecklistEntry.position)
        .where(ChecklistEntry.incident_id == incident_id, ChecklistEntry.report_due.is_not(None))
        .order_by(ChecklistEntry.position)))
    initials = sorted((r for r in rows if r.report_due is ReportKind.INITIAL),
                      key=lambda r: (r.counted_from is not None, r.counted_from or datetime.min, r.position))
    first = initials[0].id if initials else None
    return [(r.id, r.state, ReportKind.FOLLOW_UP if r.report_due is ReportKind.INITIAL and r.id != first
             else r.report_due, r.target_minutes, r.counted_from) for r in rows]


def report_items(session: Session, incident_id: int) -> list[tuple[ReportKind, int | None, datetime | None]]:
    return [(kind, minutes, since) for _id, _state, kind, minutes, since in _report_entries(session, incident_id)]


def issued_reports(session: Session, incident_id: int) -> list[tuple[ReportKind, int, datetime]]:
    rows = session.execute(select(IncidentReport.kind, IncidentReport.number, IncidentReport.issued_at)
                           .where(IncidentReport.incident_id == incident_id,
                                  IncidentReport.status == IncidentReportStatus.ISSUED)
                           .order_by(IncidentReport.number))
    return [(r.kind, r.number, r.issued_at) for r in rows]


def content_of(report: Any) -> dict[str, Any]:
    """What an issued report says, as hashed."""
    return {"kind": report.kind, "number": report.number, **{f: getattr(report, f) for f in FIELDS}}


def content_hash(report: Any) -> str:
    return hashlib.sha256(hashchain.canonical(content_of(report))).hexdigest()


def _when(value: datetime | None) -> str:
    return to_local(value).strftime("%Y-%m-%d %H:%M") if value is not None else ""


#: Words that mark a line the app wrote in both languages ("中文 / English"): the report takes the Chinese half.
_BILINGUAL = ("升级至", "降级至", "任务 #", "启动预案", "无适用预案", "交接班")


def _zh(line: str) -> str:
    parts = re.split(r"\s?/ ", line, maxsplit=1)
    return parts[0] if len(parts) == 2 and any(m in parts[0] for m in _BILINGUAL) else line


def draft_fields(session: Session, incident: Incident, reporter: str) -> dict[str, str]:
    """A report's first words, from the log and the incident's state now."""
    log = list(session.scalars(select(LogEntry).where(LogEntry.incident_id == incident.id).order_by(LogEntry.seq)))
    items = list(session.scalars(select(ChecklistEntry).where(ChecklistEntry.incident_id == incident.id)
                                 .order_by(ChecklistEntry.position)))
    tasks = list(session.scalars(select(IncidentTask).where(IncidentTask.incident_id == incident.id)
                                 .order_by(IncidentTask.id)))
    level = f"{'ⅠⅡⅢⅣ'[incident.level - 1]}级响应" if incident.level in (1, 2, 3, 4) else ""
    nature = "\n".join(t for t in (incident.title, incident.description, level) if t)
    casualties = [f"{_when(e.at)} {e.text}" for e in log
                  if e.kind not in (LogKind.SYSTEM, LogKind.DECISION, LogKind.ACTION, LogKind.REPORT)
                  and any(w in e.text.lower() for w in CASUALTY_WORDS)]
    done = [(i.done_at, f"{AGENCY_ZH[i.agency]}：{i.text}") for i in items
            if i.state is ItemState.DONE and i.done_at is not None]
    done += [(e.at, _zh(e.text)) for e in log if e.kind in (LogKind.DECISION, LogKind.ACTION)]
    measures = [f"{_when(at)} {words}" for at, words in sorted(done, key=lambda d: d[0])]
    resources = [f"{e.text}" for e in log if e.kind is LogKind.MUSTER]
    resources += [AGENCY_ZH[a] for a in Agency if any(i.agency is a and i.state is ItemState.DONE for i in items)]
    next_steps = [f"{AGENCY_ZH[i.agency]}：{i.text}" for i in items if i.state is ItemState.OPEN and i.report_due is None
                  and not (i.action_level is not None and incident.level is not None and i.action_level < incident.level)]
    next_steps += [f"{AGENCY_ZH[t.agency]}：{t.text}" + (f"（{t.assignee}）" if t.assignee else "") for t in tasks
                   if t.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)]
    return {"occurred": _when(incident.alarm_at or incident.opened_at), "place": incident.location,
            "nature": nature, "casualties": "\n".join(casualties), "measures": "\n".join(measures),
            "resources": "\n".join(resources), "next_steps": "\n".join(next_steps), "reporter": reporter}


class IncidentReportOps(ServiceBase):
    """The report operations of IncidentService (a mixin)."""

    def draft_report(self, incident_id: int, kind: ReportKind) -> int:
        """A new draft report of this kind, its words drafted from the log and the state now; returns its id."""
        with self.write("incidents.draft_report") as s:
            incident = validate.get(s, Incident, incident_id, _("Incident"))
            if incident.status is IncidentStatus.STOOD_DOWN and kind is not ReportKind.FINAL:
                raise DomainError(_("This incident has been stood down: only its final report can follow."))
            fields = draft_fields(s, incident, self.actor.display_name or self.actor.username)
            report = IncidentReport(incident_id=incident_id, kind=kind, **fields)
            s.add(report)
            s.flush()
            return report.id

    def update_report(self, report_id: int, *, expected_version: int, **fields: str) -> int:
        """Edit a draft's words (any of FIELDS); returns the report's new row version."""
        with self.write("incidents.update_report") as s:
            report = validate.get(s, IncidentReport, report_id, _("Report"))
            validate.expect_version(report, expected_version)
            if report.status is IncidentReportStatus.ISSUED:
                raise DomainError(_("This report has been issued: it cannot be changed. Write a follow-up."))
            for name, value in fields.items():
                if name not in FIELDS:
                    raise DomainError(f"no report field {name!r}")
                setattr(report, name, validate.text(value, name, name, max_len=200 if name == "reporter"
                                                    else 100_000, required=False))
            s.flush()
            return report.row_version

    def issue_report(self, report_id: int, *, expected_version: int) -> int:
        """Issue a draft: numbered, logged with its content hash, frozen; ticks the checklist's matching report
        item. Returns its number."""
        with self.write("incidents.issue_report") as s:
            report = validate.get(s, IncidentReport, report_id, _("Report"))
            chain = run_chain.ChainWriter(s, run_chain.incident(report.incident_id))
            validate.expect_version(report, expected_version)
            if report.status is IncidentReportStatus.ISSUED:
                raise DomainError(_("This report has been issued already (number {n}).").format(n=report.number))
            if chain.status is IncidentStatus.STOOD_DOWN and report.kind is not ReportKind.FINAL:
                raise DomainError(_("This incident has been stood down: only its final report can follow."))
            if chain.status is not IncidentStatus.STOOD_DOWN and report.kind is ReportKind.FINAL:
                raise DomainError(_("The final report follows the stand-down: stand the incident down first."))
            if not report.reporter.strip():
                raise DomainError(_("Say who reports (the reporter) before issuing."))
            now = audit.operation_time(s)
            number = (s.scalar(select(func.max(IncidentReport.number))
                               .where(IncidentReport.incident_id == report.incident_id)) or 0) + 1
            report.number, report.status, report.issued_at, report.issued_by_id = (
                number, IncidentReportStatus.ISSUED, now, self.actor.user_id)
            report.content_hash = content_hash(report)
            incident = validate.get(s, Incident, report.incident_id, _("Incident"))
            name = f"{incident.number} {KIND_ZH[report.kind]}（第{number}号）"
            chain.log(at=now, recorded_at=now, author_id=self.actor.user_id, author_name=self.actor.username,
                      kind=LogKind.REPORT, text=f"{name} 已签发 / {label(report.kind)} no. {number} issued "
                                                f"(sha256 {report.content_hash})")
            item_id = next((i for i, state, kind, _m, _f in _report_entries(s, report.incident_id)
                            if kind is report.kind and state is ItemState.OPEN), None)
            item = s.get(ChecklistEntry, item_id) if item_id is not None else None
            if item is not None and chain.status is not IncidentStatus.STOOD_DOWN:
                chain.event(entry_id=item.id, action=EventAction.DONE, happened_at=now, recorded_at=now,
                            author_id=self.actor.user_id, author_name=self.actor.username, text=name)
                item.state, item.done_at, item.recorded_at, item.done_by_id = ItemState.DONE, now, now, \
                    self.actor.user_id
                item.note = name
            chain.close()
            return number

