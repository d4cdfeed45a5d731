"""Other workstations' changes, as change sets, without losing one.

SQLite has one writer at a time, so audit ids are taken and committed in the same order: polling "audit
entries above the last id seen" is exact there (`PollingFeed`).

On PostgreSQL it is not: a transaction may take audit id 100, commit after the one that took 101, and a
poller that already moved past 101 never sees 100. So every write transaction announces what it changed with
`NOTIFY` (`announce`, called by ServiceBase.write just before commit). PostgreSQL delivers a notification
only when its transaction commits, in commit order, to every listening connection: nothing committed is
missed while the listener is connected (`ListeningFeed`). If the listening connection drops, what happened
meanwhile is unknown, so after reconnecting the feed reports "everything may have changed" and screens
reload. A periodic safety re-read also picks up audit entries written by something that does not announce
(an older drillapp, a hand-made fix in psql) once they are committed.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from drillapp.models import AuditEntry
from drillapp.services.changes import ChangeSet

log = logging.getLogger(__name__)

CHANNEL = "drillapp_changes"
#: PostgreSQL refuses a notification payload of 8000 bytes or more: keep well below, dropping ids first.
MAX_PAYLOAD = 7000
#: Who this process is, so a workstation can tell its own announcements from the others'.
DESK = uuid.uuid4().hex[:12]
SAFETY_EVERY = 10  # polls: the re-read of the audit trail runs every this many polls


def ranges(ids: list[int]) -> list[list[int]]:
    """[3, 4, 5, 9] -> [[3, 5], [9, 9]]: a transaction's audit ids, compactly."""
    out: list[list[int]] = []
    for i in sorted(ids):
        if out and i == out[-1][1] + 1:
            out[-1][1] = i
        else:
            out.append([i, i])
    return out


def _payload(changes: ChangeSet, audit_ids: list[int]) -> str:
    body: dict[str, Any] = {
        "d": DESK,
        "a": ranges(audit_ids)[:200],
        "o": sorted(changes.operations),
        "e": {kind: sorted(changes.ids.get(kind, ())) for kind in sorted(changes.entities)},
    }
    raw = json.dumps(body, separators=(",", ":"))
    if len(raw.encode()) > MAX_PAYLOAD:
        body["e"] = {kind: [] for kind in sorted(changes.entities)}
        raw = json.dumps(body, separators=(",", ":"))
    if len(raw.encode()) > MAX_PAYLOAD:
        raw = json.dumps({"d": DESK, "all": True})
    return raw


def announce(session: Session, changes: ChangeSet) -> None:
    """NOTIFY the other workstations from inside the write transaction (sent only if it commits)."""
    from drillapp.services import audit

    payload = _payload(changes, audit.written_ids(session))
    session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload})


def parse(payload: str) -> tuple[str, ChangeSet, list[list[int]]]:
    """(the announcing desk, its change set, its audit id ranges) from a notification's payload."""
    try:
        body = json.loads(payload)
    except ValueError:
        return "", ChangeSet.all(remote=True), []
    if body.get("all"):
        return body.get("d", ""), ChangeSet.all(remote=True), []
    ids = {kind: [int(i) for i in values] for kind, values in body.get("e", {}).items()}
    operations = body.get("o") or []
    change = ChangeSet.of(ids=ids, remote=True)
    if operations:
        change = ChangeSet(change.entities, change.ids, frozenset(operations), remote=True)
    return body.get("d", ""), change, [list(r) for r in body.get("a", [])]


def _since(session: Session, after_id: int) -> tuple[int, dict[str, set[int]]]:
    newest = session.scalar(select(func.max(AuditEntry.id))) or 0
    if newest <= after_id:
        return after_id, {}
    touched: dict[str, set[int]] = {}
    rows = session.execute(
        select(AuditEntry.entity, AuditEntry.entity_id).where(AuditEntry.id > after_id, AuditEntry.id <= newest)
        .distinct().limit(5000)
    )
    for entity, entity_id in rows:
        ids = touched.setdefault(entity, set())
        if entity_id is not None:
            ids.add(entity_id)
    return newest, touched


