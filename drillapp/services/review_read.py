"""What the review editor and the AAR/IP print-out read: a review as plain data (`ReviewDoc`), in one read.

The overview comes from the drill and its run; the timeline and every timed action measured against its target
from the run's record (run_record.py); the objectives with their ratings, the strengths and areas for
improvement with their corrective actions, the hot-wash notes, the tabletop's marks and the amendments from the
review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillapp.i18n import _
from drillapp.models import (
    AfterActionReview,
    Branch,
    ContingencyPlan,
    CorrectiveAction,
    Drill,
    Finding,
    HotWashNote,
    ObjectiveRating,
    PlanAction,
    PlanContact,
    PlanResource,
    PlanSection,
    PlanVersion,
    ReviewAmendment,
    User,
)
from drillapp.models.enums import (
    ActionStatus,
    Agency,
    Capability,
    DrillKind,
    DrillScope,
    FindingKind,
    FindingSource,
    HotWashKind,
    PlanPart,
    PlanStatus,
    Rating,
    ReviewStatus,
)
from drillapp.services import validate
from drillapp.services.context import ServiceBase
from drillapp.services.run_record import RunRecord, load_record


@dataclass(frozen=True)
class Overview:
    drill_id: int
    drill_title: str
    kind: DrillKind
    scope: DrillScope
    plan_id: int | None
    plan_code: str
    plan_title: str
    plan_version: int | None
    level: int | None
    scheduled_start: datetime
    started_at: datetime
    ended_at: datetime | None
    location: str
    scenario: str
    branches: tuple[Agency, ...]  # the agencies that took part (from the participants and the checklist)
    controllers: tuple[str, ...]
    evaluators: tuple[str, ...]
    unplanned: bool
    real: bool = False  # a real incident's review (marked REAL where a drill's says DRILL)
    incident_id: int | None = None
    incident_number: str = ""


@dataclass(frozen=True)
class RatingDoc:
    objective_id: int | None
    position: int
    text: str
    rating: Rating | None  # None: not rated yet
    observations: str
    rated_by: str
    rated_at: datetime | None
    row_version: int | None


@dataclass(frozen=True)
class ActionDoc:
    id: int
    text: str
    capability: Capability | None
    owner_branch_id: int | None
    agency: Agency | None
    owner_name: str
    start_on: date | None
    due_on: date | None
    status: ActionStatus
    closed_at: datetime | None
    evidence: str
    verified_by: str
    verified_at: datetime | None
    closes_with_revision: bool
    overdue: bool
    row_version: int


@dataclass(frozen=True)
class TargetDoc:
    part: PlanPart
    id: int
    label: str  # the part's title, action text, contact or resource name


@dataclass(frozen=True)
class RevisionDoc:
    version_id: int
    plan_id: int
    number: int
    status: PlanStatus


@dataclass(frozen=True)
class FindingDoc:
    id: int
    kind: FindingKind
    position: int
    text: str
    root_cause: str
    agency: Agency | None
    draft: bool
    source: FindingSource
    objective_id: int | None
    plan_id: int | None
    target: TargetDoc | None
    revision: RevisionDoc | None
    actions: tuple[ActionDoc, ...]
    row_version: int


@dataclass(frozen=True)
class HotWashDoc:
    id: int
    agency: Agency | None
    kind: HotWashKind
    text: str
    at: datetime
    author: str
    finding_id: int | None


@dataclass(frozen=True)
class AmendmentDoc:
    id: int
    at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class ReviewDoc:
    id: int
    port_id: int
    title: str
    summary: str
    status: ReviewStatus
    signed_off_by: str
    signed_off_at: datetime | None
    overview: Overview
    ratings: tuple[RatingDoc, ...]
    findings: tuple[FindingDoc, ...]
    hot_wash: tuple[HotWashDoc, ...]
    amendments: tuple[AmendmentDoc, ...]
    record: RunRecord
    row_version: int

    @property
    def draft(self) -> bool:
        return self.status is not ReviewStatus.SIGNED_OFF

    @property
    def real(self) -> bool:
        """The review of a real incident, not of a drill."""
        return self.overview.real

    @property
    def strengths(self) -> tuple[FindingDoc, ...]:
        return tuple(f for f in self.findings if f.kind is FindingKind.STRENGTH)

    @property
    def improvements(self) -> tuple[FindingDoc, ...]:
        return tuple(f for f in self.findings if f.kind is FindingKind.IMPROVEMENT)


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {r.id: r.display_name or r.username
            for r in session.execute(select(User.id, User.username, User.display_name).where(User.id.in_(wanted)))}


def _target(session: Session, f: Finding) -> TargetDoc | None:
    for part, model, column, attr in (
        (PlanPart.SECTION, PlanSection, "plan_section_id", "title"), (PlanPart.ACTION, PlanAction, "plan_action_id",
                                                                      "text"),
        (PlanPart.CONTACT, PlanContact, "plan_contact_id", "name"), (PlanPart.RESOURCE, PlanResource,
                                                                     "plan_resource_id", "name"),
    ):
        part_id = getattr(f, column)
        if part_id is not None:
            row = session.get(model, part_id)
            return TargetDoc(part, part_id, getattr(row, attr) if row is not None else "")
    return None


def action_docs(session: Session, actions: list[CorrectiveAction], today: date) -> tuple[ActionDoc, ...]:
    agencies = {b.id: b.agency for b in session.scalars(select(Branch).where(
        Branch.id.in_({a.owner_branch_id for a in actions if a.owner_branch_id})))} if actions else {}
    names = _names(session, {a.verified_by_id for a in actions})
    return tuple(
        ActionDoc(a.id, a.text, a.capability, a.owner_branch_id, agencies.get(a.owner_branch_id or 0), a.owner_name,
                  a.start_on, a.due_on, a.status, a.closed_at, a.evidence, names.get(a.verified_by_id or 0, ""),
                  a.verified_at, a.closes_with_revision,
                  a.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS) and a.due_on is not None
                  and a.due_on < today, a.row_version)
        for a in sorted(actions, key=lambda a: a.id)
    )


def _drill_overview(session: Session, run_id: int) -> tuple[Overview, RunRecord]:
    record = load_record(session, run_id)
    snap = record.snapshot
    drill = session.get(Drill, snap.drill_id)
    assert drill is not None
    controllers = tuple(p.name for p in record.participants if p.role == "controller")
    evaluators = tuple(p.name for p in record.participants if p.role == "evaluator")
    branches = tuple(a for a in Agency if a in {p.agency for p in record.participants} | {i.agency for i in snap.items})
    return Overview(drill.id, drill.title, drill.kind, drill.scope, snap.plan_id, snap.plan_code, snap.plan_title,
                    snap.plan_version, snap.level, drill.scheduled_start, snap.started_at, snap.ended_at,
                    drill.location, snap.scenario, branches, controllers, evaluators, snap.unplanned), record


def _incident_overview(session: Session, incident_id: int) -> tuple[Overview, RunRecord]:
    from drillapp.services.incident_review import acting_branches, incident_record

    snap, record = incident_record(session, incident_id)
    commander = (snap.opened_by,) if snap.opened_by else ()
    return Overview(0, f"{snap.number} {snap.title}", DrillKind.FULL_SCALE, DrillScope.COMPREHENSIVE, snap.plan_id,
                    snap.plan_code, snap.plan_title, snap.plan_version, snap.level, snap.alarm_at, snap.alarm_at,
                    snap.closed_at, snap.location, snap.description, acting_branches(snap), commander, (), False,
                    real=True, incident_id=snap.id, incident_number=snap.number), record


def load_review(session: Session, review_id: int, today: date) -> ReviewDoc:
    review = validate.get(session, AfterActionReview, review_id, _("Review"))
    if review.drill_run_id is None and review.incident_id is not None:
        overview, record = _incident_overview(session, review.incident_id)
    else:
        assert review.drill_run_id is not None
        overview, record = _drill_overview(session, review.drill_run_id)
    rows = {r.objective_id: r for r in session.scalars(select(ObjectiveRating).where(
        ObjectiveRating.review_id == review.id))}
    names = _names(session, {r.rated_by_id for r in rows.values()} | {review.signed_off_by_id})
    ratings = [RatingDoc(o.id, o.position, o.text, rows[o.id].rating if o.id in rows else None,
                         rows[o.id].note if o.id in rows else "",
                         names.get(rows[o.id].rated_by_id or 0, "") if o.id in rows else "",
                         rows[o.id].rated_at if o.id in rows else None,
                         rows[o.id].row_version if o.id in rows else None) for o in record.objectives]
    known = {o.id for o in record.objectives}
    ratings += [RatingDoc(r.objective_id, 10**6, r.objective_text, r.rating, r.note, names.get(r.rated_by_id or 0, ""),
                          r.rated_at, r.row_version) for r in rows.values() if r.objective_id not in known]
    findings = []
    for f in session.scalars(select(Finding).where(Finding.review_id == review.id).order_by(Finding.position,
                                                                                             Finding.id)):
        version = session.get(PlanVersion, f.revision_version_id) if f.revision_version_id else None
        findings.append(FindingDoc(
            f.id, f.kind, f.position, f.text, f.root_cause, f.agency, f.draft, f.source, f.objective_id, f.plan_id,
            _target(session, f),
            RevisionDoc(version.id, version.plan_id, version.number, version.status) if version else None,
            action_docs(session, list(f.actions), today), f.row_version))
    hot_wash = tuple(HotWashDoc(n.id, n.agency, n.kind, n.text, n.at, n.author_name, n.finding_id)
                     for n in session.scalars(select(HotWashNote).where(HotWashNote.review_id == review.id)
                                              .order_by(HotWashNote.id)))
    amendments = tuple(AmendmentDoc(a.id, a.at, a.author_name, a.text)
                       for a in session.scalars(select(ReviewAmendment).where(ReviewAmendment.review_id == review.id)
                                                .order_by(ReviewAmendment.at, ReviewAmendment.id)))
    return ReviewDoc(review.id, review.port_id, review.title, review.summary, review.status,
                     names.get(review.signed_off_by_id or 0, ""), review.signed_off_at, overview,
                     tuple(sorted(ratings, key=lambda r: r.position)), tuple(findings), hot_wash, amendments, record,
                     review.row_version)


@dataclass(frozen=True)
class PlanPartRow:
    part: PlanPart
    id: int
    label: str  # the section's title, the action's text, the contact's or resource's name
    agency: Agency | None


@dataclass(frozen=True)
class PlanParts:
    """The parts of one plan version a finding may point at."""

    code: str
    title: str
    number: int
    parts: tuple[PlanPartRow, ...]


class ReviewReadService(ServiceBase):
    def document(self, review_id: int) -> ReviewDoc:
        with self.read() as s:
            return load_review(s, review_id, self.today())

    def record(self, run_id: int) -> RunRecord:
        """A run's record (timeline, measured times): the completed-run print-out."""
        with self.read() as s:
            return load_record(s, run_id)

    def plan_parts(self, plan_id: int, number: int | None) -> PlanParts:
        """The sections, actions, contacts and resources of the plan's version `number` (the one the drill ran
        under; the newest when None)."""
        with self.read() as s:
            plan = validate.get(s, ContingencyPlan, plan_id, _("Plan"))
            q = select(PlanVersion).where(PlanVersion.plan_id == plan.id)
            q = q.where(PlanVersion.number == number) if number is not None else q.order_by(
                PlanVersion.number.desc()).limit(1)
            version = s.scalar(q)
            if version is None:
                from drillapp.services.errors import NotFoundError

                raise NotFoundError(_("{what} {id} does not exist (it may have been deleted).").format(
                    what=_("Plan version"), id=number))
            rows: list[PlanPartRow] = []
            models: tuple[tuple[PlanPart, Any, str, str], ...] = (
                (PlanPart.SECTION, PlanSection, "title", ""), (PlanPart.ACTION, PlanAction, "text", "agency"),
                (PlanPart.CONTACT, PlanContact, "name", "agency"), (PlanPart.RESOURCE, PlanResource, "name", "custodian"))
            for part, model, text, agency in models:
                for row in s.scalars(select(model).where(model.version_id == version.id)
                                     .order_by(model.position, model.id)):
                    rows.append(PlanPartRow(part, row.id, getattr(row, text), getattr(row, agency, None)
                                            if agency else None))
            return PlanParts(plan.code, plan.title_zh, version.number, tuple(rows))

    def plan_of(self, plan_id: int) -> tuple[str, str]:
        with self.read() as s:
            plan = validate.get(s, ContingencyPlan, plan_id, _("Plan"))
            return plan.code, plan.title_zh
