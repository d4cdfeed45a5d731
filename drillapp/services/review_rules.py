"""A signed-off review is read-only in the core, and so is the record of the run it reviews (its run, checklist,
checklist events, log, injects and tabletop marks): a `before_flush` rule installed on every session factory
(services/session_rules.py), whoever writes, like approved plan versions.

What still moves after sign-off: the corrective actions (the improvement plan's living part), a finding's link
to the plan revision that answers it, and amendments (new, dated entries on the review).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from drillapp.i18n import _
from drillapp.models import (
    AfterActionReview,
    ChecklistEntry,
    ChecklistEvent,
    DrillRun,
    Finding,
    HotWashNote,
    LogEntry,
    ObjectiveRating,
    RunInject,
    TabletopMark,
)
from drillapp.models.enums import ReviewStatus
from drillapp.services.errors import DomainError

OPEN_OWNERS = "drillapp.open_chain_owners"  # as run_chain.OPEN_OWNERS (run_chain imports the models; this is lighter)

REVIEW_PARTS = (ObjectiveRating, Finding, HotWashNote)
RUN_PARTS = (ChecklistEntry, ChecklistEvent, LogEntry, RunInject, TabletopMark)
#: Columns of a finding that may change after sign-off (closing the loop into the plan).
FINDING_AFTER_SIGN_OFF = {"revision_version_id", "row_version"}


class SignedOffError(DomainError):
    pass


def frozen_message() -> str:
    return _("This review has been signed off: it and the record of its drill are read-only. Add an amendment "
             "instead.")


def open_review(session: Session, review_id: int) -> AfterActionReview:
    """The review, refused (in words) when it has been signed off."""
    from drillapp.services import validate

    review = validate.get(session, AfterActionReview, review_id, _("Review"))
    if review.status is ReviewStatus.SIGNED_OFF:
        raise SignedOffError(frozen_message())
    return review


def _old_status(review: AfterActionReview) -> ReviewStatus:
    history = inspect(review).attrs.status.history
    return history.deleted[0] if history.deleted else review.status


def _changed_columns(obj: Any) -> set[str]:
    state = inspect(obj)
    return {a.key for a in state.mapper.column_attrs if state.attrs[a.key].history.has_changes()}


def signed_off_reviews_are_frozen(session: Session, _ctx: Any, _instances: Any) -> None:
    touched = list(session.dirty) + list(session.deleted) + list(session.new)
    if not touched:
        return
    reviews: dict[int, bool] = {}
    runs: dict[int, bool] = {}

    def review_frozen(review_id: int | None) -> bool:
        if review_id is None:
            return False
        if review_id not in reviews:
            review = session.get(AfterActionReview, review_id)
            reviews[review_id] = review is not None and _old_status(review) is ReviewStatus.SIGNED_OFF
        return reviews[review_id]

    def run_frozen(run_id: int | None) -> bool:
        if run_id is None or f"drill_run:{run_id}" in session.info.get(OPEN_OWNERS, ()):
            return False
        if run_id not in runs:
            with session.no_autoflush:
                runs[run_id] = session.scalar(
                    select(AfterActionReview.id).where(AfterActionReview.drill_run_id == run_id,
                                                       AfterActionReview.status == ReviewStatus.SIGNED_OFF).limit(1)
                ) is not None
        return runs[run_id]

    with session.no_autoflush:
        for obj in touched:
            if isinstance(obj, AfterActionReview):
                if obj in session.new:
                    continue
                if _old_status(obj) is ReviewStatus.SIGNED_OFF:
                    raise SignedOffError(frozen_message())
            elif isinstance(obj, REVIEW_PARTS):
                if isinstance(obj, Finding) and obj in session.dirty and obj not in session.deleted \
                        and _changed_columns(obj) <= FINDING_AFTER_SIGN_OFF:
                    continue
                if review_frozen(obj.review_id):
                    raise SignedOffError(frozen_message())
            elif isinstance(obj, DrillRun):
                if obj not in session.new and (session.is_modified(obj) or obj in session.deleted) \
                        and run_frozen(obj.id):
                    raise SignedOffError(frozen_message())
            elif isinstance(obj, RUN_PARTS):
                if run_frozen(getattr(obj, "drill_run_id", None)):
                    raise SignedOffError(frozen_message())
