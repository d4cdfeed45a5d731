"""A tabletop run: the facilitator walks the room through the MSEL inject by inject (no stopwatch race), moves
scenario time on ("two hours later"), and for each inject the expected actions of each agency (the inject's own
expected action and the plan's actions it calls for, drill_inputs.expected_actions) are marked discussed,
adequate or a gap, with a note: the evaluator's record, whose gaps become draft findings of the review.
"""

from __future__ import annotations

from sqlalchemy import select

from drillapp.i18n import _
from drillapp.models import ChecklistEntry, Drill, DrillRun, TabletopMark
from drillapp.models.enums import InjectStatus, LogKind, MarkStatus, RunStatus
from drillapp.services import audit, run_chain, validate
from drillapp.services.context import ServiceBase
from drillapp.services.drill_inputs import expected_actions, injects_of
from drillapp.services.errors import DomainError, ValidationError
from drillapp.services.run_injects import mark_inject_in

JUMP_LINE = "情景时间推进{minutes}分钟 / Scenario time moves on {minutes} min"
MAX_JUMP_MINUTES = 7 * 24 * 60


def run_items(session, run_id: int) -> list[ChecklistEntry]:  # noqa: ANN001
    return list(session.scalars(select(ChecklistEntry).where(ChecklistEntry.drill_run_id == run_id)
                                .order_by(ChecklistEntry.position)))


class RunTabletopOps(ServiceBase):
    """The tabletop operations of RunService (a mixin)."""

    def _tabletop(self, s, run_id: int, chain: run_chain.ChainWriter) -> tuple[DrillRun, Drill]:  # noqa: ANN001
        if chain.status is RunStatus.ENDED:
            raise DomainError(_("This drill run has ended; its log is closed."))
        run = validate.get(s, DrillRun, run_id, _("Drill run"))
        drill = validate.get(s, Drill, run.drill_id, _("Drill"))
        if not injects_of(drill):
            raise DomainError(_("This drill has no scenario events (MSEL) to walk through."))
        return run, drill

    def tabletop_advance(self, run_id: int) -> int:
        """Go on to the next inject of the MSEL (the first one at the start), marking it delivered; returns the
        new step (0-based)."""
        with self.write("runs.tabletop_advance") as s:
            with run_chain.ChainWriter(s, run_chain.run(run_id)) as chain:
                run, drill = self._tabletop(s, run_id, chain)
                injects = injects_of(drill)
                step = 0 if run.tabletop_step is None else run.tabletop_step + 1
                if step >= len(injects):
                    raise DomainError(_("That was the last inject of the scenario."))
                run.tabletop_step = step
                try:
                    mark_inject_in(s, run, injects[step], InjectStatus.DELIVERED, chain, self.actor)
                except DomainError:  # marked by hand already: the step moves on all the same
                    pass
            return step

    def tabletop_jump(self, run_id: int, minutes: int) -> None:
        """Move scenario time on ("two hours later": 120); logged."""
        with self.write("runs.tabletop_jump") as s:
            if not 1 <= minutes <= MAX_JUMP_MINUTES:
                raise ValidationError(_("Scenario time moves on by 1 minute to 7 days."), "minutes")
            with run_chain.ChainWriter(s, run_chain.run(run_id)) as chain:
                run, _drill = self._tabletop(s, run_id, chain)
                run.scenario_jump_minutes = (run.scenario_jump_minutes or 0) + minutes
                now = audit.operation_time(s)
                actor = self.actor
                chain.log(at=now, recorded_at=now, author_id=actor.user_id, author_name=actor.username,
                          kind=LogKind.SYSTEM, text=JUMP_LINE.format(minutes=minutes))

    def tabletop_mark(self, run_id: int, step: int, item_key: str, status: MarkStatus, note: str = "") -> int:
        """Mark one expected action at MSEL line `step` discussed, adequate or a gap (again: the mark changes);
        returns the mark's id."""
        with self.write("runs.tabletop_mark") as s:
            run = validate.get(s, DrillRun, run_id, _("Drill run"))
            if run.status is RunStatus.ENDED:
                raise DomainError(_("This drill run has ended; its record is closed."))
            drill = validate.get(s, Drill, run.drill_id, _("Drill"))
            injects = injects_of(drill)
            if not 0 <= step < len(injects):
                raise ValidationError(_("There is no inject {n} in this scenario.").format(n=step + 1), "step")
            expected = {e.key: e for e in expected_actions(step, injects, run_items(s, run_id))}
            if item_key not in expected:
                raise ValidationError(_("This action is not expected at this inject."), "item_key")
            item = expected[item_key]
            mark = s.scalar(select(TabletopMark).where(TabletopMark.drill_run_id == run_id, TabletopMark.step == step,
                                                       TabletopMark.item_key == item_key))
            if mark is None:
                mark = TabletopMark(drill_run_id=run_id, step=step, item_key=item_key, inject_id=injects[step].id,
                                    agency=item.agency, text=item.text)
                s.add(mark)
            mark.status, mark.note = status, validate.long_text(note, "note", _("Note"))
            mark.marked_at, mark.marked_by_id = audit.operation_time(s), self.actor.user_id
            s.flush()
            return mark.id
