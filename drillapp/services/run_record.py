"""A finished (or running) run as a record: what the completed-run print-out and the review show.

The timeline merges the log and the checklist events in the order things happened (back-timed entries where
they belong, with both times kept); every timed action is measured against its target (measures.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from drillapp.models.enums import Agency, EventAction, LogKind
from drillapp.services.drill_inputs import ObjectiveInfo, ParticipantInfo, objectives_of, participants_of
from drillapp.services.measures import Measure, measure_all, on_target_share
from drillapp.services.run_console import load_snapshot
from drillapp.services.run_view import RunSnapshot


@dataclass(frozen=True)
class TimelineLine:
    at: datetime  # when it happened
    recorded_at: datetime  # when it was written at a desk
    author: str
    agency: Agency | None
    kind: LogKind | None  # a log line's kind (None: a checklist event)
    action: EventAction | None  # a checklist event's action (None: a log line)
    item_text: str  # the checklist item an event is about
    text: str  # the log line, or the event's note / reason
    seq: int
    corrects_seq: int | None  # a correction: the number of the line it corrects

    @property
    def back_timed(self) -> bool:
        return self.at != self.recorded_at


@dataclass(frozen=True)
class RunRecord:
    snapshot: RunSnapshot
    objectives: tuple[ObjectiveInfo, ...]
    participants: tuple[ParticipantInfo, ...]
    timeline: tuple[TimelineLine, ...]
    measures: tuple[Measure, ...]
    on_target: int
    timed: int


def timeline_of(snapshot: RunSnapshot) -> tuple[TimelineLine, ...]:
    items = {i.id: i for i in snapshot.items}
    seq_of = {line.id: line.seq for line in snapshot.log}
    lines = [TimelineLine(line.at, line.recorded_at, line.author, line.agency, line.kind, None, "", line.text,
                          line.seq, seq_of.get(line.corrects_id) if line.corrects_id else None)
             for line in snapshot.log]
    for e in snapshot.events:
        item = items.get(e.entry_id)
        lines.append(TimelineLine(e.happened_at, e.recorded_at, e.author, item.agency if item else None, None,
                                  e.action, item.text if item else "", e.text, e.seq, None))
    return tuple(sorted(lines, key=lambda t: (t.at, t.seq)))


def load_record(session: Session, run_id: int) -> RunRecord:
    from drillapp.models import Drill

    snapshot = load_snapshot(session, run_id, log_limit=None)
    drill = session.get(Drill, snapshot.drill_id)
    assert drill is not None
    measures = measure_all(snapshot.started_at, snapshot.pauses, snapshot.items, snapshot.level, snapshot.ended_at)
    on_target, timed = on_target_share(measures)
    return RunRecord(snapshot, objectives_of(drill), participants_of(session, drill), timeline_of(snapshot), measures,
                     on_target, timed)
