"""What the console and the review read of a drill's design, through one small adapter.

The drill design (models/drills.py: objectives, participants, the MSEL's injects) is being rebuilt in
parallel: injects get a number, a scenario time, a delivery and an expected action; objectives link to plan
actions; participants get roles such as the safety officer; drills get statuses such as ready and postponed.
Everything the run and review code needs from the design goes through the functions here, returning plain
data, so pointing them at the new fields is a change in this file only. Fields that do not exist yet are read
with `getattr` and a default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillapp.models import Branch, Drill, Member
from drillapp.models.enums import Agency

#: Drill statuses (by value) from which a drill may be launched: still to be run.
LAUNCHABLE = frozenset({"planned", "ready"})


@dataclass(frozen=True)
class InjectInfo:
    """One line of the MSEL, in MSEL order."""

    id: int
    number: int  # 1, 2, 3 ... (the MSEL's own number when it has one)
    offset_minutes: int  # drill time at which it is due
    scenario_time: str  # the scenario's clock for it ("09:42", "Day 2 14:00"), "" when the MSEL gives none
    sender: str
    recipient: str
    message: str
    expected_action: str
    agency: Agency | None  # the agency it goes to, when known
    delivery: str  # how it is delivered (phone, radio, paper), "" when not said
    plan_action_ids: tuple[int, ...]  # plan actions it calls for, when the MSEL links them


@dataclass(frozen=True)
class ObjectiveInfo:
    id: int
    position: int
    text: str
    plan_action_ids: tuple[int, ...]


@dataclass(frozen=True)
class ParticipantInfo:
    role: str  # the role's value: "player", "controller", "evaluator", "observer", "safety_officer" ...
    name: str  # the member's name, or the branch's
    agency: Agency | None


def launchable(drill: Drill) -> bool:
    """May this drill be launched (it is still to be run)?"""
    return getattr(drill.status, "value", drill.status) in LAUNCHABLE


def _ids(value: Any) -> tuple[int, ...]:
    if value is None:
        return ()
    if isinstance(value, int):
        return (value,)
    return tuple(int(getattr(v, "id", v)) for v in value)


def _agency(value: Any) -> Agency | None:
    if isinstance(value, Agency):
        return value
    try:
        return Agency(value) if value else None
    except ValueError:
        return None


def injects_of(drill: Drill) -> tuple[InjectInfo, ...]:
    """The drill's MSEL in order (by due time, then number, then id), numbered from 1 where it has no number."""
    rows = sorted(drill.injects, key=lambda i: (i.offset_minutes, getattr(i, "number", None) or 0, i.id))
    out = []
    for n, inject in enumerate(rows, start=1):
        linked = getattr(inject, "plan_action_ids", None)
        if linked is None:
            single = getattr(inject, "plan_action_id", None)
            linked = [single] if single is not None else []
        out.append(InjectInfo(
            id=inject.id, number=getattr(inject, "number", None) or n, offset_minutes=inject.offset_minutes,
            scenario_time=str(getattr(inject, "scenario_time", None) or ""), sender=inject.sender or "",
            recipient=inject.recipient or "", message=inject.message, expected_action=inject.expected_action or "",
            agency=_agency(getattr(inject, "agency", None) or getattr(inject, "recipient_agency", None)),
            delivery=str(getattr(getattr(inject, "delivery", None), "value", getattr(inject, "delivery", None)) or ""),
            plan_action_ids=_ids(linked),
        ))
    return tuple(out)


def objectives_of(drill: Drill) -> tuple[ObjectiveInfo, ...]:
    out = []
    for objective in sorted(drill.objectives, key=lambda o: (o.position, o.id)):
        linked = getattr(objective, "plan_action_ids", None)
        if linked is None:
            single = getattr(objective, "plan_action_id", None)
            linked = [single] if single is not None else []
        out.append(ObjectiveInfo(objective.id, objective.position, objective.text, _ids(linked)))
    return tuple(out)


def participants_of(session: Session, drill: Drill) -> tuple[ParticipantInfo, ...]:
    """Who takes part and in which role (members by name, whole branches by the branch's name)."""
    out = []
    members = {p.member_id for p in drill.participants if p.member_id is not None}
    branches = {p.branch_id for p in drill.participants if p.branch_id is not None}
    member_rows = {m.id: (m.name, m.branch_id) for m in session.scalars(select(Member).where(Member.id.in_(members)))} \
        if members else {}
    branch_ids = branches | {b for _n, b in member_rows.values() if b is not None}
    branch_rows = {b.id: b for b in session.scalars(select(Branch).where(Branch.id.in_(branch_ids)))} \
        if branch_ids else {}
    for p in drill.participants:
        role = str(getattr(p.role, "value", p.role))
        name = str(getattr(p, "name", "") or "")
        agency = None
        if p.member_id is not None and p.member_id in member_rows:
            name, branch_id = member_rows[p.member_id]
            agency = branch_rows[branch_id].agency if branch_id in branch_rows else None
        elif p.branch_id is not None and p.branch_id in branch_rows:
            branch = branch_rows[p.branch_id]
            name, agency = name or branch.name_zh, branch.agency
        out.append(ParticipantInfo(role, name, agency))
    return tuple(out)


def scenario_of(drill: Drill) -> str:
    return drill.scenario_text or ""


@dataclass(frozen=True)
class ExpectedAction:
    """One action a tabletop expects of an agency at one MSEL line."""

    key: str  # "item:<checklist entry id>" or "inject:<inject id>"
    agency: Agency | None
    text: str
    plan_action_id: int | None


def expected_actions(
    step: int, injects: Sequence[InjectInfo], items: Sequence[Any],
) -> tuple[ExpectedAction, ...]:
    """What each agency is expected to do at MSEL line `step`: the inject's own expected action, and the plan's
    actions (the run's checklist `items`: id, agency, text, target_minutes, plan_action_id) it calls for.

    When the MSEL links plan actions to an inject those are taken; otherwise the actions are shared out by
    time: those due from this inject's time until the next inject's (the first line also takes what is due
    before it, the last everything after it and the actions without a target time)."""
    inject = injects[step]
    out: list[ExpectedAction] = []
    if inject.expected_action.strip():
        out.append(ExpectedAction(f"inject:{inject.id}", inject.agency, inject.expected_action.strip(), None))
    linked_anywhere = any(i.plan_action_ids for i in injects)
    if linked_anywhere:
        chosen = [it for it in items if it.plan_action_id is not None and it.plan_action_id in inject.plan_action_ids]
    else:
        low = inject.offset_minutes if step > 0 else None
        high = injects[step + 1].offset_minutes if step + 1 < len(injects) else None

        def here(it: Any) -> bool:
            target = it.target_minutes
            if target is None:
                return high is None
            return (low is None or target >= low) and (high is None or target < high)

        chosen = [it for it in items if here(it)]
    out += [ExpectedAction(f"item:{it.id}", it.agency, it.text, it.plan_action_id) for it in chosen]
    return tuple(out)
