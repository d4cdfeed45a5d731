"""The MSEL's injects during a run: the controller marks each delivered, delayed (due again later) or skipped.

Each mark is kept (`RunInject`, one row per inject and run) and written to the run's log as a chained line, in
the port's working language first, so the record reads the same on every desk.
"""

from __future__ import annotations

from sqlalchemy import select

from drillapp.i18n import _
from drillapp.models import Drill, DrillRun, RunInject
from drillapp.models.enums import InjectStatus, LogKind, RunStatus
from drillapp.services import audit, run_chain, validate
from drillapp.services.context import ServiceBase
from drillapp.services.drill_inputs import InjectInfo, injects_of
from drillapp.services.errors import DomainError, NotFoundError, ValidationError

INJECT_LINES = {
    InjectStatus.DELIVERED: "导调注入{n}已下达 / Inject {n} delivered: {message}",
    InjectStatus.DELAYED: "导调注入{n}推迟{minutes}分钟 / Inject {n} delayed {minutes} min: {message}",
    InjectStatus.SKIPPED: "导调注入{n}取消 / Inject {n} skipped: {message}",
}
#: Minutes a delay moves an inject on unless told otherwise.
DEFAULT_DELAY = 5


def inject_line(info: InjectInfo, status: InjectStatus, minutes: int = 0) -> str:
    return INJECT_LINES[status].format(n=info.number, minutes=minutes, message=info.message)


def mark_inject_in(session, run: DrillRun, info: InjectInfo, status: InjectStatus, chain: run_chain.ChainWriter,  # noqa: ANN001
                   actor, *, note: str = "", delay_minutes: int = DEFAULT_DELAY) -> RunInject:  # noqa: ANN001
    """Record what the controller did with an inject and log it (inside an operation holding the run's chain)."""
    now = audit.operation_time(session)
    row = session.scalar(select(RunInject).where(RunInject.drill_run_id == run.id, RunInject.inject_id == info.id))
    if row is not None and row.status is not InjectStatus.DELAYED:
        raise DomainError(_("This inject has been marked already ({status}).").format(
            status=_("delivered") if row.status is InjectStatus.DELIVERED else _("skipped")))
    due = row.due_minutes if row is not None else info.offset_minutes
    if status is InjectStatus.DELAYED:
        if not 1 <= delay_minutes <= 24 * 60:
            raise ValidationError(_("A delay is between 1 minute and 24 hours."), "delay_minutes")
        due += delay_minutes
    if row is None:
        row = RunInject(drill_run_id=run.id, inject_id=info.id, message=info.message)
        session.add(row)
    row.status, row.due_minutes, row.marked_at, row.marked_by_id = status, due, now, actor.user_id
    row.note = note
    chain.log(at=now, recorded_at=now, author_id=actor.user_id, author_name=actor.username, kind=LogKind.INJECT,
              agency=info.agency, text=inject_line(info, status, delay_minutes))
    return row


class RunInjectOps(ServiceBase):
    """The inject operations of RunService (a mixin)."""

    def mark_inject(self, run_id: int, inject_id: int, status: InjectStatus, *, note: str = "",
                    delay_minutes: int = DEFAULT_DELAY) -> None:
        """The controller marks an inject delivered, delayed by `delay_minutes` (due again then) or skipped."""
        with self.write("runs.mark_inject") as s:
            with run_chain.ChainWriter(s, run_chain.run(run_id)) as chain:
                if chain.status is RunStatus.ENDED:
                    raise DomainError(_("This drill run has ended; its log is closed."))
                run = validate.get(s, DrillRun, run_id, _("Drill run"))
                drill = validate.get(s, Drill, run.drill_id, _("Drill"))
                info = next((i for i in injects_of(drill) if i.id == inject_id), None)
                if info is None:
                    raise NotFoundError(_("Inject {id} is not in this drill's scenario.").format(id=inject_id))
                mark_inject_in(s, run, info, status, chain, self.actor,
                               note=validate.long_text(note, "note", _("Note")), delay_minutes=delay_minutes)
