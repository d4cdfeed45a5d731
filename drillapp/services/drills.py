"""Drills as designed and scheduled: schedule one, design it (save the whole design at once), move or
postpone it (its history keeps the original date; its reminders move with it), cancel it; the calendar's and
the designer's reads (drills in a date range, one drill's design, who can take part on the day).

Series (recurring drills) are in drill_series.py, the MSEL sheets in msel.py, the programme proposal in
programme.py, coverage in coverage.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from drillapp.clock import from_local, to_local
from drillapp.i18n import _
from drillapp.models import (
    ContingencyPlan,
    Drill,
    DrillObjective,
    DrillObjectiveAction,
    DrillParticipant,
    DrillScheduleChange,
    Inject,
    Member,
    Port,
)
from drillapp.models.enums import (
    DRILL_TO_COME,
    DrillKind,
    DrillScope,
    DrillStatus,
    ScheduleChangeKind,
)
from drillapp.services import audit, validate
from drillapp.services.context import ServiceBase
from drillapp.services.drill_design import (
    ActionChoice,
    DesignContent,
    DrillDesign,
    PlanOption,
    action_choices,
    load_design,
    plan_options,
)
from drillapp.services.drill_reminders import move_reminders
from drillapp.services.drill_rules import check_content, check_duration, check_owner, check_plan, check_start
from drillapp.services.errors import DomainError, ValidationError
from drillapp.services.port_calendar import refuse_blocked
from drillapp.services.reminders import HORIZON


@dataclass(frozen=True)
class DrillRow:
    """A drill as the calendar, the agenda and the lists show it."""

    id: int
    title: str
    kind: DrillKind
    scope: DrillScope
    plan_id: int | None
    plan_code: str
    level: int | None
    start: datetime  # stored UTC
    duration_minutes: int
    status: DrillStatus
    location: str
    series_id: int | None
    detached: bool
    owner_id: int | None
    row_version: int

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration_minutes)

    @property
    def cancelled(self) -> bool:
        return self.status is DrillStatus.CANCELLED


def drill_row(d: Drill, plan_code: str = "") -> DrillRow:
    return DrillRow(d.id, d.title, d.kind, d.scope, d.plan_id, plan_code, d.level, d.scheduled_start,
                    d.duration_minutes, d.status, d.location, d.series_id, d.detached, d.owner_id, d.row_version)


def replace_design(s, drill: Drill, content: DesignContent) -> None:  # noqa: ANN001 - a Session
    """Put a (checked) design's fields and parts on a drill row; the parts are written anew."""
    drill.title = content.title.strip()
    drill.kind, drill.scope, drill.plan_id, drill.level = content.kind, content.scope, content.plan_id, content.level
    drill.duration_minutes = content.duration_minutes
    drill.location = content.location.strip()
    drill.scenario_text, drill.safety_notes = content.scenario_text, content.safety_notes
    drill.owner_id = content.owner_id
    drill.injects.clear()
    drill.participants.clear()
    drill.objectives.clear()
    s.flush()
    made: dict[int, DrillObjective] = {}
    for i, o in enumerate(content.objectives):
        row = DrillObjective(position=i, text=o.text.strip())
        row.actions = [DrillObjectiveAction(plan_action_id=a) for a in dict.fromkeys(o.action_ids)]
        drill.objectives.append(row)
        made[o.key] = row
    for p in content.participants:
        drill.participants.append(DrillParticipant(member_id=p.member_id, branch_id=p.branch_id, role=p.role))
    s.flush()
    used = {i.number for i in content.injects if i.number}
    next_number = 1
    for inject in sorted(content.injects, key=lambda x: (x.offset_minutes, x.number or 10**9)):
        number = inject.number
        if not number:
            while next_number in used:
                next_number += 1
            number = next_number
            used.add(number)
        drill.injects.append(Inject(
            number=number, offset_minutes=inject.offset_minutes, scenario_time=inject.scenario_time.strip(),
            sender=inject.sender.strip(), recipient=inject.recipient.strip(), delivery=inject.delivery,
            message=inject.message, expected_action=inject.expected_action,
            objective_id=made[inject.objective_key].id if inject.objective_key is not None else None))


