"""A plan's actions for one response level as a live checklist, in the one order everything shows them.

`item_order` is the single sort key of a checklist (the console, the blank and the completed print-outs, the
review's measured times, the command line): response level, then phase in the plan's order (activation,
alert, first response ... stand-down), then target time (untimed last), then agency and the plan's own order.
An action for every level counts as the run's level, so within one run the order is phase, then target time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillapp.models import ChecklistEntry, PlanVersion
from drillapp.models.enums import Agency, PlanStatus, ResponsePhase
from drillapp.services.plan_document import action_order

_PHASES = {p: i for i, p in enumerate(ResponsePhase)}
_AGENCIES = {a: i for i, a in enumerate(Agency)}
UNTIMED = 10**6


def item_order(action_level: int | None, phase: ResponsePhase | None, target_minutes: int | None,
               agency: Agency | None, position: int, run_level: int | None = None) -> tuple[int, ...]:
    """The sort key of a checklist item: the plan's one order of actions (`plan_document.action_order`:
    level, phase, target), then agency and the plan's own order for actions that tie."""
    from types import SimpleNamespace

    if phase is None:  # a checklist line without a phase (an incident's generic list): after every phase
        return (action_level or 0, len(_PHASES), target_minutes if target_minutes is not None else UNTIMED,
                _AGENCIES.get(agency, len(_AGENCIES)) if agency is not None else len(_AGENCIES), position)
    action = SimpleNamespace(level=action_level, phase=phase, target_minutes=target_minutes, position=position)
    level, phase_rank, target, _position = action_order(action, run_level)
    return (level, phase_rank, target, _AGENCIES.get(agency, len(_AGENCIES)) if agency is not None else
            len(_AGENCIES), position)


def version_in_force(session: Session, plan_id: int | None) -> PlanVersion | None:
    """The plan's approved version (the one in force), or None."""
    if plan_id is None:
        return None
    return session.scalar(
        select(PlanVersion).where(PlanVersion.plan_id == plan_id, PlanVersion.status == PlanStatus.APPROVED)
    )


def actions_for(version: PlanVersion | None, level: int | None) -> list[Any]:
    """The version's actions at `level` (with those for every level; all of them when no level), in order."""
    if version is None:
        return []
    actions = [a for a in version.actions if a.level is None or level is None or a.level == level]
    actions.sort(key=lambda a: item_order(a.level, a.phase, a.target_minutes, a.agency, a.position, level))
    return actions


def build_entries(version: PlanVersion | None, level: int | None) -> list[ChecklistEntry]:
    """New checklist entries for the version's actions at `level` (owner not set yet), positions in order."""
    return [
        ChecklistEntry(plan_action_id=a.id, agency=a.agency, position=i, text=a.text, target_minutes=a.target_minutes,
                       report_due=a.report_due, phase=a.phase, action_level=a.level)
        for i, a in enumerate(actions_for(version, level))
    ]


def sorted_items(items: Sequence[Any], run_level: int | None) -> list[Any]:
    """Checklist items (anything with action_level, phase, target_minutes, agency, position) in order."""
    return sorted(items, key=lambda e: item_order(e.action_level, e.phase, e.target_minutes, e.agency, e.position,
                                                  run_level))
