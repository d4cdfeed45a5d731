"""What an operation changed, as plain data: the change set every open screen refreshes from.

A write operation (`ServiceBase.write`) knows, from the audit hook, every row it inserted, updated or
deleted. After it commits it hands that record, a `ChangeSet`, to whoever is recording on this thread (the
UI's operation runner records around each operation it runs). The change feed from other workstations
(changes_feed.py) delivers the same `ChangeSet`, so a screen has one way to learn that something changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from types import MappingProxyType

AUDIT_TABLE = "audit_entry"


def _frozen(ids: Mapping[str, Iterable[int]]) -> Mapping[str, frozenset[int]]:
    return MappingProxyType({kind: frozenset(values) for kind, values in ids.items()})


@dataclass(frozen=True)
class ChangeSet:
    """Which kinds of record changed (table names, as in the audit trail), which ids, by which operation.

    `everything` says "assume anything may have changed" (a restore, a reconnect of the change feed after a
    gap): every screen reloads. `remote` is True when the change came from another workstation.
    """

    entities: frozenset[str] = frozenset()
    ids: Mapping[str, frozenset[int]] = field(default_factory=lambda: MappingProxyType({}))
    operations: frozenset[str] = frozenset()
    everything: bool = False
    remote: bool = False

    @classmethod
    def of(cls, *entities: str, ids: Mapping[str, Iterable[int]] | None = None, operation: str | None = None,
           remote: bool = False) -> ChangeSet:
        kinds = frozenset(entities) | frozenset((ids or {}).keys())
        return cls(kinds, _frozen(ids or {}), frozenset({operation} if operation else ()), remote=remote)

    @classmethod
    def all(cls, remote: bool = False) -> ChangeSet:
        return cls(everything=True, remote=remote)

    def __bool__(self) -> bool:
        return self.everything or bool(self.entities)

    def touches(self, kinds: Iterable[str]) -> bool:
        """True when any of these kinds of record changed (or anything may have). Every change writes the audit
        trail, so a screen showing the trail is touched by any change."""
        kinds = frozenset(kinds)
        if self.everything or not self.entities.isdisjoint(kinds):
            return True
        return AUDIT_TABLE in kinds and bool(self.entities)

    def touches_record(self, kind: str, record_id: int | None) -> bool:
        """True when this one record may have changed (ids unknown for a kind count as 'maybe')."""
        if self.everything:
            return True
        if kind not in self.entities:
            return False
        known = self.ids.get(kind)
        return known is None or not known or record_id in known

    def merge(self, other: ChangeSet) -> ChangeSet:
        ids: dict[str, set[int]] = {k: set(v) for k, v in self.ids.items()}
        for k, v in other.ids.items():
            ids.setdefault(k, set()).update(v)
        return ChangeSet(self.entities | other.entities, _frozen(ids), self.operations | other.operations,
                         self.everything or other.everything, self.remote and other.remote)


class ChangeRecorder:
    """Collects the change sets of the operations run on this thread while it records."""

    def __init__(self) -> None:
        self.changes = ChangeSet()

    def add(self, changes: ChangeSet) -> None:
        self.changes = self.changes.merge(changes) if self.changes else changes


_recorder: ContextVar[ChangeRecorder | None] = ContextVar("drillapp_change_recorder", default=None)


@contextmanager
def recording() -> Iterator[ChangeRecorder]:
    """Record what the operations run inside this block change (per thread: each worker has its own)."""
    recorder = ChangeRecorder()
    token = _recorder.set(recorder)
    try:
        yield recorder
    finally:
        _recorder.reset(token)


def committed(changes: ChangeSet) -> None:
    """Called by ServiceBase.write after a commit: tell the recorder of this thread, if any."""
    recorder = _recorder.get()
    if recorder is not None and changes:
        recorder.add(changes)


class ReadRecorder:
    """The kinds of record (table names) the reads run on this thread looked at while it records: a screen
    that remembers them knows, without a hand-kept list, which change sets concern it."""

    def __init__(self) -> None:
        self.tables: set[str] = set()


_reads: ContextVar[ReadRecorder | None] = ContextVar("drillapp_read_recorder", default=None)


@contextmanager
def reading() -> Iterator[ReadRecorder]:
    recorder = ReadRecorder()
    token = _reads.set(recorder)
    try:
        yield recorder
    finally:
        _reads.reset(token)


def read_recorder() -> ReadRecorder | None:
    return _reads.get()


def tables_of(statement: object) -> set[str]:
    """The tables a SQL statement reads (joins, subqueries and relationship loads included)."""
    from sqlalchemy import Table
    from sqlalchemy.sql import visitors

    found: set[str] = set()
    try:
        for element in visitors.iterate(statement):  # type: ignore[arg-type]  # iterate() walks any ClauseElement; its stub asks for a narrower type
            if isinstance(element, Table):
                found.add(element.name)
    except Exception:  # an element the visitor does not know: better "unknown" than a failed read
        return set()
    return found
