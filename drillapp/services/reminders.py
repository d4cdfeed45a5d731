"""Reminders: generated from the data (plans due for review, certificates about to expire, corrective actions
falling overdue), shown once.

"Shown once" is enforced in the database, not in memory: `claim` sets `fired_at` with one
`UPDATE ... WHERE fired_at IS NULL`, so whichever scheduler (or start-up sweep, or workstation) gets
there first shows it and every other attempt gets nothing. A reminder that fell due while the app was
closed is still unclaimed at the next start and is shown then.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, or_, select, update
from sqlalchemy.orm import Session

from drillapp.i18n import _
from drillapp.models import (
    ContingencyPlan,
    CorrectiveAction,
    Member,
    MemberSkill,
    PlanVersion,
    Reminder,
    Skill,
)
from drillapp.models.enums import ActionStatus, MemberStatus, PlanStatus, ReminderKind, ReminderStatus, Role
from drillapp.services import audit, validate
from drillapp.services.context import Actor, ServiceBase
from drillapp.services.errors import DomainError

PLAN_REVIEW_LEAD = timedelta(days=30)
CERTIFICATE_LEAD = timedelta(days=30)
#: Reminders are generated this far ahead of their due time; a daily refresh picks up the rest.
HORIZON = timedelta(days=7)


@dataclass(frozen=True)
class ReminderRow:
    id: int
    kind: ReminderKind
    title: str
    body: str
    due_at: datetime
    user_id: int | None
    role: Role | None
    status: ReminderStatus
    fired_at: datetime | None
    entity: str
    entity_id: int | None

    @property
    def heading(self) -> str:
        """What the reminder says, in the current language: generated reminders store only their
        subject (a plan's title, "member, skill") and date, and are worded when shown."""
        if self.kind is ReminderKind.PLAN_REVIEW:
            return _("Plan due for review: {title}").format(title=self.title)
        if self.kind is ReminderKind.CERTIFICATE_EXPIRY:
            member, comma, skill = self.title.rpartition(", ")  # stored as "member, skill": worded here
            if comma:
                return _("Certificate expiring: {member}, {skill}").format(member=member, skill=skill)
            return _("Certificate expiring: {subject}").format(subject=self.title)
        if self.kind is ReminderKind.DRILL:
            return _("Drill: {title}").format(title=self.title)
        if self.entity == "coverage":
            return _("Exercise falling due: {subject}").format(subject=self.title)
        if self.kind is ReminderKind.CORRECTIVE_ACTION:
            return _("Corrective action overdue: {action}").format(action=self.title)
        return self.title

    @property
    def detail(self) -> str:
        if self.kind is ReminderKind.PLAN_REVIEW:
            return _("Due for review on {date}.").format(date=self.body)
        if self.kind is ReminderKind.CERTIFICATE_EXPIRY:
            return _("Expires on {date}.").format(date=self.body)
        if self.kind is ReminderKind.DRILL:
            from drillapp.clock import iso

            try:
                starts = iso(datetime.fromisoformat(self.body))
            except ValueError:
                starts = self.body
            return _("Starts at {time}.").format(time=starts)
        if self.entity == "coverage":
            return _("Due on {date} for: {branches}").format(date=self.body[:10], branches=self.body[11:])
        if self.kind is ReminderKind.CORRECTIVE_ACTION:
            return _("It was due on {date}.").format(date=self.body)
        return self.body

    @classmethod
    def of(cls, r: Reminder) -> ReminderRow:
        return cls(r.id, r.kind, r.title, r.body, r.due_at, r.user_id, r.role, r.status, r.fired_at, r.entity, r.entity_id)


def _for(actor: Actor):  # noqa: ANN202 - a SQL expression
    """Reminders addressed to this actor: to them, to their role, or to nobody in particular."""
    if actor.role is Role.ADMINISTRATOR:
        return True
    return or_(
        Reminder.user_id == actor.user_id,
        and_(Reminder.user_id.is_(None), or_(Reminder.role.is_(None), Reminder.role == actor.role)),
    )


def _at_start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0))