class DrillService(ServiceBase):
    # -- writes ----------------------------------------------------------------------------------
    def schedule_drill(
        self, port_id: int, title: str, kind: DrillKind, scheduled_start: datetime, *,
        plan_id: int | None = None, level: int | None = None, duration_minutes: int = 60,
        scope: DrillScope = DrillScope.SINGLE, location: str = "", objectives: list[str] | None = None,
        injects: list[tuple[int, str]] | None = None, owner_id: int | None = None,
    ) -> int:
        """A new planned drill (refused in a blocked period, for a retired plan, or with an inject after its end).
        Its owner is `owner_id`, or whoever schedules it."""
        with self.write("drills.schedule_drill") as s:
            validate.get(s, Port, port_id, _("Port"))
            check_plan(s, port_id, plan_id, level)
            check_duration(duration_minutes)
            check_start(scheduled_start)
            owner = owner_id if owner_id is not None else self.actor.user_id
            check_owner(s, owner)
            refuse_blocked(s, port_id, scheduled_start, duration_minutes)
            drill = Drill(
                port_id=port_id, plan_id=plan_id, title=validate.text(title, "title", _("Title"), max_len=300),
                kind=kind, scope=scope, level=level, scheduled_start=scheduled_start,
                duration_minutes=duration_minutes, owner_id=owner,
                location=validate.text(location, "location", _("Location"), max_len=300, required=False),
            )
            for i, text in enumerate(objectives or []):
                drill.objectives.append(DrillObjective(position=i, text=validate.long_text(
                    text, "objectives", _("Objective"), required=True)))
            for n, (offset, message) in enumerate(injects or [], start=1):
                from drillapp.services.drill_rules import check_inject

                check_inject(offset, duration_minutes, n)
                drill.injects.append(Inject(number=n, offset_minutes=offset, message=message))
            s.add(drill)
            s.flush()
            move_reminders(s, drill, audit.operation_time(s), HORIZON)
            return drill.id

    def save_design(self, drill_id: int | None, expected_version: int | None, content: DesignContent,
                    *, port_id: int | None = None, reason: str = "") -> tuple[int, int]:
        """Save a whole design (a new drill when `drill_id` is None); returns (drill id, row version).

        Only a drill still to come may be edited; a new start is a move (history, reminders). An occurrence
        of a series edited by hand is detached: editing the series leaves it alone from then on."""
        with self.write("drills.save_design") as s:
            if drill_id is None:
                port = validate.get(s, Port, self.require_port(port_id), _("Port"))
                check_content(s, port.id, content)
                refuse_blocked(s, port.id, content.start, content.duration_minutes)
                drill = Drill(port_id=port.id, title=content.title.strip(), kind=content.kind,
                              scheduled_start=content.start, duration_minutes=content.duration_minutes,
                              owner_id=content.owner_id if content.owner_id is not None else self.actor.user_id)
                s.add(drill)
                s.flush()
                content = _with_owner(content, drill.owner_id)
            else:
                drill = validate.get(s, Drill, drill_id, _("Drill"))
                validate.expect_version_or_absent(drill, expected_version)
                _require_to_come(drill)
                check_content(s, drill.port_id, content)
                if content.start != drill.scheduled_start:
                    self._move(s, drill, content.start, reason, postpone=False, duration=content.duration_minutes)
                elif content.duration_minutes != drill.duration_minutes:
                    refuse_blocked(s, drill.port_id, drill.scheduled_start, content.duration_minutes)
                if drill.series_id is not None:
                    drill.detached = True
            if content.status not in (DrillStatus.PLANNED, DrillStatus.READY, drill.status):
                raise ValidationError(_("The designer sets a drill planned or ready; move, postpone or cancel it "
                                        "with their own commands."), "status")
            drill.status = content.status
            replace_design(s, drill, content)
            s.flush()
            move_reminders(s, drill, audit.operation_time(s), HORIZON)
            s.flush()
            return drill.id, drill.row_version

    def move_drill(self, drill_id: int, new_start: datetime, *, reason: str = "", postpone: bool = False,
                   expected_version: int) -> int:
        """Move a drill to another time (or postpone it to a later one, with a reason); its history keeps
        the old date, its reminders move. Returns the new row version."""
        with self.write("drills.move_drill") as s:
            drill = validate.get(s, Drill, drill_id, _("Drill"))
            validate.expect_version(drill, expected_version)
            _require_to_come(drill)
            check_start(new_start)
            if postpone and new_start <= drill.scheduled_start:
                raise ValidationError(_("Postponing moves a drill to a later time."), "start")
            if postpone and not reason.strip():
                raise ValidationError(_("Say why the drill is postponed."), "reason")
            self._move(s, drill, new_start, reason, postpone=postpone, duration=drill.duration_minutes)
            if postpone:
                drill.status = DrillStatus.POSTPONED
            s.flush()
            move_reminders(s, drill, audit.operation_time(s), HORIZON)
            s.flush()
            return drill.row_version

    def _move(self, s, drill: Drill, new_start: datetime, reason: str, *, postpone: bool,  # noqa: ANN001
              duration: int) -> None:
        refuse_blocked(s, drill.port_id, new_start, duration)
        s.add(DrillScheduleChange(
            drill_id=drill.id, kind=ScheduleChangeKind.POSTPONED if postpone else ScheduleChangeKind.MOVED,
            old_start=drill.scheduled_start, new_start=new_start,
            reason=validate.long_text(reason, "reason", _("Reason")), changed_by_id=self.actor.user_id,
            changed_by=self.actor.username, changed_at=audit.operation_time(s)))
        drill.scheduled_start = new_start
        if drill.series_id is not None:
            drill.detached = True

    def cancel_drill(self, drill_id: int, reason: str = "", *, expected_version: int) -> None:
        with self.write("drills.cancel_drill") as s:
            drill = validate.get(s, Drill, drill_id, _("Drill"))
            validate.expect_version(drill, expected_version)
            if drill.status not in DRILL_TO_COME:
                raise DomainError(_("Only a drill still to come can be cancelled."))
            s.add(DrillScheduleChange(
                drill_id=drill.id, kind=ScheduleChangeKind.CANCELLED, old_start=drill.scheduled_start,
                new_start=None, reason=validate.long_text(reason, "reason", _("Reason")),
                changed_by_id=self.actor.user_id, changed_by=self.actor.username, changed_at=audit.operation_time(s)))
            drill.status = DrillStatus.CANCELLED
            if drill.series_id is not None:
                drill.detached = True
            s.flush()
            move_reminders(s, drill, audit.operation_time(s), HORIZON)

    # -- reads -----------------------------------------------------------------------------------
    def design(self, drill_id: int) -> DrillDesign:
        with self.read() as s:
            drill = s.scalar(select(Drill).where(Drill.id == drill_id).options(
                selectinload(Drill.objectives).selectinload(DrillObjective.actions),
                selectinload(Drill.participants), selectinload(Drill.injects)))
            if drill is None:
                validate.get(s, Drill, drill_id, _("Drill"))
            assert drill is not None
            return load_design(s, drill)

    def plan_options(self, port_id: int | None = None) -> list[PlanOption]:
        """The port's plans in force, with their levels: what the designer offers."""
        with self.read() as s:
            return plan_options(s, self.require_port(port_id))

    def plan_actions(self, plan_id: int | None) -> tuple[ActionChoice, ...]:
        """The actions of a plan's version in force, to tie objectives to."""
        with self.read() as s:
            return action_choices(s, plan_id)

    def drills_between(self, first: date, last: date, port_id: int | None = None) -> list[DrillRow]:
        """The port's drills starting on the port's days first..last (inclusive), cancelled ones too."""
        start = from_local(datetime.combine(first, time(0)))
        end = from_local(datetime.combine(last + timedelta(days=1), time(0)))
        with self.read() as s:
            q = (select(Drill, ContingencyPlan.code).outerjoin(ContingencyPlan, ContingencyPlan.id == Drill.plan_id)
                 .where(Drill.scheduled_start >= start, Drill.scheduled_start < end)
                 .order_by(Drill.scheduled_start, Drill.id))
            port = port_id if port_id is not None else self.port_id
            if port is not None:
                q = q.where(Drill.port_id == port)
            return [drill_row(d, code or "") for d, code in s.execute(q)]

    def my_drills(self, from_day: date | None = None) -> list[DrillRow]:
        """Drills to come that the acting user owns or takes part in (through their linked member record)."""
        if self.actor.user_id is None:
            return []
        since = from_local(datetime.combine(from_day or self.today(), time(0)))
        with self.read() as s:
            member_ids = select(Member.id).where(Member.user_id == self.actor.user_id)
            taking_part = select(DrillParticipant.drill_id).where(DrillParticipant.member_id.in_(member_ids))
            q = (select(Drill, ContingencyPlan.code).outerjoin(ContingencyPlan, ContingencyPlan.id == Drill.plan_id)
                 .where(Drill.scheduled_start >= since, Drill.status.in_(DRILL_TO_COME),
                        or_(Drill.owner_id == self.actor.user_id, Drill.id.in_(taking_part)))
                 .order_by(Drill.scheduled_start))
            return [drill_row(d, code or "") for d, code in s.execute(q)]

    def local_day(self, value: datetime) -> date:
        return to_local(value, self.scope.zone).date()


def _require_to_come(drill: Drill) -> None:
    if drill.status not in DRILL_TO_COME:
        raise DomainError(_("This drill has run or was cancelled: its record stays as it was."))


def _with_owner(content: DesignContent, owner_id: int | None) -> DesignContent:
    from dataclasses import replace

    return replace(content, owner_id=owner_id)
