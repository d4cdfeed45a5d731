"""The sealed audit trail: a hash chain over the audit entries, made after the fact, and its check.

Writers never wait for the seal. A sealer (the app's scheduler every few minutes and at start, and
`drillapp audit verify`) takes the committed entries that have no seal yet, in id order, and appends one
link per entry to audit_seal: link n = SHA-256(link n-1, the entry's canonical form), numbered 1, 2, 3 ...
The chain runs in the order entries were sealed, not in id order: an entry whose transaction commits late,
with an id lower than entries sealed already, is simply sealed in a later batch, and nothing breaks.

Two sealers at once (two workstations): on PostgreSQL a transaction-level advisory lock lets one seal and
the other skip; on either database both would try the same next `seq`, the primary key, and the second is
refused and rolled back. Sealing writes no audit entry of its own (or it would never be done).

`verify` walks the chain from the start and reports the first link that does not hold: an entry changed
after it was sealed, a sealed entry deleted, or a seal removed. What it cannot see: an entry changed or
deleted before it was sealed (a few minutes at most while the app runs), the newest entries cut off together
with their seals, or a trail rewritten and sealed again by someone with the owner's rights. Keeping the
head hash it prints somewhere else, and giving it back with `expect`, catches the last two.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, cast

from sqlalchemy import Table, exists, func, insert, select

from drillapp.i18n import _
from drillapp.models import AuditEntry, AuditSeal
from drillapp.services import audit, hashchain
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError, PermissionDeniedError
from drillapp.services.permissions import check_permission

CHAIN = "audit_entry"
GENESIS = hashchain.genesis(CHAIN)
#: The columns of an entry that its link covers (all of them).
FIELDS = ("id", "at", "user_id", "username", "operation", "action", "entity", "entity_id", "before", "after")
BATCH = 1000
#: pg_try_advisory_xact_lock key of the sealer ("drillsea").
LOCK_KEY = int.from_bytes(b"drillsea", "big")

_entry = cast(Table, AuditEntry.__table__)
_seal = cast(Table, AuditSeal.__table__)


def entry_payload(values: Mapping[Any, Any]) -> bytes:
    """An audit entry's canonical bytes, as its seal hashes them."""
    return hashchain.canonical({name: values[name] for name in FIELDS})


@dataclass(frozen=True)
class SealHead:
    """The newest link: its number, the entry it seals, the hash (keep it elsewhere to compare later)."""

    seq: int
    audit_id: int | None
    chain_hash: str


@dataclass(frozen=True)
class VerifyReport:
    intact: bool
    sealed: int  # links that held
    unsealed: int  # entries without a seal after sealing (still being written)
    head: SealHead
    broken_entry: int | None = None
    problem: str = ""  # "", "changed", "entry_missing", "seal_missing", "expected_unknown"
    expected: str | None = None

    def message(self) -> str:
        if self.problem == "changed":
            return _("Audit trail broken at entry {entry}: it does not match its seal (it was changed after it "
                     "was sealed, or the entry sealed just before it was removed).").format(entry=self.broken_entry)
        if self.problem == "entry_missing":
            return _("Audit trail broken at entry {entry}: it was sealed and has been deleted since.").format(
                entry=self.broken_entry)
        if self.problem == "seal_missing":
            return _("Audit trail broken before entry {entry}: seal number {seq} is missing (a seal, and "
                     "probably its entry, were removed).").format(entry=self.broken_entry, seq=self.sealed + 1)
        if self.problem == "expected_unknown":
            return _("The head hash you kept ({hash}) is not in this audit trail's chain: the trail was cut "
                     "short, or rewritten and sealed again.").format(hash=self.expected)
        text = _("Audit trail intact: {sealed} entries sealed; newest seal {seq} (entry {entry}), head hash "
                 "{hash}.").format(sealed=self.sealed, seq=self.head.seq, entry=self.head.audit_id or "-",
                                   hash=self.head.chain_hash)
        if self.unsealed:
            text += " " + _("{count} newer entries are not sealed yet.").format(count=self.unsealed)
        return text

    def as_dict(self) -> dict[str, Any]:
        values = asdict(self)
        head = values.pop("head")
        return {**values, "head_seq": head["seq"], "head_entry": head["audit_id"], "head_hash": head["chain_hash"]}

    def note(self) -> str:
        """The line the check leaves in the audit trail (plain English, like every note)."""
        if self.intact:
            return (f"audit trail verified: intact, {self.sealed} sealed, head seal {self.head.seq} "
                    f"(entry {self.head.audit_id}) {self.head.chain_hash}")
        return f"audit trail verified: broken ({self.problem}) at entry {self.broken_entry}"


