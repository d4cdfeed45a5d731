"""Reading the audit trail: a filtered, newest-first view a page at a time, and a CSV export.

The trail itself is written by the flush hook in drillapp.services.audit and is append-only (database
triggers refuse UPDATE and DELETE, migration 0002). This module only reads it: filters become a WHERE
in the database, the screen reads a page at a time, and an export streams in batches so 100,000
entries never sit in memory at once.

Reading the trail is for administrators and coordinators ("audit.view"), exporting it too
("audit.export", itself audited). `history` is the exception: the last few changes of the one record an
editor has open, shown to whoever may edit it when their save meets a conflict.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session

from drillapp.audit_labels import (
    OPERATIONS,
    RECORDS,
    SYSTEM_USERNAME,
    operation_label,
    record_label,
    user_columns,
)
from drillapp.clock import to_local
from drillapp.i18n import N_, _
from drillapp.io.csv_cells import safe_row
from drillapp.models import AuditEntry, User
from drillapp.services import audit
from drillapp.services.context import ServiceBase
from drillapp.services.errors import DomainError, ReadOnlyDatabaseError, ValidationError

#: Rows read per query while exporting (keyset paging: each batch is one indexed query).
EXPORT_BATCH = 2000
#: The CSV's header, fixed (not translated) so scripts and spreadsheets can rely on it.
CSV_COLUMNS = ("time", "user", "operation", "action", "record", "id", "before", "after")
#: Values never shown or exported, whoever reads the trail: the flush hook records every column, and
#: the trail can be read by any role. A set value reads HIDDEN; an empty one stays null.
SECRET_FIELDS = frozenset({"password_hash"})
HIDDEN = N_("(hidden)")


@dataclass(frozen=True)
class AuditFilter:
    """What to show. `since`/`until` are naive UTC like everything stored, both inclusive; `text` is
    searched in the user, operation, record type and the changed values (and matches a record id)."""

    username: str | None = None
    entity: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str = ""


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime  # naive UTC
    username: str
    operation: str
    action: str  # insert / update / delete / note
    entity: str
    entity_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    user_id: int | None = None
    #: Who the entry is by, as a person reads it: the user name, except for a log-in entry written before
    #: log-ins were recorded under the account logging in (by "system"): the account it was about.
    shown_username: str = ""
    #: User names of the accounts the values point at (approved_by_id ...), id -> user name.
    people: dict[int, str] = field(default_factory=dict)


_COLUMNS = (
    AuditEntry.id, AuditEntry.at, AuditEntry.username, AuditEntry.operation, AuditEntry.action,
    AuditEntry.entity, AuditEntry.entity_id, AuditEntry.before, AuditEntry.after, AuditEntry.user_id,
)
#: Until this version, log-in attempts were written by the system actor (user "system", no user id) with the
#: account in entity_id; now they are written under the account that logs in (services/users.py).
LOGIN_OPERATION = "users.authenticate"


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _parse(value: str | None) -> dict[str, Any] | None:
    """A before/after column as a dict, secrets hidden; never fails on a value written by something else."""
    if value is None:
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return {"value": value}
    if not isinstance(parsed, dict):
        return {"value": parsed}
    for key in SECRET_FIELDS & parsed.keys():
        if parsed[key] is not None:
            parsed[key] = _(HIDDEN)
    return parsed


def _exported(value: str | None) -> str:
    """A before/after column for the CSV: the stored JSON as it is, unless it holds a secret."""
    if value is None:
        return ""
    if not any(f'"{key}"' in value for key in SECRET_FIELDS):
        return value
    return json.dumps(_parse(value), ensure_ascii=False, sort_keys=True)


def _older_login(username: str, user_id: int | None, operation: str, entity: str, entity_id: int | None) -> bool:
    """A log-in entry of an account, written the old way (by "system")."""
    return (operation == LOGIN_OPERATION and username == SYSTEM_USERNAME and user_id is None
            and entity == "app_user" and entity_id is not None)


def _user_ids(entity: str, *values: dict[str, Any] | None) -> set[int]:
    columns = user_columns(entity)
    return {v for d in values if d for k, v in d.items() if k in columns and isinstance(v, int)}


def _rows(s: Session, results: Any) -> list[AuditRow]:
    """Rows as read, with the user names they need looked up in one query per page: the account of each older
    log-in entry, and the accounts their values point at."""
    values = [(*r[:7], _parse(r[7]), _parse(r[8]), r[9]) for r in results]
    accounts = {v[6] for v in values if _older_login(v[2], v[9], v[3], v[5], v[6])}
    for v in values:
        accounts |= _user_ids(v[5], v[7], v[8])
    names: dict[int, str] = {}
    if accounts:
        found = s.execute(select(User.id, User.username).where(User.id.in_(accounts)))
        names = {row.id: row.username for row in found}
    rows = []
    for id_, at, username, operation, action, entity, entity_id, before, after, user_id in values:
        shown = username
        if _older_login(username, user_id, operation, entity, entity_id):
            shown = names.get(entity_id, username)
        people = {i: names[i] for i in _user_ids(entity, before, after) if i in names}
        rows.append(AuditRow(id_, at, username, operation, action, entity, entity_id, before, after, user_id, shown,
                             people))
    return rows


def _checked(f: AuditFilter) -> AuditFilter:
    if f.since is not None and f.until is not None and f.until < f.since:
        raise ValidationError(_("The end of the time range is before its start."), field="until")
    return f


def _filtered(f: AuditFilter) -> Select:
    query = select(*_COLUMNS)
    if f.username is not None:  # with the older log-in entries about this account (written as "system")
        query = query.where(or_(
            AuditEntry.username == f.username,
            and_(AuditEntry.operation == LOGIN_OPERATION, AuditEntry.username == SYSTEM_USERNAME,
                 AuditEntry.user_id.is_(None), AuditEntry.entity == "app_user",
                 AuditEntry.entity_id.in_(select(User.id).where(User.username == f.username))),
        ))
    if f.entity is not None:
        query = query.where(AuditEntry.entity == f.entity)
    if f.since is not None:
        query = query.where(AuditEntry.at >= f.since)
    if f.until is not None:
        query = query.where(AuditEntry.at <= f.until)
    text = f.text.strip()
    if text:
        pattern = _like(text)
        # Values are stored as JSON: a quote or a line break in them is stored escaped, so look for
        # the escaped spelling too.
        escaped = _like(json.dumps(text, ensure_ascii=False)[1:-1])
        matches: list[ColumnElement[bool]] = [
            AuditEntry.username.ilike(pattern, escape="\\"),
            AuditEntry.operation.ilike(pattern, escape="\\"),
            AuditEntry.entity.ilike(pattern, escape="\\"),
            AuditEntry.before.ilike(escaped, escape="\\"),
            AuditEntry.after.ilike(escaped, escape="\\"),
        ]
        # the words the screen shows for operations and record types find them too ("批准" finds approvals)
        folded = text.casefold()
        operations = [op for op in OPERATIONS if folded in operation_label(op).casefold()]
        entities = [e for e in RECORDS if folded in record_label(e).casefold()]
        if operations:
            matches.append(AuditEntry.operation.in_(operations))
        if entities:
            matches.append(AuditEntry.entity.in_(entities))
        if text.isascii() and text.isdigit() and len(text) < 10:
            matches.append(AuditEntry.entity_id == int(text))
        query = query.where(or_(*matches))
    return query


_NEWEST_FIRST = (AuditEntry.at.desc(), AuditEntry.id.desc())


class AuditViewService(ServiceBase):
    def page(self, filter: AuditFilter, offset: int = 0, limit: int = 200) -> list[AuditRow]:
        """Entries `offset`..`offset+limit` matching `filter`, newest first."""
        query = _filtered(_checked(filter)).order_by(*_NEWEST_FIRST).offset(offset).limit(limit)
        self.check_access("audit.view")
        with self.read() as s:
            return _rows(s, s.execute(query))

    def history(self, entity: str, entity_id: int, limit: int = 5) -> list[AuditRow]:
        """The latest changes to one record, newest first (what "compare" shows after a conflict)."""
        query = (
            _filtered(AuditFilter())
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
            .order_by(*_NEWEST_FIRST)
            .limit(limit)
        )
        with self.read() as s:
            return _rows(s, s.execute(query))

    def usernames(self) -> list[str]:
        """Everyone who appears in the trail (for the filter's list)."""
        self.check_access("audit.view")
        with self.read() as s:
            return list(s.scalars(select(AuditEntry.username).distinct().order_by(AuditEntry.username)))

    def entities(self) -> list[str]:
        """Every kind of record that appears in the trail (table names, for the filter's list)."""
        self.check_access("audit.view")
        with self.read() as s:
            return list(s.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)))

    # -- export -----------------------------------------------------------------------------------
    def export_csv(self, filter: AuditFilter, path: Path | str) -> int:
        """Write the entries matching `filter` to a CSV file (UTF-8 with BOM, for Excel; a cell a spreadsheet
        would run as a formula, e.g. a user name "=HYPERLINK(…)", gets a leading quote: io/csv_cells.py);
        returns how many. Written to a temporary file beside `path` and renamed, so a failure leaves nothing.
        Secrets (password hashes) are left out; the export itself goes into the trail."""
        _checked(filter)
        self.check_access("audit.export")
        out = Path(path)
        if out.is_dir():
            raise DomainError(_("{path} is a folder; give a file name for the export.").format(path=out))
        tmp = out.with_name(out.name + ".part")
        count = 0
        try:
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:  # the BOM tells Excel it is UTF-8
                writer = csv.writer(fh)
                writer.writerow(CSV_COLUMNS)
                for batch in self._export_batches(filter):
                    writer.writerows(
                        safe_row((to_local(at).isoformat(sep=" ", timespec="seconds"), username, operation, action,
                                  entity, "" if entity_id is None else entity_id, _exported(before), _exported(after)))
                        for _id, at, username, operation, action, entity, entity_id, before, after, _uid in batch
                    )
                    count += len(batch)
            os.replace(tmp, out)
        except OSError as exc:
            raise DomainError(_("Could not write {path}: {error}").format(path=out, error=exc.strerror or exc)) from exc
        finally:
            tmp.unlink(missing_ok=True)  # gone already after the rename; a failed export leaves nothing
        try:
            with self.write("audit.export") as s:
                audit.note(s, "audit_entry", None, f"{count} audit entries exported to {out}")
        except ReadOnlyDatabaseError:  # a read-only database cannot record it; the export stands
            pass
        return count

    def _export_batches(self, filter: AuditFilter) -> Iterator[list[tuple[Any, ...]]]:
        """The matching rows newest first, EXPORT_BATCH at a time (keyset paging, one short read each).

        Entries added while an export runs are newer than where it started (with the workstations' clocks
        in step), so they are left out rather than shifting the pages.
        """
        base = _filtered(filter)
        last: tuple[datetime, int] | None = None
        while True:
            query = base
            if last is not None:
                at, id_ = last
                query = query.where(or_(AuditEntry.at < at, and_(AuditEntry.at == at, AuditEntry.id < id_)))
            with self.read() as s:
                batch = [tuple(row) for row in s.execute(query.order_by(*_NEWEST_FIRST).limit(EXPORT_BATCH))]
            if not batch:
                return
            yield batch
            if len(batch) < EXPORT_BATCH:
                return
            last = (batch[-1][1], batch[-1][0])
