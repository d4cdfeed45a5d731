"""Paged, searchable lists for the UI's tables: one source per list, read a page at a time.

A source is a SELECT whose first column is the row id; the UI's lazy model asks for the next page as
the user scrolls, so a list of 100,000 log entries opens with one small query, and a search becomes a
WHERE clause in the database instead of a scan in Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased

from drillapp.i18n import N_
from drillapp.models import (
    AfterActionReview,
    AuditEntry,
    Branch,
    ContingencyPlan,
    CorrectiveAction,
    Drill,
    DrillRun,
    Finding,
    Incident,
    LogEntry,
    Member,
    PlanVersion,
    Squad,
)
from drillapp.models.enums import PlanStatus
from drillapp.services.context import ServiceBase


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # untranslated (N_); the UI translates


@dataclass(frozen=True)
class ListSource:
    name: str
    columns: tuple[Column, ...]
    select: Callable[[], Select]
    search_columns: Callable[[], tuple[Any, ...]]
    order_by: Callable[[], tuple[Any, ...]]
    #: filter name -> (value, today) -> WHERE clause; the UI offers them beside the search box
    filters: dict[str, Callable[[Any, date], Any]] = field(default_factory=dict)
    #: port id -> WHERE clause keeping the rows of that port (None: the list is not per port, e.g. the audit)
    port: Callable[[int], Any] | None = None


#: Lists not everyone may read: the operation (in the permission table) that reading them needs.
CHECKED_SOURCES: dict[str, str] = {"audit": "audit.view"}


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


#: The plans list shows each plan at its version in force (or, with none, its newest: a new plan's draft), and
#: beside it the number of a newer draft or version in review.
_PV = aliased(PlanVersion)
_OPEN = aliased(PlanVersion)


def _plans_select() -> Select:
    in_force = (select(func.max(PlanVersion.number))
                .where(PlanVersion.plan_id == ContingencyPlan.id, PlanVersion.status == PlanStatus.APPROVED)
                .scalar_subquery())
    latest = (
        select(func.max(PlanVersion.number)).where(PlanVersion.plan_id == ContingencyPlan.id).scalar_subquery()
    )
    return select(
        ContingencyPlan.id, ContingencyPlan.code, ContingencyPlan.title_zh, ContingencyPlan.title_en,
        ContingencyPlan.scenario, _PV.number, _PV.status, _OPEN.number, _PV.review_due_on,
    ).select_from(ContingencyPlan) \
        .join(_PV, (_PV.plan_id == ContingencyPlan.id) & (_PV.number == func.coalesce(in_force, latest))) \
        .outerjoin(_OPEN, (_OPEN.plan_id == ContingencyPlan.id) & (_OPEN.id != _PV.id)
                   & _OPEN.status.in_((PlanStatus.DRAFT, PlanStatus.IN_REVIEW)))


def _alarm() -> Any:
    """An incident's alarm time (its opening, for one recorded without)."""
    return func.coalesce(Incident.alarm_at, Incident.opened_at).label("alarm_at")


#: "due for review" in the plan list's filter: within this many days
REVIEW_SOON = timedelta(days=60)

