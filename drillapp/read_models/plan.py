"""A plan version as plain data: what the print-outs, the plan files and the editor read.

Frozen dataclasses below the services, io and reports (docs/architecture.md, "Layers"): the services load
them (services/plan_document.py), io and reports only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from drillapp.models.enums import (
    Agency,
    MatrixRole,
    PlanStatus,
    ReportKind,
    ResponsePhase,
    Scenario,
    SectionKind,
)


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
