"""Reading a run for the console: the snapshot (one read), the view at a moment, the tabletop's walk-through,
the runs still going (to reopen after a crash exactly where they were), the blank checklist of a drill, and the
check of a run's (or incident's) hash chain.

The UI reads a snapshot when the run changes (its own write, or another desk's: `chain_seq` moves on with
every record) and recomputes `run_view.build_view(snapshot, now)` at each tick of its clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillapp.i18n import _
from drillapp.models import (
    ChecklistEntry,
    ChecklistEvent,
    ContingencyPlan,
    Drill,
    DrillRun,
    LogEntry,
    PlanVersion,
    Port,
    RunInject,
    TabletopMark,
    User,
)
from drillapp.models.enums import Agency, DrillKind, ItemState, ReportKind, ResponsePhase, RunStatus
from drillapp.services import run_chain, validate
from drillapp.services.checklist import actions_for, sorted_items, version_in_force
from drillapp.services.context import ServiceBase
from drillapp.services.drill_inputs import (
    ExpectedAction,
    InjectInfo,
    expected_actions,
    injects_of,
    scenario_of,
)
from drillapp.services.errors import NotFoundError
from drillapp.services.run_log import pauses_of
from drillapp.services.run_view import (
    DEFAULT_THRESHOLDS,
    ContactRow,
    EventRow,
    InjectRow,
    ItemRow,
    LogRow,
    MarkRow,
    RunSnapshot,
    RunView,
    Thresholds,
    build_view,
)

#: Words by which a plan contact (of no agency) is recognised as the neighbouring country's, until contacts carry
#: their own time zone.
NEIGHBOUR_MARKERS = ("对方", "朝方", "俄方", "朝鲜", "俄罗斯", "neighbour", "DPRK", "Russia")


def contact_zone(contact: object, neighbour_zone: str) -> str | None:
    """The contact's own time zone when it is not the port's: its `time_zone` when contacts have one, else the
    port's neighbour zone for a contact of no agency that names the other side."""
    own = getattr(contact, "time_zone", None)
    if own:
        return str(own)
    if not neighbour_zone or getattr(contact, "agency", None) is not None:
        return None
    words = " ".join(str(getattr(contact, k, "") or "") for k in ("name", "post", "notes"))
    return neighbour_zone if any(m in words for m in NEIGHBOUR_MARKERS) else None


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.username, User.display_name).where(User.id.in_(wanted)))
    return {r.id: r.display_name or r.username for r in rows}


def _item_rows(session: Session, run: DrillRun) -> tuple[ItemRow, ...]:
    entries = sorted_items(list(session.scalars(select(ChecklistEntry).where(ChecklistEntry.drill_run_id == run.id))),
                           run.level)
    names = _names(session, {e.done_by_id for e in entries})
    return tuple(
        ItemRow(e.id, e.agency, e.phase, e.action_level, e.position, e.text, e.target_minutes, e.report_due,
                e.plan_action_id, e.state, e.done_at, e.recorded_at, names.get(e.done_by_id or 0, ""), e.note,
                e.reason, e.row_version)
        for e in entries
    )


def log_rows(session: Session, limit: int | None, *, run_id: int | None = None,
             incident_id: int | None = None) -> tuple[tuple[LogRow, ...], int]:
    """The newest `limit` lines of a run's or an incident's log (oldest first) and how many it has in all."""
    owner = LogEntry.drill_run_id == run_id if run_id is not None else LogEntry.incident_id == incident_id
    total = session.scalar(select(func.count()).select_from(LogEntry).where(owner)) or 0
    q = select(LogEntry).where(owner).order_by(LogEntry.seq.desc())
    if limit is not None:
        q = q.limit(limit)
    rows = list(session.scalars(q))[::-1]
    return tuple(LogRow(e.id, e.seq, e.at, e.recorded_at, e.author_name, e.agency, e.kind, e.text, e.corrects_id)
                 for e in rows), total