class PollingFeed:
    """SQLite: the audit entries above the last id seen (exact: one writer at a time)."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.last_seen: int | None = None

    def poll(self, timeout: float = 0.0) -> ChangeSet:  # noqa: ARG002 - same signature as ListeningFeed
        with self.db.session() as s:
            if self.last_seen is None:
                self.last_seen = s.scalar(select(func.max(AuditEntry.id))) or 0
                return ChangeSet()
            self.last_seen, touched = _since(s, self.last_seen)
        return ChangeSet.of(ids=touched, remote=True) if touched else ChangeSet()

    def close(self) -> None:
        pass


def libpq_conninfo(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as libpq understands it (no '+psycopg' driver part)."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


class ListeningFeed:
    """PostgreSQL: LISTEN on a connection of its own; each committed write arrives as one notification.

    `poll(timeout)` waits up to `timeout` seconds for notifications and returns what they announced (this
    desk's own announcements left out: its screens were told by the runner already)."""

    def __init__(self, db: Any, *, include_own: bool = False) -> None:
        self.db = db
        self.include_own = include_own
        self.conn: Any = None
        self.connected_once = False
        self.polls = 0
        self.watermark: int | None = None
        self.announced: set[int] = set()  # audit ids above the watermark that arrived announced

    def _connect(self) -> None:
        import psycopg

        self.conn = psycopg.connect(libpq_conninfo(self.db.url), autocommit=True, connect_timeout=5)
        self.conn.execute(f"LISTEN {CHANNEL}")

    def poll(self, timeout: float = 0.0) -> ChangeSet:
        import psycopg

        if self.conn is None or self.conn.closed:
            first = not self.connected_once
            self._connect()
            self.connected_once = True
            with self.db.session() as s:
                self.watermark = s.scalar(select(func.max(AuditEntry.id))) or 0
            # after a gap (not the first connection) anything may have changed meanwhile
            return ChangeSet() if first else ChangeSet.all(remote=True)
        result = ChangeSet()
        try:
            for note in self.conn.notifies(timeout=max(timeout, 0.001), stop_after=1000):
                desk, change, audit_ranges = parse(note.payload)
                for low, high in audit_ranges:
                    if high - low < 100_000:
                        self.announced.update(range(low, high + 1))
                if desk == DESK and not self.include_own:
                    continue
                result = result.merge(change) if result else change
        except psycopg.OperationalError:
            log.warning("change feed: the listening connection dropped; reconnecting")
            self.close()
            return ChangeSet()
        self.polls += 1
        if self.polls % SAFETY_EVERY == 0:
            result = self._safety_reread(result)
        return result

    def _safety_reread(self, result: ChangeSet) -> ChangeSet:
        """Audit entries committed without an announcement (written by something other than drillapp's services,
        or announced while this desk was not listening) still show."""
        with self.db.session() as s:
            after = self.watermark or 0
            newest = s.scalar(select(func.max(AuditEntry.id))) or 0
            if newest <= after:
                return result
            rows = s.execute(
                select(AuditEntry.id, AuditEntry.entity, AuditEntry.entity_id)
                .where(AuditEntry.id > after, AuditEntry.id <= newest)
            ).all()
        self.watermark = newest
        touched: dict[str, set[int]] = {}
        for audit_id, entity, entity_id in rows:
            if audit_id in self.announced:
                continue
            ids = touched.setdefault(entity, set())
            if entity_id is not None:
                ids.add(entity_id)
        self.announced = {i for i in self.announced if i > newest}
        if not touched:
            return result
        extra = ChangeSet.of(ids=touched, remote=True)
        return result.merge(extra) if result else extra

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:  # already broken: nothing to close
                log.debug("change feed: closing a broken connection", exc_info=True)
        self.conn = None


def open_feed(db: Any) -> PollingFeed | ListeningFeed:
    """The change feed that suits the database: polling on SQLite, LISTEN/NOTIFY on PostgreSQL."""
    if db.is_sqlite or os.environ.get("DRILLAPP_CHANGE_FEED") == "poll":
        return PollingFeed(db)
    return ListeningFeed(db)