SOURCES: dict[str, ListSource] = {
    s.name: s
    for s in (
        ListSource(
            "plans",
            (Column("code", N_("Code")), Column("title_zh", N_("Title")), Column("title_en", N_("English title")),
             Column("scenario", N_("Scenario")), Column("version", N_("Version")), Column("status", N_("Status")),
             Column("draft", N_("Draft")), Column("review_due_on", N_("Review due"))),
            _plans_select,
            lambda: (ContingencyPlan.code, ContingencyPlan.title_zh, ContingencyPlan.title_en),
            lambda: (ContingencyPlan.code,),
            {
                "scenario": lambda v, _today: ContingencyPlan.scenario == v,
                "status": lambda v, _today: or_(_PV.status == v, _OPEN.status == v),
                "branch": lambda v, _today: ContingencyPlan.owner_branch_id == v,
                "review": lambda v, today: (
                    _PV.review_due_on < today if v == "overdue" else _PV.review_due_on <= today + REVIEW_SOON),
            },
            lambda port_id: ContingencyPlan.port_id == port_id,
        ),
        ListSource(
            "drills",
            (Column("scheduled_start", N_("Starts")), Column("title", N_("Title")), Column("kind", N_("Type")),
             Column("level", N_("Level")), Column("status", N_("Status"))),
            lambda: select(Drill.id, Drill.scheduled_start, Drill.title, Drill.kind, Drill.level, Drill.status),
            lambda: (Drill.title, Drill.location),
            lambda: (Drill.scheduled_start.desc(), Drill.id.desc()),
            port=lambda port_id: Drill.port_id == port_id,
        ),
        ListSource(
            "members",
            (Column("name", N_("Name")), Column("agency", N_("Agency")), Column("post", N_("Post")),
             Column("squad", N_("Squad")), Column("mobile", N_("Mobile")), Column("status", N_("Status"))),
            lambda: select(Member.id, Member.name, Branch.agency, Member.post, Squad.name, Member.mobile, Member.status)
            .join(Branch, Branch.id == Member.branch_id)
            .outerjoin(Squad, Squad.id == Member.squad_id),
            lambda: (Member.name, Member.post, Member.mobile, Squad.name),
            lambda: (Member.name, Member.id),
            port=lambda port_id: Branch.port_id == port_id,
        ),
        ListSource(
            "incidents",
            (Column("number", N_("Incident number")), Column("alarm_at", N_("Alarm")), Column("title", N_("Title")),
             Column("level", N_("Level")), Column("status", N_("Status")), Column("closed_at", N_("Stood down"))),
            lambda: select(Incident.id, Incident.number, _alarm(), Incident.title, Incident.level, Incident.status,
                           Incident.closed_at),
            lambda: (Incident.number, Incident.title, Incident.summary, Incident.location),
            lambda: (_alarm().desc(), Incident.id.desc()),
            {"status": lambda v, _today: Incident.status == v},
            port=lambda port_id: Incident.port_id == port_id,
        ),
        ListSource(
            "reviews",
            (Column("created_at", N_("Created")), Column("title", N_("Title")), Column("status", N_("Status"))),
            lambda: select(AfterActionReview.id, AfterActionReview.created_at, AfterActionReview.title,
                           AfterActionReview.status),
            lambda: (AfterActionReview.title, AfterActionReview.summary),
            lambda: (AfterActionReview.created_at.desc(), AfterActionReview.id.desc()),
            port=lambda port_id: AfterActionReview.port_id == port_id,
        ),
        ListSource(
            "actions",
            (Column("due_on", N_("Due")), Column("text", N_("Corrective action")), Column("agency", N_("Agency")),
             Column("owner", N_("Owner")), Column("status", N_("Status"))),
            lambda: select(CorrectiveAction.id, CorrectiveAction.due_on, CorrectiveAction.text, Branch.agency,
                           CorrectiveAction.owner_name, CorrectiveAction.status)
            .outerjoin(Branch, Branch.id == CorrectiveAction.owner_branch_id),
            lambda: (CorrectiveAction.text, CorrectiveAction.owner_name),
            lambda: (CorrectiveAction.due_on, CorrectiveAction.id),
            port=lambda port_id: CorrectiveAction.finding_id.in_(
                select(Finding.id).join(AfterActionReview, AfterActionReview.id == Finding.review_id)
                .where(AfterActionReview.port_id == port_id)),
        ),
        ListSource(
            "log",
            (Column("at", N_("Time")), Column("author", N_("By")), Column("kind", N_("Kind")),
             Column("text", N_("Entry"))),
            lambda: select(LogEntry.id, LogEntry.at, LogEntry.author_name, LogEntry.kind, LogEntry.text),
            lambda: (LogEntry.text, LogEntry.author_name),
            lambda: (LogEntry.at.desc(), LogEntry.id.desc()),
            # one run's or one incident's log (the console's log pane, 10,000 lines read a page at a time)
            {"run": lambda v, _today: LogEntry.drill_run_id == v,
             "incident": lambda v, _today: LogEntry.incident_id == v},
            port=lambda port_id: or_(
                LogEntry.drill_run_id.in_(select(DrillRun.id).join(Drill, Drill.id == DrillRun.drill_id)
                                          .where(Drill.port_id == port_id)),
                LogEntry.incident_id.in_(select(Incident.id).where(Incident.port_id == port_id))),
        ),
        ListSource(
            "audit",
            (Column("at", N_("Time")), Column("username", N_("User")), Column("operation", N_("Operation")),
             Column("entity", N_("Record")), Column("entity_id", N_("Id"))),
            lambda: select(AuditEntry.id, AuditEntry.at, AuditEntry.username, AuditEntry.operation,
                           AuditEntry.entity, AuditEntry.entity_id),
            lambda: (AuditEntry.username, AuditEntry.operation, AuditEntry.entity),
            lambda: (AuditEntry.id.desc(),),
        ),
    )
}


class ListService(ServiceBase):
    def page(
        self, source: str, search: str = "", offset: int = 0, limit: int = 200, filters: dict[str, Any] | None = None,
    ) -> list[tuple[Any, ...]]:
        """Rows `offset`..`offset+limit` of a list; each row is (id, *columns). `filters` picks values of the
        source's filters (None or missing: no filter)."""
        spec = SOURCES[source]
        if source in CHECKED_SOURCES:
            self.check_access(CHECKED_SOURCES[source])
        query = spec.select()
        if spec.port is not None and self.port_id is not None:
            query = query.where(spec.port(self.port_id))
        today = self.today()
        for name, value in (filters or {}).items():
            if value is not None:
                query = query.where(spec.filters[name](value, today))
        search = search.strip()
        if search:
            pattern = _like(search)
            query = query.where(or_(*(col.ilike(pattern, escape="\\") for col in spec.search_columns())))
        query = query.order_by(*spec.order_by()).offset(offset).limit(limit)
        with self.read() as s:
            return [tuple(row) for row in s.execute(query)]
