"""A plan version as plain data, loaded in one read: everything the print-outs, the plan files and the editor
read. The dataclasses live below the services (read_models/plan.py); no session crosses into the caller.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillapp.i18n import _
from drillapp.models import Branch, ContingencyPlan, PlanVersion, Port, User
from drillapp.models.enums import PlanStatus
from drillapp.read_models.plan import (
    NO_TARGET,
    PHASE_RANK,
    ActionDoc,
    ContactDoc,
    LevelDoc,
    MatrixDoc,
    PlanDoc,
    ResourceDoc,
    SectionDoc,
    action_order,
)
from drillapp.services import validate

#: re-exported: the services and the UI import the plan's read models from here
__all__ = ["NO_TARGET", "PHASE_RANK", "ActionDoc", "ContactDoc", "LevelDoc", "MatrixDoc", "PlanDoc", "ResourceDoc",
           "SectionDoc", "action_order", "latest_version_id", "load_document", "shown_version_id"]


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
