"""Running a plan: a drill run or a real incident, its checklist built from the plan in force, and its record.

Real incidents run on the same engine: services/incidents.py. The run's life is here (launch a planned drill or an unplanned one, pause, resume, end); ticking and the log
are in run_log.py, the MSEL's injects in run_injects.py, the tabletop's walk-through in run_tabletop.py, all
one `RunService`. What the console shows is read by run_console.py.

Everything a run writes to its record (log lines, checklist events) goes through the run's hash chain
(run_chain.py) under the run's lock, and is committed before the call returns (on SQLite with
synchronous=FULL: durable across a power cut, db.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from drillapp.i18n import _
from drillapp.models import ContingencyPlan, Drill, DrillRun, PlanVersion
from drillapp.models.enums import DrillKind, DrillStatus, LogKind, RunStatus
from drillapp.services import audit, run_chain, validate
from drillapp.services.checklist import build_entries, version_in_force
from drillapp.services.context import ServiceBase
from drillapp.services.drill_inputs import launchable
from drillapp.services.errors import DomainError, ValidationError
from drillapp.services.run_injects import RunInjectOps
from drillapp.services.run_log import RunLogOps, pauses_of
from drillapp.services.run_tabletop import RunTabletopOps

#: System lines of a drill or incident log: evidence, so written the same whatever the language of the
#: workstation that wrote them (Chinese first, the port's working language).
SYSTEM_LINES = {
    "Drill started": "演练开始 / Drill started",
    "Unplanned drill started": "计划外演练开始 / Unplanned drill started",
    "Drill ended": "演练结束 / Drill ended",
    "Drill paused": "演练暂停 / Drill paused",
    "Drill resumed": "演练继续 / Drill resumed",
    "Incident opened": "事件处置启动 / Incident opened",
}
#: Starting a drill more than this long before its scheduled time asks first (EarlyStartError).
EARLY_WINDOW = timedelta(minutes=30)


class EarlyStartError(DomainError):
    """The drill is scheduled well after now: the UI asks, and starts it with confirm_early=True if told to."""

    def __init__(self, message: str, scheduled_start: datetime, minutes_early: int) -> None:
        super().__init__(message)
        self.scheduled_start = scheduled_start
        self.minutes_early = minutes_early


def _begin(session, drill: Drill, version: PlanVersion | None, level: int | None, actor, now: datetime,  # noqa: ANN001
           *, unplanned: bool = False) -> int:
    run = DrillRun(drill_id=drill.id, plan_version_id=version.id if version else None, level=level, started_at=now,
                   started_by_id=actor.user_id, unplanned=unplanned)
    session.add(run)
    session.flush()
    for entry in build_entries(version, level):
        entry.drill_run_id = run.id
        session.add(entry)
    with run_chain.ChainWriter(session, run_chain.run(run.id)) as chain:
        chain.log(at=now, recorded_at=now, author_id=actor.user_id, author_name=actor.username, kind=LogKind.SYSTEM,
                  text=SYSTEM_LINES["Unplanned drill started" if unplanned else "Drill started"])
    session.flush()
    return run.id


class RunService(RunLogOps, RunInjectOps, RunTabletopOps, ServiceBase):
    def start_run(self, drill_id: int, confirm_early: bool = False) -> int:
        """Launch a drill of the programme (planned or ready, whatever its date); returns the run's id.

        More than EARLY_WINDOW before its scheduled time it raises EarlyStartError unless `confirm_early`
        (the UI asks; the command line does not)."""
        with self.write("runs.start_run") as s:
            drill = validate.get(s, Drill, drill_id, _("Drill"))
            if not launchable(drill):
                raise DomainError(_("This drill is not planned any more (it has run or was cancelled)."))
            now = audit.operation_time(s)
            early = drill.scheduled_start - now
            if not confirm_early and early > EARLY_WINDOW:
                minutes = int(early.total_seconds() // 60)
                raise EarlyStartError(
                    _("This drill is scheduled for later ({minutes} minutes from now). Start it now anyway?").format(
                        minutes=minutes), drill.scheduled_start, minutes)
            run_id = _begin(s, drill, version_in_force(s, drill.plan_id), drill.level, self.actor, now)
            drill.status = DrillStatus.IN_PROGRESS
            return run_id

    def start_unplanned(self, plan_id: int, level: int | None, *, kind: DrillKind = DrillKind.LIVE,
                        title: str = "") -> int:
        """An unplanned drill of a plan at a level, now: a drill is added to the programme (in progress) and
        run from the plan's version in force; returns the run's id."""
        with self.write("runs.start_unplanned") as s:
            plan = validate.get(s, ContingencyPlan, plan_id, _("Plan"))
            level = validate.level(level)
            version = version_in_force(s, plan.id)
            if version is None:
                raise DomainError(_("This plan has no approved version in force: an unplanned drill needs its "
                                    "checklist. Approve the plan first."))
            if level is not None and level not in {lv.level for lv in version.levels}:
                raise ValidationError(_("The plan does not define this response level."), "level")
            now = audit.operation_time(s)
            drill = Drill(port_id=plan.port_id, plan_id=plan.id, kind=kind, level=level, scheduled_start=now,
                          status=DrillStatus.IN_PROGRESS, duration_minutes=60,
                          title=validate.text(title, "title", _("Title"), max_len=300, required=False)
                          or f"计划外演练：{plan.title_zh}")
            s.add(drill)
            s.flush()
            return _begin(s, drill, version, level, self.actor, now, unplanned=True)

    def pause(self, run_id: int) -> None:
        """Stop the drill's clock (and the targets with it); logged."""
        self._pause_or_resume(run_id, "runs.pause", pause=True)

    def resume(self, run_id: int) -> None:
        self._pause_or_resume(run_id, "runs.resume", pause=False)

    def _pause_or_resume(self, run_id: int, operation: str, *, pause: bool) -> None:
        with self.write(operation) as s:
            with run_chain.ChainWriter(s, run_chain.run(run_id)) as chain:
                if chain.status is RunStatus.ENDED:
                    raise DomainError(_("This drill run has ended; its log is closed."))
                pauses = pauses_of(s, run_id)
                paused = bool(pauses) and pauses[-1][1] is None
                if pause and paused:
                    raise DomainError(_("The drill is paused already."))
                if not pause and not paused:
                    raise DomainError(_("The drill is not paused."))
                now = audit.operation_time(s)
                chain.log(at=now, recorded_at=now, author_id=self.actor.user_id, author_name=self.actor.username,
                          kind=LogKind.PAUSE if pause else LogKind.RESUME,
                          text=SYSTEM_LINES["Drill paused" if pause else "Drill resumed"])

    def end_run(self, run_id: int) -> None:
        """End the drill: its clock stops, its log and checklist close."""
        with self.write("runs.end_run") as s:
            with run_chain.ChainWriter(s, run_chain.run(run_id)) as chain:
                if chain.status is RunStatus.ENDED:
                    raise DomainError(_("This drill run has already ended."))
                run = validate.get(s, DrillRun, run_id, _("Drill run"))
                now = audit.operation_time(s)
                run.status, run.ended_at = RunStatus.ENDED, now
                drill = s.get(Drill, run.drill_id)
                if drill is not None:
                    drill.status = DrillStatus.COMPLETED
                chain.log(at=now, recorded_at=now, author_id=self.actor.user_id, author_name=self.actor.username,
                          kind=LogKind.SYSTEM, text=SYSTEM_LINES["Drill ended"])

