"""The after-action review of a real incident, read as a drill's is (review_read.py), marked real.

An incident's review is made once it has been stood down (`ReviewService.create_from_incident`: the one it has,
or a new one, logged in the incident's log). What the review editor and the AAR/IP print-out read for it comes
from the incident instead of a drill and its run: the overview (the incident's number and title, its plan and
level, the alarm and the stand-down, the place, the description as the scenario, the branches that acted and
who was called out), the timeline of every log line and checklist event, and each timed action measured from
the alarm, or from the escalation that brought it. An incident has no exercise objectives to rate.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillapp.models import ChecklistEvent
from drillapp.models.enums import Agency, DrillKind, RunStatus
from drillapp.services.drill_inputs import ParticipantInfo
from drillapp.services.incident_view import IncidentSnapshot, load_incident
from drillapp.services.measures import measure, on_target_share
from drillapp.services.run_record import RunRecord, timeline_of
from drillapp.services.run_view import EventRow, RunSnapshot

#: the marking of an incident's review, where a drill's says 演练 / DRILL
REAL_INCIDENT_MARK = "真实事件 / REAL INCIDENT"


def incident_run_snapshot(session: Session, snap: IncidentSnapshot) -> RunSnapshot:
    """The incident in the shape of a finished run's record (what the review's timeline and measures read)."""
    events = tuple(EventRow(e.id, e.seq, e.entry_id, e.action, e.happened_at, e.recorded_at, e.author_name, e.text)
                   for e in session.scalars(select(ChecklistEvent).where(ChecklistEvent.incident_id == snap.id)
                                            .order_by(ChecklistEvent.seq)))
    return RunSnapshot(
        run_id=0, drill_id=0, drill_title=f"{snap.number} {snap.title}", drill_kind=DrillKind.FULL_SCALE,
        unplanned=False, status=RunStatus.ENDED, level=snap.level, plan_id=snap.plan_id, plan_code=snap.plan_code,
        plan_title=snap.plan_title, plan_version=snap.plan_version, port_id=snap.port_id, port_zone=snap.port_zone,
        started_at=snap.alarm_at, ended_at=snap.closed_at, started_by=snap.opened_by, scheduled_start=snap.alarm_at,
        location=snap.location, scenario=snap.description, pauses=(), items=tuple(i.row for i in snap.items),
        log=snap.log, log_total=snap.log_total, events=events, injects=(), contacts=(), tabletop_step=None,
        scenario_jump_minutes=0, marks=(), chain_seq=snap.chain_seq, chain_head=snap.chain_head,
        row_version=snap.row_version)


def incident_record(session: Session, incident_id: int) -> tuple[IncidentSnapshot, RunRecord]:
    """The incident and its record as a review reads it: every log line and event; each timed action measured
    from when it was owed (the alarm, or its escalation), an incident's clock never pausing."""
    snap = load_incident(session, incident_id, log_limit=None)
    run = incident_run_snapshot(session, snap)
    measures = tuple(measure(i.counted_from, (), i.row, snap.closed_at) for i in snap.items)
    on_target, timed = on_target_share(measures)
    called = tuple(ParticipantInfo("player", c.name, c.agency) for c in snap.called)
    return snap, RunRecord(run, (), called, timeline_of(run), measures, on_target, timed)


def acting_branches(snap: IncidentSnapshot) -> tuple[Agency, ...]:
    """The branches that had actions on the checklist or were called out, in the usual order."""
    seen = {i.row.agency for i in snap.items} | {c.agency for c in snap.called}
    return tuple(a for a in Agency if a in seen)

