"""A drill run finished through the services, as the console would have run it: a planned live drill of the
demo started, its checklist ticked as the clock moves on (the last item late), ended, and a hot-wash note of
each kind taken (so its review has two draft findings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from drillapp.clock import FixedClock
from drillapp.models import ChecklistEntry
from drillapp.models.enums import Agency, DrillKind, HotWashKind
from drillapp.services import Services
from helpers.console_ui import first_planned


@dataclass(frozen=True)
class FinishedRun:
    drill_id: int
    run_id: int
    review_id: int


def finished_live_run(services: Services, clock: FixedClock, ticks: int = 3) -> FinishedRun:
    """Start the demo's first planned live drill now, tick `ticks` items a few minutes apart, end it after 50
    minutes, and take the hot wash; the clock is left at the end."""
    drill_id = first_planned(services.db, DrillKind.LIVE)
    run_id = services.runs.start_run(drill_id, confirm_early=True)
    start = clock.now
    with services.db.session() as s:
        items = list(s.scalars(select(ChecklistEntry.id).where(ChecklistEntry.drill_run_id == run_id)
                               .order_by(ChecklistEntry.position, ChecklistEntry.id)))
    for n, item in enumerate(items[:ticks]):
        clock.now = start + timedelta(minutes=4 + 6 * n)
        services.runs.tick(item, expected_version=services.runs.version_of(ChecklistEntry, item))
    clock.now = start + timedelta(minutes=50)
    services.runs.end_run(run_id)
    services.reviews.add_hot_wash_note(run_id, HotWashKind.WENT_WELL, "机动队集结迅速", Agency.BORDER_INSPECTION)
    result = services.reviews.add_hot_wash_note(run_id, HotWashKind.TO_IMPROVE, "隔离室钥匙找了8分钟",
                                                Agency.QUARANTINE)
    return FinishedRun(drill_id, run_id, result.review_id)
