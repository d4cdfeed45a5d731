"""Ticking a run's checklist and writing its log: each tick, reopen, note and log line is one operation,
committed (durably) before it returns, and one record in the run's hash chain (run_chain.py).

A tick records who and the exact time it was recorded; it may carry the time it happened (back-timed from a
paper checklist or a phoned-in report), never before the run started nor after now. Measurements use the time
it happened. Once the run has ended (the incident stood down) its checklist and log are closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillapp.clock import from_local, to_local
from drillapp.i18n import _
from drillapp.models import ChecklistEntry, DrillRun, Incident, LogEntry
from drillapp.models.enums import Agency, EventAction, IncidentStatus, ItemState, LogKind, RunStatus
from drillapp.services import audit, run_chain, run_clock, validate
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError, NotFoundError, ValidationError

ACTION_OF = {
    ItemState.DONE: EventAction.DONE,
    ItemState.NOT_APPLICABLE: EventAction.NOT_APPLICABLE,
    ItemState.SKIPPED: EventAction.SKIPPED,
    ItemState.OPEN: EventAction.REOPEN,
}
CLOSED = (RunStatus.ENDED, IncidentStatus.STOOD_DOWN)
#: How far a typed (back-timed) time may fall outside the run's start and now, and be taken as that instead.
TYPED_SLACK = timedelta(minutes=1)
#: Log kinds only the run's own operations write (pause and resume keep the clock).
RESERVED_KINDS = (LogKind.PAUSE, LogKind.RESUME)


@dataclass(frozen=True)
class TickResult:
    """What a tick committed: the UI shows the item as ticked only once it has this."""

    event_id: int
    entry_id: int
    state: ItemState
    happened_at: datetime | None
    recorded_at: datetime
    row_version: int


def pauses_of(session: Session, run_id: int) -> tuple[run_clock.Pause, ...]:
    """The run's pauses, from its log."""
    rows = session.execute(
        select(LogEntry.at, LogEntry.kind).where(LogEntry.drill_run_id == run_id,
                                                 LogEntry.kind.in_(RESERVED_KINDS)).order_by(LogEntry.seq))
    return run_clock.pauses_from([(at, kind is LogKind.PAUSE) for at, kind in rows])


def _owner_of(entry: ChecklistEntry) -> run_chain.Owner:
    if entry.drill_run_id is not None:
        return run_chain.run(entry.drill_run_id)
    assert entry.incident_id is not None
    return run_chain.incident(entry.incident_id)


def _owner_of_id(session: Session, entry_id: int) -> run_chain.Owner:
    """The run (or incident) of a checklist item, read without loading the item (it is loaded under the lock)."""
    row = session.execute(select(ChecklistEntry.drill_run_id, ChecklistEntry.incident_id)
                          .where(ChecklistEntry.id == entry_id)).first()
    if row is None:
        raise NotFoundError(_("{what} {id} does not exist (it may have been deleted).").format(
            what=_("Checklist item"), id=entry_id))
    return run_chain.run(row.drill_run_id) if row.drill_run_id is not None else run_chain.incident(row.incident_id)


def _closed_message(owner: run_chain.Owner, what: str) -> str:
    if owner.table == "incident":
        return _("This incident has been stood down; its log is closed.") if what == "log" else _(
            "This incident has been stood down; its checklist is closed.")
    return _("This drill run has ended; its log is closed.") if what == "log" else _(
        "This drill run has ended; its checklist is closed.")


def happened(session: Session, owner: run_chain.Owner, value: datetime | None, now: datetime) -> datetime:
    """The time something happened: now, or a back-timed moment (aware, or naive UTC) between the start of the run
    and now. A time typed to the minute from a paper sheet may fall up to a minute outside (the start was at
    09:30:27, the sheet says 09:30): it is taken as the start (or now)."""
    if value is None:
        return now
    when = from_local(value) if value.tzinfo is not None else value
    if owner.table == "drill_run":
        start = session.scalar(select(DrillRun.started_at).where(DrillRun.id == owner.id))
    else:
        # an incident's back-timed entries may go back to the alarm (before the desk opened it)
        start = session.scalar(select(func.coalesce(Incident.alarm_at, Incident.opened_at)).where(Incident.id == owner.id))
    if when > now + TYPED_SLACK:
        raise ValidationError(_("The time it happened cannot be later than now."), "happened_at")
    if start is not None and when < start - TYPED_SLACK:
        raise ValidationError(_("The time it happened cannot be before the start of the drill."), "happened_at")
    return min(max(when, start or when), now)


def _ticked_by(session: Session, user_id: int | None) -> str:
    from drillapp.models import User

    row = session.execute(select(User.username, User.display_name).where(User.id == user_id)).first() \
        if user_id is not None else None
    return (row.display_name or row.username) if row is not None else "—"