def _event_rows(session: Session, run_id: int) -> tuple[EventRow, ...]:
    rows = session.scalars(select(ChecklistEvent).where(ChecklistEvent.drill_run_id == run_id)
                           .order_by(ChecklistEvent.seq))
    return tuple(EventRow(e.id, e.seq, e.entry_id, e.action, e.happened_at, e.recorded_at, e.author_name, e.text)
                 for e in rows)


def _inject_rows(session: Session, run_id: int, injects: tuple[InjectInfo, ...]) -> tuple[InjectRow, ...]:
    marked = {r.inject_id: r for r in session.scalars(select(RunInject).where(RunInject.drill_run_id == run_id))}
    out = []
    for info in injects:
        r = marked.get(info.id)
        out.append(InjectRow(info, r.status if r else None, r.due_minutes if r else info.offset_minutes,
                             r.marked_at if r else None, r.note if r else ""))
    return tuple(out)


def load_snapshot(session: Session, run_id: int, log_limit: int | None = 200) -> RunSnapshot:
    """The run as plain data (the newest `log_limit` log lines; None: all)."""
    run = validate.get(session, DrillRun, run_id, _("Drill run"))
    drill = validate.get(session, Drill, run.drill_id, _("Drill"))
    port = session.get(Port, drill.port_id)
    version = session.get(PlanVersion, run.plan_version_id) if run.plan_version_id else None
    plan = session.get(ContingencyPlan, version.plan_id) if version else (
        session.get(ContingencyPlan, drill.plan_id) if drill.plan_id else None)
    neighbour = port.neighbour_time_zone if port else ""
    contacts = tuple(
        ContactRow(c.agency, c.name, c.post, c.phone, c.mobile, c.notes, contact_zone(c, neighbour))
        for c in sorted(version.contacts, key=lambda c: c.position)
    ) if version else ()
    log, total = log_rows(session, log_limit, run_id=run_id)
    marks = tuple(MarkRow(m.step, m.item_key, m.agency, m.text, m.status, m.note, m.marked_at, m.row_version)
                  for m in session.scalars(select(TabletopMark).where(TabletopMark.drill_run_id == run_id)
                                           .order_by(TabletopMark.step, TabletopMark.id)))
    started_by = _names(session, {run.started_by_id}).get(run.started_by_id or 0, "")
    return RunSnapshot(
        run_id=run.id, drill_id=drill.id, drill_title=drill.title, drill_kind=drill.kind, unplanned=run.unplanned,
        status=run.status, level=run.level, plan_id=plan.id if plan else None, plan_code=plan.code if plan else "",
        plan_title=plan.title_zh if plan else "", plan_version=version.number if version else None,
        port_id=drill.port_id, port_zone=port.time_zone if port else "", started_at=run.started_at,
        ended_at=run.ended_at, started_by=started_by, scheduled_start=drill.scheduled_start, location=drill.location,
        scenario=scenario_of(drill), pauses=pauses_of(session, run_id), items=_item_rows(session, run), log=log,
        log_total=total, events=_event_rows(session, run_id), injects=_inject_rows(session, run_id, injects_of(drill)),
        contacts=contacts, tabletop_step=run.tabletop_step, scenario_jump_minutes=run.scenario_jump_minutes or 0,
        marks=marks, chain_seq=run.chain_seq, chain_head=run.chain_head, row_version=run.row_version,
    )


@dataclass(frozen=True)
class RunSummary:
    """A run in a list (the runs still going, to reopen)."""

    run_id: int
    drill_id: int
    title: str
    kind: DrillKind
    level: int | None
    status: RunStatus
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class TabletopStep:
    index: int
    inject: InjectInfo
    expected: tuple[tuple[ExpectedAction, MarkRow | None], ...]


@dataclass(frozen=True)
class TabletopView:
    """The facilitator's walk-through: the narrative, every MSEL line with its expected actions and their marks,
    the line on screen (None before the first), and scenario time. The projector shows the narrative and the
    current inject."""

    snapshot: RunSnapshot
    narrative: str
    steps: tuple[TabletopStep, ...]
    current: int | None
    scenario_time: str

    @property
    def current_step(self) -> TabletopStep | None:
        return self.steps[self.current] if self.current is not None else None


