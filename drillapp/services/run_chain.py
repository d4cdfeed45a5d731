"""The hash chain of a run's record (a drill run's, and an incident's): log entries and checklist events.

Each record gets the next number of its owner's chain (`seq`: 1, 2, 3 ... over both tables) and
`chain_hash` = SHA-256 over the previous link and the record's canonical content (services/hashchain.py); the
first record links to a genesis hash named after its owner ("drill_run:12"), so no chain can be passed off as
another's. The id a database gives a row is not part of it (it is drawn at insert, after the hash is made);
the owner and the number are.

Writing: `ChainWriter` first updates the owner's row (the chain's head: `chain_seq`, `chain_head`), which takes
that row's lock on PostgreSQL and the database's write lock on SQLite, so two desks ticking the same run take
turns for the length of one short transaction; it reads the head under that lock, appends the records and
moves the head on. The owner's status comes back from the same statement, fresh, so a tick cannot slip in
after the run was ended.

Checking: `verify` recomputes every link in order and names the first record that no longer matches (changed
after it was written), a number missing (a record deleted), a number twice, or a head that does not match the
last record (records cut off at the end).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session

from drillapp.i18n import _
from drillapp.models import ChecklistEvent, DrillRun, Incident, LogEntry
from drillapp.models.enums import EventAction, LogKind
from drillapp.services import hashchain

#: The columns of a log entry and of a checklist event that their links cover.
LOG_FIELDS = ("seq", "at", "recorded_at", "author_id", "author_name", "agency", "kind", "text", "corrects_id")
EVENT_FIELDS = ("seq", "entry_id", "action", "happened_at", "recorded_at", "author_id", "author_name", "text")

_OWNERS = {"drill_run": cast(Table, DrillRun.__table__), "incident": cast(Table, Incident.__table__)}
#: session.info key: the owners this transaction found running (or active) under their lock; a running run has no
#: review yet, so the sign-off rule (review_rules.py) need not look for one.
OPEN_OWNERS = "drillapp.open_chain_owners"
OPEN_STATUSES = ("running", "active")


@dataclass(frozen=True)
class Owner:
    """Whose record: a drill run or an incident."""

    table: str  # "drill_run" or "incident"
    id: int

    @property
    def column(self) -> str:
        return f"{self.table}_id"

    @property
    def label(self) -> str:
        return f"{self.table}:{self.id}"

    @property
    def genesis(self) -> str:
        return hashchain.genesis(self.label)


def run(run_id: int) -> Owner:
    return Owner("drill_run", run_id)


def incident(incident_id: int) -> Owner:
    return Owner("incident", incident_id)


def log_payload(owner: Owner, values: Mapping[Any, Any]) -> bytes:
    """A log entry's canonical bytes, as its link hashes them."""
    return hashchain.canonical({"record": "log_entry", "owner": owner.label, **{k: values[k] for k in LOG_FIELDS}})


def event_payload(owner: Owner, values: Mapping[Any, Any]) -> bytes:
    """A checklist event's canonical bytes, as its link hashes them."""
    return hashchain.canonical({"record": "checklist_event", "owner": owner.label,
                                **{k: values[k] for k in EVENT_FIELDS}})


class ChainWriter:
    """Appends records to one owner's chain inside the current write operation.

        with ChainWriter(session, run_chain.run(run_id)) as chain:
            if chain.status is RunStatus.ENDED: raise ...
            chain.log(at=..., ...)
    """

    def __init__(self, session: Session, owner: Owner) -> None:
        self.session, self.owner = session, owner
        table = _OWNERS[owner.table]
        row = session.execute(
            update(table).where(table.c.id == owner.id).values(chain_seq=table.c.chain_seq)
            .returning(table.c.chain_seq, table.c.chain_head, table.c.status)
        ).first()
        if row is None:
            from drillapp.services.errors import NotFoundError

            raise NotFoundError(_("{what} {id} does not exist (it may have been deleted).").format(
                what=_("Drill run") if owner.table == "drill_run" else _("Incident"), id=owner.id))
        self.seq: int = row.chain_seq
        self.head: str = row.chain_head or owner.genesis
        self.status = row.status
        self._moved = False
        if getattr(row.status, "value", None) in OPEN_STATUSES:  # known open, under its lock, in this transaction
            session.info.setdefault(OPEN_OWNERS, set()).add(owner.label)

    def __enter__(self) -> ChainWriter:
        return self

    def __exit__(self, exc_type: Any, *_exc: Any) -> None:
        if exc_type is None:
            self.close()

    def _next(self, payload: bytes) -> str:
        self.head = hashchain.link(self.head, payload)
        self._moved = True
        return self.head

    def log(self, *, at: datetime, recorded_at: datetime, text: str, kind: LogKind = LogKind.NOTE,
            author_id: int | None = None, author_name: str = "", agency: Any = None,
            corrects_id: int | None = None) -> LogEntry:
        self.seq += 1
        values = dict(seq=self.seq, at=at, recorded_at=recorded_at, author_id=author_id, author_name=author_name,
                      agency=agency, kind=kind, text=text, corrects_id=corrects_id)
        entry = LogEntry(**{self.owner.column: self.owner.id}, **values,
                         chain_hash=self._next(log_payload(self.owner, values)))
        self.session.add(entry)
        return entry

    def event(self, *, entry_id: int, action: EventAction, happened_at: datetime, recorded_at: datetime,
              author_id: int | None = None, author_name: str = "", text: str = "") -> ChecklistEvent:
        self.seq += 1
        values = dict(seq=self.seq, entry_id=entry_id, action=action, happened_at=happened_at,
                      recorded_at=recorded_at, author_id=author_id, author_name=author_name, text=text)
        event = ChecklistEvent(**{self.owner.column: self.owner.id}, **values,
                               chain_hash=self._next(event_payload(self.owner, values)))
        self.session.add(event)
        return event

    def close(self) -> None:
        """Move the owner's head on (once, after the records of this operation)."""
        if not self._moved:
            return
        table = _OWNERS[self.owner.table]
        self.session.execute(update(table).where(table.c.id == self.owner.id)
                             .values(chain_seq=self.seq, chain_head=self.head))
        self._moved = False


