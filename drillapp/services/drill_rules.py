"""The checks every drill write shares: the plan may be exercised (not retired), the level is one the plan
defines, the date is not in a blocked period, the design's parts are sound (objectives tied to the plan's
actions, participants of the port, injects within the drill's time). Each raises ValidationError naming
the field; nothing here writes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillapp.i18n import _
from drillapp.labels import level_label
from drillapp.models import Branch, ContingencyPlan, Member, PlanVersion, ResponseLevel, User
from drillapp.models.enums import PlanStatus
from drillapp.services import validate
from drillapp.services.drill_design import DesignContent, action_choices, version_in_force
from drillapp.services.errors import ValidationError

#: The longest drill (a full-scale exercise over several days).
MAX_DURATION = 7 * 24 * 60


def check_plan(s: Session, port_id: int, plan_id: int | None, level: int | None) -> None:
    """The plan exists at this port, is not retired, and defines `level` (in its version in force)."""
    validate.level(level)
    if plan_id is None:
        return
    plan = validate.get(s, ContingencyPlan, plan_id, _("Plan"))
    if plan.port_id != port_id:
        raise ValidationError(_("Plan {code} belongs to another port.").format(code=plan.code), "plan_id")
    statuses = set(s.scalars(select(PlanVersion.status).where(PlanVersion.plan_id == plan_id)))
    if PlanStatus.RETIRED in statuses and PlanStatus.APPROVED not in statuses and not (
            statuses & {PlanStatus.DRAFT, PlanStatus.IN_REVIEW}):
        raise ValidationError(_("Plan {code} is retired: a drill exercises a plan in force.").format(code=plan.code),
                              "plan_id")
    version = version_in_force(s, plan_id)
    if version is not None and level is not None:
        levels = set(s.scalars(select(ResponseLevel.level).where(ResponseLevel.version_id == version.id)))
        if levels and level not in levels:
            raise ValidationError(_("Plan {code} does not define {level}.").format(
                code=plan.code, level=level_label(level)), "level")


def check_duration(minutes: int) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= MAX_DURATION:
        raise ValidationError(_("A drill lasts between 1 minute and 7 days."), "duration_minutes")
    return minutes


def check_start(start: datetime) -> datetime:
    if not isinstance(start, datetime) or not 1900 <= start.year <= 2999:
        raise ValidationError(_("The start must be a date and time."), "start")
    return start.replace(tzinfo=None) if start.tzinfo is None else start


def check_owner(s: Session, owner_id: int | None) -> None:
    if owner_id is not None:
        validate.get(s, User, owner_id, _("User"))


def check_content(s: Session, port_id: int, content: DesignContent) -> None:
    """Everything in a design that can be checked before writing."""
    validate.text(content.title, "title", _("Title"), max_len=300)
    validate.text(content.location, "location", _("Location"), max_len=300, required=False)
    validate.long_text(content.scenario_text, "scenario_text", _("Scenario"))
    validate.long_text(content.safety_notes, "safety_notes", _("Safety notes"))
    check_duration(content.duration_minutes)
    check_start(content.start)
    check_plan(s, port_id, content.plan_id, content.level)
    check_owner(s, content.owner_id)
    actions = {a.id for a in action_choices(s, content.plan_id)}
    keys: set[int] = set()
    for n, objective in enumerate(content.objectives, start=1):
        validate.long_text(objective.text, "objectives", _("Objective"), required=True)
        if objective.key in keys:
            raise ValidationError(_("Objective {n} is listed twice.").format(n=n), "objectives")
        keys.add(objective.key)
        stray = [a for a in objective.action_ids if a not in actions]
        if stray:
            raise ValidationError(_("Objective {n} names an action that is not in the plan's version in force "
                                    "(action {id}).").format(n=n, id=stray[0]), "objectives")
    branches = set(s.scalars(select(Branch.id).where(Branch.port_id == port_id)))
    members = dict(s.execute(select(Member.id, Member.branch_id).where(Member.branch_id.in_(branches))).all())
    seen: set[int] = set()
    for n, p in enumerate(content.participants, start=1):
        if p.member_id is None and p.branch_id is None:
            raise ValidationError(_("Participant {n} names neither a member nor a branch.").format(n=n),
                                  "participants")
        if p.member_id is not None:
            if p.member_id not in members:
                raise ValidationError(_("Participant {n} is not a member of this port's team.").format(n=n),
                                      "participants")
            if p.member_id in seen:
                raise ValidationError(_("Participant {n} is listed twice.").format(n=n), "participants")
            seen.add(p.member_id)
        if p.branch_id is not None and p.branch_id not in branches:
            raise ValidationError(_("Participant {n} names a branch of another port.").format(n=n), "participants")
    numbers: set[int] = set()
    for n, inject in enumerate(content.injects, start=1):
        check_inject(inject.offset_minutes, content.duration_minutes, n)
        validate.long_text(inject.message, "injects", _("Message"), required=True)
        for value, limit in ((inject.sender, 200), (inject.recipient, 200), (inject.scenario_time, 100)):
            validate.text(value, "injects", _("Inject"), max_len=limit, required=False)
        if inject.number in numbers and inject.number:
            raise ValidationError(_("Inject number {number} is used twice.").format(number=inject.number), "injects")
        numbers.add(inject.number)
        if inject.objective_key is not None and inject.objective_key not in keys:
            raise ValidationError(_("Inject {n} tests an objective the drill does not have.").format(n=n), "injects")


def check_inject(offset: int, duration: int, n: int) -> None:
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ValidationError(_("Inject {n}: the offset is minutes from the start, 0 or more.").format(n=n), "injects")
    if offset > duration:
        raise ValidationError(_("Inject {n} at minute {offset} is after the drill's end (it lasts {duration} "
                                "minutes).").format(n=n, offset=offset, duration=duration), "injects")
