"""The reminders drills call for, on the existing reminder machinery (services/reminders.py: made once by
dedupe key, shown once by the database claim, across restarts and workstations):

- before each drill, at the port's leads (port_setting.drill_reminder_minutes; default 7 days, 1 day, 1
  hour), to the drill's owner (or the coordinators when it has none);
- "drill starts now", at the start, to the owner, to the controllers and safety officers whose member record
  is linked to a user account, and to the duty officers;
- coverage cells about to fall due within COVERAGE_LEAD and not scheduled, to the coordinators.

The dedupe key holds the drill's start: when a drill is moved or postponed its pending reminders are
dismissed and new ones are made for the new time (`move_reminders`, in the move's own transaction).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from drillapp.models import Drill, DrillParticipant, Member, PortSetting, Reminder
from drillapp.models.enums import DRILL_TO_COME, ParticipantRole, ReminderKind, ReminderStatus, Role

DEFAULT_LEADS = (7 * 24 * 60, 24 * 60, 60)
COVERAGE_LEAD = timedelta(days=30)
#: How far ahead of its due time a reminder is made (the reminder service's horizon, plus the longest lead).
LOOKAHEAD = timedelta(days=60)
START_LEAD = 0  # "drill starts now"


def leads(s: Session, port_id: int) -> tuple[int, ...]:
    """The port's reminder leads in minutes, longest first (the defaults when the port has set none)."""
    stored = s.scalar(select(PortSetting.drill_reminder_minutes).where(PortSetting.port_id == port_id))
    values = tuple(int(v) for v in stored) if stored else DEFAULT_LEADS
    return tuple(sorted(set(values), reverse=True))


def key(drill: Drill, lead: int, who: str) -> str:
    return f"drill:{drill.id}:{drill.scheduled_start.isoformat(timespec='minutes')}:{lead}:{who}"


def for_drill(s: Session, drill: Drill, now: datetime, horizon: timedelta) -> Iterator[dict[str, Any]]:
    """The reminders one drill calls for, due up to `now + horizon` and not yet past its start."""
    if drill.status not in DRILL_TO_COME or drill.scheduled_start < now:
        return
    base = dict(kind=ReminderKind.DRILL, entity="drill", entity_id=drill.id, title=drill.title,
                body=drill.scheduled_start.isoformat(timespec="minutes"))
    for lead in (*leads(s, drill.port_id), START_LEAD):
        due = drill.scheduled_start - timedelta(minutes=lead)
        if due > now + horizon:
            continue
        if lead == START_LEAD:
            for who, values in _responsible(s, drill):
                yield {**base, **values, "due_at": due, "dedupe_key": key(drill, lead, who)}
        elif drill.owner_id is not None:
            yield {**base, "user_id": drill.owner_id, "role": None, "due_at": due,
                   "dedupe_key": key(drill, lead, f"u{drill.owner_id}")}
        else:
            yield {**base, "user_id": None, "role": Role.COORDINATOR, "due_at": due,
                   "dedupe_key": key(drill, lead, "coordinator")}


def _responsible(s: Session, drill: Drill) -> list[tuple[str, dict[str, Any]]]:
    users: list[int] = [] if drill.owner_id is None else [drill.owner_id]
    linked = s.scalars(
        select(Member.user_id).join(DrillParticipant, DrillParticipant.member_id == Member.id)
        .where(DrillParticipant.drill_id == drill.id, Member.user_id.is_not(None),
               DrillParticipant.role.in_([ParticipantRole.CONTROLLER, ParticipantRole.SAFETY_OFFICER]))
        .order_by(Member.user_id))
    users += [u for u in linked if u is not None and u not in users]
    out: list[tuple[str, dict[str, Any]]] = [(f"u{u}", {"user_id": u, "role": None}) for u in users]
    out.append(("duty_officer", {"user_id": None, "role": Role.DUTY_OFFICER}))
    return out


def wanted(s: Session, now: datetime, horizon: timedelta) -> Iterator[dict[str, Any]]:
    """Every drill reminder due up to `now + horizon` (drills starting within LOOKAHEAD)."""
    drills = s.scalars(select(Drill).where(Drill.status.in_(DRILL_TO_COME), Drill.scheduled_start >= now,
                                           Drill.scheduled_start <= now + horizon + LOOKAHEAD).order_by(Drill.id))
    for drill in drills:
        yield from for_drill(s, drill, now, horizon)
    yield from _coverage(s, now, horizon)


def _coverage(s: Session, now: datetime, horizon: timedelta) -> Iterator[dict[str, Any]]:
    """One reminder per plan and level with cells falling due within COVERAGE_LEAD (+ horizon) that nothing
    scheduled covers, to the coordinators, due COVERAGE_LEAD before the earliest such cell."""
    from drillapp.clock import local_today
    from drillapp.models import Port
    from drillapp.services.coverage import compute

    for port_id, zone in s.execute(select(Port.id, Port.time_zone).order_by(Port.id)):
        today = local_today(now, zone)
        matrix = compute(s, port_id, today)
        due_soon: dict[tuple[int, int], list[Any]] = {}
        for cell in matrix.cells:
            if cell.scheduled or cell.due <= today or cell.due > today + COVERAGE_LEAD + horizon:
                continue
            due_soon.setdefault((cell.plan_id, cell.level), []).append(cell)
        for (plan_id, level), cells in sorted(due_soon.items()):
            first = min(c.due for c in cells)
            branches = ",".join(sorted(c.agency.value for c in cells))
            yield dict(kind=ReminderKind.GENERAL, entity="coverage", entity_id=plan_id, role=Role.COORDINATOR,
                       user_id=None, due_at=datetime.combine(first - COVERAGE_LEAD, datetime.min.time()),
                       dedupe_key=f"coverage:{plan_id}:{level}:{first.isoformat()}",
                       title=f"{cells[0].plan_code} · {level}", body=f"{first.isoformat()} {branches}")


def move_reminders(s: Session, drill: Drill, now: datetime, horizon: timedelta) -> int:
    """A drill moved, postponed or cancelled: its pending, unshown reminders are dismissed, and those of its
    new time made now (the daily refresh would make them too; doing it here keeps the desks in step).
    Returns how many were made."""
    from drillapp.services import audit
    from drillapp.services.reminders import _insert_if_absent

    dismissed = cast("CursorResult[Any]", s.execute(update(Reminder).where(
        Reminder.entity == "drill", Reminder.entity_id == drill.id, Reminder.status == ReminderStatus.PENDING,
        Reminder.fired_at.is_(None)).values(status=ReminderStatus.DISMISSED, closed_at=now,
                                            row_version=Reminder.row_version + 1)
        .execution_options(synchronize_session=False))).rowcount
    if dismissed:
        audit.note(s, "drill", drill.id, f"{dismissed} pending reminder(s) dismissed: the drill moved or ended")
    made = 0
    for values in sorted(for_drill(s, drill, now, horizon), key=lambda v: v["dedupe_key"]):
        new_id = s.execute(_insert_if_absent(s, values)).scalar()
        if new_id is not None:
            audit.inserted(s, Reminder.__tablename__, new_id, values)
            made += 1
    return made
