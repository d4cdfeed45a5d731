"""Call-out (muster) tests: start a test, record each member's acknowledgement and arrival (or no-show),
end it; read back a summary with the time to the required strength and to the full team (or to all who came,
when someone did not), the port's history and a trend for a chart. The rule behind these facts is written
on `CalloutSummary`; `describe` says them in words for the muster screen.

All times come from the operation's clock (`audit.operation_time`), naive UTC like everything stored.
Times are reported in minutes from the start of the test (floats: 11.5 is eleven and a half minutes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillapp.i18n import _
from drillapp.models import Branch, CalloutResponse, CalloutTest, Drill, DrillRun, Incident, Member, Port
from drillapp.models.enums import Agency, CalloutStatus, IncidentStatus, LogKind, MemberStatus, RunStatus
from drillapp.services import audit, run_chain, validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError, NotFoundError, ValidationError

#: Lines written into a drill run's log when a call-out test is part of a live drill (evidence: the same
#: whatever the workstation's language, Chinese first).
LOG_LINES = {
    "started": "集结测试开始 / Call-out test started",
    "ended": "集结测试结束：{arrived}/{called} 人到达 / Call-out test ended: {arrived}/{called} arrived",
    # a real incident's call-out (issue 11): its log names who arrived, so the hand-over knows who is on scene
    "incident_started": "应急队伍召集开始（{called}人）/ Team called out ({called})",
    "arrived": "到场：{name} / Arrived: {name}",
    "incident_ended": "召集结束：{arrived}/{called} 人到场 / Call-out ended: {arrived}/{called} arrived",
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
    #: 1, 2, ... in the order the members were called (the live table keeps this order, like a checklist)
    position: int = 0
    mobile: str = ""
    phone: str = ""
    agency: Agency | None = None

    @property
    def state(self) -> str:
        """One of "arrived", "no_show", "acknowledged", "called" (what the member's row says)."""
        if self.arrived_at is not None:
            return "arrived"
        if self.no_show:
            return "no_show"
        return "acknowledged" if self.acknowledged_at is not None else "called"


@dataclass(frozen=True)
class CalloutSummary:
    """The facts of a call-out test, computed by `_summary` alone and shown as they are (`describe`).

    The rule, so that no two facts can contradict each other:
    - Each called member is exactly one of: arrived, no-show, pending (neither yet). `acknowledged` counts
      those who answered the call (every arrival has answered).
    - *Required strength reached* if and only if at least `required_strength` members arrived; its time is
      the arrival of the required_strength-th member. Otherwise it is *missed* once it can no longer be
      reached (arrived + pending < required, always the case for an unreached test that has ended).
    - *Accounted for* when nobody is pending (always once the test has ended: the rest become no-shows).
    - *Full team* if and only if every called member arrived (no no-show, nobody pending); its time is the
      last arrival. A test with a no-show never has a full team.
    - *All who came*: once everyone is accounted for and at least one arrived, the time of the last arrival.
      With no-shows it is said as "all who came (n of m)", never as the full team.
    Hence: full team implies required strength reached, no later than the full team; a time for all who
    came exists only when nobody is pending.
    """

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
    #: minutes from the start until the last arrival, only when every called member arrived (else None)
    minutes_to_full_team: float | None
    #: in order of arrival, then those who did not arrive (by member id)
    members: tuple[CalloutMemberRow, ...]
    #: minutes from the start until the last arrival, once nobody is pending and someone came (else None)
    minutes_to_all_who_came: float | None = None

    @property
    def required_reached(self) -> bool:
        return self.minutes_to_required is not None

    @property
    def required_missed(self) -> bool:
        """Not reached and it can no longer be: too few are still expected."""
        return not self.required_reached and self.arrived + self.pending < self.required_strength

    @property
    def accounted(self) -> bool:
        return self.pending == 0

    @property
    def full_team(self) -> bool:
        return self.minutes_to_full_team is not None

    def in_call_order(self) -> tuple[CalloutMemberRow, ...]:
        return tuple(sorted(self.members, key=lambda m: m.position))


def _minutes(start: datetime, at: datetime | None) -> float | None:
    return None if at is None else (at - start).total_seconds() / 60


@dataclass(frozen=True)
class _Called:
    name: str
    mobile: str
    phone: str
    agency: Agency | None


def _summary(test: CalloutTest, people: dict[int, _Called]) -> CalloutSummary:
    """The one place where a test's facts are computed (the rule is on CalloutSummary)."""
    start = test.started_at
    position = {r.member_id: i for i, r in enumerate(sorted(test.responses, key=lambda r: r.id), start=1)}
    responses = sorted(
        test.responses, key=lambda r: (r.arrived_at is None, r.arrived_at or start, r.member_id)
    )
    arrivals = [r.arrived_at for r in responses if r.arrived_at is not None]
    unknown = _Called("", "", "", None)
    rows = tuple(
        CalloutMemberRow(
            member_id=r.member_id, name=people.get(r.member_id, unknown).name, acknowledged_at=r.acknowledged_at,
            arrived_at=r.arrived_at, no_show=r.no_show and r.arrived_at is None,
            minutes_to_acknowledge=_minutes(start, r.acknowledged_at), minutes_to_arrive=_minutes(start, r.arrived_at),
            position=position[r.member_id], mobile=people.get(r.member_id, unknown).mobile,
            phone=people.get(r.member_id, unknown).phone, agency=people.get(r.member_id, unknown).agency,
        )
        for r in responses
    )
    called = len(responses)
    no_shows = sum(row.no_show for row in rows)
    pending = called - len(arrivals) - no_shows
    last = _minutes(start, arrivals[-1]) if arrivals else None
    return CalloutSummary(
        test_id=test.id, port_id=test.port_id, drill_run_id=test.drill_run_id, status=test.status,
        started_at=start, ended_at=test.ended_at, announced=test.announced,
        required_strength=test.required_strength, note=test.note,
        called=called,
        acknowledged=sum(r.acknowledged_at is not None or r.arrived_at is not None for r in responses),
        arrived=len(arrivals),
        no_shows=no_shows,
        pending=pending,
        minutes_to_required=(
            _minutes(start, arrivals[test.required_strength - 1]) if len(arrivals) >= test.required_strength else None
        ),
        minutes_to_full_team=last if len(arrivals) == called else None,
        members=rows,
        minutes_to_all_who_came=last if pending == 0 else None,
    )


def minutes_text(value: float | None) -> str:
    """Minutes as m:ss ("—" for None): 8.5 is "8:30"."""
    if value is None:
        return "—"
    seconds = round(value * 60)
    return f"{seconds // 60}:{seconds % 60:02d}"


def describe(t: CalloutSummary) -> list[str]:
    """The summary's facts in words, one line each (the muster screen shows exactly these)."""
    lines = [_("{arrived} of {called} arrived · {ack} acknowledged · {no_shows} no-show · {pending} still expected")
             .format(arrived=t.arrived, called=t.called, ack=t.acknowledged, no_shows=t.no_shows, pending=t.pending)]
    if t.required_reached:
        lines.append(_("Required strength ({n}) reached after {time}.").format(
            n=t.required_strength, time=minutes_text(t.minutes_to_required)))
    elif t.required_missed:
        lines.append(_("Required strength ({n}) not reached: only {arrived} arrived.").format(
            n=t.required_strength, arrived=t.arrived))
    else:
        lines.append(_("Required strength ({n}) not reached yet: {more} more to arrive.").format(
            n=t.required_strength, more=t.required_strength - t.arrived))
    if t.full_team:
        lines.append(_("Full team ({n}) assembled after {time}.").format(
            n=t.called, time=minutes_text(t.minutes_to_full_team)))
    elif t.minutes_to_all_who_came is not None:
        lines.append(_("Not the full team: all who came ({arrived} of {called}) assembled after {time}.").format(
            arrived=t.arrived, called=t.called, time=minutes_text(t.minutes_to_all_who_came)))
    elif t.accounted:
        lines.append(_("Nobody came."))
    return lines


def _called_people(session: Session, tests: list[CalloutTest]) -> dict[int, _Called]:
    ids = {r.member_id for t in tests for r in t.responses}
    if not ids:
        return {}
    rows = session.execute(
        select(Member.id, Member.name, Member.mobile, Member.phone, Branch.agency)
        .join(Branch, Branch.id == Member.branch_id).where(Member.id.in_(ids))
    )
    return {member_id: _Called(name, mobile or "", phone or "", agency)
            for member_id, name, mobile, phone, agency in rows}


class CalloutService(ServiceBase):
    # ---- writes -------------------------------------------------------------------------------------

    def start_test(
        self, port_id: int, members: list[int] | None = None, required_strength: int | None = None,
        announced: bool = False, drill_run_id: int | None = None, note: str = "", incident_id: int | None = None,
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
            if incident_id is not None:
                if drill_run_id is not None:
                    raise ValidationError(_("A call-out is for a drill run or for an incident, not both."),
                                          "incident_id")
                incident = validate.get(s, Incident, incident_id, _("Incident"))
                if incident.status is IncidentStatus.STOOD_DOWN:
                    raise DomainError(_("This incident has been stood down; call the team out on its own."))
                if incident.port_id != port_id:
                    raise ValidationError(_("The incident belongs to another port."), "incident_id")
            test = CalloutTest(
                port_id=port_id, drill_run_id=drill_run_id, incident_id=incident_id, status=CalloutStatus.RUNNING,
                started_at=now,
                started_by_id=self.actor.user_id, announced=announced, required_strength=strength,
                note=validate.long_text(note, "note", _("Note")),
                responses=[CalloutResponse(member_id=m, no_show=False) for m in called],
            )
            s.add(test)
            s.flush()
            if drill_run_id is not None:
                self._log(s, drill_run_id, now, LOG_LINES["started"])
            if incident_id is not None:
                self._log(s, None, now, LOG_LINES["incident_started"].format(called=len(called)),
                          incident_id=incident_id)
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
            test = s.get(CalloutTest, test_id)
            if test is not None and test.incident_id is not None:
                name = s.scalar(select(Member.name).where(Member.id == member_id)) or str(member_id)
                self._log(s, None, now, LOG_LINES["arrived"].format(name=name), incident_id=test.incident_id)

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
            if test.incident_id is not None:
                arrived = sum(r.arrived_at is not None for r in test.responses)
                self._log(s, None, now, LOG_LINES["incident_ended"].format(arrived=arrived,
                                                                           called=len(test.responses)),
                          incident_id=test.incident_id)

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

    def _log(self, s: Session, run_id: int | None, now: datetime, text: str, *, incident_id: int | None = None) -> None:
        """A muster line in the drill run's (or the incident's) log, through its hash chain (run_chain.py)."""
        owner = run_chain.run(run_id) if run_id is not None else run_chain.incident(incident_id)  # type: ignore[arg-type]  # one of the two is given
        with run_chain.ChainWriter(s, owner) as chain:
            if chain.status in (RunStatus.ENDED, IncidentStatus.STOOD_DOWN):
                return  # the run ended (the incident stood down) meanwhile: its log is closed (the test's record stands)
            chain.log(at=now, recorded_at=now, author_id=self.actor.user_id, author_name=self.actor.username,
                      kind=LogKind.MUSTER, text=text)

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
            return _summary(test, _called_people(s, [test]))

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
            names = _called_people(s, tests)
            return [_summary(t, names) for t in tests]

    def trend(self, port_id: int) -> list[tuple[datetime, float | None]]:
        """(start, minutes to the required strength) of the port's ended tests, oldest first, for a chart;
        None where the required strength was never reached."""
        return [
            (summary.started_at, summary.minutes_to_required)
            for summary in reversed(self.history(port_id))
            if summary.status is CalloutStatus.ENDED
        ]
