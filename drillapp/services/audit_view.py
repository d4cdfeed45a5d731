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
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select, and_, or_, select

from drillapp.clock import to_local
from drillapp.i18n import N_, _
from drillapp.io.csv_cells import safe_row
from drillapp.models import AuditEntry
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


_COLUMNS = (
    AuditEntry.id, AuditEntry.at, AuditEntry.username, AuditEntry.operation, AuditEntry.action,
    AuditEntry.entity, AuditEntry.entity_id, AuditEntry.before, AuditEntry.after,
)


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


def _row(values: Any) -> AuditRow:
    id_, at, username, operation, action, entity, entity_id, before, after = values
    return AuditRow(id_, at, username, operation, action, entity, entity_id, _parse(before), _parse(after))


def _checked(f: AuditFilter) -> AuditFilter:
    if f.since is not None and f.until is not None and f.until < f.since:
        raise ValidationError(_("The end of the time range is before its start."), field="until")
    return f


def _filtered(f: AuditFilter) -> Select[Any]:
    query = select(*_COLUMNS)
    if f.username is not None:
        query = query.where(AuditEntry.username == f.username)
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
        matches = [
            AuditEntry.username.ilike(pattern, escape="\\"),
            AuditEntry.operation.ilike(pattern, escape="\\"),
            AuditEntry.entity.ilike(pattern, escape="\\"),
            AuditEntry.before.ilike(escaped, escape="\\"),
            AuditEntry.after.ilike(escaped, escape="\\"),
        ]
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
            return [_row(values) for values in s.execute(query)]

    def history(self, entity: str, entity_id: int, limit: int = 5) -> list[AuditRow]:
        """The latest changes to one record, newest first (what "compare" shows after a conflict)."""
        query = (
            _filtered(AuditFilter())
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
            .order_by(*_NEWEST_FIRST)
            .limit(limit)
        )
        with self.read() as s:
            return [_row(values) for values in s.execute(query)]

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
                        for _id, at, username, operation, action, entity, entity_id, before, after in batch
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
