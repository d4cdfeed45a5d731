"""A drill as a designed exercise, as plain data: what the designer window edits and saves whole.

`load_design(s, drill_id)` reads everything the designer shows (the drill, its objectives with the plan
actions they measure, participants, the MSEL, the schedule history, and the actions of the plan's version in
force to choose from); `DesignContent` is what `DrillService.save_design` takes back: the designer edits a
copy (undo/redo in the window) and saves it in one operation, with the row version it read (optimistic
locking: a design changed meanwhile at another desk is refused, naming who and when).

Objectives are referred to by `key`: an existing objective's id, or a negative number for a new one; an
inject names the objective it tests by that key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillapp.models import (
    ContingencyPlan,
    Drill,
    DrillScheduleChange,
    PlanAction,
    PlanVersion,
    User,
)
from drillapp.models.enums import (
    Agency,
    DrillKind,
    DrillScope,
    DrillStatus,
    InjectDelivery,
    ParticipantRole,
    PlanStatus,
    ResponsePhase,
    ScheduleChangeKind,
)


@dataclass(frozen=True)
class ObjectiveDoc:
    key: int  # the objective's id, or a negative number for one not saved yet
    text: str
    action_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ParticipantDoc:
    member_id: int | None
    branch_id: int | None
    role: ParticipantRole = ParticipantRole.PLAYER


@dataclass(frozen=True)
class InjectDoc:
    number: int
    offset_minutes: int
    message: str
    sender: str = ""
    recipient: str = ""
    delivery: InjectDelivery | None = None
    expected_action: str = ""
    scenario_time: str = ""
    objective_key: int | None = None


@dataclass(frozen=True)
class ActionChoice:
    """An action of the plan's version in force, to tie an objective to."""

    id: int
    agency: Agency
    level: int | None
    phase: ResponsePhase
    text: str
    target_minutes: int | None


@dataclass(frozen=True)
class ScheduleChange:
    kind: ScheduleChangeKind
    old_start: datetime
    new_start: datetime | None
    reason: str
    changed_by: str
    changed_at: datetime


@dataclass(frozen=True)
class DesignContent:
    """Everything the designer saves (times stored UTC, naive)."""

    title: str
    kind: DrillKind
    scope: DrillScope
    plan_id: int | None
    level: int | None
    start: datetime
    duration_minutes: int
    location: str = ""
    scenario_text: str = ""
    safety_notes: str = ""
    owner_id: int | None = None
    status: DrillStatus = DrillStatus.PLANNED
    objectives: tuple[ObjectiveDoc, ...] = ()
    participants: tuple[ParticipantDoc, ...] = ()
    injects: tuple[InjectDoc, ...] = ()


@dataclass(frozen=True)
class DrillDesign:
    id: int
    row_version: int
    port_id: int
    uid: str
    content: DesignContent
    plan_code: str = ""
    plan_title: str = ""
    owner_name: str = ""
    series_id: int | None = None
    occurrence_start: datetime | None = None
    detached: bool = False
    actions: tuple[ActionChoice, ...] = ()  # of the plan's version in force
    history: tuple[ScheduleChange, ...] = field(default_factory=tuple)

    @property
    def end(self) -> datetime:
        return self.content.start + timedelta(minutes=self.content.duration_minutes)

    @property
    def editable(self) -> bool:
        from drillapp.models.enums import DRILL_TO_COME

        return self.content.status in DRILL_TO_COME


def version_in_force(s: Session, plan_id: int | None) -> PlanVersion | None:
    """The plan's approved version (the one drills exercise and objectives link to)."""
    if plan_id is None:
        return None
    return s.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan_id,
                                              PlanVersion.status == PlanStatus.APPROVED))


def action_choices(s: Session, plan_id: int | None) -> tuple[ActionChoice, ...]:
    version = version_in_force(s, plan_id)
    if version is None:
        return ()
    rows = s.scalars(select(PlanAction).where(PlanAction.version_id == version.id).order_by(PlanAction.position))
    return tuple(ActionChoice(a.id, a.agency, a.level, a.phase, a.text, a.target_minutes) for a in rows)


def content_of(drill: Drill) -> DesignContent:
    return DesignContent(
        title=drill.title, kind=drill.kind, scope=drill.scope, plan_id=drill.plan_id, level=drill.level,
        start=drill.scheduled_start, duration_minutes=drill.duration_minutes, location=drill.location,
        scenario_text=drill.scenario_text, safety_notes=drill.safety_notes, owner_id=drill.owner_id,
        status=drill.status,
        objectives=tuple(ObjectiveDoc(o.id, o.text, tuple(a.plan_action_id for a in o.actions))
                         for o in drill.objectives),
        participants=tuple(ParticipantDoc(p.member_id, p.branch_id, p.role) for p in drill.participants),
        injects=tuple(InjectDoc(i.number, i.offset_minutes, i.message, i.sender, i.recipient, i.delivery,
                                i.expected_action, i.scenario_time, i.objective_id) for i in drill.injects),
    )


def load_design(s: Session, drill: Drill) -> DrillDesign:
    plan = s.get(ContingencyPlan, drill.plan_id) if drill.plan_id else None
    owner = s.get(User, drill.owner_id) if drill.owner_id else None
    history = s.scalars(select(DrillScheduleChange).where(DrillScheduleChange.drill_id == drill.id)
                        .order_by(DrillScheduleChange.id))
    return DrillDesign(
        id=drill.id, row_version=drill.row_version, port_id=drill.port_id, uid=drill.uid, content=content_of(drill),
        plan_code=plan.code if plan else "", plan_title=plan.title_zh if plan else "",
        owner_name=(owner.display_name or owner.username) if owner else "",
        series_id=drill.series_id, occurrence_start=drill.occurrence_start, detached=drill.detached,
        actions=action_choices(s, drill.plan_id),
        history=tuple(ScheduleChange(h.kind, h.old_start, h.new_start, h.reason, h.changed_by, h.changed_at)
                      for h in history),
    )


@dataclass(frozen=True)
class PlanOption:
    """A plan the designer may choose: in force at the port, with the levels its version in force defines."""

    id: int
    code: str
    title: str
    levels: tuple[int, ...]


def plan_options(s: Session, port_id: int) -> list[PlanOption]:
    from drillapp.models import ResponseLevel

    rows = s.execute(select(ContingencyPlan.id, ContingencyPlan.code, ContingencyPlan.title_zh, PlanVersion.id)
                     .join(PlanVersion, PlanVersion.plan_id == ContingencyPlan.id)
                     .where(ContingencyPlan.port_id == port_id, PlanVersion.status == PlanStatus.APPROVED)
                     .order_by(ContingencyPlan.code, ContingencyPlan.id)).all()
    levels: dict[int, list[int]] = {}
    for version_id, level in s.execute(select(ResponseLevel.version_id, ResponseLevel.level)
                                       .where(ResponseLevel.version_id.in_([r[3] for r in rows]))
                                       .order_by(ResponseLevel.level)):
        levels.setdefault(version_id, []).append(level)
    return [PlanOption(pid, code, title, tuple(levels.get(vid, ()))) for pid, code, title, vid in rows]
