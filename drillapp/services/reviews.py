"""After-action reviews (AAR/IP): created from a finished run, the hot wash, objectives rated P/S/M/U, sign-off
by the coordinator, amendments after it.

Findings are in review_findings.py, corrective actions in review_actions.py, closing the loop into the plan
(revise plan, the approval hook) in review_loop.py, all one `ReviewService`; what the review editor and the AAR
print-out read is review_read.py; the tracker of every corrective action is action_tracker.py.

A signed-off review, and its run's record, are read-only (review_rules.py, installed on every session); the
operations here say so first, in words, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillapp.i18n import _
from drillapp.models import (
    AfterActionReview,
    ChecklistEntry,
    Drill,
    DrillObjective,
    DrillRun,
    Finding,
    HotWashNote,
    Incident,
    ObjectiveRating,
    ReviewAmendment,
    TabletopMark,
)
from drillapp.models.enums import (
    Agency,
    FindingKind,
    FindingSource,
    HotWashKind,
    IncidentStatus,
    LogKind,
    MarkStatus,
    Rating,
    ReviewStatus,
    RunStatus,
)
from drillapp.services import audit, run_chain, validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError
from drillapp.services.review_actions import ReviewActionOps
from drillapp.services.review_findings import ReviewFindingOps, next_position
from drillapp.services.review_loop import ReviewLoopOps
from drillapp.services.review_rules import open_review

__all__ = ["HotWashResult", "ReviewService", "open_review"]


@dataclass(frozen=True)
class HotWashResult:
    review_id: int
    note_id: int
    finding_id: int


def _tabletop_drafts(session: Session, review: AfterActionReview, run_id: int) -> None:
    """The gaps a tabletop marked become draft areas for improvement of the review."""
    entries = {e.id: e.plan_action_id for e in session.scalars(
        select(ChecklistEntry).where(ChecklistEntry.drill_run_id == run_id))}
    position = next_position(session, review.id)
    for mark in session.scalars(select(TabletopMark).where(TabletopMark.drill_run_id == run_id,
                                                           TabletopMark.status == MarkStatus.GAP)
                                .order_by(TabletopMark.step, TabletopMark.id)):
        plan_action = entries.get(int(mark.item_key.split(":", 1)[1])) if mark.item_key.startswith("item:") else None
        text = f"{mark.text} — {mark.note}" if mark.note.strip() else mark.text
        session.add(Finding(review_id=review.id, kind=FindingKind.IMPROVEMENT, position=position, text=text,
                            draft=True, source=FindingSource.TABLETOP, agency=mark.agency, plan_action_id=plan_action))
        position += 1


def _new_review(session: Session, run: DrillRun, title: str | None = None) -> AfterActionReview:
    if run.status is not RunStatus.ENDED:
        raise DomainError(_("This drill is still running: end it first, then review it."))
    existing = session.scalar(select(AfterActionReview.id).where(AfterActionReview.drill_run_id == run.id))
    if existing is not None:
        raise DomainError(_("This drill run has a review already (review {id}).").format(id=existing))
    drill = validate.get(session, Drill, run.drill_id, _("Drill"))
    review = AfterActionReview(
        port_id=drill.port_id, drill_run_id=run.id,
        title=validate.text(title, "title", _("Title"), max_len=300) if title is not None
        else _("{title} — after-action review").format(title=drill.title)[:300])
    session.add(review)
    session.flush()
    _tabletop_drafts(session, review, run.id)
    return review


def _incident_review(session: Session, actor: Any, incident_id: int | None, title: str | None) -> AfterActionReview:
    """A review of a real incident, once stood down, as for a drill once ended; its opening is logged in the
    incident's log (which stays open for the final report and the review)."""
    incident = validate.get(session, Incident, incident_id, _("Incident"))
    if incident.status is not IncidentStatus.STOOD_DOWN:
        raise DomainError(_("This incident is still active: stand it down first, then review it."))
    existing = session.scalar(select(AfterActionReview.id).where(AfterActionReview.incident_id == incident.id))
    if existing is not None:
        raise DomainError(_("This incident has a review already (review {id}).").format(id=existing))
    review = AfterActionReview(
        port_id=incident.port_id, incident_id=incident.id,
        title=validate.text(title, "title", _("Title"), max_len=300) if title is not None
        else _("{number} {title} — after-action review (real incident)").format(
            number=incident.number, title=incident.title)[:300])
    session.add(review)
    session.flush()
    now = audit.operation_time(session)
    with run_chain.ChainWriter(session, run_chain.incident(incident.id)) as chain:
        chain.log(at=now, recorded_at=now, author_id=actor.user_id, author_name=actor.username, kind=LogKind.SYSTEM,
                  text=f"复盘评估启动（评估 {review.id}）/ After-action review opened (review {review.id})")
    return review