def bulk_log_rows(owner: Owner, seq: int, head: str, rows: Iterable[dict[str, Any]]) -> tuple[list[dict[str, Any]], int, str]:
    """Log rows for a bulk insert (the demo's benchmark data), numbered and linked on from (seq, head); returns
    the rows and the new head. Each row needs the LOG_FIELDS but seq."""
    out = []
    head = head or owner.genesis
    for row in rows:
        seq += 1
        values = {**{k: None for k in LOG_FIELDS}, **row, "seq": seq}
        head = hashchain.link(head, log_payload(owner, values))
        out.append({**values, owner.column: owner.id, "chain_hash": head})
    return out, seq, head


# -- checking -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    owner: Owner
    intact: bool
    records: int  # records whose links held
    head: str  # the last link that held (the genesis hash when none did)
    #: the first record that breaks the chain: ("log_entry" or "checklist_event", its id, its number)
    table: str | None = None
    record_id: int | None = None
    seq: int | None = None
    problem: str = ""  # "", "changed", "missing", "duplicate", "cut_short", "head"

    def _what(self) -> str:
        owner = (_("drill run {id}") if self.owner.table == "drill_run" else _("incident {id}")).format(id=self.owner.id)
        return owner

    def message(self) -> str:
        what = self._what()
        record = (_("log entry {id}") if self.table == "log_entry" else _("checklist event {id}")).format(
            id=self.record_id)
        if self.problem == "changed":
            return _("The log of {what} is broken at {record} (number {seq} in its chain): it does not match its "
                     "hash; it was changed after it was written.").format(what=what, record=record, seq=self.seq)
        if self.problem == "missing":
            return _("The log of {what} is broken before {record}: record number {seq} of its chain is missing "
                     "(deleted).").format(what=what, record=record, seq=self.records + 1)
        if self.problem == "duplicate":
            return _("The log of {what} is broken at {record}: number {seq} of its chain is there twice.").format(
                what=what, record=record, seq=self.seq)
        if self.problem == "cut_short":
            return _("The log of {what} is broken at its end: it should have {count} records and has {have} (the "
                     "newest were deleted).").format(what=what, count=self.seq, have=self.records)
        if self.problem == "head":
            return _("The log of {what} is broken at its end: the chain's head recorded for it does not match its "
                     "last record.").format(what=what)
        return _("The log of {what} is intact: {count} records, head hash {hash}.").format(
            what=what, count=self.records, hash=self.head)

    def as_dict(self) -> dict[str, Any]:
        return {"owner": self.owner.table, "id": self.owner.id, "intact": self.intact, "records": self.records,
                "head": self.head, "problem": self.problem, "table": self.table, "record_id": self.record_id,
                "seq": self.seq}


def verify(session: Session, owner: Owner) -> ChainReport:
    """Walk the owner's chain from its start (see the module's docstring for what it catches)."""
    table = _OWNERS[owner.table]
    head_row = session.execute(select(table.c.chain_seq, table.c.chain_head).where(table.c.id == owner.id)).first()
    if head_row is None:
        from drillapp.services.errors import NotFoundError

        raise NotFoundError(_("{what} {id} does not exist (it may have been deleted).").format(
            what=_("Drill run") if owner.table == "drill_run" else _("Incident"), id=owner.id))
    log_t, event_t = cast(Table, LogEntry.__table__), cast(Table, ChecklistEvent.__table__)
    records: list[tuple[int, str, Mapping[Any, Any]]] = []
    for t in (log_t, event_t):
        for found in session.execute(select(t).where(t.c[owner.column] == owner.id)).mappings():
            records.append((found["seq"], t.name, found))
    records.sort(key=lambda r: (r[0], r[1], r[2]["id"]))
    previous, good = owner.genesis, 0
    for seq, name, row in records:
        if seq == good:  # the number just checked, once more
            return ChainReport(owner, False, good, previous, name, row["id"], seq, "duplicate")
        if seq != good + 1:
            return ChainReport(owner, False, good, previous, name, row["id"], seq, "missing")
        payload = log_payload(owner, row) if name == "log_entry" else event_payload(owner, row)
        if hashchain.link(previous, payload) != row["chain_hash"]:
            return ChainReport(owner, False, good, previous, name, row["id"], seq, "changed")
        previous, good = row["chain_hash"], good + 1
    if head_row.chain_seq > good:
        return ChainReport(owner, False, good, previous, None, None, head_row.chain_seq, "cut_short")
    if good and (head_row.chain_head or owner.genesis) != previous:
        return ChainReport(owner, False, good, previous, None, None, None, "head")
    return ChainReport(owner, True, good, previous)