def _insert_if_absent(s: Session, values: dict[str, Any]) -> Any:
    """INSERT ... ON CONFLICT (dedupe_key) DO NOTHING RETURNING id: the new id, or no row."""
    if s.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return (pg_insert(Reminder).values(**values)
                .on_conflict_do_nothing(index_elements=[Reminder.dedupe_key]).returning(Reminder.id))
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return (sqlite_insert(Reminder).values(**values)
            .on_conflict_do_nothing(index_elements=[Reminder.dedupe_key]).returning(Reminder.id))


class ReminderService(ServiceBase):
    def create(
        self, kind: ReminderKind, title: str, due_at: datetime, *, body: str = "", user_id: int | None = None,
        role: Role | None = None, entity: str = "", entity_id: int | None = None, dedupe_key: str | None = None,
    ) -> int:
        with self.write("reminders.create") as s:
            reminder = Reminder(
                kind=kind, title=validate.text(title, "title", _("Title"), max_len=300), body=body, due_at=due_at,
                user_id=user_id, role=role, entity=entity, entity_id=entity_id, dedupe_key=dedupe_key,
            )
            s.add(reminder)
            s.flush()
            return reminder.id

    def refresh(self) -> int:
        """Create the reminders the data calls for, up to HORIZON ahead; returns how many were new.

        Idempotent, also against itself on other workstations: each reminder is inserted only if its
        dedupe_key is not there yet (INSERT ... ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike),
        so refreshes running at once each create what is missing and none fails on another's insert.
        """
        now = self.clock()
        created = 0
        with self.write("reminders.refresh") as s:
            existing = set(s.scalars(select(Reminder.dedupe_key).where(Reminder.dedupe_key.is_not(None))))
            # in one order everywhere, so two refreshes inserting at once never wait on each other crosswise
            for values in sorted(self._wanted(s, now), key=lambda v: v["dedupe_key"]):
                if values["dedupe_key"] in existing:
                    continue
                new_id = s.execute(_insert_if_absent(s, values)).scalar()
                if new_id is not None:  # None: another refresh inserted it first
                    audit.inserted(s, Reminder.__tablename__, new_id, values)
                    created += 1
        return created

    @staticmethod
    def _wanted(s: Session, now: datetime) -> Iterator[dict[str, Any]]:
        """The reminders the data calls for now (column values, each with its dedupe_key)."""
        due_versions = s.execute(
            select(PlanVersion, ContingencyPlan)
            .join(ContingencyPlan, PlanVersion.plan_id == ContingencyPlan.id)
            .where(
                PlanVersion.status == PlanStatus.APPROVED,
                PlanVersion.review_due_on.is_not(None),
                PlanVersion.review_due_on <= (now + HORIZON + PLAN_REVIEW_LEAD).date(),
            )
        )
        for version, plan in due_versions:
            assert version.review_due_on is not None
            yield dict(
                kind=ReminderKind.PLAN_REVIEW, role=Role.COORDINATOR, entity="plan_version", entity_id=version.id,
                due_at=_at_start_of(version.review_due_on - PLAN_REVIEW_LEAD),
                dedupe_key=f"plan_review:{version.id}:{version.review_due_on.isoformat()}",
                title=plan.title_zh, body=version.review_due_on.isoformat(),
            )
        overdue = s.execute(  # corrective actions falling overdue: the coordinator chases them
            select(CorrectiveAction).where(
                CorrectiveAction.status.in_((ActionStatus.OPEN, ActionStatus.IN_PROGRESS)),
                CorrectiveAction.due_on.is_not(None),
                CorrectiveAction.due_on < (now + HORIZON).date(),
            )
        ).scalars()
        for action in overdue:
            assert action.due_on is not None
            yield dict(
                kind=ReminderKind.CORRECTIVE_ACTION, role=Role.COORDINATOR, entity="corrective_action",
                entity_id=action.id, due_at=_at_start_of(action.due_on + timedelta(days=1)),
                dedupe_key=f"corrective_action:{action.id}:{action.due_on.isoformat()}",
                title=action.text[:300], body=action.due_on.isoformat(),
            )
        expiring = s.execute(
            select(MemberSkill, Member, Skill)
            .join(Member, MemberSkill.member_id == Member.id)
            .join(Skill, MemberSkill.skill_id == Skill.id)
            .where(
                Member.status != MemberStatus.LEFT,
                MemberSkill.expires_on.is_not(None),
                MemberSkill.expires_on <= (now + HORIZON + CERTIFICATE_LEAD).date(),
                MemberSkill.expires_on >= (now - CERTIFICATE_LEAD).date(),
            )
        )
        for entry, member, skill in expiring:
            assert entry.expires_on is not None
            yield dict(
                kind=ReminderKind.CERTIFICATE_EXPIRY, role=Role.TEAM_LEAD, entity="member", entity_id=member.id,
                due_at=_at_start_of(entry.expires_on - CERTIFICATE_LEAD),
                dedupe_key=f"certificate:{entry.id}:{entry.expires_on.isoformat()}",
                title=f"{member.name}, {skill.name_zh}", body=entry.expires_on.isoformat(),
            )
        from drillapp.services import drill_reminders

        yield from drill_reminders.wanted(s, now, HORIZON)

    def unfired(self) -> list[tuple[int, datetime]]:
        """(id, due time) of every pending reminder not yet shown: what the scheduler must hold a job for."""
        with self.read() as s:
            rows = s.execute(
                select(Reminder.id, Reminder.due_at).where(
                    Reminder.status == ReminderStatus.PENDING, Reminder.fired_at.is_(None), _for(self.actor)
                )
            )
            return [(r.id, r.due_at) for r in rows]

    def due_unfired(self) -> list[int]:
        now = self.clock()
        return [rid for rid, due in self.unfired() if due <= now]

    def claim(self, reminder_id: int) -> ReminderRow | None:
        """Mark a due reminder as shown; None when it is not due, not for this user, or already shown."""
        with self.write("reminders.fire") as s:
            now = audit.operation_time(s)
            result = s.execute(
                update(Reminder)
                .where(
                    Reminder.id == reminder_id, Reminder.fired_at.is_(None),
                    Reminder.status == ReminderStatus.PENDING, Reminder.due_at <= now, _for(self.actor),
                )
                .values(fired_at=now, row_version=Reminder.row_version + 1)
                .execution_options(synchronize_session=False)
            )
            if cast("CursorResult[Any]", result).rowcount != 1:
                return None
            audit.note(s, "reminder", reminder_id, "shown")
            reminder = s.get(Reminder, reminder_id)
            assert reminder is not None
            s.refresh(reminder)
            return ReminderRow.of(reminder)

    def close(self, reminder_id: int, status: ReminderStatus = ReminderStatus.DONE) -> None:
        if status is ReminderStatus.PENDING:
            raise DomainError(_("A reminder is closed as done or dismissed."))
        with self.write("reminders.close") as s:
            reminder = validate.get(s, Reminder, reminder_id, _("Reminder"))
            if reminder.status is not ReminderStatus.PENDING:
                return
            reminder.status = status
            reminder.closed_at = audit.operation_time(s)

    def open_for_me(self, limit: int = 50) -> list[ReminderRow]:
        """Pending reminders that are due, for the dashboard: newest due first."""
        now = self.clock()
        with self.read() as s:
            q = (
                select(Reminder)
                .where(Reminder.status == ReminderStatus.PENDING, Reminder.due_at <= now, _for(self.actor))
                .order_by(Reminder.due_at.desc())
                .limit(limit)
            )
            return [ReminderRow.of(r) for r in s.scalars(q)]