@dataclass(frozen=True)
class BlankItem:
    agency: Agency
    phase: ResponsePhase
    text: str
    responsible_post: str
    target_minutes: int | None
    report_due: ReportKind | None


@dataclass(frozen=True)
class BlankChecklist:
    """What a post without a PC gets on paper before the drill: the plan's actions for the drill's level."""

    drill_id: int
    title: str
    kind: DrillKind
    level: int | None
    scheduled_start: datetime
    location: str
    plan_code: str
    plan_title: str
    plan_version: int | None
    items: tuple[BlankItem, ...]
    injects: tuple[InjectInfo, ...]


class RunConsoleService(ServiceBase):
    def snapshot(self, run_id: int, log_limit: int | None = 200) -> RunSnapshot:
        with self.read() as s:
            return load_snapshot(s, run_id, log_limit)

    def view(self, run_id: int, now: datetime | None = None, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> RunView:
        """The console at `now` (default: the service's clock)."""
        return build_view(self.snapshot(run_id), now or self.clock(), thresholds)

    def tabletop(self, run_id: int) -> TabletopView:
        with self.read() as s:
            snap = load_snapshot(s, run_id)
        injects = tuple(i.info for i in snap.injects)
        steps = tuple(
            TabletopStep(n, info, tuple(
                (e, next((m for m in snap.marks if m.step == n and m.item_key == e.key), None))
                for e in expected_actions(n, injects, snap.items)))
            for n, info in enumerate(injects)
        )
        view = build_view(snap, self.clock())
        return TabletopView(snap, snap.scenario, steps, snap.tabletop_step, view.clock.scenario_time)

    def running(self) -> list[RunSummary]:
        """The runs still going (of the current port): the console reopens them where they were."""
        with self.read() as s:
            q = (select(DrillRun, Drill).join(Drill, Drill.id == DrillRun.drill_id)
                 .where(DrillRun.status == RunStatus.RUNNING).order_by(DrillRun.started_at))
            if self.port_id is not None:
                q = q.where(Drill.port_id == self.port_id)
            return [RunSummary(r.id, d.id, d.title, d.kind, r.level, r.status, r.started_at, r.ended_at)
                    for r, d in s.execute(q)]

    def run_of_drill(self, drill_id: int) -> int | None:
        """The newest run of a drill, if it has run."""
        with self.read() as s:
            return s.scalar(select(DrillRun.id).where(DrillRun.drill_id == drill_id).order_by(DrillRun.id.desc())
                            .limit(1))

    def blank_checklist(self, drill_id: int) -> BlankChecklist:
        with self.read() as s:
            drill = validate.get(s, Drill, drill_id, _("Drill"))
            version = version_in_force(s, drill.plan_id)
            plan = s.get(ContingencyPlan, drill.plan_id) if drill.plan_id else None
            items = tuple(BlankItem(a.agency, a.phase, a.text, a.responsible_post, a.target_minutes, a.report_due)
                          for a in actions_for(version, drill.level))
            return BlankChecklist(drill.id, drill.title, drill.kind, drill.level, drill.scheduled_start, drill.location,
                                  plan.code if plan else "", plan.title_zh if plan else "",
                                  version.number if version else None, items, injects_of(drill))

    def verify_log(self, run_id: int | None = None, *, incident_id: int | None = None) -> run_chain.ChainReport:
        """Check a run's (or an incident's) hash chain from its start."""
        owner = run_chain.run(run_id) if run_id is not None else run_chain.incident(incident_id)  # type: ignore[arg-type]  # one of the two ids is given (checked by the callers)
        with self.read() as s:
            return run_chain.verify(s, owner)

    def open_items(self, run_id: int) -> list[int]:
        """Ids of the items still open (for a quick "what is left")."""
        with self.read() as s:
            if s.get(DrillRun, run_id) is None:
                raise NotFoundError(_("{what} {id} does not exist (it may have been deleted).").format(
                    what=_("Drill run"), id=run_id))
            return list(s.scalars(select(ChecklistEntry.id).where(ChecklistEntry.drill_run_id == run_id,
                                                                  ChecklistEntry.state == ItemState.OPEN)))
