"""Call-out (muster) tests: start a test, record each member's acknowledgement and arrival (or no-show),
end it; read back a summary with the time to the required strength and to the full team, the port's history
and a trend for a chart.

All times come from the operation's clock (`audit.operation_time`), naive UTC like everything stored.
Times are reported in minutes from the start of the test (floats: 11.5 is eleven and a half minutes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillapp.i18n import _
from drillapp.models import Branch, CalloutResponse, CalloutTest, Drill, DrillRun, LogEntry, Member, Port
from drillapp.models.enums import CalloutStatus, LogKind, MemberStatus, RunStatus
from drillapp.services import audit, validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError, NotFoundError, ValidationError

#: Lines written into a drill run's log when a call-out test is part of a live drill (evidence: the same
#: whatever the workstation's language, Chinese first).
LOG_LINES = {
    "started": "集结测试开始 / Call-out test started",
    "ended": "集结测试结束：{arrived}/{called} 人到达 / Call-out test ended: {arrived}/{called} arrived",
}


@dataclass(frozen=True)
class CalloutMemberRow:
    member_id: int
    name: str
    acknowledged_at: datetime | None
    arrived_at: datetime | None
    no_show: bool
    #: minutes from the start of the test; None where it did not happen (yet)
    minutes_to_acknowledge: float | None
    minutes_to_arrive: float | None


@dataclass(frozen=True)
class CalloutSummary:
    test_id: int
    port_id: int
    drill_run_id: int | None
    status: CalloutStatus
    started_at: datetime
    ended_at: datetime | None
    announced: bool
    required_strength: int
    note: str
    called: int
    acknowledged: int
    arrived: int
    no_shows: int
    #: called members neither arrived nor marked as no-show (only while the test runs)
    pending: int
    #: minutes from the start until the required_strength-th arrival; None if not reached
    minutes_to_required: float | None
    #: minutes from the start until the last arrival of those who came; None if nobody came
    minutes_to_full_team: float | None
    #: in order of arrival, then those who did not arrive (by member id)
    members: tuple[CalloutMemberRow, ...]


def _minutes(start: datetime, at: datetime | None) -> float | None:
    return None if at is None else (at - start).total_seconds() / 60


def _summary(test: CalloutTest, names: dict[int, str]) -> CalloutSummary:
    start = test.started_at
    responses = sorted(
        test.responses, key=lambda r: (r.arrived_at is None, r.arrived_at or start, r.member_id)
    )
    arrivals = [r.arrived_at for r in responses if r.arrived_at is not None]
    rows = tuple(
        CalloutMemberRow(
            member_id=r.member_id, name=names.get(r.member_id, ""), acknowledged_at=r.acknowledged_at,
            arrived_at=r.arrived_at, no_show=r.no_show,
            minutes_to_acknowledge=_minutes(start, r.acknowledged_at), minutes_to_arrive=_minutes(start, r.arrived_at),
        )
        for r in responses
    )
    return CalloutSummary(
        test_id=test.id, port_id=test.port_id, drill_run_id=test.drill_run_id, status=test.status,
        started_at=start, ended_at=test.ended_at, announced=test.announced,
        required_strength=test.required_strength, note=test.note,
        called=len(responses),
        acknowledged=sum(r.acknowledged_at is not None for r in responses),
        arrived=len(arrivals),
        no_shows=sum(r.no_show for r in responses),
        pending=sum(r.arrived_at is None and not r.no_show for r in responses),
        minutes_to_required=(
            _minutes(start, arrivals[test.required_strength - 1]) if len(arrivals) >= test.required_strength else None
        ),
        minutes_to_full_team=_minutes(start, arrivals[-1]) if arrivals else None,
        members=rows,
    )


def _member_names(session: Session, tests: list[CalloutTest]) -> dict[int, str]:
    ids = {r.member_id for t in tests for r in t.responses}
    if not ids:
        return {}
    rows = session.execute(select(Member.id, Member.name).where(Member.id.in_(ids)))
    return {member_id: name for member_id, name in rows}


class CalloutService(ServiceBase):
    # ---- writes -------------------------------------------------------------------------------------

    def start_test(
        self, port_id: int, members: list[int] | None = None, required_strength: int | None = None,
        announced: bool = False, drill_run_id: int | None = None, note: str = "",
    ) -> int:
        """Start a call-out test now. `members` defaults to every active member of the port's team;
        `required_strength` (how many must arrive) defaults to all of them."""
        with self.write("callouts.start") as s:
            validate.get(s, Port, port_id, _("Port"))
            port_members = select(Member.id).join(Branch, Member.branch_id == Branch.id).where(
                Branch.port_id == port_id
            )
            if members is None:
                called = list(s.scalars(port_members.where(Member.status == MemberStatus.ACTIVE).order_by(Member.id)))
            else:
                called = list(dict.fromkeys(members))
                known = set(s.scalars(port_members.where(Member.id.in_(called)))) if called else set()
                unknown = [m for m in called if m not in known]
                if unknown:
                    raise ValidationError(
                        _("Member {id} is not on this port's team.").format(id=unknown[0]), "members"
                    )
            if not called:
                raise ValidationError(_("A call-out test needs at least one member to call."), "members")
            strength = len(called) if required_strength is None else required_strength
            if not 1 <= strength <= len(called):
                raise ValidationError(
                    _("The required strength must be between 1 and the number of members called ({count}).").format(
                        count=len(called)
                    ),
                    "required_strength",
                )
            now = audit.operation_time(s)
            if drill_run_id is not None:
                run = validate.get(s, DrillRun, drill_run_id, _("Drill run"))
                if run.status is RunStatus.ENDED:
                    raise DomainError(_("This drill run has ended; start the call-out test on its own."))
                drill = s.get(Drill, run.drill_id)
                if drill is not None and drill.port_id != port_id:
                    raise ValidationError(_("The drill run belongs to another port."), "drill_run_id")
            test = CalloutTest(
                port_id=port_id, drill_run_id=drill_run_id, status=CalloutStatus.RUNNING, started_at=now,
                started_by_id=self.actor.user_id, announced=announced, required_strength=strength,
                note=validate.long_text(note, "note", _("Note")),
                responses=[CalloutResponse(member_id=m, no_show=False) for m in called],
            )
            s.add(test)
            s.flush()
            if drill_run_id is not None:
                self._log(s, drill_run_id, now, LOG_LINES["started"])
            return test.id

    def acknowledge(self, test_id: int, member_id: int) -> None:
        with self.write("callouts.acknowledge") as s:
            response, now = self._response(s, test_id, member_id)
            if response.acknowledged_at is not None:
                raise DomainError(_("This member has already acknowledged the call."))
            response.acknowledged_at = now
            response.no_show = False

    def arrive(self, test_id: int, member_id: int) -> None:
        """The member has arrived; an arrival without an acknowledgement acknowledges at the same time."""
        with self.write("callouts.arrive") as s:
            response, now = self._response(s, test_id, member_id)
            if response.arrived_at is not None:
                raise DomainError(_("This member's arrival is already recorded."))
            if response.acknowledged_at is None:
                response.acknowledged_at = now
            response.arrived_at = now
            response.no_show = False

    def no_show(self, test_id: int, member_id: int) -> None:
        with self.write("callouts.no_show") as s:
            response, _now = self._response(s, test_id, member_id)
            if response.arrived_at is not None:
                raise DomainError(_("This member has arrived; they cannot be a no-show."))
            response.no_show = True

    def end_test(self, test_id: int) -> None:
        """End the test: every called member who has not arrived becomes a no-show."""
        with self.write("callouts.end") as s:
            test = self._running(s, test_id)
            now = audit.operation_time(s)
            test.status, test.ended_at = CalloutStatus.ENDED, now
            for response in test.responses:
                if response.arrived_at is None:
                    response.no_show = True
            if test.drill_run_id is not None:
                run = s.get(DrillRun, test.drill_run_id)
                if run is not None and run.status is RunStatus.RUNNING:
                    arrived = sum(r.arrived_at is not None for r in test.responses)
                    self._log(s, run.id, now, LOG_LINES["ended"].format(arrived=arrived, called=len(test.responses)))

    def _running(self, s: Session, test_id: int) -> CalloutTest:
        test = validate.get(s, CalloutTest, test_id, _("Call-out test"))
        if test.status is CalloutStatus.ENDED:
            raise DomainError(_("This call-out test has ended; nothing more can be recorded."))
        return test

    def _response(self, s: Session, test_id: int, member_id: int) -> tuple[CalloutResponse, datetime]:
        test = self._running(s, test_id)
        response = s.scalar(
            select(CalloutResponse).where(CalloutResponse.test_id == test.id, CalloutResponse.member_id == member_id)
        )
        if response is None:
            raise NotFoundError(_("Member {id} was not called in this call-out test.").format(id=member_id))
        now = audit.operation_time(s)
        if now < test.started_at:
            raise ValidationError(_("The time is before the start of the call-out test."), "at")
        return response, now

    def _log(self, s: Session, run_id: int, now: datetime, text: str) -> None:
        s.add(LogEntry(drill_run_id=run_id, at=now, author_id=self.actor.user_id, author_name=self.actor.username,
                       kind=LogKind.MUSTER, text=text))

    # ---- reads --------------------------------------------------------------------------------------

    def summary(self, test_id: int) -> CalloutSummary:
        with self.read() as s:
            test = s.scalar(
                select(CalloutTest).where(CalloutTest.id == test_id).options(selectinload(CalloutTest.responses))
            )
            if test is None:
                raise NotFoundError(
                    _("{what} {id} does not exist (it may have been deleted).").format(
                        what=_("Call-out test"), id=test_id
                    )
                )
            return _summary(test, _member_names(s, [test]))

    def history(self, port_id: int) -> list[CalloutSummary]:
        """The port's call-out tests, newest first."""
        with self.read() as s:
            tests = list(
                s.scalars(
                    select(CalloutTest)
                    .where(CalloutTest.port_id == port_id)
                    .order_by(CalloutTest.started_at.desc(), CalloutTest.id.desc())
                    .options(selectinload(CalloutTest.responses))
                )
            )
            names = _member_names(s, tests)
            return [_summary(t, names) for t in tests]

    def trend(self, port_id: int) -> list[tuple[datetime, float | None]]:
        """(start, minutes to the required strength) of the port's ended tests, oldest first, for a chart;
        None where the required strength was never reached."""
        return [
            (summary.started_at, summary.minutes_to_required)
            for summary in reversed(self.history(port_id))
            if summary.status is CalloutStatus.ENDED
        ]
