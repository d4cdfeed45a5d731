"""Writing a draft's parts: what the editor saves (`DraftContent`) made true of a version, row by row.

Only what differs is written: a row whose values are unchanged is not touched (no UPDATE, no audit entry),
an edited row is updated in place and keeps its id, a removed one is deleted, a new one inserted. Rows
are matched by their lineage key (sections, actions, contacts, resources), their level number (response
levels) or their task and agency (matrix cells). A new revision is the same step on an empty version, the
items keeping the lineage of the version they were copied from.

Runs inside the caller's operation (one transaction); any ValidationError leaves nothing written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, object_session

from drillapp.i18n import _
from drillapp.models import (
    PlanAction,
    PlanContact,
    PlanResource,
    PlanSection,
    PlanVersion,
    ResponseLevel,
    ResponsibilityEntry,
)
from drillapp.models.plans import new_lineage
from drillapp.services import validate
from drillapp.services.errors import ValidationError
from drillapp.services.plan_document import (
    ActionDoc,
    ContactDoc,
    LevelDoc,
    MatrixDoc,
    PlanDoc,
    ResourceDoc,
    SectionDoc,
)


@dataclass(frozen=True)
class DraftContent:
    """What the editor saves: every part of a draft version. Section ids may be temporary (negative) and
    `parent_id` refers to ids within this list. An item's `lineage` names the row it is ("" for a new one)."""

    change_note: str
    sections: tuple[SectionDoc, ...]
    levels: tuple[LevelDoc, ...]
    actions: tuple[ActionDoc, ...]
    matrix: tuple[MatrixDoc, ...]
    contacts: tuple[ContactDoc, ...]
    resources: tuple[ResourceDoc, ...]

    @classmethod
    def of(cls, doc: PlanDoc) -> DraftContent:
        return cls(doc.change_note, doc.sections, doc.levels, doc.actions, doc.matrix, doc.contacts, doc.resources)


def write_content(s: Session, version: PlanVersion, content: DraftContent) -> None:
    """Make `version`'s parts what `content` says, writing only what differs (see the module docstring)."""
    _sections(s, version, content.sections)
    defined = _levels(version, content.levels)
    _actions(version, content.actions, defined)
    _matrix(version, content.matrix)
    contacts = _Positions(version.contacts)
    _by_lineage(version.contacts, content.contacts, PlanContact, lambda c, _i: dict(
        agency=c.agency, position=contacts.place(c.lineage), post=c.post, phone=c.phone, mobile=c.mobile,
        name=validate.text(c.name, "contacts.name", _("Contact"), max_len=200), notes=c.notes))
    resources = _Positions(version.resources)
    _by_lineage(version.resources, content.resources, PlanResource, lambda r, _i: dict(
        position=resources.place(r.lineage), name=validate.text(r.name, "resources.name", _("Item"), max_len=200),
        kind=r.kind, quantity=r.quantity, location=r.location, custodian=r.custodian, notes=r.notes))
    s.flush()


def assign(row: Any, **values: Any) -> None:
    """Set only the attributes that differ, so an unchanged row is not written."""
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)


def _drop(collection: list[Any], row: Any) -> None:
    """Delete a row: explicitly, so the audit trail records it (a row only orphaned from its collection is
    deleted by the flush without passing through `session.deleted`, where the audit hook looks)."""
    collection.remove(row)
    session = object_session(row)
    assert session is not None
    session.delete(row)


class _Positions:
    """Positions that keep the items' order while moving as few rows as possible: an item keeps its row's
    position while that is above the one before it (in its group), else takes the next one. Removing an item
    moves nothing; inserting one moves those after it in its group that are in the way."""

    def __init__(self, rows: Sequence[Any]) -> None:
        self.current = {row.lineage: row.position for row in rows}
        self.last: dict[Any, int] = {}

    def place(self, lineage: str, group: Any = None) -> int:
        floor = self.last.get(group, -1)
        kept = self.current.get(lineage) if lineage else None
        self.last[group] = position = kept if kept is not None and kept > floor else floor + 1
        return position


def _claim(rows: dict[str, Any], lineage: str, seen: set[str]) -> tuple[Any | None, str]:
    """The row an item with this lineage updates (None: insert), and the lineage the item keeps."""
    if lineage and lineage not in seen:
        seen.add(lineage)
        return rows.get(lineage), lineage
    fresh = new_lineage()
    seen.add(fresh)
    return None, fresh


