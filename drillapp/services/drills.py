"""Drills as designed and scheduled. The programme, designer and calendar come with the drills issue."""

from __future__ import annotations

from datetime import datetime

from drillapp.i18n import _
from drillapp.models import ContingencyPlan, Drill, DrillObjective, Inject, Port
from drillapp.models.enums import DrillKind, DrillScope, DrillStatus
from drillapp.services import validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError, ValidationError


class DrillService(ServiceBase):
    def schedule_drill(
        self, port_id: int, title: str, kind: DrillKind, scheduled_start: datetime, *,
        plan_id: int | None = None, level: int | None = None, duration_minutes: int = 60,
        scope: DrillScope = DrillScope.SINGLE, location: str = "", objectives: list[str] | None = None,
        injects: list[tuple[int, str]] | None = None,
    ) -> int:
        with self.write("drills.schedule_drill") as s:
            validate.get(s, Port, port_id, _("Port"))
            if plan_id is not None:
                validate.get(s, ContingencyPlan, plan_id, _("Plan"))
            if not 1 <= duration_minutes <= 7 * 24 * 60:
                raise ValidationError(_("A drill lasts between 1 minute and 7 days."), "duration_minutes")
            drill = Drill(
                port_id=port_id,
                plan_id=plan_id,
                title=validate.text(title, "title", _("Title"), max_len=300),
                kind=kind,
                scope=scope,
                level=validate.level(level),
                scheduled_start=scheduled_start,
                duration_minutes=duration_minutes,
                location=validate.text(location, "location", _("Location"), max_len=300, required=False),
            )
            for i, text in enumerate(objectives or []):
                drill.objectives.append(DrillObjective(position=i, text=validate.long_text(text, "objectives", _("Objective"), required=True)))
            for offset, message in injects or []:
                drill.injects.append(Inject(offset_minutes=validate.minutes(offset, "injects", _("Inject time")) or 0, message=message))
            s.add(drill)
            s.flush()
            return drill.id

    def cancel_drill(self, drill_id: int) -> None:
        with self.write("drills.cancel_drill") as s:
            drill = validate.get(s, Drill, drill_id, _("Drill"))
            if drill.status is not DrillStatus.PLANNED:
                raise DomainError(_("Only a planned drill can be cancelled."))
            drill.status = DrillStatus.CANCELLED