class RunLogOps(ServiceBase):
    """The checklist and log operations of RunService (a mixin: `self.write`, `self.actor`)."""

    def tick(self, entry_id: int, state: ItemState = ItemState.DONE, *, note: str = "", reason: str = "",
             happened_at: datetime | None = None, expected_version: int) -> TickResult:
        """Mark a checklist item done, not applicable or skipped (with a reason), or reopen it (`ItemState.OPEN`).

        `happened_at` back-times it (naive UTC, or an aware datetime); `expected_version` refuses the change
        when the item changed since the desk showed it (another desk ticked it)."""
        with self.write("runs.tick_entry") as s:
            owner = _owner_of_id(s, entry_id)
            with run_chain.ChainWriter(s, owner) as chain:
                if chain.status in CLOSED:
                    raise DomainError(_closed_message(owner, "checklist"))
                entry = validate.get(s, ChecklistEntry, entry_id, _("Checklist item"))  # as it is now, under the lock
                if entry.state is state:  # said before the version: "already ticked" tells the desk more
                    if state is ItemState.DONE and entry.recorded_at is not None:  # by whom, when (another desk)
                        raise DomainError(_("This item was already ticked by {who} at {time}.").format(
                            who=_ticked_by(s, entry.done_by_id), time=to_local(entry.recorded_at).strftime("%H:%M:%S")))
                    raise DomainError({
                        ItemState.DONE: _("This item was already ticked."),
                        ItemState.NOT_APPLICABLE: _("This item is marked not applicable already."),
                        ItemState.SKIPPED: _("This item is marked skipped already."),
                        ItemState.OPEN: _("This item is open already."),
                    }[state])
                validate.expect_version(entry, expected_version)
                now = audit.operation_time(s)
                note = validate.long_text(note, "note", _("Note"))
                reason = validate.long_text(reason, "reason", _("Reason"))
                if state is ItemState.SKIPPED and not reason:
                    raise ValidationError(_("Say why the item is skipped."), "reason")
                when = happened(s, owner, happened_at, now) if state is not ItemState.OPEN else now
                actor = self.actor
                event = chain.event(entry_id=entry.id, action=ACTION_OF[state], happened_at=when, recorded_at=now,
                                    author_id=actor.user_id, author_name=actor.username,
                                    text=reason if state is ItemState.SKIPPED else note)
                entry.state = state
                if state is ItemState.OPEN:
                    entry.done_at = entry.recorded_at = entry.done_by_id = None
                    entry.reason = ""
                else:
                    entry.done_at, entry.recorded_at, entry.done_by_id = when, now, actor.user_id
                    entry.reason = reason if state is ItemState.SKIPPED else ""
                if note:
                    entry.note = note
            s.flush()
            return TickResult(event.id, entry.id, state, entry.done_at, now, entry.row_version)

    def tick_entry(self, entry_id: int, note: str = "", *, happened_at: datetime | None = None,
                   expected_version: int) -> TickResult:
        """Mark a checklist item done (see `tick`)."""
        return self.tick(entry_id, ItemState.DONE, note=note, happened_at=happened_at,
                         expected_version=expected_version)

    def reopen(self, entry_id: int, expected_version: int) -> TickResult:
        return self.tick(entry_id, ItemState.OPEN, expected_version=expected_version)

    def note_entry(self, entry_id: int, note: str, *, expected_version: int) -> int:
        """A note on a checklist item (what was done, by whom, where), as an event of its own; returns its id."""
        with self.write("runs.note_entry") as s:
            entry = validate.get(s, ChecklistEntry, entry_id, _("Checklist item"))
            validate.expect_version(entry, expected_version)
            owner = _owner_of(entry)
            note = validate.long_text(note, "note", _("Note"), required=True)
            with run_chain.ChainWriter(s, owner) as chain:
                if chain.status in CLOSED:
                    raise DomainError(_closed_message(owner, "checklist"))
                now = audit.operation_time(s)
                actor = self.actor
                event = chain.event(entry_id=entry.id, action=EventAction.NOTE, happened_at=now, recorded_at=now,
                                    author_id=actor.user_id, author_name=actor.username, text=note)
                entry.note = note
            s.flush()
            return event.id

    def add_log_entry(
        self, text: str, *, drill_run_id: int | None = None, incident_id: int | None = None,
        kind: LogKind = LogKind.NOTE, agency: Agency | None = None, happened_at: datetime | None = None,
        corrects_id: int | None = None,
    ) -> int:
        """A line of the run's (or incident's) log, with a branch tag (`agency`); `happened_at` back-times it;
        `corrects_id` makes it the correction of an earlier line (which stays as it was). Returns its id."""
        with self.write("runs.add_log_entry") as s:
            if (drill_run_id is None) == (incident_id is None):
                raise DomainError(_("A log entry belongs to exactly one drill run or incident."))
            if kind in RESERVED_KINDS:
                raise DomainError(_("Pause and resume the drill with its own commands."))
            owner = run_chain.run(drill_run_id) if drill_run_id is not None else run_chain.incident(incident_id)  # type: ignore[arg-type]  # one of the two ids is given (checked above)
            if owner.table == "drill_run":
                validate.get(s, DrillRun, owner.id, _("Drill run"))
            else:
                validate.get(s, Incident, owner.id, _("Incident"))
            text = validate.long_text(text, "text", _("Log text"), required=True)
            with run_chain.ChainWriter(s, owner) as chain:
                if chain.status in CLOSED:
                    raise DomainError(_closed_message(owner, "log"))
                if corrects_id is not None:
                    corrected = s.get(LogEntry, corrects_id)
                    if corrected is None or getattr(corrected, owner.column) != owner.id:
                        raise NotFoundError(_("Log entry {id} is not in this log.").format(id=corrects_id))
                now = audit.operation_time(s)
                actor = self.actor
                entry = chain.log(at=happened(s, owner, happened_at, now), recorded_at=now, author_id=actor.user_id,
                                  author_name=actor.username, agency=agency, kind=kind, text=text,
                                  corrects_id=corrects_id)
            s.flush()
            return entry.id