class AuditSealService(ServiceBase):
    def head(self) -> SealHead:
        with self.read() as s:
            return _head(s.connection())

    def seal(self, batch: int = BATCH) -> int:
        """Seal every committed entry not sealed yet; returns how many. Quietly stops when another sealer
        is at work (it will seal them) or the database is busy (the next run will).

        The first batch looks for unsealed entries among all; the next ones of the same run only above the
        last id sealed (an entry below it that commits meanwhile is found by the next run's first batch).
        """
        total, after = 0, None
        while True:
            try:
                done, after = self._seal_batch(batch, after)
            except PermissionDeniedError:
                raise
            except DomainError:  # the next seq was taken by another sealer, or the database is busy
                return total
            total += done
            if done < batch:
                return total

    def _seal_batch(self, batch: int, after: int | None) -> tuple[int, int | None]:
        with self.write("audit.seal") as s:
            conn = s.connection()
            if conn.dialect.name == "postgresql" and not conn.scalar(select(func.pg_try_advisory_xact_lock(LOCK_KEY))):
                return 0, after
            head = _head(conn)
            unsealed = select(_entry).where(~exists().where(_seal.c.audit_id == _entry.c.id))
            if after is not None:
                unsealed = unsealed.where(_entry.c.id > after)
            rows = conn.execute(unsealed.order_by(_entry.c.id).limit(batch)).mappings().all()
            if not rows:
                return 0, after
            now = audit.operation_time(s)
            links = hashchain.chain(head.chain_hash, (entry_payload(r) for r in rows))
            seals = [
                {"seq": head.seq + i, "audit_id": r["id"], "chain_hash": h, "sealed_at": now}
                for i, (r, h) in enumerate(zip(rows, links, strict=True), start=1)
            ]
            conn.execute(insert(_seal), seals)
            return len(seals), rows[-1]["id"]

    def verify(self, expect: str | None = None, chunk: int = 5000) -> VerifyReport:
        """Seal what is new, then check the whole chain from its start; the result is noted in the trail.

        `expect`: a head hash kept from an earlier check; the chain must still contain it.
        """
        check_permission(self.actor, "audit.verify")
        self.seal()
        report = self._check(expect, chunk)
        with self.write("audit.verify") as s:
            audit.note(s, "audit_seal", report.head.seq or None, report.note())
        return report

    def _check(self, expect: str | None, chunk: int) -> VerifyReport:
        expect = expect.strip().lower() if expect else None
        with self.read() as s:
            conn = s.connection()
            head = _head(conn)
            unsealed = conn.scalar(
                select(func.count()).select_from(_entry).where(~exists().where(_seal.c.audit_id == _entry.c.id))
            ) or 0
            previous, good, seen_expected = GENESIS, 0, expect is None
            while True:
                rows = conn.execute(
                    select(_seal.c.seq, _seal.c.audit_id.label("sealed_id"), _seal.c.chain_hash, *_entry.c)
                    .select_from(_seal.outerjoin(_entry, _entry.c.id == _seal.c.audit_id))
                    .where(_seal.c.seq > good)
                    .order_by(_seal.c.seq)
                    .limit(chunk)
                ).mappings().all()
                if not rows:
                    break
                cut = next((i for i, r in enumerate(rows) if r["seq"] != good + 1 + i), len(rows))
                in_order = rows[:cut]
                records = [(r["sealed_id"], entry_payload(r) if r["id"] is not None else None, r["chain_hash"])
                           for r in in_order]
                broken, previous, ok = hashchain.first_break(previous, records)
                if not seen_expected and expect in {r["chain_hash"] for r in in_order[:ok]}:
                    seen_expected = True
                if broken is not None:
                    problem = "changed" if in_order[ok]["id"] is not None else "entry_missing"
                    return VerifyReport(False, good + ok, unsealed, head, broken, problem, expect)
                good += ok
                if cut < len(rows):  # a seal number is missing here
                    return VerifyReport(False, good, unsealed, head, rows[cut]["sealed_id"], "seal_missing", expect)
            if not seen_expected:
                return VerifyReport(False, good, unsealed, head, None, "expected_unknown", expect)
            return VerifyReport(True, good, unsealed, head, expected=expect)


def _head(conn: Any) -> SealHead:
    row = conn.execute(
        select(_seal.c.seq, _seal.c.audit_id, _seal.c.chain_hash).order_by(_seal.c.seq.desc()).limit(1)
    ).first()
    if row is None:
        return SealHead(0, None, GENESIS)
    return SealHead(row.seq, row.audit_id, row.chain_hash)


def report_json(report: VerifyReport) -> str:
    return json.dumps(report.as_dict(), ensure_ascii=False)