def _by_lineage(collection: list[Any], items: Sequence[Any], model: type, values: Callable[[Any, int], dict[str, Any]],
                remove: bool = True) -> tuple[list[Any], list[Any]]:
    """Rows matched to items by lineage, updated or inserted, and the unmatched ones (deleted unless `remove` is
    false): (rows in item order, unmatched rows)."""
    rows = {row.lineage: row for row in collection}
    seen: set[str] = set()
    out = []
    for i, item in enumerate(items):
        fields = values(item, i)
        row, lineage = _claim(rows, item.lineage, seen)
        if row is None:
            row = model(lineage=lineage, **fields)
            collection.append(row)
        else:
            assign(row, **fields)
        out.append(row)
    unmatched = [r for lineage, r in rows.items() if lineage not in seen]
    if remove:
        for row in unmatched:
            _drop(collection, row)
    return out, unmatched


def _sections(s: Session, version: PlanVersion, sections: Sequence[SectionDoc]) -> None:
    made: dict[int, PlanSection] = {}
    rows, removed = _by_lineage(version.sections, sections, PlanSection, lambda sec, _i: dict(
        kind=sec.kind, body=sec.body, position=sec.position,
        title=validate.text(sec.title, "sections.title", _("Section title"), max_len=300)), remove=False)
    for sec, row in zip(sections, rows, strict=True):
        made[sec.id] = row
    if any(sec.parent_id is not None and sec.parent_id not in made for sec in sections):
        raise ValidationError(_("A section's parent is missing."), "sections")
    going = {row.id for row in removed}
    for row in removed:  # untie a removed subsection from its removed parent, so the database's cascade does not
        if row.parent_id in going:  # delete a row the session deletes too
            row.parent_id = None
    s.flush()  # new sections get their ids; then the tree is linked and the removed ones go
    for sec in sections:
        assign(made[sec.id], parent_id=made[sec.parent_id].id if sec.parent_id is not None else None)
    for row in removed:
        _drop(version.sections, row)


def _levels(version: PlanVersion, levels: Sequence[LevelDoc]) -> set[int]:
    rows = {row.level: row for row in version.levels}
    seen: set[int] = set()
    for lv in levels:
        validate.level(lv.level, "levels")
        if lv.level in seen:
            raise ValidationError(_("A response level is defined twice."), "levels")
        seen.add(lv.level)
        row = rows.get(lv.level)
        if row is None:
            version.levels.append(ResponseLevel(level=lv.level, name=lv.name, colour=lv.colour, trigger=lv.trigger))
        else:
            assign(row, name=lv.name, colour=lv.colour, trigger=lv.trigger)
    for level, row in rows.items():
        if level not in seen:
            _drop(version.levels, row)
    return seen


def _actions(version: PlanVersion, actions: Sequence[ActionDoc], defined: set[int]) -> None:
    """Actions by lineage; `position` orders the actions of equal level, phase and target (services/
    plan_document.action_order), so it only moves where that order changed."""
    positions = _Positions(version.actions)

    def values(a: ActionDoc, i: int) -> dict[str, Any]:
        if a.level is not None and a.level not in defined:
            raise ValidationError(_("Action {n} is for a response level the plan does not define.").format(n=i + 1),
                                  "actions")
        return dict(
            agency=a.agency, level=a.level, phase=a.phase,
            position=positions.place(a.lineage, (a.level, a.phase, a.target_minutes)),
            text=validate.long_text(a.text, "actions.text", _("Action"), required=True),
            responsible_post=validate.text(a.responsible_post, "actions.responsible_post", _("Responsible post"),
                                           max_len=200, required=False),
            target_minutes=validate.minutes(a.target_minutes, "actions.target_minutes", _("Target time")),
            report_due=a.report_due,
        )

    _by_lineage(version.actions, actions, PlanAction, values)


def _matrix(version: PlanVersion, matrix: Sequence[MatrixDoc]) -> None:
    rows = {(row.task, row.agency): row for row in version.matrix}
    seen: set[tuple[str, Any]] = set()
    for m in matrix:
        task = validate.text(m.task, "matrix.task", _("Task"), max_len=300)
        if (task, m.agency) in seen:
            raise ValidationError(_("The responsibility matrix names an agency twice for one task."), "matrix")
        seen.add((task, m.agency))
        row = rows.get((task, m.agency))
        if row is None:
            version.matrix.append(ResponsibilityEntry(task=task, agency=m.agency, role=m.role))
        else:
            assign(row, role=m.role)
    for key, row in rows.items():
        if key not in seen:
            _drop(version.matrix, row)