class ReviewService(ReviewFindingOps, ReviewActionOps, ReviewLoopOps, ServiceBase):
    def create_review(self, title: str, *, drill_run_id: int | None = None, incident_id: int | None = None) -> int:
        """A review of a finished drill run (or of an incident), titled; a tabletop's gaps come in as drafts."""
        with self.write("reviews.create_review") as s:
            if (drill_run_id is None) == (incident_id is None):
                raise DomainError(_("A review is of exactly one drill run or incident."))
            if drill_run_id is not None:
                return _new_review(s, validate.get(s, DrillRun, drill_run_id, _("Drill run")), title).id
            return _incident_review(s, self.actor, incident_id, title).id

    def create_from_incident(self, incident_id: int) -> int:
        """The review of a stood-down incident: the one it has, or a new one (titled after the incident, marked
        as real: 实战)."""
        with self.write("reviews.create_review") as s:
            existing = s.scalar(select(AfterActionReview.id).where(AfterActionReview.incident_id == incident_id))
            if existing is not None:
                return existing
            return _incident_review(s, self.actor, incident_id, None).id

    def create_from_run(self, run_id: int) -> int:
        """The review of a finished run: the one it has, or a new one (titled after the drill)."""
        with self.write("reviews.create_review") as s:
            run = validate.get(s, DrillRun, run_id, _("Drill run"))
            existing = s.scalar(select(AfterActionReview.id).where(AfterActionReview.drill_run_id == run.id))
            if existing is not None:
                return existing
            return _new_review(s, run).id

    def review_of_incident(self, incident_id: int) -> int | None:
        with self.read() as s:
            return s.scalar(select(AfterActionReview.id).where(AfterActionReview.incident_id == incident_id))

    def review_of_run(self, run_id: int) -> int | None:
        with self.read() as s:
            return s.scalar(select(AfterActionReview.id).where(AfterActionReview.drill_run_id == run_id))

    def add_hot_wash_note(self, run_id: int, kind: HotWashKind, text: str, agency: Agency | None = None) -> HotWashResult:
        """A hot-wash note (what went well, what to improve) by branch, right after the drill: it belongs to the
        run's review (made now if there is none) and becomes a draft finding."""
        with self.write("reviews.add_hot_wash_note") as s:
            run = validate.get(s, DrillRun, run_id, _("Drill run"))
            text = validate.long_text(text, "text", _("Note"), required=True)
            review_id = s.scalar(select(AfterActionReview.id).where(AfterActionReview.drill_run_id == run.id))
            review = open_review(s, review_id) if review_id is not None else _new_review(s, run)
            now = audit.operation_time(s)
            finding = Finding(review_id=review.id, position=next_position(s, review.id), text=text, draft=True,
                              source=FindingSource.HOT_WASH, agency=agency,
                              kind=FindingKind.STRENGTH if kind is HotWashKind.WENT_WELL else FindingKind.IMPROVEMENT)
            s.add(finding)
            s.flush()
            note = HotWashNote(review_id=review.id, agency=agency, kind=kind, text=text, at=now,
                               author_id=self.actor.user_id, author_name=self.actor.username, finding_id=finding.id)
            s.add(note)
            s.flush()
            return HotWashResult(review.id, note.id, finding.id)

    def update_review(self, review_id: int, *, title: str | None = None, summary: str | None = None,
                      expected_version: int) -> int:
        """The review's title and summary; returns its new row version."""
        with self.write("reviews.update_review") as s:
            review = open_review(s, review_id)
            validate.expect_version(review, expected_version)
            if title is not None:
                review.title = validate.text(title, "title", _("Title"), max_len=300)
            if summary is not None:
                review.summary = validate.long_text(summary, "summary", _("Summary"))
            s.flush()
            return review.row_version

    def rate_objective(self, review_id: int, objective_id: int, rating: Rating, observations: str = "", *,
                       expected_version: int | None) -> int:
        """Rate one of the drill's objectives P, S, M or U with the evaluator's observations (again: the rating
        changes, at `expected_version`, the rating's row version as shown; None when it was not rated yet);
        returns the rating's id."""
        with self.write("reviews.rate_objective") as s:
            review = open_review(s, review_id)
            objective = validate.get(s, DrillObjective, objective_id, _("Objective"))
            run = s.get(DrillRun, review.drill_run_id) if review.drill_run_id else None
            if run is None or objective.drill_id != run.drill_id:
                raise DomainError(_("This objective is not one of the reviewed drill's."))
            row = s.scalar(select(ObjectiveRating).where(ObjectiveRating.review_id == review.id,
                                                         ObjectiveRating.objective_id == objective.id))
            validate.expect_version_or_absent(row, expected_version)
            if row is None:
                row = ObjectiveRating(review_id=review.id, objective_id=objective.id)
                s.add(row)
            row.rating, row.objective_text = rating, objective.text
            row.note = validate.long_text(observations, "observations", _("Observations"))
            row.rated_by_id, row.rated_at = self.actor.user_id, audit.operation_time(s)
            s.flush()
            return row.id

    def clear_rating(self, review_id: int, objective_id: int, *, expected_version: int) -> None:
        """Take an objective's rating back (not rated again): undoing a first rating in the review editor."""
        with self.write("reviews.clear_rating") as s:
            review = open_review(s, review_id)
            row = s.scalar(select(ObjectiveRating).where(ObjectiveRating.review_id == review.id,
                                                         ObjectiveRating.objective_id == objective_id))
            if row is None:
                raise DomainError(_("This objective has not been rated."))
            validate.expect_version(row, expected_version)
            s.delete(row)

    def sign_off(self, review_id: int, expected_version: int) -> None:
        """The coordinator signs the review off: from now on it and its run's record are read-only. Draft
        findings must have been accepted or removed first."""
        with self.write("reviews.sign_off") as s:
            review = open_review(s, review_id)
            validate.expect_version(review, expected_version)
            drafts = s.scalar(select(Finding.id).where(Finding.review_id == review.id, Finding.draft.is_(True))
                              .limit(1))
            if drafts is not None:
                raise DomainError(_("Some findings are still drafts (from the hot wash or the tabletop): accept or "
                                    "remove them before signing off."))
            review.status = ReviewStatus.SIGNED_OFF
            review.signed_off_by_id, review.signed_off_at = self.actor.user_id, audit.operation_time(s)

    def add_amendment(self, review_id: int, text: str) -> int:
        """A dated entry added to the review (after its sign-off: the signed review itself never changes)."""
        with self.write("reviews.add_amendment") as s:
            review = validate.get(s, AfterActionReview, review_id, _("Review"))
            row = ReviewAmendment(review_id=review.id, at=audit.operation_time(s), author_id=self.actor.user_id,
                                  author_name=self.actor.username,
                                  text=validate.long_text(text, "text", _("Amendment"), required=True))
            s.add(row)
            s.flush()
            return row.id
