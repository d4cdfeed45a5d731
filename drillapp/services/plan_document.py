"""A plan version as plain data: everything the print-outs, the plan files and the editor read.

Frozen dataclasses, loaded in one read; no session crosses into the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillapp.i18n import _
from drillapp.models import Branch, ContingencyPlan, PlanVersion, Port, User
from drillapp.models.enums import (
    Agency,
    MatrixRole,
    PlanStatus,
    ReportKind,
    ResponsePhase,
    Scenario,
    SectionKind,
)
from drillapp.services import validate


@dataclass(frozen=True)
class SectionDoc:
    id: int
    kind: SectionKind
    title: str
    body: str
    position: int
    parent_id: int | None = None
    lineage: str = ""  # "": a new section (see models/plans.py)


@dataclass(frozen=True)
class LevelDoc:
    level: int
    name: str
    colour: str
    trigger: str


@dataclass(frozen=True)
class ActionDoc:
    id: int
    agency: Agency
    level: int | None
    phase: ResponsePhase
    position: int
    text: str
    responsible_post: str
    target_minutes: int | None
    report_due: ReportKind | None
    lineage: str = ""


@dataclass(frozen=True)
class MatrixDoc:
    task: str
    agency: Agency
    role: MatrixRole


@dataclass(frozen=True)
class ContactDoc:
    agency: Agency | None
    name: str
    post: str
    phone: str
    mobile: str
    notes: str
    position: int
    lineage: str = ""


@dataclass(frozen=True)
class ResourceDoc:
    name: str
    kind: str
    quantity: int | None
    location: str
    custodian: Agency | None
    notes: str
    position: int
    lineage: str = ""


@dataclass(frozen=True)
class PlanDoc:
    plan_id: int
    version_id: int
    code: str
    scenario: Scenario
    title_zh: str
    title_en: str
    port_code: str
    port_name: str
    owner_agency: Agency | None
    number: int
    status: PlanStatus
    approved_by: str
    approved_at: datetime | None
    effective_on: date | None
    review_due_on: date | None
    change_note: str
    row_version: int
    sections: tuple[SectionDoc, ...] = field(default_factory=tuple)
    levels: tuple[LevelDoc, ...] = field(default_factory=tuple)
    actions: tuple[ActionDoc, ...] = field(default_factory=tuple)
    matrix: tuple[MatrixDoc, ...] = field(default_factory=tuple)
    contacts: tuple[ContactDoc, ...] = field(default_factory=tuple)
    resources: tuple[ResourceDoc, ...] = field(default_factory=tuple)

    def actions_for(self, agency: Agency | None = None, level: int | None = None) -> list[ActionDoc]:
        """An agency's (or everyone's) actions that apply at `level` (actions without a level apply at all),
        in the order they are worked (`action_order`)."""
        return sorted((
            a for a in self.actions
            if (agency is None or a.agency is agency) and (level is None or a.level is None or a.level == level)
        ), key=lambda a: action_order(a, level))


class _Orderable(Protocol):
    """An action as stored or as read from a plan file (one without a `position` keeps its place among equals)."""

    @property
    def level(self) -> int | None: ...
    @property
    def phase(self) -> ResponsePhase: ...
    @property
    def target_minutes(self) -> int | None: ...


PHASE_RANK = {phase: rank for rank, phase in enumerate(ResponsePhase)}
#: Sorts after every real target (an action without one comes last in its phase).
NO_TARGET = 10**9


def action_order(action: _Orderable, at_level: int | None = None) -> tuple[int, int, int, int]:
    """The one order of a plan's actions, everywhere (editor, print-outs, plan files, run checklists): by
    response level (actions for every level first, then I to IV), by phase (ResponsePhase's order), by target
    minutes (none last), then as placed. For the actions of one level (`at_level`: a checklist, an action
    card) those for every level count as at that level, so the phase and target decide."""
    level = 0 if at_level is not None or action.level is None else action.level
    target = NO_TARGET if action.target_minutes is None else action.target_minutes
    return level, PHASE_RANK[action.phase], target, getattr(action, "position", 0)


def load_document(s: Session, version_id: int) -> PlanDoc:
    version = validate.get(s, PlanVersion, version_id, _("Plan version"))
    plan = s.get(ContingencyPlan, version.plan_id)
    assert plan is not None
    port = s.get(Port, plan.port_id)
    owner = s.get(Branch, plan.owner_branch_id) if plan.owner_branch_id else None
    approver = s.get(User, version.approved_by_id) if version.approved_by_id else None
    return PlanDoc(
        plan_id=plan.id, version_id=version.id, code=plan.code, scenario=plan.scenario, title_zh=plan.title_zh,
        title_en=plan.title_en, port_code=port.code if port else "", port_name=port.name_zh if port else "",
        owner_agency=owner.agency if owner else None, number=version.number, status=version.status,
        approved_by=(approver.display_name or approver.username) if approver else "",
        approved_at=version.approved_at, effective_on=version.effective_on, review_due_on=version.review_due_on,
        change_note=version.change_note, row_version=version.row_version,
        sections=tuple(SectionDoc(x.id, x.kind, x.title, x.body, x.position, x.parent_id, x.lineage)
                       for x in version.sections),
        levels=tuple(LevelDoc(x.level, x.name, x.colour, x.trigger) for x in version.levels),
        actions=tuple(
            ActionDoc(x.id, x.agency, x.level, x.phase, x.position, x.text, x.responsible_post, x.target_minutes,
                      x.report_due, x.lineage)
            for x in sorted(version.actions, key=lambda a: (*action_order(a), a.id))
        ),
        matrix=tuple(MatrixDoc(x.task, x.agency, x.role) for x in sorted(version.matrix, key=lambda m: m.id)),
        contacts=tuple(ContactDoc(x.agency, x.name, x.post, x.phone, x.mobile, x.notes, x.position, x.lineage)
                       for x in version.contacts),
        resources=tuple(ResourceDoc(x.name, x.kind, x.quantity, x.location, x.custodian, x.notes, x.position,
                                    x.lineage)
                        for x in version.resources),
    )


def latest_version_id(s: Session, plan_id: int, approved_only: bool = False) -> int:
    """The newest version of a plan (or its approved one); NotFoundError when there is none."""
    from drillapp.services.errors import NotFoundError

    query = select(PlanVersion.id).where(PlanVersion.plan_id == plan_id)
    if approved_only:
        query = query.where(PlanVersion.status == PlanStatus.APPROVED)
    found = s.scalar(query.order_by(PlanVersion.number.desc()).limit(1))
    if found is None:
        raise NotFoundError(_("Plan {id} has no such version.").format(id=plan_id))
    return found


def shown_version_id(s: Session, plan_id: int) -> int:
    """The version a plan is shown at: the one in force (approved), or else its newest."""
    in_force = s.scalar(select(PlanVersion.id).where(PlanVersion.plan_id == plan_id,
                                                     PlanVersion.status == PlanStatus.APPROVED).limit(1))
    return in_force if in_force is not None else latest_version_id(s, plan_id)
